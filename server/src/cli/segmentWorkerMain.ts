/**
 * Entry of the segment worker threads, bundled on its own (dist/cli-worker.js): a worker loads
 * only what checks, parses, filters or summarises a segment, not every command, its help and its
 * reporters, so that it starts sooner.
 */
import { runSegmentWorker } from './segmentWorker';

runSegmentWorker();

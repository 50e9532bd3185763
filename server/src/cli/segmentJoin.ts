/**
 * The join of a segmented run (segments.ts): planned segments go to the worker pool, a few ahead
 * of the one being joined, and their results are handed to the command in input order. A segment
 * whose starting guess (the input's format in force, no record wrapped into it) proves wrong
 * against the previous segment's actual end is run again from the true state, so the joined
 * output is what one thread writes.
 */
import type { FlowLogFormat } from '../service/formatModel';
import type { SeverityTable } from '../service/rules';
import { formatKey } from '../service/stream';
import { describeError, displayName } from './input';
import type { ProgressBar } from './progress';
import { warn, type FeedResult, type Io } from './run';
import type { WorkerPool } from './segmentPool';
import type { HeadSource, SegmentCommand, SegmentJob, SegmentResult, SegmentSource } from './segmentWorker';

export interface SegmentedRun {
  command: SegmentCommand;
  explicitFormat: string | undefined;
  severities?: SeverityTable;
  /** Whether inputs of this format are run in segments (else they are read by one thread). */
  accepts(primary: FlowLogFormat): boolean;
  /** The input's format, before any result. */
  format(primary: FlowLogFormat): void;
  /** Still validating (lint: until --max-problems stopped it). */
  validating(): boolean;
  /** A segment's result, in input order; `baseLine` is its first line's number. The next is joined once it is done. */
  result(result: SegmentResult, baseLine: number): void | Promise<void>;
  /** lint: the workers read the cells pairing needs of each record (reply-rejected). */
  pairCells?: boolean;
  /** filter: the filter and its output. */
  filter?: SegmentJob['filter'];
  /** filter: the state a segment starts from, as known when it is sent. */
  filterState?(): SegmentJob['filterState'];
  /** stats: the summary's options. */
  summary?: SegmentJob['summary'];
  /** Whether a segment's result rests on a state (filterState) that turned out wrong: it is run again. */
  stateMismatch?(job: SegmentJob, result: SegmentResult): boolean;
}

export interface SegmentedFeed extends FeedResult {
  lines: number;
}

/** A segment as planned by the main thread. */
export interface Planned {
  source: SegmentSource;
  lookahead: string;
  /** `cutoff`: the input failed after it; its pieces are pushed but not ended, as a one-thread run leaves them. */
  ending: 'segment' | 'end' | 'cutoff';
  /** Why the input could not be read to its end (with `cutoff`). */
  failure?: string;
  /** Field count of the line before the cut that ends this segment (for the next one). */
  nextPreviousRecordCount: number;
  /** Bytes of the input (as on disk) read once this segment is done, for progress. */
  progress: number;
}
let nextHeadKey = 1;

/** Dispatches the planned segments to the pool and joins their results in order. */
export async function joinSegments(
  io: Io,
  path: string,
  run: SegmentedRun,
  pool: WorkerPool,
  primary: FlowLogFormat,
  head: HeadSource,
  planned: AsyncGenerator<Planned>,
  progress: ProgressBar | undefined,
  recycle?: (bytes: Uint8Array) => void,
): Promise<SegmentedFeed> {
  const name = displayName(path);
  const headKey = nextHeadKey++;
  const primaryKey = formatKey(primary);
  const base = { command: run.command, explicitFormat: run.explicitFormat, severities: run.severities, headKey, head, filter: run.filter, summary: run.summary, pairCells: run.pairCells };
  let lines = 0;
  let index = 0;
  let previousRecordCount = -1;
  const inFlight: { plan: Planned; job: SegmentJob; result: Promise<SegmentResult> }[] = [];
  const jobFor = (plan: Planned, resume: SegmentJob['resume']): SegmentJob => ({
    ...base,
    id: index,
    source: plan.source,
    resume,
    lookahead: plan.lookahead,
    ending: plan.ending,
    validate: run.validating(),
    filterState: run.filterState?.(),
  });
  let exhausted = false;
  let stopped = false;
  let reruns = 0;
  let previousEnd: (SegmentResult['end'] & { declaration?: { text: string; line: number } }) | undefined;
  try {
    for (;;) {
      // Keep every worker busy with segments ready: a segment that takes long (a shared machine)
      // then holds up the join, not the workers. parse keeps fewer: their output waits in memory.
      while (!exhausted && inFlight.length < (run.command === 'parse' ? pool.size + 1 : 2 * pool.size + 1)) {
        const next = await planned.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const plan = next.value;
        const resume = inFlight.length === 0 && index === 0 ? undefined : { opening: false, previousRecordCount, skipLines: 0 };
        const job = jobFor(plan, resume);
        index++;
        previousRecordCount = plan.nextPreviousRecordCount;
        inFlight.push({ plan, job, result: pool.run(job) });
      }
      const current = inFlight.shift();
      if (!current) break;
      let result = await current.result;
      if (result.error) throw new Error(result.error);
      const expected = previousEnd;
      const wrongStart = current.job.resume && expected && (expected.currentKey !== primaryKey || expected.opening || expected.consumedAfter > 0);
      if (wrongStart || run.stateMismatch?.(current.job, result)) {
        // The guess was wrong: run the segment again from the state the previous one left.
        const resume = current.job.resume && expected ? { ...current.job.resume, current: expected.declaration, opening: expected.opening, skipLines: expected.consumedAfter } : current.job.resume;
        const source = current.job.source.kind === 'bytes' && result.bytes ? { ...current.job.source, bytes: result.bytes } : current.job.source;
        if (result.cells) pool.giveBack(result.cells);
        result = await pool.run({ ...current.job, source, resume, validate: run.validating(), filterState: run.filterState?.() });
        reruns++;
        if (result.error) throw new Error(result.error);
      }
      io.stdout.lend(result.output, (buffer) => pool.giveBackOutput(buffer));
      await run.result(result, lines);
      if (result.bytes) recycle?.(result.bytes);
      if (result.cells) pool.giveBack(result.cells);
      const declaration = result.end.declaration ? { text: result.end.declaration.text, line: result.end.declaration.line + lines } : expected?.declaration;
      previousEnd = { ...result.end, declaration: result.end.currentKey === primaryKey && !result.end.declaration ? undefined : declaration };
      lines += result.lines;
      progress?.update(current.plan.progress);
      if (current.plan.failure) {
        warn(io, name, current.plan.failure);
        return { name, failure: current.plan.failure, stopped: false, lines };
      }
      io.stdout.flush();
      await io.stdout.drain();
      if (io.stdout.closed) {
        stopped = true;
        break;
      }
    }
    // For tests: shows that an input was run in segments, and how many were run again.
    if (process.env.FLOWLOG_SEGMENT_TRACE) io.stderr.write(`flowlog-trace: ${name}: ${index} segments, ${reruns} run again\n`);
    return { name, stopped, lines };
  } catch (error) {
    const failure = describeError(error);
    warn(io, name, failure);
    return { name, failure, stopped: false, lines };
  } finally {
    // Results still in flight are dropped (a stop or a failure).
    await Promise.allSettled(inFlight.map((item) => item.result));
    await planned.return(undefined);
  }
}

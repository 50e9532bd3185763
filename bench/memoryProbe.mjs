/**
 * Preloaded into the language server by `bench:lsp --memory-stages` (`node --expose-gc --import
 * bench/memoryProbe.mjs`): on SIGUSR2 it appends one JSON line to $FLOWLOG_PROBE_OUT with
 * process.memoryUsage() as it is, then again after a full collection (what is live, against
 * garbage the collector had not returned yet). Between two signals it samples
 * process.memoryUsage() every 10 ms and reports the highest of each figure (`peak`): what the
 * stage's peak RSS was made of. The bench waits for the line, so stages never overlap.
 *
 * With $FLOWLOG_PROBE_DIR set it also writes, per stage, a heap snapshot after the collection
 * (stage-N.heapsnapshot: what is live) and V8's sampling allocation profile of the stage,
 * collected objects included (stage-N.heapprofile: where the garbage came from).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const out = process.env.FLOWLOG_PROBE_OUT;
const dir = process.env.FLOWLOG_PROBE_DIR;
let stage = 0;
let peak = {};
function sample() {
  const now = process.memoryUsage();
  for (const key of Object.keys(now)) peak[key] = Math.max(peak[key] ?? 0, now[key]);
  return now;
}

let session;
function startSampling() {
  session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}

if (out) {
  setInterval(sample, 10).unref();
  if (dir) {
    session = new Session();
    session.connect();
    session.post('HeapProfiler.enable');
    startSampling();
  }
  process.on('SIGUSR2', () => {
    const before = sample();
    const highest = peak;
    peak = {};
    const finish = () => {
      if (typeof globalThis.gc === 'function') globalThis.gc();
      const after = process.memoryUsage();
      const snapshot = dir ? writeHeapSnapshot(join(dir, `stage-${stage}.heapsnapshot`)) : undefined;
      appendFileSync(out, `${JSON.stringify({ stage: stage++, before, after, peak: highest, snapshot })}\n`);
    };
    if (!session) return finish();
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) writeFileSync(join(dir, `stage-${stage}.heapprofile`), JSON.stringify(result.profile));
      finish();
      startSampling();
    });
  });
}

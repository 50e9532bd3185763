/** Starting a worker thread of the CLI (segmentPool.ts, filePool.ts). */
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The young generation of each worker's heap (MB). V8's default (up to 48 MB) is sized for one
 * isolate per process; a worker's short-lived strings die young at 8 MB as well, and each worker
 * then holds about 20 MB less (lint on 134 MB, two workers: peak RSS 132 -> 110 MB, same CPU).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** A worker thread running the CLI's worker entry (segmentWorker.ts). */
export function startWorkerThread(entry: string): Worker {
  const options = { workerData: { flowlogSegmentWorker: true }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  // Run from source (tests without a bundle, under tsx): tsx's loader does not reach worker
  // threads, so the worker registers it before loading the entry.
  return entry.endsWith('.ts')
    ? new Worker(`require(require.resolve('tsx/cjs', { paths: [${JSON.stringify(dirname(entry))}] })); require(${JSON.stringify(entry)});`, { ...options, eval: true })
    : new Worker(entry, options);
}

/**
 * Watches a worker for its end: `failing` is called at its first sign of trouble (send it no more
 * jobs), `died` once it is gone, with why. An uncaught error is reported on another channel than
 * the worker's messages and can come before a result the worker posted just before failing; the
 * 'exit' event comes after those messages were delivered, so the jobs still held then are the
 * ones the worker did not finish.
 */
export function watchWorkerEnd(worker: Worker, failing: () => void, died: (how: string) => void): void {
  let cause: string | undefined;
  const trouble = (how: string): void => {
    if (cause !== undefined) return;
    cause = how;
    failing();
  };
  worker.on('error', (error: unknown) => trouble(`failed (${firstLine(error)})`));
  worker.on('messageerror', (error: unknown) => {
    trouble(`sent a result that could not be read (${firstLine(error)})`);
    void worker.terminate();
  });
  worker.on('exit', (code) => died(cause ?? `stopped (exit status ${code})`));
}

/** The first line of an error, for a one-line message. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0];
}

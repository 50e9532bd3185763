/**
 * Several input files on both cores. A command given several files (`flowlog lint logs/*.gz`)
 * hands each small or medium one whole to a worker thread, which runs the command's own
 * one-thread code on it (fileWorker.ts): same reads, same gunzip, same stream, so the same
 * output. The main thread writes the files' output in file order: the file whose turn it is as
 * it comes, the ones after it held until their turn. Memory stays bounded: at most two files per
 * worker are in flight, and a worker waits once the main thread holds its file's share of
 * UNWRITTEN_BYTES unwritten (fileChannel.ts).
 *
 * Standard input, and a file large enough for segments while records are paired (over 128 MiB, a
 * .gz over 32 MiB: segments.ts), are read by the main thread as a single file is, and files after
 * them are started once their turn comes. The lower thresholds of unpaired commands do not apply
 * among several files: whole files on workers use both cores already, while segments leave a
 * worker idle at the end of each file and decompress a .gz on the main thread (filter of twenty
 * 5-60 MB files: 1.9-2.1 s against 2.5-2.6 s, and 160 MB of memory instead of 270).
 *
 * parse does not spread files: its output, twice its input or more, outgrows what the main thread
 * holds of a file whose turn has not come, whose worker then waits, and writing it is much of the
 * work (nine files of 116 MB: 1.22-1.45 s with workers against 1.07-1.30 s on one thread).
 * Nor does stats (statsCommand.ts summarizeFiles says why).
 */
import { statSync } from 'node:fs';
import type { FileBatch, FileDone, FileEvent, FileJob } from './fileChannel';
import type { FilePool } from './filePool';
import { displayName } from './input';
import { warn, type Io } from './run';
import type { PoolHolder } from './segmentPool';
import { segmentCandidate } from './segments';

/**
 * Several files are spread over workers only when they hold this much text in all: starting the
 * workers costs about 0.15 s (two isolates loading the worker bundle), which smaller inputs do not
 * win back (lint of 116 MB in nine files: 1.32-1.43 s against 1.51-1.66 s; lint of 2 x 6 MB:
 * 0.52-0.96 s against 0.42-0.65 s). A faster command passes more (filter).
 */
const MIN_TOTAL_BYTES = 64 * 1024 * 1024;
/** A .gz file counts as this many times its size (generated flow logs compress about 4.5 times). */
const GZIP_RATIO = 4;

/** Test hook (FLOWLOG_PARALLEL_FILES_MIN_BYTES): small files spread too. */
function minBytes(normal: number): number {
  const hooked = Number(process.env.FLOWLOG_PARALLEL_FILES_MIN_BYTES);
  return process.env.FLOWLOG_PARALLEL_FILES_MIN_BYTES !== undefined && hooked >= 0 ? hooked : normal;
}

/** The text the files hold, roughly (sizes on disk; a .gz by its name, counted as decompressed). Standard input and files that cannot be read count nothing. */
function inputBytes(paths: readonly string[]): number {
  let total = 0;
  for (const path of paths) {
    if (path === '-') continue;
    try {
      total += statSync(path).size * (/\.gz$/i.test(path) ? GZIP_RATIO : 1);
    } catch {
      // Reported when the file's turn comes.
    }
  }
  return total;
}

/** Output of the files whose turn has not come that the main thread holds at most (shared among them). */
const UNWRITTEN_BYTES = 64 * 1024 * 1024;

interface Started {
  batches: FileBatch[];
  done?: FileDone;
  wake?: () => void;
}

/** What a file read by a worker left: the command's outcome, or why there is none. */
export type RemoteResult<T> = { outcome: T; stopped: false } | { outcome?: undefined; stopped: true } | { outcome?: undefined; stopped: false; error: string };

/** Writes a file's stdout and stderr as the worker's run wrote them (a lint problem goes to the reporter instead). */
export function writeEvent(io: Io, event: FileEvent): void {
  if ('out' in event) io.stdout.writeBytes(event.out);
  else if ('err' in event) io.stderr.write(event.err);
}

export class ParallelFiles {
  private readonly started = new Map<number, Started>();
  /** Files in flight: the one whose turn it is and those after it, two per worker, so that a long file does not leave workers idle. */
  private readonly ahead: number;
  private readonly mainThread = new Map<number, boolean>();
  private nextId = 0;

  /**
   * `job(path)`: the job for a worker. Undefined when the command runs with one thread, has one
   * file, or less than `minTotalBytes` to read (a fast command needs more to win back the start).
   */
  static for(io: Io, paths: readonly string[], pools: PoolHolder, progressAllowed: boolean, job: (path: string) => Omit<FileJob, 'kind' | 'id' | 'unwrittenLimit'>, minTotalBytes = MIN_TOTAL_BYTES): ParallelFiles | undefined {
    if (paths.length < 2 || !pools.enabled || inputBytes(paths) < minBytes(minTotalBytes)) return undefined;
    const terminal = progressAllowed && io.stderr.isTTY === true ? { columns: io.stderr.columns, stdoutIsTTY: io.stdoutIsTTY } : undefined;
    return new ParallelFiles(io, paths, pools.files(), job, terminal);
  }

  private constructor(
    private readonly io: Io,
    private readonly paths: readonly string[],
    private readonly pool: FilePool,
    private readonly job: (path: string) => Omit<FileJob, 'kind' | 'id' | 'unwrittenLimit'>,
    private readonly terminal: FileJob['terminal'],
  ) {
    this.ahead = 2 * pool.size + 1;
  }

  /**
   * File `index`, whose turn it is: undefined when the main thread reads it, else its worker's
   * output, given to `apply` in order, and the command's outcome. Files after it are started.
   */
  async take<T>(index: number, apply: (event: FileEvent) => void): Promise<RemoteResult<T> | undefined> {
    this.startAhead(index);
    const started = this.started.get(index);
    if (!started) return undefined;
    this.started.delete(index);
    for (;;) {
      for (let batch = started.batches.shift(); batch; batch = started.batches.shift()) {
        for (const event of batch.events) apply(event);
        this.io.stdout.flush();
        await this.io.stdout.drain();
        if (this.io.stdout.closed) return { stopped: true };
        this.pool.acknowledge(batch.id, batch.size);
      }
      const { done } = started;
      if (done) {
        // For tests: shows that a file was read by a worker of the file pool.
        if (process.env.FLOWLOG_SEGMENT_TRACE) this.io.stderr.write(`flowlog-trace: ${displayName(this.paths[index])}: read whole by a worker thread\n`);
        if (done.error !== undefined) {
          warn(this.io, displayName(this.paths[index]), done.error);
          return { stopped: false, error: done.error };
        }
        return { outcome: done.outcome as T, stopped: false };
      }
      await new Promise<void>((resolve) => (started.wake = resolve));
    }
  }

  /** Starts the files from `index` on, up to one more than the workers, stopping at one the main thread reads. */
  private startAhead(index: number): void {
    for (let at = index; at < this.paths.length && at < index + this.ahead; at++) {
      if (this.started.has(at)) continue;
      if (this.readsHere(at)) return;
      const started: Started = { batches: [] };
      this.started.set(at, started);
      const job: FileJob = { ...this.job(this.paths[at]), kind: 'file-job', id: this.nextId++, unwrittenLimit: Math.floor(UNWRITTEN_BYTES / (this.ahead - 1)), terminal: this.terminal };
      const wake = (): void => {
        const resume = started.wake;
        started.wake = undefined;
        resume?.();
      };
      void this.pool
        .run(job, (batch) => {
          started.batches.push(batch);
          wake();
        })
        .then((done) => {
          started.done = done;
          wake();
        });
    }
  }

  private readsHere(index: number): boolean {
    let here = this.mainThread.get(index);
    if (here === undefined) {
      const path = this.paths[index];
      here = path === '-' || segmentCandidate(path, true) !== undefined;
      this.mainThread.set(index, here);
    }
    return here;
  }
}

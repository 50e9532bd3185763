/**
 * The worker threads of segmented runs (segments.ts). A worker that fails or stops is never
 * handed another job: the segments it held are answered with an error that names the segment
 * (the run then reports the first and exits 2), and a new worker takes its place for the
 * segments still waiting, so that every job is answered and no run hangs or ends silently.
 */
import type { Worker } from 'node:worker_threads';
import { firstLine, startWorkerThread, watchWorkerEnd } from './workerThread';
import type { SegmentJob, SegmentResult, SegmentSource } from './segmentWorker';
import type { SegmentCells, SpentCells } from './cellBuffer';
import { FilePool } from './filePool';

/** The worker pool of one command, started when the first large input comes. */
export class PoolHolder {
  private pool: WorkerPool | undefined;
  private filePool: FilePool | undefined;

  /** `entry`: the CLI's own script, which runs segmentWorker.ts in a worker thread (none: one thread). */
  constructor(private readonly entry: string | undefined, private readonly threads: number) {}

  get enabled(): boolean {
    return this.entry !== undefined && this.threads > 1;
  }

  get(): WorkerPool {
    this.pool ??= new WorkerPool(this.threads, this.entry as string);
    return this.pool;
  }

  /** The pool reading whole files, for commands given several (parallelFiles.ts). */
  files(): FilePool {
    this.filePool ??= new FilePool(this.threads, this.entry as string);
    return this.filePool;
  }

  async close(): Promise<void> {
    await Promise.all([this.pool?.close(), this.filePool?.close()]);
    this.pool = undefined;
    this.filePool = undefined;
  }
}

interface Queued {
  job: SegmentJob;
  resolve: (result: SegmentResult) => void;
}


/**
 * Jobs a worker is sent ahead: it starts the next as soon as it posts a result, without waiting
 * for the main thread to hand one over (a main thread busy pairing, or a loaded machine, would
 * leave it idle at every segment).
 */
const JOBS_PER_WORKER = 2;

/** Worker threads running segmentWorker.ts, started once per command and reused for every input. */
export class WorkerPool {
  private readonly live = new Set<Worker>();
  /** Workers that failed and are stopping: no job goes to them. */
  private readonly failing = new Set<Worker>();
  private readonly waiting: Queued[] = [];
  /** The jobs sent to each live worker and not answered yet (ids are unique among them: one input at a time). */
  private readonly held = new Map<Worker, Queued[]>();
  /** Heads each worker already has, by headKey. */
  private readonly knownHeads = new Map<Worker, number>();
  private deaths = 0;
  private closing = false;
  /**
   * Cell buffers the main thread has read, sent with later jobs: a worker writes a segment's cells
   * into memory already touched, where fresh buffers cost a page fault every 4 KB (on this
   * project's virtual machines, more than writing the cells).
   */
  private readonly spentCells: SpentCells[] = [];
  /** Output buffers the main thread has written out, sent with later jobs for the same reason. */
  private readonly spentOutput: ArrayBuffer[] = [];

  constructor(readonly size: number, private readonly entry: string) {
    for (let i = 0; i < size; i++) this.start();
  }

  run(job: SegmentJob): Promise<SegmentResult> {
    return new Promise((resolve) => {
      this.waiting.push({ job, resolve });
      this.dispatch();
    });
  }

  /** Gives back the buffers of a segment's cells once read (a later job of pairCells takes them). */
  giveBack(cells: SegmentCells): void {
    // Only the buffers: the segment's strings are not sent back.
    if (this.keepsSpent(this.spentCells)) this.spentCells.push({ ints: cells.ints, nums: cells.nums });
  }

  /** Gives back a buffer of a segment's output once written out (Output.lend). */
  giveBackOutput(buffer: ArrayBuffer): void {
    if (this.keepsSpent(this.spentOutput)) this.spentOutput.push(buffer);
  }

  /** Whether a list of given-back buffers takes one more: enough for the jobs in flight, none once closing. */
  private keepsSpent(list: readonly unknown[]): boolean {
    return !this.closing && list.length < 2 * JOBS_PER_WORKER * this.size;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.live].map((worker) => worker.terminate()));
  }

  private start(): void {
    const worker = startWorkerThread(this.entry);
    this.live.add(worker);
    this.held.set(worker, []);
    worker.on('message', (result: SegmentResult) => this.finished(worker, result));
    watchWorkerEnd(
      worker,
      () => this.failing.add(worker),
      (how) => this.died(worker, how),
    );
  }

  private dispatch(): void {
    // A worker that died is replaced while segments wait, unless workers keep dying (then the
    // segments waiting fail too: the cause is not in one segment).
    while (this.waiting.length > 0 && this.live.size < this.size && this.deaths <= 2 * this.size && !this.closing) this.start();
    if (this.live.size === 0) {
      for (const queued of this.waiting.splice(0)) queued.resolve(failed(queued.job, 'no worker thread is left (they kept stopping)'));
      return;
    }
    for (let worker = this.leastHeld(); worker && this.waiting.length > 0; worker = this.leastHeld()) {
      const queued = this.waiting.shift() as Queued;
      const { job } = queued;
      const jobs = this.held.get(worker) as Queued[];
      jobs.push(queued);
      // A worker detects the format from the head once per input (the first segment needs none).
      const spentCells = job.pairCells ? this.spentCells.pop() : undefined;
      // One a job (a segment's output is one chunk unless a filter hands bytes over whole): a worker given more would keep what the other lacks.
      const spentOutput = this.spentOutput.splice(0, 1);
      const send = { ...job, head: this.knownHeads.get(worker) === job.headKey ? undefined : job.head, spentCells, spentOutput };
      if (job.resume) this.knownHeads.set(worker, job.headKey);
      try {
        // Bytes are transferred; the worker hands them back with the result, for a segment run again.
        const transfer = send.source.kind === 'bytes' ? [send.source.bytes.buffer as ArrayBuffer] : [];
        if (spentCells) transfer.push(spentCells.ints.buffer as ArrayBuffer, spentCells.nums.buffer as ArrayBuffer);
        transfer.push(...spentOutput);
        worker.postMessage(send, transfer);
      } catch (error) {
        jobs.pop();
        queued.resolve(failed(job, `could not be sent to a worker thread (${firstLine(error)})`));
      }
    }
  }

  /** The live worker with the fewest jobs, when it can take one more. */
  private leastHeld(): Worker | undefined {
    let best: Worker | undefined;
    let fewest = JOBS_PER_WORKER;
    for (const [worker, jobs] of this.held) {
      if (jobs.length < fewest && !this.failing.has(worker)) {
        best = worker;
        fewest = jobs.length;
      }
    }
    return best;
  }

  private finished(worker: Worker, result: SegmentResult): void {
    // By id, not by order: a worker that fails on a job may still answer the one sent after it.
    const jobs = this.held.get(worker);
    const at = jobs ? jobs.findIndex((queued) => queued.job.id === result.id) : -1;
    if (!jobs || at < 0) return;
    const [queued] = jobs.splice(at, 1);
    queued.resolve(result);
    this.dispatch();
  }

  /** The worker is gone (after its last messages were delivered): the jobs it still held failed. */
  private died(worker: Worker, how: string): void {
    this.failing.delete(worker);
    if (!this.live.delete(worker)) return;
    this.knownHeads.delete(worker);
    const jobs = this.held.get(worker) ?? [];
    this.held.delete(worker);
    if (this.closing) return;
    this.deaths++;
    // A worker with no job that went away is not an error in itself; with jobs, their segments
    // failed (the one it was reading comes first; a job sent ahead may hold bytes it took along).
    for (const queued of jobs) queued.resolve(failed(queued.job, `the worker thread reading it ${how}`));
    if (jobs.length === 0) void worker.terminate();
    this.dispatch();
  }
}

function failed(job: SegmentJob, why: string): SegmentResult {
  return { ...failedResult(), id: job.id, error: `segment ${job.id + 1} (${describeSource(job.source)}): ${why}` };
}

function describeSource(source: SegmentSource): string {
  return source.kind === 'file' ? `bytes ${source.start}–${source.end}` : `${source.pieceEnds.at(-1) ?? 0} decompressed bytes`;
}


export function failedResult(): SegmentResult {
  return { id: -1, lines: 0, problems: [], output: [], records: 0, malformed: 0, jsonRecords: 0, unreadable: 0, badIntegerRecords: 0, overlong: [], end: { currentKey: '', opening: false, consumedAfter: 0 } };
}

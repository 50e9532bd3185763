/**
 * Worker threads that each read one whole file at a time (parallelFiles.ts, fileChannel.ts). A
 * worker that fails or stops answers its file with an error naming the cause, and a new worker
 * takes its place for the files still waiting (unless workers keep stopping): no run hangs.
 */
import type { Worker } from 'node:worker_threads';
import type { FileAck, FileBatch, FileDone, FileJob } from './fileChannel';
import { startWorkerThread, watchWorkerEnd } from './workerThread';

interface Running {
  job: FileJob;
  batch: (batch: FileBatch) => void;
  done: (done: FileDone) => void;
}

export class FilePool {
  private readonly live = new Set<Worker>();
  private readonly idle: Worker[] = [];
  /** Workers that failed and are stopping: no file goes to them. */
  private readonly failing = new Set<Worker>();
  private readonly running = new Map<Worker, Running>();
  private readonly workerOf = new Map<number, Worker>();
  private readonly waiting: Running[] = [];
  private deaths = 0;
  private closing = false;

  constructor(readonly size: number, private readonly entry: string) {}

  /** Runs `job` on a worker as soon as one is free; `batch` gets its output in order. */
  run(job: FileJob, batch: (batch: FileBatch) => void): Promise<FileDone> {
    return new Promise((done) => {
      this.waiting.push({ job, batch, done });
      this.dispatch();
    });
  }

  /** The main thread wrote `size` bytes of job `id`: its worker may send more. */
  acknowledge(id: number, size: number): void {
    const worker = this.workerOf.get(id);
    const ack: FileAck = { kind: 'file-ack', id, size };
    worker?.postMessage(ack);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.live].map((worker) => worker.terminate()));
  }

  private start(): void {
    const worker = startWorkerThread(this.entry);
    this.live.add(worker);
    this.idle.push(worker);
    worker.on('message', (message: FileBatch | FileDone) => this.received(worker, message));
    watchWorkerEnd(
      worker,
      () => {
        // No new file goes to it.
        const at = this.idle.indexOf(worker);
        if (at >= 0) this.idle.splice(at, 1);
        this.failing.add(worker);
      },
      (how) => this.died(worker, how),
    );
  }

  private dispatch(): void {
    while (this.waiting.length > this.idle.length && this.live.size < this.size && this.deaths <= 2 * this.size && !this.closing) this.start();
    if (this.live.size === 0) {
      for (const queued of this.waiting.splice(0)) queued.done({ kind: 'file-done', id: queued.job.id, error: 'internal error: no worker thread is left (they kept stopping)' });
      return;
    }
    while (this.waiting.length > 0 && this.idle.length > 0) {
      const worker = this.idle.shift() as Worker;
      const queued = this.waiting.shift() as Running;
      this.running.set(worker, queued);
      this.workerOf.set(queued.job.id, worker);
      worker.postMessage(queued.job);
    }
  }

  private received(worker: Worker, message: FileBatch | FileDone): void {
    const running = this.running.get(worker);
    if (!running || message.id !== running.job.id) return;
    if (message.kind === 'file-batch') {
      running.batch(message);
      return;
    }
    this.running.delete(worker);
    this.workerOf.delete(message.id);
    if (!this.failing.has(worker)) this.idle.push(worker);
    running.done(message);
    this.dispatch();
  }

  /** The worker is gone (after its last messages were delivered): the file it was reading failed. */
  private died(worker: Worker, how: string): void {
    this.failing.delete(worker);
    if (!this.live.delete(worker)) return;
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    const running = this.running.get(worker);
    this.running.delete(worker);
    if (this.closing) return;
    this.deaths++;
    if (running) {
      this.workerOf.delete(running.job.id);
      running.done({ kind: 'file-done', id: running.job.id, error: `internal error: the worker thread reading it ${how}` });
    } else void worker.terminate();
    this.dispatch();
  }
}


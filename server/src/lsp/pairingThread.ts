/**
 * The server's pairing thread (a worker thread under Node, a nested web worker in the browser),
 * shared by its documents: each document version pairing there is a job (pairingJob.ts). The
 * entries differ only in how the thread is started and how messages travel; a thread that fails
 * to start or dies hands its jobs back, and the documents are paired on the server's own thread.
 */
import type { PairingLink, PairingMessage, PairingReply } from '../service/conversations/pairingJob';

/** How the server reaches the thread. */
export interface PairingPort {
  postMessage(message: PairingMessage, transfer: ArrayBuffer[]): void;
}

export class PairingThread implements PairingLink {
  private nextJob = 1;
  private readonly handlers = new Map<number, (reply: PairingReply) => void>();
  private broken: string | undefined;

  /** `log`: where the thread's failure is told (the client's output). */
  constructor(
    private readonly port: PairingPort,
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  /** Whether new jobs can go there. */
  get usable(): boolean {
    return this.broken === undefined;
  }

  /** A message from the thread. */
  received(reply: PairingReply): void {
    this.handlers.get(reply.job)?.(reply);
  }

  /** The thread is gone: every job in flight fails (its document is paired here), and no job is sent there again. */
  failed(reason: string): void {
    if (this.broken !== undefined) return;
    this.broken = reason;
    this.log(`flowlog: the pairing thread failed (${reason}); documents are paired on the server's thread`);
    const handlers = [...this.handlers];
    this.handlers.clear();
    for (const [job, handler] of handlers) handler({ kind: 'failed', job, message: reason });
  }

  post(message: PairingMessage, transfer: ArrayBuffer[]): void {
    if (this.broken !== undefined) return;
    try {
      this.port.postMessage(message, transfer);
    } catch (error) {
      this.failed(error instanceof Error ? error.message : String(error));
    }
  }

  open(onReply: (reply: PairingReply) => void): number {
    const job = this.nextJob++;
    this.handlers.set(job, onReply);
    return job;
  }

  close(job: number): void {
    this.handlers.delete(job);
  }
}

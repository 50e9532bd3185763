/**
 * Buffered standard output. Output is written in large pieces, waits for the pipe to drain
 * (so memory stays bounded when the reader is slow), and a closed pipe (`flowlog parse x | head`)
 * quietly ends the run rather than raising EPIPE.
 */
import type { Writable } from 'node:stream';

const FLUSH_AT = 64 * 1024;

export class Output {
  /** The reader went away (EPIPE); nothing more will be written. */
  closed = false;
  /** Called before each write, e.g. to clear a progress bar on the same terminal. */
  beforeWrite: (() => void) | undefined;
  private parts: string[] = [];
  private size = 0;
  private blocked = false;

  /** Buffers lent by `lend`, not written yet, and who takes them back. */
  private lent = new Set<ArrayBufferLike>();
  private takeBack: ((buffer: ArrayBuffer) => void) | undefined;

  /**
   * `ownsBytes`: the stream is the process's own standard output, which keeps no reference to
   * bytes once their write has completed (see `lend`). A stream that collects its chunks (a
   * test's) may not say so.
   */
  constructor(private readonly stream: Writable, private readonly ownsBytes = false) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // EPIPE and any other failure of stdout alike: stop writing, stop reading.
      this.closed = true;
      this.failure = error.code === 'EPIPE' ? undefined : error;
    });
  }

  /** A write error other than a closed pipe. */
  failure: Error | undefined;

  write(text: string): void {
    if (this.closed) return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  /** Bytes already gathered into a large piece: text written before them goes first. */
  writeBytes(bytes: Uint8Array): void {
    if (this.closed || bytes.length === 0) return;
    this.flush();
    this.beforeWrite?.();
    const buffer = bytes.buffer;
    const takeBack = this.takeBack;
    if (this.lent.delete(buffer) && buffer instanceof ArrayBuffer && takeBack) {
      if (!this.stream.write(bytes, (error) => error || takeBack(buffer))) this.blocked = true;
    } else if (!this.stream.write(bytes)) this.blocked = true;
  }

  /**
   * The buffers of `chunks`, about to be given to `writeBytes`, go to `takeBack` once written out
   * (when the stream owns its bytes): a worker fills them again instead of fresh memory. Replaces
   * the buffers lent before.
   */
  lend(chunks: readonly Uint8Array[], takeBack: (buffer: ArrayBuffer) => void): void {
    const buffers = chunks.map((bytes) => bytes.buffer);
    // A buffer under two chunks is not lent: the second may still be queued when the first is written.
    this.lent = new Set(this.ownsBytes ? buffers.filter((buffer) => buffers.indexOf(buffer) === buffers.lastIndexOf(buffer)) : []);
    this.takeBack = takeBack;
  }

  flush(): void {
    if (this.closed || this.parts.length === 0) return;
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.beforeWrite?.();
    if (!this.stream.write(text)) this.blocked = true;
  }

  /**
   * Resolves once the stream can take more (immediately unless a write was refused). Asks the
   * stream, not only our flag: a 'drain' that came while nobody waited (a refused write at the
   * end of one input) would otherwise leave the next input waiting for one that never comes.
   */
  drain(): Promise<void> {
    if (this.blocked && !this.stream.writableNeedDrain) this.blocked = false;
    if (!this.blocked || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.blocked = false;
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
  }
}

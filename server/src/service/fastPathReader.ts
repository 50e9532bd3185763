/**
 * The fast path's view of the text being validated: a window of lines encoded as bytes, and the
 * proof that a line in it is clean (fastPath.ts provenClean), run by the WebAssembly kernel where
 * the kernel holds the window. Lines are encoded a window at a time, not one by one, to keep the
 * encoder's cost per call off each line.
 *
 * The Validator extends this class rather than holding one: with the window state in a separate
 * object, the per-line window check made v2 validation take about 60% more CPU time (bench/run.ts
 * throughput, fresh documents), its optimized code being thrown away again and again.
 */
import { provenCells, provenClean, type FastPlan } from './fastPath';
import { cleanLineKernel, KERNEL_ASK_JS, KERNEL_CLEAN, type CleanLineKernel } from './kernel/cleanLineKernel';

/** Text encoded at a time: a window of lines (longer only for a longer line). */
const WINDOW_BYTES = 1 << 16;

export class FastPathReader {
  /**
   * The window's bytes. With the WebAssembly kernel, the kernel's own window (shared by the
   * thread's validators; `kernel.owner` says whose lines it holds), else, or for a line longer
   * than it, an array of this reader's own.
   */
  protected bytes: Uint8Array;
  private readonly kernel: CleanLineKernel | undefined = cleanLineKernel();
  private readonly encoder = new TextEncoder();
  /** The string the window holds, and the part of it encoded: [windowStart, windowEnd). */
  private windowText = '';
  protected windowStart = 0;
  private windowEnd = -1;
  private windowAscii = false;
  /** Where the lines being validated end (a string and an offset in it): windows stop there. */
  protected rangeText = '';
  protected rangeEnd = 0;
  /** The string that holds the line being validated. */
  protected text = '';

  constructor() {
    this.bytes = this.kernel ? this.kernel.window : new Uint8Array(WINDOW_BYTES);
  }

  /** Forgets the text the window holds (another input is validated); keeps the buffers. */
  protected resetWindow(): void {
    this.windowText = '';
    this.windowStart = 0;
    this.windowEnd = -1;
    this.windowAscii = false;
    this.rangeText = '';
    this.rangeEnd = 0;
    this.text = '';
  }

  /**
   * Makes the byte window cover `text` [start, end); false when that text is not all ASCII (byte
   * offsets would then differ from UTF-16 offsets, so the exact path takes those lines).
   */
  protected window(start: number, end: number): boolean {
    const text = this.text;
    const kernel = this.kernel;
    const shared = kernel !== undefined && this.bytes === kernel.window;
    if (text === this.windowText && start >= this.windowStart && end <= this.windowEnd && (!shared || kernel.owner === this)) return this.windowAscii;
    if (kernel && end - start <= kernel.window.length) {
      this.bytes = kernel.window;
      kernel.owner = this;
    } else if (end - start > this.bytes.length || shared) {
      this.bytes = new Uint8Array(Math.max(end - start, WINDOW_BYTES));
    }
    const limit = text === this.rangeText ? this.rangeEnd : text.length;
    const to = Math.max(end, Math.min(limit, start + WINDOW_BYTES));
    const { read, written } = this.encoder.encodeInto(text.substring(start, to), this.bytes);
    this.windowAscii = read === to - start && written === read;
    this.windowText = text;
    this.windowStart = start;
    this.windowEnd = to;
    return this.windowAscii;
  }

  /** The fast path's proof for window[s, e): in WebAssembly where the kernel holds the window, else (or where it asks) in JavaScript. */
  protected proven(fast: FastPlan, s: number, e: number): boolean {
    const kernel = this.kernel;
    provenCells.bytes = this.bytes;
    if (kernel && this.bytes === kernel.window) {
      const answer = kernel.check(fast, s, e);
      if (answer !== KERNEL_ASK_JS) return answer === KERNEL_CLEAN;
    }
    return provenClean(this.bytes, s, e, fast, this.text, this.windowStart);
  }
}

/**
 * A record's cells read by the validation kernel (kernel/cleanLineKernel.ts) instead of the
 * splitter: one pass in WebAssembly over the line's bytes proves it a clean record of its format
 * and leaves, per column, its offsets and its number (an integer, an IPv4 address as an unsigned
 * 32-bit number, an enum value's index, -1 for `-`: fastPath.ts provenCells). A clean record's
 * cells are all valid, so the summary reads its numbers as they are; a line the kernel does not
 * prove (a problem, an unusual shape, non-ASCII text) is read the usual way. Only where the
 * WebAssembly kernel runs: the JavaScript proof costs more than the splitter it would replace.
 */
import { FastPathReader } from '../fastPathReader';
import type { FastPlan } from '../fastPath';
import type { FlowLogFormat } from '../formatModel';
import { cleanLineKernel } from '../kernel/cleanLineKernel';
import { validationPlan } from '../validationPlan';

export class ProvenCells extends FastPathReader {
  private lastFormat: FlowLogFormat | undefined;
  private lastPlan: FastPlan | undefined;
  /** False where the kernel is not available. */
  readonly enabled = cleanLineKernel() !== undefined;

  /**
   * Proves text[start, end) a clean record of `format`: the offset to add to provenCells' starts
   * and ends for offsets in `text`, or -1 when it is not proven.
   */
  read(text: string, start: number, end: number, format: FlowLogFormat): number {
    if (format !== this.lastFormat) {
      this.lastFormat = format;
      this.lastPlan = validationPlan(format).fast;
    }
    const plan = this.lastPlan;
    if (!plan) return -1;
    this.text = text;
    if (!this.window(start, end) || !this.proven(plan, start - this.windowStart, end - this.windowStart)) return -1;
    return this.windowStart;
  }

  /** The bytes the cells' offsets (provenCells starts and ends) point into. */
  get cellBytes(): Uint8Array {
    return this.bytes;
  }

  /** The fast plan of the format last read (its enum words give the indices of enum cells). */
  get plan(): FastPlan | undefined {
    return this.lastPlan;
  }
}

/**
 * The order of `flowlog lint`'s problems when reply-rejected pairs the records, the same whether
 * one thread validates and pairs (lint.ts lintOneThread) or workers validate segments while the
 * main thread pairs their records (lint.ts lintPipelined):
 *
 * The input's lines fall into windows of PAIRING_WINDOW_LINES lines (0 to 8191, 8192 to 16383,
 * ...; lines counted from 0). The reply-rejected problems of the conversations that pairing the records of one window
 * closes come, in the order they closed, after the validation problems of the window's lines and
 * before those of any later line; the problems of the conversations still open at the end come
 * last. Validation problems come in line order, as the stream reports them.
 *
 * So the order depends on lines only, not on how the input was read (64 KiB reads, gzip output,
 * standard input in any pieces) nor on where segments were cut. The --max-problems limit counts
 * both kinds in that order.
 */
import { ReplyRejectedCheck } from '../service/conversations/replyRejected';
import type { CellSource } from '../service/conversations/builder';
import type { PairingColumns } from '../service/conversations/flowRecord';
import type { RecordSink } from '../service/conversations/validationFeed';
import type { Problem } from '../service/problems';
import type { Severity, SeverityTable } from '../service/rules';
import type { TokenBuffer } from '../service/scan';

/** Lines per window: small enough that a problem is not held back long, large enough that windows cost nothing. */
export const PAIRING_WINDOW_LINES = 8192;

/** Test hook (FLOWLOG_PAIRING_WINDOW_LINES): small windows put many window ends in small files. */
function windowLines(): number {
  const lines = Number(process.env.FLOWLOG_PAIRING_WINDOW_LINES);
  return Number.isInteger(lines) && lines > 0 ? lines : PAIRING_WINDOW_LINES;
}

/** The problems of a window that was paired, reported once validation reports a line at or past `release`. */
interface ClosedWindow {
  release: number;
  problems: Problem[];
}

export class LintProblems implements RecordSink {
  readonly counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  /** Line after which nothing was reported once --max-problems stopped the run (-1: not stopped). */
  stoppedAtLine = -1;
  private reported = 0;
  private readonly check: ReplyRejectedCheck | undefined;
  /** Problems of conversations closed by the current window's records. */
  private window: Problem[] = [];
  private readonly windowLines = windowLines();
  /** First line after the current window. */
  private windowEnd = this.windowLines;
  private readonly closed: ClosedWindow[] = [];
  /** The input's line count once known: a window's problems reported at the end stop the run at most there. */
  private lineCount = Number.MAX_SAFE_INTEGER;

  /** `pairing`: reply-rejected is on. */
  constructor(
    private readonly report: (problem: Problem) => void,
    severities: SeverityTable,
    private readonly maxProblems: number,
    pairing: boolean,
  ) {
    this.check = pairing
      ? new ReplyRejectedCheck(severities, (problem) => {
          this.window.push(problem);
          return true;
        })
      : undefined;
  }

  get stopped(): boolean {
    return this.stoppedAtLine >= 0;
  }

  /** A validation problem, lines absolute; false once the limit is reached (it stops validation). */
  validation(problem: Problem): boolean {
    if (this.stopped) return false;
    this.releaseBefore(problem.line);
    return this.pass(problem, problem.line + 1);
  }

  // Records, in line order. Before a record of a later window is added, the window passed is
  // paired to its end (the builder pairs records a batch at a time) and its problems put aside.

  /** A record a worker thread read (cellBuffer.ts CellReader), of `line`. */
  addFrom(source: CellSource, line: number): void {
    if (line >= this.windowEnd) this.closeWindow(line);
    if (!this.stopped) this.check?.records.addFrom(source);
  }

  // The records validation feeds on one thread (validationFeed.ts BuilderFeed).
  addProven(text: string, base: number, line: number, columns: PairingColumns): boolean {
    if (line >= this.windowEnd) this.closeWindow(line);
    return !this.stopped && (this.check?.records.addProven(text, base, line, columns) ?? false);
  }

  addTokens(text: string, tokens: TokenBuffer, line: number, record: number, columns: PairingColumns): boolean {
    if (line >= this.windowEnd) this.closeWindow(line);
    return !this.stopped && (this.check?.records.addTokens(text, tokens, line, record, columns) ?? false);
  }

  addText(text: string, start: number, end: number, line: number, record: number, columns: PairingColumns, tokens: TokenBuffer): boolean {
    if (line >= this.windowEnd) this.closeWindow(line);
    return !this.stopped && (this.check?.records.addText(text, start, end, line, record, columns, tokens) ?? false);
  }

  /** The end of the input (`lines` long): the open conversations are judged and every problem held is reported. */
  finish(lines: number): void {
    if (!this.check || this.stopped) return;
    this.lineCount = lines;
    this.closeWindow(Number.MAX_SAFE_INTEGER);
    this.check.finish();
    this.closed.push({ release: lines, problems: this.window });
    this.window = [];
    this.releaseBefore(Number.MAX_SAFE_INTEGER);
  }

  /** Reports the windows paired whose problems come before those of `line`. */
  private releaseBefore(line: number): void {
    // Every record before `line` has been added: a window that ends at or before it is complete.
    if (this.windowEnd <= line) this.closeWindow(line);
    const closed = this.closed;
    while (closed.length > 0 && closed[0].release <= line) {
      const window = closed.shift() as ClosedWindow;
      for (const problem of window.problems) if (!this.pass(problem, Math.min(window.release, this.lineCount))) return;
    }
  }

  /** Ends the current window: its records are paired and its problems wait for their place. */
  private closeWindow(nextLine: number): void {
    this.check?.flush();
    if (this.window.length > 0) {
      this.closed.push({ release: this.windowEnd, problems: this.window });
      this.window = [];
    }
    const size = this.windowLines;
    this.windowEnd = nextLine >= Number.MAX_SAFE_INTEGER - size ? Number.MAX_SAFE_INTEGER : (Math.floor(nextLine / size) + 1) * size;
  }

  private pass(problem: Problem, stopLine: number): boolean {
    if (this.stopped) return false;
    this.counts[problem.severity]++;
    this.report(problem);
    if (this.maxProblems !== 0 && ++this.reported >= this.maxProblems) {
      this.stoppedAtLine = stopLine;
      this.closed.length = 0;
      this.window = [];
      return false;
    }
    return true;
  }
}

/**
 * Problems of one open document, kept across edits. Record problems are known for the lines
 * [0, checkedUntil); a background job extends that range in time-boxed chunks that yield to the
 * event loop, so hovers are answered while a 50 MB document validates. An edit re-validates only
 * the lines it touched (plus neighbours a wrapped record may join) and shifts the rest, unless it
 * changed the document's formats, in which case everything starts again.
 */
import { checkDeclarations } from './declarations';
import type { FlowLogDocument } from './document';
import type { DocumentFormats } from './formatModel';
import { segmentAt } from './format';
import { declarationLineOf } from './formatModel';
import { isBlankOrComment, isJsonLine, scanRecord, skipBlanks, TokenBuffer } from './scan';
import { limitSummary, type Problem } from './problems';
import { Validator, type ValidationInput } from './validate';
import type { RecordFeed } from './recordFeed';
import type { SeverityTable } from './rules';

/**
 * Longest stretch of validation before yielding to other requests: a hover that arrives during
 * a chunk waits for the rest of it, so this bounds hover latency while validating.
 */
const CHUNK_BUDGET_MS = 4;
/** Lines between clock reads inside a chunk (about 0.2 ms of work on a 2-core VM). */
const LINES_PER_CLOCK_READ = 64;
/** How far to look for a line where validation can start or stop exactly (see isSyncLine). */
const SYNC_SEARCH_LINES = 256;

/** The settings that decide a document's problems (the server's settings carry more). */
export interface ValidationSettings {
  readonly severities: SeverityTable;
  readonly maxProblems: number;
}

export interface EditSummary {
  firstLine: number;
  lastLine: number;
  formatsChanged: boolean;
  lineDelta: number;
}

export interface ProblemSnapshot {
  problems: Problem[];
  /** True when the cap stopped validation (the last problem is the summary, when its rule is on). */
  capped: boolean;
}

/**
 * Problems capped as `collectProblems` caps them: when there are more than `limit`, the first
 * `limit` and a summary that names the line of the first one left out (unless `problem-limit` is off).
 */
function capProblems(problems: Problem[], limit: number, lineCount: number, severities: SeverityTable): ProblemSnapshot {
  if (problems.length <= limit) return { problems, capped: false };
  const stoppedAt = problems[limit].line;
  problems.length = limit;
  const summary = limitSummary(severities, 'editor', limit, stoppedAt, lineCount);
  if (summary) problems.push(summary);
  return { problems, capped: true };
}

/**
 * Whether records validate the same under `after` as under `before`, once segments below an edit
 * at `editLine` have moved by `lineDelta` lines.
 */
export function sameFormats(before: DocumentFormats, after: DocumentFormats, editLine = 0, lineDelta = 0): boolean {
  if (before.segments.length !== after.segments.length) return false;
  return before.segments.every((segment, i) => {
    const other = after.segments[i];
    const from = segment.fromLine > editLine ? segment.fromLine + lineDelta : segment.fromLine;
    const a = segment.format;
    const b = other.format;
    return (
      from === other.fromLine &&
      Boolean(segment.declaration) === Boolean(other.declaration) &&
      a.source === b.source &&
      a.names.join(' ') === b.names.join(' ') &&
      a.ambiguousColumns.join(',') === b.ambiguousColumns.join(',')
    );
  });
}

/**
 * Takes the records background validation reads (pairing rides along: one scan of each line for
 * both). `begin` is told where a range starts and says whether its records are wanted; `end`
 * where the range stopped and whether it was read whole (a problem cap stops it early).
 */
export interface ValidationRangeFeed extends RecordFeed {
  begin(fromLine: number): boolean;
  end(resumeAt: number, complete: boolean): void;
}

/** How validation cuts its work; tests make both small to put chunk edges everywhere. */
export interface ValidationChunking {
  linesPerClockRead?: number;
  syncSearchLines?: number;
}

export class DocumentValidation {
  /** Problems of record lines, in line order; one more than fit under the cap tells there are more. */
  private records: Problem[] = [];
  private checkedUntil = 0;
  private capped = false;
  /**
   * Declaration problems, found once per format change (with 100k header lines they cost a
   * pass over 100k segments) and moved with the lines of later edits.
   */
  private declared: Problem[] | undefined;
  private readonly tokens = new TokenBuffer();
  /** The formats the known problems were found under. */
  private formats: DocumentFormats;

  private readonly linesPerClockRead: number;
  private readonly syncSearchLines: number;
  /** Sees the records `step` reads (not those an edit re-validates). */
  feed: ValidationRangeFeed | undefined;

  constructor(
    private readonly document: FlowLogDocument,
    private settings: ValidationSettings,
    chunking: ValidationChunking = {},
  ) {
    this.formats = document.formats;
    this.linesPerClockRead = chunking.linesPerClockRead ?? LINES_PER_CLOCK_READ;
    this.syncSearchLines = chunking.syncSearchLines ?? SYNC_SEARCH_LINES;
  }

  get done(): boolean {
    return this.capped || this.checkedUntil >= this.document.lines.lineCount;
  }

  /** Share of the document validated so far, 0–1. */
  get progress(): number {
    return this.done ? 1 : this.checkedUntil / Math.max(1, this.document.lines.lineCount);
  }

  /** Starts over, e.g. after a settings change. */
  reset(settings: ValidationSettings = this.settings): void {
    this.settings = settings;
    this.records = [];
    this.checkedUntil = 0;
    this.capped = false;
    this.formats = this.document.formats;
    this.declared = undefined;
  }

  /** Record problems worth finding: enough to fill the cap, and one more to know it overflows. */
  private recordLimit(): number {
    return Math.max(0, this.settings.maxProblems - this.declarations().length + 1);
  }

  private get validationInput(): ValidationInput {
    const { lines, formats, maxLineLength } = this.document;
    return { lines, formats, severities: this.settings.severities, maxLineLength };
  }

  /** Validates for at most `budgetMs`; returns true when the whole document is done. */
  step(budgetMs = CHUNK_BUDGET_MS): boolean {
    if (this.done) return true;
    const document = this.document;
    const lineCount = document.lines.lineCount;
    const limit = this.recordLimit();
    if (this.records.length >= limit) {
      this.capAt(limit);
      return true;
    }
    const validator = new Validator(this.validationInput);
    const sink = (problem: Problem): boolean => {
      this.records.push(problem);
      return this.records.length < limit;
    };
    const started = performance.now();
    while (this.checkedUntil < lineCount) {
      // Blocks end before a line no wrapped record can cross, so they join up exactly.
      const block = Math.min(lineCount, this.checkedUntil + this.linesPerClockRead);
      const to = this.syncAtOrAfter(block) ?? block;
      const feed = this.feed?.begin(this.checkedUntil) ? this.feed : undefined;
      validator.feed = feed;
      const complete = validator.validateLines(this.checkedUntil, to, sink);
      feed?.end(validator.resumeAt, complete);
      // A wrapped record found near the end of the range may end past it.
      this.checkedUntil = validator.resumeAt;
      if (!complete) {
        this.capAt(limit);
        return true;
      }
      if (performance.now() - started >= budgetMs) break;
    }
    return this.done;
  }

  private capAt(limit: number): void {
    this.records.length = Math.min(this.records.length, limit);
    const last = this.records[this.records.length - 1];
    this.checkedUntil = last ? (last.endLine ?? last.line) + 1 : 0;
    this.capped = true;
  }

  /** Document-level problems (headers, formats), found once per format change. */
  private declarations(): Problem[] {
    if (this.declared) return this.declared;
    const found: Problem[] = [];
    // As collectProblems: one past the cap is enough to know there are more.
    const limit = this.settings.maxProblems;
    checkDeclarations(this.validationInput, (problem) => {
      found.push(problem);
      return found.length <= limit;
    });
    this.declared = found;
    return found;
  }

  /** All problems known now: declarations, records, and the summary when there are more than the cap (and its rule on). */
  snapshot(): ProblemSnapshot {
    return capProblems([...this.declarations(), ...this.records], this.settings.maxProblems, this.document.lines.lineCount, this.settings.severities);
  }

  /** Updates the problems after `document.applyEdits` returned `edit`. */
  applyEdit(edit: EditSummary): void {
    const { firstLine, lastLine, lineDelta } = edit;
    if (edit.formatsChanged) {
      const formats = this.document.formats;
      if (!sameFormats(this.formats, formats, firstLine, lineDelta)) {
        this.reset();
        return;
      }
      this.formats = formats;
      // The same formats, but a declaration line may have changed (spacing, a trailing comment).
      this.declared = undefined;
    } else if (this.declared) {
      // No declaration line was touched: the problems below the edit move with their lines; one
      // on an edited line (the first record, for an inferred format) is found again.
      const oldLastLine = lastLine - lineDelta;
      const declared = this.declared;
      this.declared = declared.some((problem) => problem.line >= firstLine && problem.line <= oldLastLine) ? undefined : declared.map((problem) => (problem.line > oldLastLine ? shift(problem, lineDelta) : problem));
      // Segments below the edit moved with their lines (see FlowLogDocument.applyEdits).
      if (lineDelta !== 0) this.formats = this.document.formats;
    }
    // Lines from just after the last sync line before the edit up to the first sync line after
    // it are validated again: no wrapped record crosses a sync line, so nothing else can change.
    const before = this.syncBefore(firstLine);
    if (before === undefined) {
      this.reset();
      return;
    }
    const from = before < 0 ? 0 : before + 1;
    if (from >= this.checkedUntil) return;
    const after = this.syncAtOrAfter(lastLine + 1);
    const to = (after ?? 0) - 1;
    const oldTo = to - lineDelta;
    if (after === undefined || oldTo + 1 >= this.checkedUntil) {
      this.truncate(from);
      return;
    }
    const kept: Problem[] = [];
    for (const problem of this.records) {
      if (problem.line < from) kept.push(problem);
      else if (problem.line > oldTo) kept.push(shift(problem, lineDelta));
    }
    this.records = kept;
    this.checkedUntil += lineDelta;
    this.capped = false;
    const fresh: Problem[] = [];
    new Validator(this.validationInput).validateLines(from, to + 1, (problem) => {
      fresh.push(problem);
      return true;
    });
    this.insert(from, fresh);
  }

  /**
   * Whether validation can start or stop at this line exactly: a blank or comment line, or a
   * record of exactly its format's width, is never part of a wrapped record.
   */
  private isSyncLine(line: number): boolean {
    const { lines, formats } = this.document;
    const text = lines.textOf(line);
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    // An overlong line is reported and read as blank (MAX_LINE_LENGTH).
    if (end - start > this.document.maxLineLength) return true;
    if (isBlankOrComment(text, start, end)) return true;
    const segment = segmentAt(formats, line);
    if (declarationLineOf(segment) === line) return false;
    // A JSON line is never part of a wrapped record.
    if (isJsonLine(text, skipBlanks(text, start, end))) return true;
    scanRecord(text, start, end, this.tokens);
    return this.tokens.count === segment.format.names.length;
  }

  /** First sync line at or after `line` (within reach), the line count at the end, undefined if none is near. */
  private syncAtOrAfter(line: number): number | undefined {
    const lineCount = this.document.lines.lineCount;
    const limit = Math.min(lineCount, line + this.syncSearchLines);
    for (let at = line; at < limit; at++) if (this.isSyncLine(at)) return at;
    return limit === lineCount ? lineCount : undefined;
  }

  /** Last sync line before `line`; -1 when there is none before the start; undefined if none is near. */
  private syncBefore(line: number): number | undefined {
    const limit = Math.max(0, line - this.syncSearchLines);
    for (let at = line - 1; at >= limit; at--) if (this.isSyncLine(at)) return at;
    return limit === 0 ? -1 : undefined;
  }

  private insert(from: number, fresh: Problem[]): void {
    let at = 0;
    while (at < this.records.length && this.records[at].line < from) at++;
    this.records.splice(at, 0, ...fresh);
    const limit = this.recordLimit();
    if (this.records.length >= limit) this.capAt(limit);
  }

  /** Forgets everything from `line` on; the job validates it again. */
  private truncate(line: number): void {
    this.records = this.records.filter((problem) => problem.line < line);
    this.checkedUntil = Math.min(this.checkedUntil, line);
    this.capped = false;
  }
}

function shift(problem: Problem, delta: number): Problem {
  if (delta === 0) return problem;
  const moved = { ...problem, line: problem.line + delta };
  if (problem.endLine !== undefined) moved.endLine = problem.endLine + delta;
  return moved;
}

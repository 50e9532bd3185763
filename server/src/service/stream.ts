/**
 * Streaming driver over the language service, for inputs too large to hold as one document (the
 * CLI reads gigabytes). Text arrives in chunks of any size; complete lines are gathered into
 * batches, each batch becomes a small text with its own line index, and the service's own
 * detection, validation and parsing run on it. Memory stays bounded by one batch, the head used
 * for format detection (at most 4 MB and 256 Ki lines) and the longest line allowed.
 *
 * It reports what the whole-document service would report for the same text: the format comes
 * from the same detection over the first lines, header lines repeated mid-stream start segments,
 * and the last lines of every batch are carried into the next so that a record wrapped across a
 * batch boundary is still seen as wrapped. Pure: no Node APIs.
 */
import { checkDeclarations, type MessageHost } from './declarations';
import { detectFormats, INFERENCE_SAMPLE_LINES, readDeclaration } from './format';
import { formatFromList, type FlowLogFormat, type FormatSegment } from './formatModel';
import { LineIndex, MAX_LINE_LENGTH } from './lines';
import { parseLine, type ParseSource, type ParsedLine } from './parse';
import { readRecords, type RecordReader } from './recordLines';
import { severityTable, type RuleCode, type Severity, type SeverityTable } from './rules';
import { isBlankOrComment, isNonRecordLine, scanRecord, skipBlanks, TokenBuffer } from './scan';
import { JsonRecords } from './exportShapes';
import type { Problem } from './problems';
import { MAX_WRAP_LINES, overlongLineProblem, Validator, type RecordFeed } from './validate';
import { DASH, NINE, ZERO } from '../catalog/charCodes';

export interface StreamHandlers {
  /** Called once, when the format of the start of the stream is known. */
  format?(format: FlowLogFormat): void;
  /** A problem, lines absolute and 0-based. Return false to stop validating (lines are still counted). */
  problem?(problem: Problem): boolean | void;
  /**
   * A record line (parse mode); `wellFormed` is false when its field count differs from its
   * format's. Values past the format's width are counted in `tokenCount` but not in `tokens`.
   */
  record?(record: ParsedLine, wellFormed: boolean): void;
  /**
   * A record as text (parse mode, instead of `record`), for a consumer that reads it itself
   * without a ParsedLine (`flowlog parse`): a record line, or one message of a JSON line with
   * its event's timestamp span (-1 when none). Returns whether it is well-formed.
   */
  recordText?(text: string, start: number, end: number, format: FlowLogFormat, line: number, stampStart: number, stampEnd: number): boolean;
  /**
   * The records validation reads, as it reads them (lines absolute): a reader that needs only
   * well-formed records (pairing for reply-rejected) takes their cells from validation's scan
   * instead of a parse pass. Not fed once a handler stopped validation.
   */
  feed?: RecordFeed & { lineOffset: number };
  /** A line longer than `maxLineLength`: it is skipped (and reported as a field-count problem). */
  overlong?(line: number): void;
  /**
   * A header or directive line, as text (`flowlog filter` keeps them). A batch reports its
   * declarations before its records, so the line number tells where it goes.
   */
  declaration?(text: string, line: number): void;
}

export interface StreamOptions {
  /**
   * Explicit format (`--fields`): a field list, LogFormat string or layout id, for input without
   * an opening header line or directive (which wins, as in a document).
   */
  explicitFormat?: string;
  /** Whose words problem messages use (default 'editor', as a document's; the CLI passes 'cli'). */
  host?: MessageHost;
  severities?: SeverityTable;
  /** Run the validation rules (default true). */
  validate?: boolean;
  /** Parse record lines and hand them to `handlers.record` (default false). */
  parse?: boolean;
  /** Record lines that inference samples (default INFERENCE_SAMPLE_LINES, as in the editor). */
  sampleLines?: number;
  /**
   * Most characters of one line buffered while waiting for its line break (UTF-16 code units).
   * Past it the line is dropped, reported once and stands as an empty line, so memory stays
   * bounded; a longer line that arrives whole within one chunk is checked as usual.
   */
  maxLineLength?: number;
  /** Most text buffered while looking for the format. */
  maxHeadLength?: number;
  /**
   * Most lines buffered while looking for the format: a head of millions of blank lines costs
   * tens of bytes of index per line, where 4 MB of records costs little.
   */
  maxHeadLines?: number;
  /**
   * Start in the middle of an input (a worker's segment, see `cli/segments.ts`): the format and
   * what the lines before the segment left behind are given instead of read. Lines are counted
   * from the segment's first line; no `format` handler call and no whole-document problems.
   */
  resume?: StreamResume;
}

/** What the lines before a segment leave to it (see FlowLogStream.segmentEnd). */
export interface StreamResume {
  /** The input's format, detected from its start. */
  primary: FlowLogFormat;
  /** Format in force at the segment's start (the last header line's), when not the primary. */
  current?: FlowLogFormat;
  /** No record line yet before the segment. */
  opening: boolean;
  /** Field count of the last record line before the segment (-1: none). */
  previousRecordCount: number;
  /** Lines at the segment's start that belong to a wrapped record reported before it. */
  skipLines: number;
}

/** State at the end of a segment, which the next segment's StreamResume must match. */
export interface SegmentEnd {
  /** The header line or directive in force at the end (undefined: the primary format), with its line in the segment. */
  declaration?: { text: string; line: number };
  /** Key of the format in force (see formatKey): formats with equal keys read records alike. */
  currentKey: string;
  opening: boolean;
  /** Lines after the segment that a wrapped record reported in it has consumed. */
  consumedAfter: number;
}

/**
 * What decides how a format reads records: its source, names and layout. Two formats with the
 * same key (the same header line repeated by concatenated files) give the same problems and parses.
 */
export function formatKey(format: FlowLogFormat): string {
  return `${format.source}|${format.kind}|${format.layoutId ?? ''}|${format.names.join(' ')}`;
}

export interface StreamStats {
  /** Lines seen, counted as `wc -l` does plus a last line without a line break. */
  lines: number;
  problems: Record<Severity, number>;
  /**
   * Records handed to `record` or `recordText` (parse mode: one per record line, one per message
   * of a JSON line), and how many of them were malformed.
   */
  records: number;
  malformed: number;
  /** Records that came from JSON lines (Firehose wrappers, CloudWatch Logs subscription envelopes). */
  jsonRecords: number;
  /** Parts of JSON lines that could not be read (parse mode); each stands for records lost. */
  unreadable: number;
  overlongLines: number;
  /** Line after the last problem when a handler stopped validation, else -1. */
  stoppedAtLine: number;
}

/** Far longer than any record (the widest formats stay under a few kilobytes). */
export const DEFAULT_MAX_LINE_LENGTH = MAX_LINE_LENGTH;
const DEFAULT_MAX_HEAD_LENGTH = 4 * 1024 * 1024;
/** Far more blank and comment lines than any flow log file has before its first record or header. */
const DEFAULT_MAX_HEAD_LINES = 256 * 1024;
/**
 * Lines carried from one batch into the next: the validator looks this far ahead for the rest
 * of a wrapped record.
 */
export const WRAP_LOOKAHEAD = MAX_WRAP_LINES;
/** Problems about the document as a whole: checkDeclarations reports them from the first batch only. */
const DOCUMENT_CODES: ReadonlySet<RuleCode> = new Set<RuleCode>(['not-flow-log', 'ambiguous-format', 'explicit-format-unused']);

export class FlowLogStream {
  readonly stats: StreamStats = {
    lines: 0,
    problems: { error: 0, warning: 0, info: 0, hint: 0 },
    records: 0,
    malformed: 0,
    jsonRecords: 0,
    unreadable: 0,
    overlongLines: 0,
    stoppedAtLine: -1,
  };
  private readonly userSeverities: SeverityTable;
  /** The user's table with wrapped-record always on: the driver must see every join it makes. */
  private readonly severities: SeverityTable;
  private readonly sampleLines: number;
  private readonly maxLineLength: number;
  private readonly maxHeadLength: number;
  private readonly maxHeadLines: number;
  private readonly tokens = new TokenBuffer();
  private readonly json = new JsonRecords();
  private readonly recordCounter: RecordCounter;
  /** One validator for every batch: it keeps its buffers (see Validator.reuse). */
  private validator: Validator | undefined;

  private primary: FlowLogFormat | undefined;
  /** The explicit format was not used: the input opens with a header line or directive. */
  private explicitUnused = false;
  /** Format in force at the start of the next batch (changes at header lines). */
  private current: FlowLogFormat | undefined;
  /** Complete lines gathered while the format is not known yet. */
  private head: string[] = [];
  private headLength = 0;
  private headLines = 0;
  private headRecords = 0;
  /** Text after the last line break. */
  private pending = '';
  /** Last complete lines of the previous batch (with their line breaks), not processed yet. */
  private held = '';
  private heldLines = 0;
  /** Absolute line before which lines belong to a wrapped record already reported. */
  private consumedUntil = 0;
  /** Absolute line number of the first line of the next batch. */
  private base = 0;
  /** Absolute lines that were too long, not yet reported. */
  private overlongAt: number[] = [];
  private firstBatch = true;
  /** Field count of the last record line of the batches done, for a change of layout at the start of the next (-1: none). */
  private previousRecordCount = -1;
  /** No record line seen yet: a declaration now is the opening one, which the format came from or an explicit format overrides. */
  private opening = true;
  private overlong = false;
  private lastLineOverlong = false;
  private stopped = false;
  private ended = false;
  /** The header line or directive that set `current` (undefined while the primary is in force). */
  private currentDeclaration: { text: string; line: number } | undefined;

  constructor(private readonly handlers: StreamHandlers = {}, private readonly options: StreamOptions = {}) {
    this.userSeverities = options.severities ?? severityTable();
    this.recordCounter = new RecordCounter(this.stats, handlers);
    const internal = new Map(this.userSeverities);
    if (!internal.has('wrapped-record')) internal.set('wrapped-record', 'error');
    this.severities = internal;
    this.sampleLines = options.sampleLines ?? INFERENCE_SAMPLE_LINES;
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.maxHeadLength = options.maxHeadLength ?? DEFAULT_MAX_HEAD_LENGTH;
    this.maxHeadLines = options.maxHeadLines ?? DEFAULT_MAX_HEAD_LINES;
    const resume = options.resume;
    if (resume) {
      this.primary = resume.primary;
      this.current = resume.current ?? resume.primary;
      this.opening = resume.opening;
      this.previousRecordCount = resume.previousRecordCount;
      this.consumedUntil = resume.skipLines;
      this.firstBatch = false;
    }
  }

  /** The format of the start of the stream, once known. */
  get format(): FlowLogFormat | undefined {
    return this.primary;
  }

  push(chunk: string): void {
    if (this.ended || chunk.length === 0) return;
    // A trailing CR may be the first half of CRLF: keep it until the next chunk.
    const searchEnd = chunk.charCodeAt(chunk.length - 1) === 13 ? chunk.length - 2 : chunk.length - 1;
    const lastBreak = searchEnd < 0 ? -1 : lastBreakAt(chunk, searchEnd);
    if (this.overlong) {
      this.skipOverlong(chunk, lastBreak);
      return;
    }
    if (lastBreak >= 0) {
      const complete = this.pending + chunk.slice(0, lastBreak + 1);
      this.pending = chunk.slice(lastBreak + 1);
      this.accept(complete);
    } else if (this.pending.charCodeAt(this.pending.length - 1) === 13) {
      // The CR kept back was a line break of its own.
      const complete = this.pending;
      this.pending = chunk;
      this.accept(complete);
    } else {
      this.pending += chunk;
    }
    this.checkOverlong();
  }

  /** Processes what is left; returns the stats. */
  end(): StreamStats {
    if (this.ended) return this.stats;
    this.ended = true;
    // An overlong last line ends either with a CR kept back or with the input.
    this.lastLineOverlong = this.overlong && this.pending !== '\r';
    const tail = this.lastLineOverlong ? '' : this.pending;
    this.pending = '';
    if (!this.primary) {
      this.head.push(tail);
      this.finishHead();
    } else {
      this.processBatch(tail, true);
    }
    return this.stats;
  }

  /**
   * Ends a segment that is not the end of the input: the lines held back are processed with
   * `lookahead` (the input's next lines, at least WRAP_LOOKAHEAD of them or up to its end) as
   * context only, so that a record wrapped across the segment's end is judged as in one stream.
   * The segment must end with a line break.
   */
  endSegment(lookahead: string): StreamStats {
    if (this.ended) return this.stats;
    this.ended = true;
    if (!this.primary) this.finishHead();
    const own = this.heldLines;
    if (this.pending.length > 0 || this.overlong) throw new Error('a segment must end with a line break');
    if (own > 0) this.processBatch(lookahead, false, own);
    return this.stats;
  }

  /** State at the end of a segment ended by endSegment. */
  segmentEnd(): SegmentEnd {
    const current = this.current ?? (this.primary as FlowLogFormat);
    return {
      declaration: this.currentDeclaration ? { text: this.currentDeclaration.text, line: this.currentDeclaration.line } : undefined,
      currentKey: formatKey(current),
      opening: this.opening,
      consumedAfter: Math.max(0, this.consumedUntil - this.base),
    };
  }

  /** Drops the rest of an overlong line; its line break stays, to keep line numbers. */
  private skipOverlong(chunk: string, lastBreak: number): void {
    if (this.pending === '\r') {
      // The line ended with the CR kept back: an empty line stands in for it.
      this.overlong = false;
      this.push(chunk);
    } else if (lastBreak < 0) {
      this.pending = chunk.charCodeAt(chunk.length - 1) === 13 ? '\r' : '';
    } else {
      this.overlong = false;
      this.pending = '';
      this.push(chunk.slice(firstBreakAt(chunk)));
    }
  }

  private checkOverlong(): void {
    if (this.overlong || this.pending.length <= this.maxLineLength) return;
    this.overlong = true;
    // Keep a trailing CR: it may pair with an LF in the next chunk.
    this.pending = this.pending.charCodeAt(this.pending.length - 1) === 13 ? '\r' : '';
    this.stats.overlongLines++;
    const line = this.base + this.heldLines + this.headLines;
    this.overlongAt.push(line);
    this.handlers.overlong?.(line);
  }

  /** Takes complete lines (each with its line break). */
  private accept(complete: string): void {
    if (this.primary) {
      this.processBatch(complete, false);
      return;
    }
    this.head.push(complete);
    this.headLength += complete.length;
    if (this.headDecides(complete) || this.headLength >= this.maxHeadLength || this.headLines >= this.maxHeadLines) this.finishHead();
  }

  /** Scans new head lines; true once they decide the format (a declaration, or enough records). */
  private headDecides(text: string): boolean {
    const lines = new LineIndex(text);
    const complete = lines.lineCount - 1;
    for (let line = 0; line < complete; line++) {
      this.headLines++;
      const start = lines.lineStart(line);
      const end = lines.lineEnd(line);
      const first = skipBlanks(text, start, end);
      // A long line that arrived within one chunk is read as blank, like one the stream dropped.
      if (first >= end || end - start > this.maxLineLength) continue;
      if (readDeclaration(text, start, end, this.tokens)) return true;
      if (isNonRecordLine(text, first, end)) continue;
      // With an explicit format, the first record line shows that no header opens the input.
      if (++this.headRecords >= (this.options.explicitFormat ? 1 : this.sampleLines)) return true;
    }
    return false;
  }

  private finishHead(): void {
    const text = this.head.join('');
    this.head = [];
    this.headLength = 0;
    this.headLines = 0;
    if (!this.primary) {
      const detected = detectFormats(new LineIndex(text), { explicit: this.options.explicitFormat, sampleLines: this.sampleLines, maxLineLength: this.maxLineLength });
      this.explicitUnused = detected.explicitUnused === true;
      this.setPrimary(detected.primary);
    }
    this.processBatch(text, this.ended);
  }

  private setPrimary(format: FlowLogFormat): void {
    this.primary = format;
    this.current = format;
    this.handlers.format?.(format);
  }

  /** `ownLines`: a segment's last batch, whose lines after `ownLines` are the next segment's. */
  private processBatch(newText: string, final: boolean, ownLines?: number): void {
    const primary = this.primary as FlowLogFormat;
    const text = this.held + newText;
    const lines = new LineIndex(text);
    // Without a final line, the index ends with the empty line after the last break.
    const available = final ? lines.lineCount : lines.lineCount - 1;
    if (!final && ownLines === undefined && available <= WRAP_LOOKAHEAD) {
      this.held = text;
      this.heldLines = available;
      return;
    }
    // Lines [0, own) are processed now; the rest are carried into the next batch.
    const own = ownLines ?? (final ? available : available - WRAP_LOOKAHEAD);
    const segments: FormatSegment[] = [{ fromLine: 0, format: primary }];
    if (this.current !== primary) segments.push({ fromLine: 0, format: this.current as FlowLogFormat });
    const declared = this.collectSegments(text, lines, own, segments);
    const formats = this.firstBatch && this.explicitUnused ? { primary, segments, explicitUnused: true } : { primary, segments };
    // Lines longer than the limit that came whole within one chunk are reported by the validator.
    const input = { lines, formats, severities: this.severities, host: this.options.host, maxLineLength: this.maxLineLength, previousRecordCount: this.previousRecordCount };
    const overlong: number[] = [];
    while (this.overlongAt.length > 0 && this.overlongAt[0] < this.base + own) overlong.push((this.overlongAt.shift() as number) - this.base);
    if (this.options.validate !== false && !this.stopped) this.validate(input, own, declared, overlong);
    if (this.options.parse) this.parseLines(input, own);
    this.previousRecordCount = lastRecordCount(text, lines, own, this.tokens, this.previousRecordCount);
    this.firstBatch = false;
    // The empty line after a final line break is not a line of its own.
    this.stats.lines += final && lines.lineStart(own - 1) === text.length && !this.lastLineOverlong ? own - 1 : own;
    this.base += own;
    this.held = final ? '' : text.slice(lines.lineStart(own));
    this.heldLines = available - own;
    if (declared) {
      const last = segments[segments.length - 1];
      this.current = last.format;
      this.currentDeclaration = last.format === primary ? undefined : { text: text.slice(lines.lineStart(last.fromLine), lines.lineEnd(last.fromLine)), line: this.base - own + last.fromLine };
    }
  }

  private validate(input: ConstructorParameters<typeof Validator>[0] & { host?: MessageHost }, own: number, declared: boolean, overlong: readonly number[]): void {
    // Declaration problems come before record problems; sorting the batch keeps output in line order.
    const found: Problem[] = [];
    const sink = (problem: Problem): boolean => {
      if (problem.code === 'wrapped-record' && problem.endLine !== undefined) {
        this.consumedUntil = Math.max(this.consumedUntil, this.base + problem.endLine + 1);
      }
      found.push(problem);
      return true;
    };
    if (this.firstBatch || declared) checkDeclarations(input, sink);
    const from = Math.min(own, Math.max(0, this.consumedUntil - this.base));
    const validator = (this.validator = this.validator?.reuse(input) ?? new Validator(input));
    const feed = this.handlers.feed;
    if (feed) feed.lineOffset = this.base;
    validator.feed = feed;
    validator.validateLines(from, own, sink);
    for (const line of overlong) {
      const problem = overlongLineProblem(this.severities, line, this.maxLineLength);
      if (problem) found.push(problem);
    }
    found.sort((a, b) => a.line - b.line || a.start - b.start);
    for (const problem of found) if (!this.emit(problem)) break;
  }

  /** Adds a segment per header or directive line in [0, own); true when there was one. */
  private collectSegments(text: string, lines: LineIndex, own: number, segments: FormatSegment[]): boolean {
    const primary = this.primary as FlowLogFormat;
    let found = false;
    for (let line = 0; line < own; line++) {
      const start = lines.lineStart(line);
      const end = lines.lineEnd(line);
      const c = text.charCodeAt(start);
      // Cheap reject, as in detection: records start with a digit or '-' in nearly every format.
      if (end - start > this.maxLineLength) continue;
      const declaration = (c >= ZERO && c <= NINE) || c === DASH ? undefined : readDeclaration(text, start, end, this.tokens);
      if (!declaration) {
        if (this.opening) this.opening = isBlankOrComment(text, start, end);
        continue;
      }
      found = true;
      this.handlers.declaration?.(text.slice(start, end), this.base + line);
      // The opening declaration rules with the stream's format (its own, or the explicit one).
      const format = this.opening ? primary : formatFromList(declaration.list, declaration.source, this.base + line);
      this.opening = false;
      segments.push({ fromLine: line, format, declaration: declaration.list });
    }
    return found;
  }

  /** Passes a batch problem on with absolute lines; false once a handler stopped validation. */
  private emit(problem: Problem): boolean {
    if (!this.userSeverities.has(problem.code)) return true;
    if (!this.firstBatch && DOCUMENT_CODES.has(problem.code)) return true;
    problem.line += this.base;
    if (problem.endLine !== undefined) problem.endLine += this.base;
    this.stats.problems[problem.severity]++;
    if (this.handlers.problem?.(problem) === false) {
      this.stopped = true;
      this.stats.stoppedAtLine = problem.line + 1;
      return false;
    }
    return true;
  }

  private parseLines(input: ParseSource, own: number): void {
    if (this.handlers.recordText) return this.recordLines(input, own);
    const handler = this.handlers.record;
    for (let line = 0; line < own; line++) {
      // Values past the format's width are counted, not made into objects: a 1 MB line of short
      // tokens would otherwise cost hundreds of MB for a record that is malformed anyway.
      let parsed = parseLine(input, line, { maxTokens: 0 });
      if (parsed.kind !== 'record') continue;
      if (parsed.unreadable) this.stats.unreadable++;
      // A JSON line holds one record per message (none for a CONTROL_MESSAGE).
      for (let index = 0; index < parsed.recordCount; index++) {
        if (index > 0) parsed = parseLine(input, line, { record: index, maxTokens: 0 });
        parsed.line = this.base + line;
        const wellFormed = parsed.tokenCount === parsed.format.names.length;
        this.stats.records++;
        if (parsed.json) this.stats.jsonRecords++;
        if (!wellFormed) this.stats.malformed++;
        handler?.(parsed, wellFormed);
      }
    }
  }

  private recordLines(input: ParseSource, own: number): void {
    this.recordCounter.base = this.base;
    this.stats.unreadable += readRecords(input.lines, input.formats, 0, own, this.json, this.recordCounter);
  }
}

/** Counts the records of parse mode and hands each to `recordText` (a class: see RecordReader). */
class RecordCounter implements RecordReader {
  /** Absolute line of the batch's first line. */
  base = 0;

  constructor(private readonly stats: StreamStats, private readonly handlers: StreamHandlers) {}

  readRecord(text: string, start: number, end: number, segment: FormatSegment, line: number, fromJson: boolean, stampStart: number, stampEnd: number): void {
    this.stats.records++;
    if (fromJson) this.stats.jsonRecords++;
    // A method call on the handlers: a handler object of a class keeps one target here too.
    if (!this.handlers.recordText?.(text, start, end, segment.format, this.base + line, stampStart, stampEnd)) this.stats.malformed++;
  }
}

/** Field count of the last record line of lines [0, own), or `before` when there is none. */
function lastRecordCount(text: string, lines: LineIndex, own: number, tokens: TokenBuffer, before: number): number {
  for (let line = own - 1; line >= 0; line--) {
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    if (isBlankOrComment(text, start, end)) continue;
    scanRecord(text, start, end, tokens);
    return tokens.count;
  }
  return before;
}

function firstBreakAt(chunk: string): number {
  const lf = chunk.indexOf('\n');
  const cr = chunk.indexOf('\r');
  if (lf < 0) return cr;
  if (cr < 0) return lf;
  return Math.min(lf, cr);
}

/** Last LF or CR at or before `end`. Only the text after the last LF is searched for a CR: a
 *  backwards search for a CR that is absent would read the whole chunk. */
function lastBreakAt(chunk: string, end: number): number {
  const lf = chunk.lastIndexOf('\n', end);
  let last = lf;
  for (let cr = chunk.indexOf('\r', lf + 1); cr >= 0 && cr <= end; cr = chunk.indexOf('\r', cr + 1)) last = cr;
  return last;
}

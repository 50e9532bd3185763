/**
 * Validation: every record line is tokenized in place and each cell checked against its field,
 * then the fields of one record against each other. Nothing is allocated for a valid line, so
 * the CLI and the language server can validate hundreds of thousands of lines quickly; messages
 * are built only for problems. Lines are validated in ranges so that callers can chunk, cancel
 * and revalidate only what an edit touched. Lines proven clean at once in their encoded bytes
 * (fastPathReader.ts) are not tokenized at all.
 */
import type { FieldSpec } from '../catalog/fields';
import { Cell, checkCell, lastCell, type CellCode } from '../catalog/values';
import { declarationLineOf, isRecognised, segmentIndexAt, type DocumentFormats, type FlowLogFormat } from './formatModel';
import { MAX_LINE_LENGTH, type LineSource } from './lines';
import type { RuleCode, SeverityTable } from './rules';
import { emitProblem, makeProblem, type FixHint, type Problem, type ProblemSink } from './problems';
import { DIRECTION, LOG_STATUS, MAX_WINDOW_SECONDS, ROLE, TCP, typeFamily } from './crossFields';
import { cellFix, cellMessage, cellRule, spacingMessage } from './cellProblems';
import { isBlankOrComment, isJsonLine, scanLineRecord, scanRecord, skipBlanks, TokenBuffer } from './scan';
import { jsonRecords, JsonRecords } from './exportShapes';
import { layoutForRecord, layoutLabel } from './layoutSwitch';
import { validationPlan, type ValidationPlan } from './validationPlan';
import { FastPathReader } from './fastPathReader';
import { findWrap, recordCountBefore } from './neighbourLines';
import type { RecordFeed } from './recordFeed';

// The validator's problems (problems.ts) and feed (recordFeed.ts), named here for its callers.
export type { FixHint, Problem, ProblemSink } from './problems';
export type { RecordFeed } from './recordFeed';
export { MAX_WRAP_LINES } from './neighbourLines';

export interface ValidationInput {
  readonly lines: LineSource;
  readonly formats: DocumentFormats;
  readonly severities: SeverityTable;
  /** Check every line on the exact path, skipping the fast path (tests compare the two). */
  readonly exactOnly?: boolean;
  /** Lines longer than this are reported once and not checked (default MAX_LINE_LENGTH). */
  readonly maxLineLength?: number;
  /**
   * Field count of the last record line before line 0 when `lines` is part of a larger text (a
   * stream's batch), so that a change of layout at line 0 is judged as in the whole text.
   */
  readonly previousRecordCount?: number;
}

/**
 * The problem of a line too long to check (the CLI's stream reports the same for the lines it
 * drops): a field-count problem at the start of the line.
 */
export function overlongLineProblem(severities: SeverityTable, line: number, maxLineLength: number): Problem | undefined {
  return makeProblem(severities, 'field-count', line, 0, 0, () => `This line is longer than ${maxLineLength} characters, far longer than any flow log record; it was not checked.`);
}

/** Values of one record that cross-field checks compare; -1 or NaN when absent. */
const record = {
  start: NaN,
  end: NaN,
  protocol: -1,
  tcpFlags: -1,
  logStatus: -1,
  type: -1,
  srcFamily: 0,
  dstFamily: 0,
  direction: -1,
  trafficPath: -1,
};

export class Validator extends FastPathReader {
  private readonly tokens = new TokenBuffer();
  private readonly nextTokens = new TokenBuffer();
  private readonly json = new JsonRecords();
  /** Format of the line being validated. */
  private format: FlowLogFormat | undefined;
  private maxLineLength: number;
  /**
   * Line where the last `validateLines` call stopped: its `toLine`, or past it when a wrapped
   * record that starts inside the range ends after it. A caller that validates in ranges starts
   * the next range here, so that no continuation line is validated again as a record.
   */
  resumeAt = 0;
  /** Sees each record line read by `validateLines` (see RecordFeed). */
  feed: RecordFeed | undefined;

  constructor(private input: ValidationInput) {
    super();
    this.maxLineLength = input.maxLineLength ?? MAX_LINE_LENGTH;
  }

  /**
   * Validates another input from now on, keeping the buffers (a stream validates each batch of
   * lines as its own input: a new Validator per batch allocated and zeroed a 64 KiB window each time).
   */
  reuse(input: ValidationInput): this {
    this.input = input;
    this.maxLineLength = input.maxLineLength ?? MAX_LINE_LENGTH;
    this.format = undefined;
    this.resetWindow();
    this.resumeAt = 0;
    return this;
  }

  /** Validates lines [fromLine, toLine). Returns false when the sink asked to stop. */
  validateLines(fromLine: number, toLine: number, sink: ProblemSink): boolean {
    const { lines, formats } = this.input;
    const last = Math.min(toLine, lines.lineCount);
    this.resumeAt = Math.max(fromLine, last);
    // Records of an unrecognised format are not checked; overlong lines are still reported.
    const recognised = isRecognised(formats);
    this.rangeText = last < lines.lineCount ? lines.textOf(last) : '';
    this.rangeEnd = last < lines.lineCount ? lines.lineStart(last) : 0;
    // forEachRecordLine (recordLines.ts) walks lines the same way; here the loop stays inline, as
    // a visitor call per line cost v2 validation about 15% of its CPU time.
    const segments = formats.segments;
    // Found by bisection: a file of 100k concatenated S3 objects is validated in many short ranges.
    let segmentIndex = segmentIndexAt(segments, fromLine);
    for (let line = fromLine; line < last; line++) {
      while (segmentIndex + 1 < segments.length && segments[segmentIndex + 1].fromLine <= line) segmentIndex++;
      const segment = segments[segmentIndex];
      if (declarationLineOf(segment) === line) continue;
      const text = (this.text = lines.textOf(line));
      const start = lines.lineStart(line);
      const end = lines.lineEnd(line);
      if (end - start > this.maxLineLength) {
        // Checking (or even tokenizing) it would cost time and memory in proportion to its length.
        const problem = overlongLineProblem(this.input.severities, line, this.maxLineLength);
        if (problem && !sink(problem)) return false;
        continue;
      }
      if (!recognised) continue;
      if (isBlankOrComment(text, start, end)) continue;
      // Plans are shared by formats of the same names; the line's own format says whether it was declared.
      this.format = segment.format;
      const result = this.validateRecord(line, start, end, validationPlan(segment.format), sink);
      if (result === false) return false;
      // A wrapped record's continuation lines were reported with it.
      if (typeof result === 'number') {
        line += result;
        this.resumeAt = Math.max(this.resumeAt, line + 1);
      }
    }
    return true;
  }

  private report(sink: ProblemSink, code: RuleCode, line: number, start: number, end: number, message: () => string, fix?: FixHint): boolean {
    return emitProblem(sink, this.input.severities, code, line, start, end, message, fix);
  }

  private validateRecord(line: number, lineStart: number, lineEnd: number, plan: ValidationPlan, sink: ProblemSink): boolean | number {
    const text = this.text;
    const fast = this.input.exactOnly ? undefined : plan.fast;
    const feed = this.feed;
    if (fast && this.window(lineStart, lineEnd) && this.proven(fast, lineStart - this.windowStart, lineEnd - this.windowStart)) {
      feed?.proven(text, line, this.format as FlowLogFormat, this.windowStart);
      return true;
    }
    const first = skipBlanks(text, lineStart, lineEnd);
    if (isJsonLine(text, first)) {
      feed?.jsonLine(text, lineStart, lineEnd, line, this.format as FlowLogFormat);
      return this.validateJsonLine(line, lineStart, first, lineEnd, plan, sink);
    }
    scanRecord(text, lineStart, lineEnd, this.tokens);
    if (this.tokens.count === 0) return true;
    feed?.scanned(text, line, this.format as FlowLogFormat, this.tokens);
    return this.checkRecord(line, lineStart, plan, sink);
  }

  /**
   * A JSON line: each message is a record, checked as one; what cannot be read (malformed or
   * truncated JSON, a message with escape sequences) is reported, never passed over.
   */
  private validateJsonLine(line: number, lineStart: number, first: number, lineEnd: number, plan: ValidationPlan, sink: ProblemSink): boolean {
    const json = this.json;
    jsonRecords(this.text, first, lineEnd, json);
    if (json.unreadable > 0) {
      const more = json.unreadable > 1 ? ` (and ${json.unreadable - 1} more part${json.unreadable > 2 ? 's' : ''} of the line)` : '';
      const message = (): string => `flowlog cannot read this part of the line: ${json.unreadableReason}${more}. Records in it are neither checked nor parsed.`;
      if (!this.report(sink, 'unreadable-json', line, json.unreadableStart - lineStart, json.unreadableEnd - lineStart, message)) return false;
    }
    for (let index = 0; index < json.count; index++) {
      scanLineRecord(this.text, first, lineEnd, index, json, this.tokens);
      if (this.checkRecord(line, lineStart, plan, sink) === false) return false;
    }
    return true;
  }

  /** Checks the record in `this.tokens` (offsets reported within the line at lineStart). */
  private checkRecord(line: number, lineStart: number, plan: ValidationPlan, sink: ProblemSink): boolean | number {
    const text = this.text;
    const tokens = this.tokens;
    const count = tokens.count;
    if (count !== plan.width) {
      // In a headerless file a record of another known layout is read by that layout.
      const other = this.format ? layoutForRecord(this.format, text, tokens) : undefined;
      if (other) {
        if (tokens.wrapperStart < 0 && recordCountBefore(this.input.lines, this.input.formats, line, this.input.previousRecordCount, this.nextTokens) !== count && !this.reportLayoutChange(line, lineStart, plan, other, sink)) return false;
        plan = validationPlan(other);
      }
    }
    const width = plan.width;
    if (tokens.irregularAt >= 0) {
      const at = tokens.irregularAt - lineStart;
      const to = Math.max(tokens.irregularEnd - lineStart, at + 1);
      if (!this.report(sink, 'irregular-spacing', line, at, to, () => spacingMessage(text, tokens.irregularAt, tokens.irregularEnd), { kind: 'normalize-spacing' })) return false;
    }
    if (count !== width) return this.reportCount(line, lineStart, plan, sink);
    record.start = NaN;
    record.end = NaN;
    record.protocol = -1;
    record.tcpFlags = -1;
    record.logStatus = -1;
    record.type = -1;
    record.srcFamily = 0;
    record.dstFamily = 0;
    record.direction = -1;
    record.trafficPath = -1;
    for (let column = 0; column < width; column++) {
      const spec = plan.specs[column];
      if (!spec) continue;
      const start = tokens.starts[column];
      const end = tokens.ends[column];
      const code = checkCell(spec, text, start, end);
      if (code > Cell.Null) {
        if (!this.reportCell(sink, code, spec, line, start - lineStart, end - lineStart, text.slice(start, end))) return false;
      }
      // A value with a problem of its own that still says what cross-field checks need.
      if (code === Cell.Ok || code === Cell.Milliseconds || code === Cell.ImpossibleFlags || code === Cell.PaddedAddress) this.remember(plan, column);
      else if (code === Cell.Null) continue;
    }
    return this.crossCheck(line, lineStart, plan, sink);
  }

  /** Keeps what a cross-field check needs from the cell just checked. */
  private remember(plan: ValidationPlan, column: number): void {
    switch (plan.roles[column]) {
      case ROLE.start: record.start = lastCell.num; break;
      case ROLE.end: record.end = lastCell.num; break;
      case ROLE.protocol: record.protocol = lastCell.num; break;
      case ROLE.tcpFlags: record.tcpFlags = lastCell.num; break;
      case ROLE.logStatus: record.logStatus = lastCell.enumIndex; break;
      case ROLE.type: record.type = lastCell.enumIndex; break;
      case ROLE.srcaddr: record.srcFamily = lastCell.family; break;
      case ROLE.dstaddr: record.dstFamily = lastCell.family; break;
      case ROLE.direction: record.direction = lastCell.enumIndex; break;
      case ROLE.trafficPath: record.trafficPath = lastCell.num; break;
    }
  }

  private reportCell(sink: ProblemSink, code: CellCode, spec: FieldSpec, line: number, start: number, end: number, value: string): boolean {
    const rule = cellRule(code, spec);
    if (!rule) return true;
    return this.report(sink, rule, line, start, end, () => cellMessage(code, spec, value), cellFix(code, spec, value));
  }

  private reportCount(line: number, lineStart: number, plan: ValidationPlan, sink: ProblemSink): boolean | number {
    const tokens = this.tokens;
    const count = tokens.count;
    const width = plan.width;
    // An empty JSON message has no tokens: the problem is at the message.
    const from = (count > 0 ? tokens.starts[0] : tokens.recordStart) - lineStart;
    const to = count > 0 ? tokens.ends[count - 1] - lineStart : from;
    if (width > 0 && count > width && count % width === 0) {
      const offsets: number[] = [];
      for (let k = width; k < count; k += width) offsets.push(tokens.starts[k] - lineStart);
      // A line holding one `{"message"}` wrapper splits into wrapper lines of their own (codeActions'
      // splitEdits); an envelope of several log events has no such split, so no fix there.
      const fix: FixHint | undefined = tokens.wrapperStart < 0 || tokens.recordsInLine === 1 ? { kind: 'split', offsets } : undefined;
      const where = tokens.wrapperStart < 0 ? 'This line holds' : 'This message holds';
      const how = tokens.wrapperStart < 0 ? 'put each record on its own line' : 'each log event should hold one record';
      return this.report(sink, 'two-records', line, from, to, () => `${where} ${count / width} records of ${width} fields each (${count} fields); ${how}.`, fix);
    }
    // A wrap starts with a short line; a {"message"} record cannot be joined with another.
    const wrap = count < width && tokens.wrapperStart < 0 ? findWrap(this.input.lines, line, count, width, this.maxLineLength, this.nextTokens) : undefined;
    if (wrap) {
      const parts = wrap.counts.join(' + ');
      const records = wrap.total / width;
      const what = records === 1 ? `the ${width} fields of one record` : `${records} records of ${width} fields`;
      const next = wrap.endLine - line === 1 ? 'the next line' : `the next ${wrap.endLine - line} lines`;
      const problem = makeProblem(this.input.severities, 'wrapped-record', line, from, to, () => `This record continues on ${next}: ${parts} fields make ${what}. Join the lines.`, { kind: 'join' });
      if (!problem) return wrap.endLine - line;
      problem.endLine = wrap.endLine;
      problem.end = wrap.endCharacter;
      return sink(problem) ? wrap.endLine - line : false;
    }
    const names = (i: number): string => plan.specs[i]?.name ?? `column ${i + 1}`;
    return this.report(sink, 'field-count', line, from, to, () => {
      if (count < width) {
        const missing = Array.from({ length: Math.min(3, width - count) }, (_, i) => names(count + i)).join(', ');
        return `Expected ${width} fields but found ${count}; the record ends before ${missing}${width - count > 3 ? ', …' : ''}.`;
      }
      return `Expected ${width} fields but found ${count}: ${count - width} more than the format has.`;
    });
  }

  private reportLayoutChange(line: number, lineStart: number, plan: ValidationPlan, other: FlowLogFormat, sink: ProblemSink): boolean {
    const tokens = this.tokens;
    const from = tokens.starts[0] - lineStart;
    const to = tokens.ends[tokens.count - 1] - lineStart;
    return this.report(sink, 'multiple-formats', line, from, to, () => `The layout changes here: this record has ${tokens.count} fields, so it is read by ${layoutLabel(other)} rather than by the file's format (${plan.width} fields). Records of several formats in one file are hard to query together; keep each format in its own file, or add a header line before each part.`);
  }

  /** The cross-field rules of crossFields.ts, reported; twin: fastPath.ts crossFieldsClean. */
  private crossCheck(line: number, lineStart: number, plan: ValidationPlan, sink: ProblemSink): boolean {
    const text = this.text;
    const tokens = this.tokens;
    const span = (column: number): [number, number] => [tokens.starts[column] - lineStart, tokens.ends[column] - lineStart];
    if (!Number.isNaN(record.start) && !Number.isNaN(record.end) && (record.start > record.end || record.end - record.start > MAX_WINDOW_SECONDS)) {
      // The two columns may come in either order (alphabetical S3 headers put end first).
      const s = Math.min(span(plan.start)[0], span(plan.end)[0]);
      const e = Math.max(span(plan.start)[1], span(plan.end)[1]);
      if (record.start > record.end) {
        if (!this.report(sink, 'start-after-end', line, s, e, () => `start (${record.start}) is ${record.start - record.end} s after end (${record.end}).`)) return false;
      } else if (record.end - record.start > MAX_WINDOW_SECONDS) {
        const minutes = ((record.end - record.start) / 60).toFixed(1);
        if (!this.report(sink, 'window-too-long', line, s, e, () => `This record covers ${minutes} minutes; flow log aggregation intervals are at most 10 minutes.`)) return false;
      }
    }
    if (record.logStatus === LOG_STATUS.NODATA || record.logStatus === LOG_STATUS.SKIPDATA) {
      for (const column of plan.traffic) {
        const s = tokens.starts[column];
        if (tokens.ends[column] - s === 1 && text.charCodeAt(s) === 45) continue;
        const [a, b] = span(column);
        const status = record.logStatus === LOG_STATUS.NODATA ? 'NODATA' : 'SKIPDATA';
        if (!this.report(sink, 'nodata-with-traffic', line, a, b, () => `A ${status} record carries no traffic, but ${plan.names[column]} is set; expected '-'.`)) return false;
        break;
      }
    } else if (record.logStatus === LOG_STATUS.OK) {
      for (const column of plan.required) {
        const s = tokens.starts[column];
        if (!(tokens.ends[column] - s === 1 && text.charCodeAt(s) === 45)) continue;
        const [a, b] = span(column);
        if (!this.report(sink, 'ok-missing-traffic', line, a, b, () => `An OK record describes a flow, but ${plan.names[column]} is '-'.`)) return false;
        break;
      }
    }
    if (record.tcpFlags > 0 && record.protocol >= 0 && record.protocol !== TCP) {
      const [a, b] = span(plan.tcpFlags);
      if (!this.report(sink, 'tcp-flags-non-tcp', line, a, b, () => `tcp-flags is ${record.tcpFlags} but the protocol is ${record.protocol}, not TCP (${TCP}).`)) return false;
    }
    const family = typeFamily(record.type);
    if (family !== 0) {
      const column = record.srcFamily && record.srcFamily !== family ? plan.srcaddr : record.dstFamily && record.dstFamily !== family ? plan.dstaddr : -1;
      if (column >= 0) {
        const [a, b] = span(column);
        if (!this.report(sink, 'type-mismatch', line, a, b, () => `type says IPv${family} but ${plan.specs[column]?.name} is an IPv${family === 4 ? 6 : 4} address.`)) return false;
      }
    }
    if (record.direction === DIRECTION.ingress && record.trafficPath > 0) {
      const [a, b] = span(plan.trafficPath);
      if (!this.report(sink, 'traffic-path-ingress', line, a, b, () => 'traffic-path is only reported for egress traffic; this record is ingress.')) return false;
    }
    return true;
  }
}

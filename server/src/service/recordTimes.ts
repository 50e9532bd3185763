/**
 * A cheap walk over the records of a range that reads only what the document's structure
 * (folding, symbols) and Go to Time need of each record: its time window, whether it was
 * rejected, and its grouping value (interface or attachment). One reused object per walk, no
 * per-record allocation apart from the grouping value's string, which the caller asks for.
 *
 * Times are in milliseconds since the epoch: `start`/`end` in seconds (or milliseconds, as some
 * logs carry them, see `epochMilliseconds`); a format without `start` and `end` falls back to the
 * CloudWatch Logs event time of an export (a prefix or a JSON event's `timestamp`), both ends alike.
 */
import { epochMilliseconds } from '../catalog/values';
import { declarationLineOf, segmentIndexAt, type DocumentFormats, type FlowLogFormat } from './formatModel';
import { isHeaderless, layoutForRecord } from './layoutSwitch';
import type { LineSource } from './lines';
import { isBlankOrComment, isJsonLine, scanLineRecord, skipBlanks, TokenBuffer } from './scan';
import { jsonRecords, JsonRecords, prefixEnd, stampMillis, type PrefixSpans } from './exportShapes';

/** Where a format keeps the fields read here (-1 when it lacks one). */
interface TimeColumns {
  start: number;
  end: number;
  action: number;
  /** `interface-id`, or `tgw-attachment-id` for Transit Gateway formats. */
  group: number;
  /** Columns to read: one past the last of the above. */
  needed: number;
}

const columnsByFormat = new WeakMap<FlowLogFormat, TimeColumns>();

function columnsOf(format: FlowLogFormat): TimeColumns {
  let columns = columnsByFormat.get(format);
  if (!columns) {
    const at = (name: string): number => format.names.indexOf(name);
    const found = { start: at('start'), end: at('end'), action: at('action'), group: format.kind === 'tgw' ? at('tgw-attachment-id') : at('interface-id') };
    columns = { ...found, needed: Math.max(found.start, found.end, found.action, found.group) + 1 };
    columnsByFormat.set(format, columns);
  }
  return columns;
}

/** The field a format's records are grouped by, or undefined. */
export function groupFieldOf(format: FlowLogFormat): string | undefined {
  const group = columnsOf(format).group;
  return group >= 0 ? format.names[group] : undefined;
}

/** Whether a format's records say REJECT (it has an `action` column). */
export function hasAction(format: FlowLogFormat): boolean {
  return columnsOf(format).action >= 0;
}

/** One record as the walk sees it; the same object is refilled for every record. */
export interface RecordTimes {
  line: number;
  /** Offset of the record within its line (after any prefix or JSON wrapper). */
  character: number;
  /** The format that reads the record (a known layout in a headerless file that mixes them). */
  format: FlowLogFormat;
  /** Index of the segment of `formats.segments` the line belongs to. */
  segmentIndex: number;
  /** Milliseconds; NaN when the record has no readable time. */
  start: number;
  end: number;
  rejected: boolean;
  /** The grouping value's span in `text`, or -1. */
  groupStart: number;
  groupEnd: number;
  text: string;
}

export interface RecordSource {
  readonly lines: LineSource;
  readonly formats: DocumentFormats;
}

const REJECT = 'REJECT';
const DIGIT_0 = 48;

/** An unsigned decimal token as a number, or NaN (`-` for NODATA records, or anything else). */
function digitsValue(text: string, start: number, end: number): number {
  if (start >= end || end - start > 16) return NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

const BOM = 0xfeff;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const prefix: PrefixSpans = { timestampStart: -1, timestampEnd: -1, quotedEnd: -1 };

/**
 * The first `wanted` tokens of a record line that is not JSON, as `scanRecord` finds them (after a
 * BOM and any CloudWatch export prefix, up to a trailing comment), without reading the rest.
 */
function scanLeading(text: string, start: number, end: number, wanted: number, out: TokenBuffer): void {
  out.reset();
  let i = start;
  if (i < end && text.charCodeAt(i) === BOM) i++;
  while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  const c = text.charCodeAt(i);
  if ((c >= 48 && c <= 57) || c === 34) {
    const after = prefixEnd(text, i, end, prefix);
    if (after > i) {
      out.timestampStart = prefix.timestampStart;
      out.timestampEnd = prefix.timestampEnd;
      i = after;
      if (prefix.quotedEnd >= 0) end = prefix.quotedEnd;
    }
  }
  out.recordStart = i;
  while (i < end && out.count < wanted) {
    const t = text.charCodeAt(i);
    if (t === SPACE || t === TAB) {
      i++;
      continue;
    }
    if (t === HASH) break;
    const tokenStart = i;
    while (i < end) {
      const u = text.charCodeAt(i);
      if (u === SPACE || u === TAB) break;
      i++;
    }
    out.push(tokenStart, i);
  }
}

/**
 * Walks the records of lines [from, to): `visit` sees each (every message of a JSON line), and
 * returns false to stop. Returns false when stopped. Headerless files that mix known layouts
 * read each record by the layout of its field count, decided once per field count for the walk
 * (validation decides per record; the structure only needs where the layout changes).
 */
export class RecordTimesWalker {
  private readonly tokens = new TokenBuffer();
  private readonly json = new JsonRecords();
  private readonly current: RecordTimes = { line: 0, character: 0, format: undefined as unknown as FlowLogFormat, segmentIndex: 0, start: NaN, end: NaN, rejected: false, groupStart: -1, groupEnd: -1, text: '' };
  /** Per segment format: the layout read for each other field count (null: the segment's own). */
  private readonly switched = new Map<FlowLogFormat, Map<number, FlowLogFormat | null>>();

  constructor(private readonly source: RecordSource) {}

  /**
   * The records of lines [from, to), as forEachRecord (recordLines.ts) sees them; the loop is its
   * own so that a declared format scans only its leading columns and a visitor can stop the walk.
   */
  walk(from: number, to: number, visit: (record: RecordTimes) => boolean | void): boolean {
    const { lines, formats } = this.source;
    const { segments } = formats;
    const last = Math.min(to, lines.lineCount);
    const first = Math.max(0, from);
    if (first >= last) return true;
    let segmentIndex = segmentIndexAt(segments, first);
    for (let line = first; line < last; line++) {
      while (segmentIndex + 1 < segments.length && segments[segmentIndex + 1].fromLine <= line) segmentIndex++;
      const segment = segments[segmentIndex];
      if (declarationLineOf(segment) === line) continue;
      const text = lines.textOf(line);
      const start = lines.lineStart(line);
      const end = lines.lineEnd(line);
      if (isBlankOrComment(text, start, end)) continue;
      const firstChar = skipBlanks(text, start, end);
      const json = isJsonLine(text, firstChar) ? this.json : undefined;
      if (!json && !isHeaderless(segment.format)) {
        // A declared format reads every record alike: only its first columns are needed.
        scanLeading(text, start, end, columnsOf(segment.format).needed, this.tokens);
        if (this.tokens.count === 0) continue;
        this.fill(text, start, line, segmentIndex, segment.format);
        if (visit(this.current) === false) return false;
        continue;
      }
      const count = json ? (jsonRecords(text, firstChar, end, json), json.count) : 1;
      for (let index = 0; index < count; index++) {
        scanLineRecord(text, json ? firstChar : start, end, index, json, this.tokens);
        if (this.tokens.count === 0) continue;
        this.fill(text, start, line, segmentIndex, segment.format);
        if (visit(this.current) === false) return false;
      }
    }
    return true;
  }

  private formatFor(format: FlowLogFormat, text: string): FlowLogFormat {
    const count = this.tokens.count;
    if (count === format.names.length || !isHeaderless(format)) return format;
    let byCount = this.switched.get(format);
    if (!byCount) this.switched.set(format, (byCount = new Map()));
    let layout = byCount.get(count);
    if (layout === undefined) {
      layout = layoutForRecord(format, text, this.tokens) ?? null;
      byCount.set(count, layout);
    }
    return layout ?? format;
  }

  private fill(text: string, lineStart: number, line: number, segmentIndex: number, segmentFormat: FlowLogFormat): void {
    const tokens = this.tokens;
    const record = this.current;
    const format = this.formatFor(segmentFormat, text);
    const columns = columnsOf(format);
    record.line = line;
    record.character = tokens.recordStart - lineStart;
    record.format = format;
    record.segmentIndex = segmentIndex;
    record.text = text;
    const count = tokens.count;
    const startValue = columns.start >= 0 && columns.start < count ? digitsValue(text, tokens.starts[columns.start], tokens.ends[columns.start]) : NaN;
    const endValue = columns.end >= 0 && columns.end < count ? digitsValue(text, tokens.starts[columns.end], tokens.ends[columns.end]) : NaN;
    if (columns.start < 0 && columns.end < 0 && tokens.timestampStart >= 0) {
      record.start = record.end = stampMillis(text, tokens.timestampStart, tokens.timestampEnd);
    } else {
      record.start = Number.isNaN(startValue) ? (Number.isNaN(endValue) ? NaN : epochMilliseconds(endValue)) : epochMilliseconds(startValue);
      record.end = Number.isNaN(endValue) ? record.start : epochMilliseconds(endValue);
    }
    if (columns.action >= 0 && columns.action < count) {
      const s = tokens.starts[columns.action];
      record.rejected = tokens.ends[columns.action] - s === REJECT.length && text.startsWith(REJECT, s);
    } else {
      record.rejected = false;
    }
    if (columns.group >= 0 && columns.group < count) {
      record.groupStart = tokens.starts[columns.group];
      record.groupEnd = tokens.ends[columns.group];
    } else {
      record.groupStart = record.groupEnd = -1;
    }
  }
}

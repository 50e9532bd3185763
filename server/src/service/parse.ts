/**
 * Parsing one line on demand: what kind of line it is and, for a record, its tokens with exact
 * offsets, field and typed value. Features (hover, tokens, hints, fixes) and `flowlog parse`
 * use it; validation does not, as it checks in place without building these objects.
 */
import type { FieldSpec } from '../catalog/fields';
import { typedValue } from '../catalog/values';
import { segmentAt } from './format';
import { declarationLineOf, type DocumentFormats, type FlowLogFormat } from './formatModel';
import type { LineSource } from './lines';
import { directiveBodyStart, isJsonLine, scanLineRecord, skipBlanks, TokenBuffer } from './scan';
import { isExportHeader, jsonRecords, JsonRecords, stampMillis } from './exportShapes';
import { layoutForRecord } from './layoutSwitch';
import { HASH } from '../catalog/charCodes';

/** `export-header`: the `timestamp,message` line of a CloudWatch Logs CSV export. */
export type LineKindName = 'blank' | 'comment' | 'directive' | 'header' | 'export-header' | 'record';

/** Key of the CloudWatch Logs event time (milliseconds) in a record object, when the line carries one. */
export const TIMESTAMP_KEY = 'cloudwatch-timestamp';

export interface ParsedToken {
  /** Column in the format (0-based). */
  index: number;
  /** UTF-16 offsets within the line. */
  start: number;
  end: number;
  text: string;
  /** Field of this column; undefined past the format's width or for unknown names. */
  field?: FieldSpec;
  /** Name of the column (the format's name, or `column-N` past its width). */
  name: string;
  value: number | bigint | string | null;
}

export interface ParsedLine {
  line: number;
  kind: LineKindName;
  format: FlowLogFormat;
  tokens: ParsedToken[];
  /** Fields on the line; more than `tokens.length` when `ParseOptions` left some out. */
  tokenCount: number;
  /** CloudWatch Logs time of the record (a prefix, or the JSON event's `timestamp`), offsets within the line. */
  timestamp?: { start: number; end: number; millis: number };
  /** Records on the line (several for a CloudWatch Logs subscription envelope; 0 for a CONTROL_MESSAGE), and which one this is. */
  recordCount: number;
  recordIndex: number;
  /** Span of this record's text within the line (inside any prefix, quotes or JSON string). */
  recordSpan?: { start: number; end: number };
  /** The line is JSON (a Firehose wrapper or CloudWatch Logs subscription envelope). */
  json?: boolean;
  /** Part of a JSON line that could not be read, within the line. */
  unreadable?: { start: number; end: number; reason: string };
  /** Start of a trailing comment within the line. */
  commentStart?: number;
  /** For header and directive lines: offsets of the names. */
  names?: { start: number; end: number; field?: FieldSpec; text: string }[];
}

/** What parsing reads: a document, or a chunk of a stream. */
export interface ParseSource {
  readonly lines: LineSource;
  readonly formats: DocumentFormats;
}

/**
 * Which tokens to build, for lines of absurd length (a 10 MB line holds a million values and
 * building them all takes seconds). The format's own columns are always built.
 */
export interface ParseOptions {
  /** Build, past the format's width, only the token at this character. */
  focus?: number;
  /** Build no more than this many tokens. */
  maxTokens?: number;
  /** Which record of a line holding several (JSON envelopes); by default the one at `focus`, else the first. */
  record?: number;
}

const scratch = new TokenBuffer();
const scratchJson = new JsonRecords();

export function parseLine(source: ParseSource, line: number, options: ParseOptions = {}): ParsedLine {
  const { lines, formats } = source;
  const segment = segmentAt(formats, Math.max(0, Math.min(line, lines.lineCount - 1)));
  let format = segment.format;
  const base: ParsedLine = { line, kind: 'blank', format, tokens: [], tokenCount: 0, recordCount: 0, recordIndex: 0 };
  if (line < 0 || line >= lines.lineCount) return base;
  const text = lines.textOf(line);
  const start = lines.lineStart(line);
  const end = lines.lineEnd(line);
  const first = skipBlanks(text, start, end);
  if (first >= end) return base;
  const declared = declarationLineOf(segment) === line;
  if (text.charCodeAt(first) === HASH) {
    if (declared && directiveBodyStart(text, first) >= 0) return { ...base, kind: 'directive', names: declarationNames(segment.declaration) };
    return { ...base, kind: 'comment' };
  }
  if (declared) return { ...base, kind: 'header', names: declarationNames(segment.declaration) };
  if (isExportHeader(text, first, end)) return { ...base, kind: 'export-header' };
  const json = isJsonLine(text, first) ? scratchJson : undefined;
  let recordIndex = 0;
  if (json) {
    jsonRecords(text, first, end, json);
    if (json.count === 0) return { ...base, kind: 'record', json: true, unreadable: unreadableOf(json, start) };
    recordIndex = Math.max(0, Math.min(json.count - 1, options.record ?? (options.focus !== undefined ? recordAt(json, start + options.focus) : 0)));
  }
  scanLineRecord(text, json ? first : start, end, recordIndex, json, scratch);
  // A headerless file may mix layouts: a record of another known layout is read by it.
  format = layoutForRecord(format, text, scratch) ?? format;
  const tokens: ParsedToken[] = [];
  const width = format.names.length;
  const { focus } = options;
  const last = Math.min(scratch.count, Math.max(options.maxTokens ?? Infinity, width));
  for (let i = 0; i < last; i++) {
    if (focus !== undefined && i >= width && !(focus >= scratch.starts[i] - start && focus <= scratch.ends[i] - start)) continue;
    const raw = text.slice(scratch.starts[i], scratch.ends[i]);
    const field = format.fields[i];
    tokens.push({
      index: i,
      start: scratch.starts[i] - start,
      end: scratch.ends[i] - start,
      text: raw,
      field,
      name: format.names[i] ?? `column-${i + 1}`,
      value: i < width ? typedValue(field, raw) : raw,
    });
  }
  const parsed: ParsedLine = { ...base, format, kind: 'record', tokens, tokenCount: scratch.count, recordCount: scratch.recordsInLine, recordIndex };
  if (scratch.timestampStart >= 0) {
    parsed.timestamp = { start: scratch.timestampStart - start, end: scratch.timestampEnd - start, millis: stampMillis(text, scratch.timestampStart, scratch.timestampEnd) };
  }
  if (scratch.commentStart >= 0) parsed.commentStart = scratch.commentStart - start;
  const recordEnd = json ? json.ends[recordIndex] : scratch.quotedEnd >= 0 ? scratch.quotedEnd : scratch.commentStart >= 0 ? scratch.commentStart : end;
  parsed.recordSpan = { start: scratch.recordStart - start, end: recordEnd - start };
  if (json) parsed.json = true;
  if (json && json.unreadable > 0) parsed.unreadable = unreadableOf(json, start);
  return parsed;
}

function unreadableOf(json: JsonRecords, lineStart: number): ParsedLine['unreadable'] {
  return json.unreadable > 0 ? { start: json.unreadableStart - lineStart, end: json.unreadableEnd - lineStart, reason: json.unreadableReason } : undefined;
}

/** The record of a JSON line at offset `at`: the last whose event (its timestamp or its message) starts at or before it. */
function recordAt(json: JsonRecords, at: number): number {
  const eventStart = (k: number): number => (json.stampStarts[k] >= 0 ? Math.min(json.stampStarts[k], json.starts[k]) : json.starts[k]);
  let index = 0;
  while (index + 1 < json.count && eventStart(index + 1) <= at) index++;
  return index;
}

function declarationNames(list: DocumentFormats['segments'][number]['declaration']): ParsedLine['names'] {
  if (!list?.spans) return [];
  return list.spans.map((span, i) => ({ start: span.start, end: span.end, field: list.fields[i], text: list.names[i] }));
}

/** The token under a character position, if any. */
export function tokenAt(parsed: ParsedLine, character: number): ParsedToken | undefined {
  return parsed.tokens.find((token) => character >= token.start && character <= token.end);
}

/**
 * A record as a plain object keyed by AWS field names in format order, after the CloudWatch Logs
 * event time in milliseconds (`cloudwatch-timestamp`) when the line carries one.
 */
export function recordObject(parsed: ParsedLine): Record<string, number | bigint | string | null> {
  // Defined, not assigned: a column named `__proto__` must stay a key like any other.
  const result: Record<string, number | bigint | string | null> = {};
  if (parsed.timestamp) result[TIMESTAMP_KEY] = Number.isFinite(parsed.timestamp.millis) ? parsed.timestamp.millis : null;
  for (const token of parsed.tokens) Object.defineProperty(result, token.name, { value: token.value, enumerable: true, writable: true, configurable: true });
  return result;
}

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
import { directiveBodyStart, scanRecord, skipBlanks, TokenBuffer } from './scan';
import { HASH } from '../catalog/charCodes';

export type LineKindName = 'blank' | 'comment' | 'directive' | 'header' | 'record';

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
  /** Leading CloudWatch timestamp, offsets within the line. */
  timestamp?: { start: number; end: number };
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
}

const scratch = new TokenBuffer();

export function parseLine(source: ParseSource, line: number, options: ParseOptions = {}): ParsedLine {
  const { lines, formats } = source;
  const segment = segmentAt(formats, Math.max(0, Math.min(line, lines.lineCount - 1)));
  const format = segment.format;
  const base: ParsedLine = { line, kind: 'blank', format, tokens: [], tokenCount: 0 };
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
  scanRecord(text, start, end, scratch);
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
  const parsed: ParsedLine = { ...base, kind: 'record', tokens, tokenCount: scratch.count };
  if (scratch.timestampStart >= 0) parsed.timestamp = { start: scratch.timestampStart - start, end: scratch.timestampEnd - start };
  if (scratch.commentStart >= 0) parsed.commentStart = scratch.commentStart - start;
  return parsed;
}

function declarationNames(list: DocumentFormats['segments'][number]['declaration']): ParsedLine['names'] {
  if (!list?.spans) return [];
  return list.spans.map((span, i) => ({ start: span.start, end: span.end, field: list.fields[i], text: list.names[i] }));
}

/** The token under a character position, if any. */
export function tokenAt(parsed: ParsedLine, character: number): ParsedToken | undefined {
  return parsed.tokens.find((token) => character >= token.start && character <= token.end);
}

/** A record as a plain object keyed by AWS field names in format order. */
export function recordObject(parsed: ParsedLine): Record<string, number | bigint | string | null> {
  // Defined, not assigned: a column named `__proto__` must stay a key like any other.
  const result: Record<string, number | bigint | string | null> = {};
  for (const token of parsed.tokens) Object.defineProperty(result, token.name, { value: token.value, enumerable: true, writable: true, configurable: true });
  return result;
}

/**
 * Navigation between records: the value under the cursor (an address, a port or an interface ID)
 * found in every record that holds it, in any column of the same kind (srcaddr, dstaddr,
 * pkt-srcaddr, pkt-dstaddr for an address); the counterpart record of a conversation; and the
 * document highlights that mark both.
 */
import type { FieldSpec } from '../../catalog/fields';
import type { FlowLogDocument } from '../document';
import type { FlowLogFormat } from '../formatModel';
import { parseLine, tokenAt } from '../parse';
import { forEachRecordLine } from '../recordLines';
import { jsonRecords, JsonRecords } from '../exportShapes';
import { isJsonLine, scanLineRecord, scanRecord, skipBlanks, TokenBuffer } from '../scan';
import type { DocumentConversations } from './documentConversations';

/** A value's place: line and UTF-16 offsets within it. */
export interface ValueSpan {
  line: number;
  start: number;
  end: number;
}

type ValueKind = 'address' | 'port' | 'interface';

function kindOf(field: FieldSpec | undefined): ValueKind | undefined {
  if (!field) return undefined;
  if (field.kind === 'address') return 'address';
  if (field.kind === 'port') return 'port';
  if (field.name === 'interface-id' || field.name === 'tgw-src-eni' || field.name === 'tgw-dst-eni' || field.name === 'next-hop-interface-id') return 'interface';
  return undefined;
}

const columnCache = new WeakMap<FlowLogFormat, Record<ValueKind, number[]>>();

function columnsOfKind(format: FlowLogFormat, kind: ValueKind): number[] {
  let cached = columnCache.get(format);
  if (!cached) {
    cached = { address: [], port: [], interface: [] };
    format.fields.forEach((field, column) => {
      const k = kindOf(field);
      if (k) cached?.[k].push(column);
    });
    columnCache.set(format, cached);
  }
  return cached[kind];
}

/** The value under the cursor when it is an address, a port or an interface ID. */
export function valueAt(doc: FlowLogDocument, line: number, character: number): { kind: ValueKind; text: string; span: ValueSpan } | undefined {
  if (line < 0 || line >= doc.lines.lineCount) return undefined;
  const parsed = parseLine(doc, line, { focus: character });
  if (parsed.kind !== 'record' || parsed.tokens.length !== parsed.format.names.length) return undefined;
  const token = tokenAt(parsed, character);
  const kind = kindOf(token?.field);
  if (!token || !kind || token.text === '-') return undefined;
  return { kind, text: token.text, span: { line, start: token.start, end: token.end } };
}

/** Every place in [fromLine, toLine) holding `text` in a column of `kind`, at most `limit`; every record of a JSON line is searched. */
export function findValue(doc: FlowLogDocument, kind: ValueKind, text: string, limit: number, fromLine = 0, toLine = doc.lines.lineCount): ValueSpan[] {
  const found: ValueSpan[] = [];
  const tokens = new TokenBuffer();
  const json = new JsonRecords();
  const search = (lineText: string, lineStart: number, columns: number[], line: number): void => {
    for (const column of columns) {
      const s = tokens.starts[column];
      const e = tokens.ends[column];
      if (e - s === text.length && lineText.startsWith(text, s)) found.push({ line, start: s - lineStart, end: e - lineStart });
    }
  };
  forEachRecordLine(doc.lines, doc.formats, fromLine, toLine, (lineText, start, end, segment, line) => {
    // Cheap test first: most lines do not hold the value at all.
    const at = lineText.indexOf(text, start);
    if (at < 0 || at >= end) return;
    const width = segment.format.names.length;
    const columns = columnsOfKind(segment.format, kind);
    const first = skipBlanks(lineText, start, end);
    if (isJsonLine(lineText, first)) {
      jsonRecords(lineText, first, end, json);
      for (let index = 0; index < json.count; index++) {
        scanLineRecord(lineText, first, end, index, json, tokens);
        if (tokens.count === width) search(lineText, start, columns, line);
      }
    } else {
      scanRecord(lineText, start, end, tokens);
      if (tokens.count === width) search(lineText, start, columns, line);
    }
    if (found.length >= limit) return false;
  });
  return found.slice(0, limit);
}

/** The span of record `record` of `line`: the message on a JSON line, else the whole line. */
export function recordSpan(doc: FlowLogDocument, line: number, record: number): ValueSpan {
  const parsed = parseLine(doc, line, { record, maxTokens: 0 });
  if (parsed.json && parsed.recordSpan) return { line, start: parsed.recordSpan.start, end: parsed.recordSpan.end };
  return { line, start: 0, end: doc.lines.lineEnd(line) - doc.lines.lineStart(line) };
}

/** Which record of `line` is under `character` (a JSON line may hold several; 0 otherwise). */
export function recordIndexAt(doc: FlowLogDocument, line: number, character: number): number {
  if (line < 0 || line >= doc.lines.lineCount) return 0;
  return parseLine(doc, line, { focus: character, maxTokens: 0 }).recordIndex;
}

/** The record answering the one under the cursor (or answered by it), as the span of that record. */
export function counterpartSpan(doc: FlowLogDocument, conversations: DocumentConversations, line: number, character: number): ValueSpan | undefined {
  const other = conversations.counterpart(line, recordIndexAt(doc, line, character));
  return other && recordSpan(doc, other.line, other.record);
}

/** Lines either side of the cursor searched for highlights of the same value. */
export const HIGHLIGHT_WINDOW = 200;

/**
 * Highlights: the same value in nearby records (`text`), and the counterpart's token in the
 * column under the cursor (`read`), or its whole record when that column holds another value.
 */
export function conversationHighlights(doc: FlowLogDocument, conversations: DocumentConversations | undefined, line: number, character: number): { span: ValueSpan; counterpart: boolean }[] {
  const value = valueAt(doc, line, character);
  const out: { span: ValueSpan; counterpart: boolean }[] = [];
  if (value) {
    const from = Math.max(0, line - HIGHLIGHT_WINDOW);
    for (const span of findValue(doc, value.kind, value.text, 1000, from, line + HIGHLIGHT_WINDOW + 1)) out.push({ span, counterpart: false });
  }
  if (!conversations || line < 0 || line >= doc.lines.lineCount) return out;
  const parsed = parseLine(doc, line, { focus: character });
  const other = conversations.counterpart(line, parsed.recordIndex);
  if (!other) return out;
  const column = parsed.kind === 'record' ? tokenAt(parsed, character)?.index : undefined;
  const otherRecord = recordSpan(doc, other.line, other.record);
  const inOther = (span: ValueSpan): boolean => span.line === other.line && span.start >= otherRecord.start && span.end <= otherRecord.end;
  if (out.some((h) => inOther(h.span))) {
    for (const h of out) if (inOther(h.span)) h.counterpart = true;
    return out;
  }
  const token = column === undefined ? undefined : parseLine(doc, other.line, { record: other.record }).tokens[column];
  out.push({ span: token ? { line: other.line, start: token.start, end: token.end } : otherRecord, counterpart: true });
  return out;
}

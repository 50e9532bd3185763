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
import { scanRecord, TokenBuffer } from '../scan';
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

/** Every place in [fromLine, toLine) holding `text` in a column of `kind`, at most `limit`. */
export function findValue(doc: FlowLogDocument, kind: ValueKind, text: string, limit: number, fromLine = 0, toLine = doc.lines.lineCount): ValueSpan[] {
  const found: ValueSpan[] = [];
  const tokens = new TokenBuffer();
  forEachRecordLine(doc.lines, doc.formats, fromLine, toLine, (lineText, start, end, segment, line) => {
    // Cheap test first: most lines do not hold the value at all.
    const at = lineText.indexOf(text, start);
    if (at < 0 || at >= end) return;
    scanRecord(lineText, start, end, tokens);
    if (tokens.count !== segment.format.names.length) return;
    for (const column of columnsOfKind(segment.format, kind)) {
      const s = tokens.starts[column];
      const e = tokens.ends[column];
      if (e - s === text.length && lineText.startsWith(text, s)) found.push({ line, start: s - start, end: e - start });
    }
    if (found.length >= limit) return false;
  });
  return found.slice(0, limit);
}

/** The record answering the one on `line` (or answered by it), as the span of its whole record. */
export function counterpartSpan(doc: FlowLogDocument, conversations: DocumentConversations, line: number): ValueSpan | undefined {
  const other = conversations.counterpart(line);
  if (other === undefined) return undefined;
  const start = doc.lines.lineStart(other);
  return { line: other, start: 0, end: doc.lines.lineEnd(other) - start };
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
  const other = conversations?.counterpart(line);
  if (other !== undefined) {
    const parsed = parseLine(doc, line, { focus: character });
    const column = parsed.kind === 'record' ? tokenAt(parsed, character)?.index : undefined;
    const otherParsed = parseLine(doc, other);
    const token = column === undefined ? undefined : otherParsed.tokens[column];
    const sameValueThere = out.some((h) => h.span.line === other);
    if (!sameValueThere) {
      const span = token ? { line: other, start: token.start, end: token.end } : counterpartSpan(doc, conversations as DocumentConversations, line);
      if (span) out.push({ span, counterpart: true });
    } else {
      for (const h of out) if (h.span.line === other) h.counterpart = true;
    }
  }
  return out;
}

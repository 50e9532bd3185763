/**
 * Completion: field names in header lines, `# fields:` / `# format:` directives and the
 * `flowlog.format` setting (VPC or Transit Gateway names after what the list already holds, in
 * AWS's table order, in the list's own spelling: hyphens, underscores or `${…}`), and the allowed
 * values of a record column (ACCEPT/REJECT, OK/NODATA/SKIPDATA, IPv4/IPv6/EFA, …). Every item
 * carries a text edit that replaces the word under the cursor.
 */
import { CompletionItemKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import { decodeValue } from '../catalog/decoders';
import { FIELDS, lookupField, type FieldSpec } from '../catalog/fields';
import { KNOWN_LAYOUTS } from '../catalog/layouts';
import type { FlowLogDocument } from './document';
import { fieldMarkdown, inlineCode } from './hover';
import { segmentAt } from './format';
import { declarationLineOf } from './formatModel';
import { columnAt, directiveBodyStart, skipBlanks } from './scan';
import { HASH } from '../catalog/charCodes';

const TABLE_ORDER = new Map(FIELDS.map((spec, index) => [spec.name, index]));

/** Characters of a field name as people write it, `${…}` included. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 36 || c === 123 || c === 125;
}

/** Bounds of the word around `offset` in text[from, to). */
function wordAt(text: string, offset: number, from: number, to: number): [number, number] {
  let start = offset;
  while (start > from && isNameChar(text.charCodeAt(start - 1))) start--;
  let end = offset;
  while (end < to && isNameChar(text.charCodeAt(end))) end++;
  return [start, end];
}

const stripPlaceholder = (word: string): string => word.replace(/^\$?\{?/, '').replace(/\}$/, '');

function familyLabel(spec: FieldSpec): string {
  return spec.family === 'both' ? 'VPC, TGW' : spec.family.toUpperCase();
}

/**
 * Field name items for a field list held in text[from, to) with the cursor at `offset`;
 * `toRange` turns text offsets into the range the items replace.
 */
function fieldListItems(text: string, from: number, to: number, offset: number, toRange: (start: number, end: number) => Range): CompletionItem[] {
  const [wordStart, wordEnd] = wordAt(text, offset, from, to);
  const current = text.slice(wordStart, wordEnd);
  const others: string[] = [];
  for (const match of text.slice(from, to).matchAll(/[A-Za-z0-9_${}-]+/g)) {
    const at = from + (match.index ?? 0);
    if (at !== wordStart) others.push(match[0]);
  }
  const used = new Set<string>();
  let tgw = false;
  let vpc = false;
  for (const word of others) {
    const spec = lookupField(stripPlaceholder(word));
    if (!spec) continue;
    used.add(spec.name);
    if (spec.family === 'tgw') tgw = true;
    if (spec.family === 'vpc') vpc = true;
  }
  const placeholders = current.startsWith('$') || others.some((word) => word.startsWith('${'));
  const underscores = others.some((word) => word.includes('_') && lookupField(stripPlaceholder(word)) !== undefined);
  const range = toRange(wordStart, wordEnd);
  const items: CompletionItem[] = [];
  for (const spec of FIELDS) {
    if (used.has(spec.name)) continue;
    // A list that already names fields of one family gets that family's names only.
    if (tgw !== vpc && spec.family !== 'both' && spec.family !== (tgw ? 'tgw' : 'vpc')) continue;
    const written = underscores ? spec.name.replace(/-/g, '_') : spec.name;
    const newText = placeholders ? `\${${written}}` : written;
    items.push({
      label: written,
      kind: CompletionItemKind.Field,
      detail: `v${spec.version} · ${familyLabel(spec)}`,
      documentation: { kind: 'markdown', value: fieldMarkdown(spec, { tgw: spec.family === 'tgw' || tgw }) },
      sortText: `1-${String(TABLE_ORDER.get(spec.name) ?? 999).padStart(3, '0')}`,
      filterText: newText,
      textEdit: { range, newText },
    });
  }
  return items;
}

/** Numbers worth offering for integer fields whose codes mean something. */
const SUGGESTED_CODES: Partial<Record<FieldSpec['kind'], readonly number[]>> = {
  protocol: [6, 17, 1, 58, 47, 50],
  tcpFlags: [0, 1, 2, 3, 4, 18, 19],
  trafficPath: [1, 2, 3, 4, 5, 6, 7, 8],
};

function valueItems(spec: FieldSpec, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  const push = (value: string, detail: string, documentation: string, kind: CompletionItemKind): void => {
    items.push({
      label: value,
      kind,
      detail,
      documentation: { kind: 'markdown', value: documentation },
      sortText: String(items.length).padStart(3, '0'),
      textEdit: { range, newText: value },
    });
  };
  for (const value of spec.values ?? []) {
    push(value.value, `${spec.name}${value.secondary ? ' (secondary source)' : ''}`, `**${value.value}**: ${value.meaning}`, CompletionItemKind.EnumMember);
  }
  for (const code of SUGGESTED_CODES[spec.kind] ?? []) {
    const decoded = decodeValue(spec, String(code));
    if (decoded) push(String(code), `${spec.name} · ${decoded.short || code}`, decoded.lines.join('\n\n'), CompletionItemKind.Value);
  }
  if (items.length > 0 && spec.name !== 'log-status') {
    const decoded = decodeValue(spec, '-');
    push('-', `${spec.name} · no value`, decoded?.lines.join('\n\n') ?? 'No value.', CompletionItemKind.Constant);
  }
  return items;
}

function directiveKeywordItems(range: Range): CompletionItem[] {
  return ['fields', 'format'].map((keyword, index) => ({
    label: `# ${keyword}:`,
    kind: CompletionItemKind.Keyword,
    detail: 'format directive',
    documentation: { kind: 'markdown', value: `${inlineCode(`# ${keyword}: version account-id …`)} declares the record format of the lines below, like an S3 header line.` },
    sortText: String(index),
    filterText: `# ${keyword}:`,
    textEdit: { range, newText: `# ${keyword}: ` },
  }));
}

/** Whether a line before any record holds only field names (so far): a header being written. */
function isHeaderInProgress(doc: FlowLogDocument, line: number, lineStart: number, lineEnd: number, cursor: number): boolean {
  const text = doc.lines.textOf(line);
  const first = skipBlanks(text, lineStart, lineEnd);
  if (first < lineEnd) {
    const c = text.charCodeAt(first);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36)) return false;
  }
  const [wordStart] = wordAt(text, cursor, lineStart, lineEnd);
  for (const match of text.slice(lineStart, lineEnd).matchAll(/\S+/g)) {
    if (lineStart + (match.index ?? 0) === wordStart) continue;
    if (!lookupField(stripPlaceholder(match[0]))) return false;
  }
  // Only comments and blank lines above: a header goes first.
  return doc.firstRecordLine() >= line;
}

function recordItems(doc: FlowLogDocument, line: number, lineStart: number, lineEnd: number, cursor: number): CompletionItem[] {
  const format = segmentAt(doc.formats, line).format;
  // Only the tokens up to the cursor, and no more than the format has: a line of 30 MB of short
  // tokens must cost no more than a record.
  const at = columnAt(doc.lines.textOf(line), lineStart, lineEnd, cursor, format.names.length);
  const spec = at ? format.fields[at.column] : undefined;
  if (!at || !spec) return [];
  const character = cursor - lineStart;
  const range: Range = at.inside
    ? { start: { line, character: at.start - lineStart }, end: { line, character: at.end - lineStart } }
    : { start: { line, character }, end: { line, character } };
  return valueItems(spec, range);
}

/** Completion items at a position of a flow log document. */
export function complete(doc: FlowLogDocument, position: Position): CompletionItem[] {
  const { line } = position;
  if (!Number.isInteger(line) || line < 0 || line >= doc.lines.lineCount) return [];
  const text = doc.lines.textOf(line);
  const lineStart = doc.lines.lineStart(line);
  const lineEnd = doc.lines.lineEnd(line);
  const character = Math.max(0, Math.min(position.character, lineEnd - lineStart));
  const cursor = lineStart + character;
  const toRange = (start: number, end: number): Range => ({
    start: { line, character: start - lineStart },
    end: { line, character: end - lineStart },
  });
  const first = skipBlanks(text, lineStart, lineEnd);
  if (first < lineEnd && text.charCodeAt(first) === HASH) {
    const body = directiveBodyStart(text, first);
    if (body < 0) {
      // `# fi|` on a line of its own: offer the directive itself.
      const typed = text.slice(first, cursor);
      return /^#\s*[a-z]*$/i.test(typed) && cursor === lineEnd ? directiveKeywordItems(toRange(first, lineEnd)) : [];
    }
    if (cursor < body) return [];
    // A parenthesised remark ends the list, as in `# format: … (default v2)`.
    const paren = text.indexOf('(', body);
    const listEnd = paren >= 0 && paren < lineEnd ? paren : lineEnd;
    return cursor > listEnd ? [] : fieldListItems(text, body, listEnd, cursor, toRange);
  }
  // Nothing is read from a line too long to be a record or a header (MAX_LINE_LENGTH).
  if (lineEnd - lineStart > doc.maxLineLength) return [];
  if (declarationLineOf(segmentAt(doc.formats, line)) === line || isHeaderInProgress(doc, line, lineStart, lineEnd, cursor)) {
    return fieldListItems(text, first, lineEnd, cursor, toRange);
  }
  return recordItems(doc, line, lineStart, lineEnd, cursor);
}

/**
 * Completion inside the value of the `flowlog.format` setting (or `--fields`): layout ids while
 * the value is a single word, and field names as in a header line. `offset` is the cursor's
 * offset in `text`; ranges are positions in `text` taken as a document.
 */
export function completeFieldList(text: string, offset: number): CompletionItem[] {
  const cursor = Math.max(0, Math.min(offset, text.length));
  const positionOf = (at: number): Position => {
    const before = text.slice(0, at);
    const lineBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    return { line: (before.match(/\r\n|\r|\n/g) ?? []).length, character: at - lineBreak - 1 };
  };
  const toRange = (start: number, end: number): Range => ({ start: positionOf(start), end: positionOf(end) });
  const items = fieldListItems(text, 0, text.length, cursor, toRange);
  const [wordStart, wordEnd] = wordAt(text, cursor, 0, text.length);
  const single = text.slice(0, wordStart).trim() === '' && text.slice(wordEnd).trim() === '';
  if (single) {
    const range = toRange(wordStart, wordEnd);
    KNOWN_LAYOUTS.forEach((layout, index) => {
      items.push({
        label: layout.id,
        kind: CompletionItemKind.Module,
        detail: `${layout.label} · ${layout.fields.length} fields`,
        documentation: { kind: 'markdown', value: `${layout.source}.\n\n${inlineCode(layout.fields.join(' '))}` },
        sortText: `0-${String(index).padStart(3, '0')}`,
        textEdit: { range, newText: layout.id },
      });
    });
  }
  return items;
}

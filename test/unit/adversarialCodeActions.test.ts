/**
 * Hostile file content × code actions (issue 16, item 5): every payload of the corpus placed where
 * each kind of quick fix and source action is built from the file's text (split, also inside a
 * JSON wrapper; join; spacing on a line and in the whole document, eager and resolved lazily;
 * replace; remove a duplicate name; insert a header). Titles must be plain text without active
 * characters; edits must lie inside the document, not overlap, never cut a payload or bring in a
 * control character the file did not have, and keep a JSON line valid JSON.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { codeActions, wholeDocumentEdits, type FlowLogCodeAction } from '../../server/src/service/codeActions';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { MARKER, PAYLOADS } from './hostilePayloads';
import { plainTextProblems } from './markdownSafety';

const V2 = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const RECORD = ['2', '123456789010', 'eni-0a1b2c3d4e5f60718', '10.0.0.1', '10.0.0.2', '20641', '22', '6', '20', '4249', '1418530010', '1418530070', 'ACCEPT', 'OK'];
/** The record with the payload as its account ID (a cell validation reports, next to the fix). */
const withPayload = (payload: string, changes: Record<number, string> = {}): string => RECORD.map((value, i) => changes[i] ?? (i === 1 ? payload : value)).join(' ');

/** Documents in which a payload sits where each kind of fix is built, with the fix they must offer. */
function fixDocuments(payload: string): { label: string; text: string; expect: RegExp }[] {
  const record = withPayload(payload);
  const words = record.split(' ');
  return [
    { label: 'two records on a line', text: `${V2}\n${RECORD.join(' ')} ${record}\n`, expect: /^Split into 2 records/ },
    {
      label: 'two records in a JSON wrapper',
      text: `${V2}\n{"message":"${RECORD.join(' ')} ${RECORD.join(' ')}","logGroup":${JSON.stringify(payload)}}\n`,
      expect: /^Split into 2 records/,
    },
    { label: 'wrapped record', text: `${V2}\n${words.slice(0, 6).join(' ')}\n${words.slice(6).join(' ')}\n`, expect: /^Join with the next line/ },
    { label: 'irregular spacing', text: `${V2}\n${record.replace(' ', '  ')}\n${record.replace(' ', '\t')}\n`, expect: /^Normalize spacing in the whole document/ },
    { label: 'lowercase action', text: `${V2}\n${withPayload(payload, { 12: 'accept' })}\n`, expect: /^Replace 'accept' with 'ACCEPT'/ },
    { label: 'zero-padded address', text: `${V2}\n${withPayload(payload, { 3: '010.000.000.001' })}\n`, expect: /^Replace '010\.000\.000\.001' with '10\.0\.0\.1'/ },
    { label: 'duplicate name next to it', text: `# fields: version srcaddr ${payload} dstaddr srcaddr\n2 10.0.0.1 x 10.0.0.2 10.0.0.3\n`, expect: /^Remove duplicate 'srcaddr'/ },
    { label: 'headerless', text: `${RECORD.join(' ')}\n${RECORD.join(' ')}\n${record}\n`, expect: /^Insert header line/ },
  ];
}

/** The text with `edits` applied (LSP semantics: positions in the original text). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (position: Range['start']): number => starts[position.line] + position.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end));
  return out;
}

const count = (text: string, part: string): number => text.split(part).length - 1;
const CONTROLS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function checkEdits(label: string, text: string, action: FlowLogCodeAction, edits: readonly TextEdit[]): void {
  const where = `${label}: '${action.title}'`;
  const lines = text.split('\n');
  const spans = edits.map((edit) => {
    const { start, end } = edit.range;
    assert.ok(start.line >= 0 && end.line < lines.length && (start.line < end.line || start.character <= end.character), `${where}: edit range ${JSON.stringify(edit.range)}`);
    assert.ok(start.character <= lines[start.line].length && end.character <= lines[end.line].length, `${where}: edit past the end of its line`);
    return [start.line * 1e9 + start.character, end.line * 1e9 + end.character] as const;
  });
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] >= spans[i - 1][1], `${where}: overlapping edits`);
  // Control and bidi characters in new text: only ones the file already had.
  for (const edit of edits) {
    for (const c of edit.newText.match(CONTROLS) ?? []) assert.ok(text.includes(c), `${where}: brings in U+${c.codePointAt(0)?.toString(16)}`);
  }
  const after = applyEdits(text, edits);
  // A payload is moved or copied whole, never cut or dropped (removing a duplicate name removes the name only).
  assert.ok(count(after, MARKER) >= count(text, MARKER), `${where}: a payload was dropped\n${after}`);
  const original = text.split('\n').filter((line) => line.startsWith('{'));
  if (original.length > 0 && original.every(isJson)) {
    for (const line of after.split('\n').filter((l) => l.startsWith('{'))) assert.ok(isJson(line), `${where}: a JSON line is no longer JSON: ${line}`);
  }
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** Per document label, the payloads for which its fix was offered (and so checked). */
const exercised = new Map<string, number>();

function checkActions(label: string, text: string, expect: RegExp): void {
  const doc = new FlowLogDocument(text);
  const problems = collectProblems(doc);
  const seen: string[] = [];
  for (let line = 0; line < doc.lines.lineCount; line++) {
    const range: Range = { start: { line, character: 0 }, end: { line, character: 0 } };
    for (const mode of ['eager', 'lazy'] as const) {
      for (const action of codeActions(doc, range, problems, { wholeDocument: mode })) {
        seen.push(action.title);
        const found = plainTextProblems(action.title, 200);
        if (found.length) assert.fail(`${label}: code action title ${JSON.stringify(action.title)}: ${found.join('; ')}`);
        const edits = action.resolve ? (wholeDocumentEdits(doc, action.resolve) ?? []) : action.edits;
        checkEdits(label, text, action, edits);
      }
    }
  }
  if (seen.some((title) => expect.test(title))) exercised.set(label, (exercised.get(label) ?? 0) + 1);
}

describe('hostile content × code actions', () => {
  for (const payload of PAYLOADS) {
    it(`every fix stays safe: ${JSON.stringify(payload.length > 50 ? `${payload.slice(0, 50)}…` : payload)}`, () => {
      for (const { label, text, expect } of fixDocuments(payload)) checkActions(label, text, expect);
    });
  }

  // Some payloads change what the line is (a `#` starts a comment; `(` ends a directive's names): the
  // fix each document is made for must still have been checked with most payloads.
  it('each kind of fix was offered, and checked, for most payloads', () => {
    for (const { label } of fixDocuments(MARKER)) assert.ok((exercised.get(label) ?? 0) >= PAYLOADS.length / 2, `${label}: ${exercised.get(label) ?? 0} of ${PAYLOADS.length}`);
  });

  it('the checks catch a cut payload, a control character brought in and broken JSON', () => {
    const text = `${V2}\n{"message":"x","logGroup":"[${MARKER}](https://e/)"}\n`;
    const action: FlowLogCodeAction = { title: 'test', kind: 'quickfix', edits: [] };
    const at = (line: number, character: number) => ({ line, character });
    const cut = { range: { start: at(1, 30), end: at(1, 31) }, newText: '' };
    assert.throws(() => checkEdits('cut', text, action, [cut]), /a payload was dropped|no longer JSON/);
    assert.throws(() => checkEdits('control', text, action, [{ range: { start: at(0, 0), end: at(0, 0) }, newText: '\u001b[2J' }]), /brings in U\+1b/);
    const last = text.split('\n')[1].length;
    assert.throws(() => checkEdits('json', text, action, [{ range: { start: at(1, last - 1), end: at(1, last) }, newText: '' }]), /no longer JSON/);
    assert.throws(() => checkEdits('overlap', text, action, [cut, cut]), /overlapping/);
  });
});

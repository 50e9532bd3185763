/**
 * Properties of the editor features over arbitrary and broken flow logs: hover, semantic tokens,
 * inlay hints and code actions never throw, everything they return lies inside the document,
 * viewport requests agree with whole-document ones, and applying a quick fix removes its problem.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Position, Range } from 'vscode-languageserver-types';
import { codeActions } from '../../server/src/service/codeActions';
import { complete, completeFieldList } from '../../server/src/service/completion';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { doHover } from '../../server/src/service/hover';
import { inlayHints, MAX_INLAY_HINTS } from '../../server/src/service/inlayHints';
import { LineIndex } from '../../server/src/service/lines';
import { parseLine } from '../../server/src/service/parse';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES, semanticTokens } from '../../server/src/service/semanticTokens';
import type { Problem } from '../../server/src/service/validate';
import {
  anyDocumentText,
  anyPosition,
  applyTextEdits,
  assertPositionInside,
  assertRangeInside,
  check,
  comparePositions,
  explicitFormat,
  HEADERS,
  lineLength,
  mutatedFlowLog,
  REAL_RECORDS,
} from './arbitraries';

/** Positions worth probing on every line: both ends, every token's edges and middle, and just past the end. */
function probePositions(doc: FlowLogDocument): Position[] {
  const positions: Position[] = [];
  for (let line = 0; line < doc.lines.lineCount; line++) {
    const length = lineLength(doc, line);
    const characters = new Set([0, length, length + 1]);
    for (const token of parseLine(doc, line).tokens) {
      characters.add(token.start);
      characters.add(token.end);
      characters.add((token.start + token.end) >> 1);
    }
    for (const character of characters) positions.push({ line, character });
  }
  positions.push({ line: doc.lines.lineCount, character: 0 }, { line: -1, character: 0 });
  return positions;
}

function assertHover(doc: FlowLogDocument, position: Position): void {
  const hover = doHover(doc, position);
  if (hover === undefined) return;
  const contents = hover.contents as { kind: string; value: string };
  assert.equal(contents.kind, 'markdown');
  assert.ok(typeof contents.value === 'string' && contents.value.trim().length > 0, 'hover text');
  assert.ok(hover.range, 'hover range');
  assertRangeInside(doc, hover.range, 'hover');
  assert.ok(comparePositions(hover.range.start, position) <= 0 && comparePositions(position, hover.range.end) <= 0, `hover range ${JSON.stringify(hover.range)} covers ${JSON.stringify(position)}`);
}

interface DecodedToken {
  line: number;
  start: number;
  length: number;
  type: number;
  modifiers: number;
}

/** Decodes LSP's relative encoding and checks each token is inside the document, in order, without overlap. */
function decodeTokens(doc: FlowLogDocument, data: readonly number[]): DecodedToken[] {
  assert.equal(data.length % 5, 0, 'five numbers per token');
  const tokens: DecodedToken[] = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = data.slice(i, i + 5);
    assert.ok(data.slice(i, i + 5).every((n) => Number.isInteger(n) && n >= 0), `non-negative integers at ${i}: ${data.slice(i, i + 5)}`);
    const previous = tokens[tokens.length - 1];
    line += deltaLine;
    start = deltaLine === 0 ? start + deltaStart : deltaStart;
    const token = { line, start, length, type, modifiers };
    assert.ok(line < doc.lines.lineCount, `token line ${line} inside the document`);
    assert.ok(length > 0 && start + length <= lineLength(doc, line), `token [${start}, ${start + length}) inside line ${line} of ${lineLength(doc, line)}`);
    assert.ok(type < SEMANTIC_TOKEN_TYPES.length, `token type ${type}`);
    assert.ok(modifiers < 1 << SEMANTIC_TOKEN_MODIFIERS.length, `modifiers ${modifiers}`);
    if (previous && previous.line === line) assert.ok(start >= previous.start + previous.length, `token at ${line}:${start} overlaps the previous one`);
    tokens.push(token);
  }
  return tokens;
}

const lineWindow = fc.tuple(fc.integer({ min: -2, max: 25 }), fc.integer({ min: -2, max: 25 }));

describe('hover (property)', () => {
  it('hover anywhere never throws, and a hover covers its position inside the document', () => {
    check(
      'hover-anywhere',
      fc.property(anyDocumentText, explicitFormat, fc.array(anyPosition, { maxLength: 5 }), (text, format, extra) => {
        const doc = new FlowLogDocument(text, format);
        for (const position of [...probePositions(doc), ...extra]) assertHover(doc, position);
      }),
    );
  });

  it('hover is deterministic', () => {
    check(
      'hover-deterministic',
      fc.property(mutatedFlowLog, (text) => {
        const first = new FlowLogDocument(text);
        const second = new FlowLogDocument(text);
        for (const position of probePositions(first)) assert.deepEqual(doHover(first, position), doHover(second, position));
      }),
    );
  });
});

describe('semantic tokens (property)', () => {
  it('token data decodes to sorted, non-overlapping tokens inside the document', () => {
    check(
      'semantic-tokens-inside',
      fc.property(anyDocumentText, explicitFormat, (text, format) => {
        const doc = new FlowLogDocument(text, format);
        const data = semanticTokens(doc);
        decodeTokens(doc, data);
        assert.deepEqual(semanticTokens(new FlowLogDocument(text, format)), data, 'deterministic');
      }),
    );
  });

  it('a viewport request gives exactly the whole-document tokens of those lines', () => {
    check(
      'semantic-tokens-viewport',
      fc.property(anyDocumentText, lineWindow, (text, [a, b]) => {
        const doc = new FlowLogDocument(text);
        const all = decodeTokens(doc, semanticTokens(doc));
        const range = { startLine: Math.min(a, b), endLine: Math.max(a, b) };
        const some = decodeTokens(doc, semanticTokens(doc, range));
        assert.deepEqual(some, all.filter((t) => t.line >= range.startLine && t.line <= range.endLine));
      }),
    );
  });
});

describe('inlay hints (property)', () => {
  const options = fc.record({ fieldNames: fc.boolean(), decodedValues: fc.boolean() });

  it('hints lie inside the document and the requested lines, with a label', () => {
    check(
      'inlay-hints-inside',
      fc.property(anyDocumentText, explicitFormat, lineWindow, options, (text, format, [a, b], opts) => {
        const doc = new FlowLogDocument(text, format);
        const range: Range = { start: { line: Math.min(a, b), character: 0 }, end: { line: Math.max(a, b), character: 0 } };
        const hints = inlayHints(doc, range, opts);
        assert.ok(hints.length <= MAX_INLAY_HINTS);
        for (const hint of hints) {
          assertPositionInside(doc, hint.position, 'inlay hint');
          assert.ok(hint.position.line >= range.start.line && hint.position.line <= Math.max(range.start.line, range.end.line), `hint line ${hint.position.line} in the range`);
          const label = typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
          assert.ok(label.trim().length > 0, 'a label');
          assert.ok(!/[\r\n]/.test(label), 'one-line label');
        }
        assert.deepEqual(inlayHints(new FlowLogDocument(text, format), range, opts), hints, 'deterministic');
      }),
    );
  });

  it('hints of a few lines are those of the whole document on those lines', () => {
    check(
      'inlay-hints-viewport',
      fc.property(mutatedFlowLog, lineWindow, (text, [a, b]) => {
        const doc = new FlowLogDocument(text);
        const opts = { fieldNames: true, decodedValues: true };
        const whole = inlayHints(doc, { start: { line: 0, character: 0 }, end: { line: doc.lines.lineCount, character: 0 } }, opts);
        fc.pre(whole.length < MAX_INLAY_HINTS);
        const from = Math.max(0, Math.min(a, b));
        const to = Math.max(from, a, b);
        const some = inlayHints(doc, { start: { line: from, character: 0 }, end: { line: to + 1, character: 0 } }, opts);
        assert.deepEqual(some, whole.filter((h) => h.position.line >= from && h.position.line <= to));
      }),
    );
  });
});

/** Documents where quick fixes have work: a header, then real records split, joined, re-spaced and mistyped. */
const fixableFlowLog = fc
  .record({
    header: fc.constantFrom(...HEADERS),
    records: fc.array(fc.constantFrom(...REAL_RECORDS), { minLength: 1, maxLength: 6 }),
    breakage: fc.array(fc.record({ kind: fc.constantFrom('join', 'split', 'space', 'tab', 'trailing', 'typo'), at: fc.nat(), cut: fc.nat() }), { maxLength: 4 }),
    eol: fc.constantFrom('\n', '\r\n'),
  })
  .map(({ header, records, breakage, eol }) => {
    const lines = [...records];
    for (const { kind, at, cut } of breakage) {
      const i = at % lines.length;
      const fields = lines[i].split(' ');
      if (kind === 'join' && i + 1 < lines.length) lines.splice(i, 2, `${lines[i]} ${lines[i + 1]}`);
      else if (kind === 'split') lines.splice(i, 1, fields.slice(0, cut % fields.length).join(' '), fields.slice(cut % fields.length).join(' '));
      else if (kind === 'space') lines[i] = fields.map((f, k) => (k === cut % fields.length ? ` ${f}` : f)).join(' ');
      else if (kind === 'tab') lines[i] = fields.join('\t');
      else if (kind === 'trailing') lines[i] = `${lines[i]}  `;
      else lines[i] = lines[i].replace(/\bOK\b/, '0K').replace(/\bACCEPT\b/, 'accept');
    }
    return [header, ...lines].join(eol);
  });

const FIXED_CODES = new Set(['two-records', 'wrapped-record', 'irregular-spacing', 'invalid-value', 'unknown-value', 'unknown-field', 'duplicate-field']);

/** Whether the problem is still there after its fix, at the lines its fix rewrote. */
function stillThere(problem: Problem, before: readonly Problem[], after: readonly Problem[]): boolean {
  const fix = problem.fix;
  const onLine = (list: readonly Problem[]): number => list.filter((p) => p.code === problem.code && p.line === problem.line).length;
  // Removing one of several duplicates leaves the others: one fewer is the fix.
  if (fix?.kind === 'remove-field') return onLine(after) >= onLine(before);
  if (fix?.kind === 'split') return after.some((p) => p.code === problem.code && p.line >= problem.line && p.line <= problem.line + fix.offsets.length);
  if (fix?.kind === 'replace') return after.some((p) => p.code === problem.code && p.line === problem.line && p.start === problem.start);
  return after.some((p) => p.code === problem.code && p.line === problem.line);
}

describe('code actions (property)', () => {
  it('every action on any range has edits inside the document that apply without overlap, deterministically', () => {
    check(
      'code-actions-inside',
      fc.property(anyDocumentText, lineWindow, (text, [a, b]) => {
        const doc = new FlowLogDocument(text);
        const problems = collectProblems(doc);
        const range: Range = { start: { line: Math.min(a, b), character: 0 }, end: { line: Math.max(a, b), character: 0 } };
        const actions = codeActions(doc, range, problems);
        assert.deepEqual(codeActions(new FlowLogDocument(text), range, collectProblems(new FlowLogDocument(text))), actions, 'deterministic');
        for (const action of actions) {
          assert.ok(action.title.length > 0);
          for (const edit of action.edits) assertRangeInside(doc, edit.range, `edit of '${action.title}'`);
          applyTextEdits(doc, action.edits);
        }
      }),
    );
  });

  it('applying the fix of a two-records, wrapped-record, spacing, replace or duplicate problem removes that problem', () => {
    check(
      'code-actions-fix-removes-problem',
      fc.property(fc.oneof(fixableFlowLog, mutatedFlowLog), (text) => {
        const doc = new FlowLogDocument(text);
        const problems = collectProblems(doc, { maxProblems: Number.MAX_SAFE_INTEGER });
        for (const problem of problems) {
          if (!FIXED_CODES.has(problem.code) || !problem.fix) continue;
          const range: Range = { start: { line: problem.line, character: 0 }, end: { line: problem.endLine ?? problem.line, character: 0 } };
          const action = codeActions(doc, range, problems).find((a) => a.problem === problem && a.kind === 'quickfix');
          // The service may decline a fix it cannot make safely (a look-alike letter inside the word).
          if (!action) continue;
          const fixed = new FlowLogDocument(applyTextEdits(doc, action.edits));
          // A fix on a record line must not move the format it is checked against; re-inference may.
          const inferred = doc.formats.primary.source === 'inferred' || doc.formats.primary.source === 'default';
          if (inferred && fixed.formats.primary.names.join(' ') !== doc.formats.primary.names.join(' ')) continue;
          const after = collectProblems(fixed, { maxProblems: Number.MAX_SAFE_INTEGER });
          assert.ok(!stillThere(problem, problems, after), `'${action.title}' leaves ${problem.code} at line ${problem.line}:\n${fixed.getText()}`);
        }
      }),
    );
  });
});

describe('completion (property)', () => {
  /** The position completion works at: the requested one, clamped into its line. */
  function clamped(doc: FlowLogDocument, position: Position): Position {
    return { line: position.line, character: Math.max(0, Math.min(position.character, lineLength(doc, position.line))) };
  }

  it('completion anywhere never throws; items have a label and replace a range around the cursor', () => {
    check(
      'completion-anywhere',
      fc.property(anyDocumentText, fc.array(anyPosition, { maxLength: 5 }), (text, extra) => {
        const doc = new FlowLogDocument(text);
        for (const position of [...probePositions(doc), ...extra]) {
          const items = complete(doc, position);
          assert.ok(Array.isArray(items));
          if (items.length === 0) continue;
          const cursor = clamped(doc, position);
          for (const item of items) {
            assert.ok(item.label.length > 0, 'a label');
            const edit = item.textEdit;
            if (!edit) continue;
            const range = 'range' in edit ? edit.range : edit.replace;
            assertRangeInside(doc, range, `completion '${item.label}'`);
            assert.ok(comparePositions(range.start, cursor) <= 0 && comparePositions(cursor, range.end) <= 0, `range ${JSON.stringify(range)} holds the cursor ${JSON.stringify(cursor)}`);
          }
          assert.deepEqual(complete(new FlowLogDocument(text), position), items, 'deterministic');
        }
      }),
    );
  });

  it('completion in a format setting never throws and replaces a range of the setting around the cursor', () => {
    check(
      'completion-field-list',
      fc.property(fc.oneof(explicitFormat.map((s) => s ?? ''), anyDocumentText), fc.integer({ min: -3, max: 400 }), (value, offset) => {
        const items = completeFieldList(value, offset);
        // An offset between the CR and LF of one line break is no position at all.
        if (value[offset - 1] === '\r' && value[offset] === '\n') return;
        const doc = new FlowLogDocument(value);
        const cursor = new LineIndex(value).positionAt(offset);
        for (const item of items) {
          assert.ok(item.label.length > 0);
          const edit = item.textEdit;
          if (!edit) continue;
          const range = 'range' in edit ? edit.range : edit.replace;
          assertRangeInside(doc, range, `setting completion '${item.label}'`);
          assert.ok(comparePositions(range.start, cursor) <= 0 && comparePositions(cursor, range.end) <= 0, `range ${JSON.stringify(range)} holds ${JSON.stringify(cursor)}`);
        }
      }),
    );
  });
});

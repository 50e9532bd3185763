/**
 * The text of a document is kept in blocks of lines; every feature must answer the same however
 * the blocks fall. Tiny blocks put a boundary after almost every line, so a feature that reads
 * past its line in the block's string, or mixes offsets of two blocks, gives a different answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { codeActions, headerLineEdit, normalizeSpacingEdits } from '../../server/src/service/codeActions';
import { complete } from '../../server/src/service/completion';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { doHover } from '../../server/src/service/hover';
import { inlayHints } from '../../server/src/service/inlayHints';
import { semanticTokens } from '../../server/src/service/semanticTokens';
import { anyDocumentText, check } from './arbitraries';

const blockSize = fc.integer({ min: 1, max: 32 });

/** Every answer of the service for a document, at the positions the generator picked. */
function answers(doc: FlowLogDocument, positions: readonly { line: number; character: number }[]): unknown {
  const problems = collectProblems(doc);
  const last = doc.lines.lineCount - 1;
  const whole = { start: { line: 0, character: 0 }, end: { line: last, character: doc.lines.lineEnd(last) - doc.lines.lineStart(last) } };
  return JSON.parse(
    JSON.stringify({
      formats: doc.formats,
      problems,
      tokens: semanticTokens(doc),
      hints: inlayHints(doc, whole, { fieldNames: true, decodedValues: true }),
      actions: codeActions(doc, whole, problems),
      header: headerLineEdit(doc),
      spacing: normalizeSpacingEdits(doc),
      hovers: positions.map((position) => doHover(doc, position)),
      completions: positions.map((position) => complete(doc, position)),
    }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  );
}

describe('text blocks (property)', () => {
  it('every feature answers the same with blocks of any size as with one block', () => {
    const position = fc.record({ line: fc.integer({ min: 0, max: 30 }), character: fc.integer({ min: 0, max: 120 }) });
    check(
      'blocks-same-answers',
      fc.property(anyDocumentText, blockSize, fc.array(position, { maxLength: 6 }), (text, size, positions) => {
        const expected = answers(new FlowLogDocument(text), positions);
        assert.deepEqual(answers(new FlowLogDocument(text, undefined, { blockSize: size }), positions), expected);
      }),
    );
  });

  it('a document opened from pieces cut anywhere equals the one opened from the whole text', () => {
    check(
      'blocks-pieces',
      fc.property(anyDocumentText, fc.array(fc.nat(), { maxLength: 10 }), blockSize, (text, cuts, size) => {
        const offsets = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [...offsets, text.length].map((end, i) => text.slice(i === 0 ? 0 : offsets[i - 1], end));
        const doc = new FlowLogDocument(pieces, undefined, { blockSize: size });
        assert.equal(doc.getText(), text);
        assert.deepEqual(answers(doc, []), answers(new FlowLogDocument(text), []));
      }),
    );
  });
});

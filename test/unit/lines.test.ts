import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../../server/src/service/lines';
import { FlowLogDocument } from '../../server/src/service/document';

function starts(index: LineIndex): number[] {
  return Array.from({ length: index.lineCount }, (_, line) => index.lineStart(line));
}

describe('LineIndex', () => {
  it('splits on LF, CRLF and a lone CR like VS Code', () => {
    const text = 'a\nb\r\nc\rd';
    const index = new LineIndex(text);
    assert.deepEqual(starts(index), [0, 2, 5, 7]);
    assert.equal(index.lineEnd(text, 1), 3);
    assert.deepEqual(index.positionAt(text, 6), { line: 2, character: 1 });
    assert.equal(index.offsetAt(text, { line: 3, character: 99 }), text.length);
    assert.equal(index.offsetAt(text, { line: 1, character: 99 }), 3, 'clamped before the line break');
  });

  it('an incremental edit gives the same index as rebuilding (any text, any edit)', () => {
    const piece = fc.constantFrom('a', 'b', ' ', '\n', '\r', '\r\n', 'xyz');
    const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), text, (before, a, b, inserted) => {
        const start = Math.min(a, b) % (before.length + 1);
        const end = Math.min(before.length, start + (Math.max(a, b) % 5));
        const after = before.slice(0, start) + inserted + before.slice(end);
        const index = new LineIndex(before);
        index.applyEdit(after, start, end, inserted);
        assert.deepEqual(starts(index), starts(new LineIndex(after)));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });
});

describe('FlowLogDocument edits', () => {
  it('applies LSP-style range edits in order and keeps the format', () => {
    const doc = new FlowLogDocument('version srcaddr\n2 1.1.1.1\n2 2.2.2.2\n');
    doc.applyEdits([{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } }, text: '9.9.9.9' }]);
    assert.equal(doc.text, 'version srcaddr\n2 9.9.9.9\n2 2.2.2.2\n');
    assert.equal(doc.formats.primary.source, 'header');
    const change = doc.applyEdits([{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 15 } }, text: 'dstaddr' }]);
    assert.equal(change.formatsChanged, true);
    assert.deepEqual(doc.formats.primary.names, ['version', 'dstaddr']);
  });
});

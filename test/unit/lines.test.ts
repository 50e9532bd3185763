import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BlockText } from '../../server/src/service/blocks';
import { LineIndex, lineText, type LineSource } from '../../server/src/service/lines';
import { FlowLogDocument } from '../../server/src/service/document';

function lineTexts(lines: LineSource): string[] {
  return Array.from({ length: lines.lineCount }, (_, line) => lineText(lines, line));
}

/** Line breaks as LSP counts them, independently of the code under test. */
function referenceLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

describe('LineIndex', () => {
  it('splits on LF, CRLF and a lone CR like VS Code', () => {
    const text = 'a\nb\r\nc\rd';
    const index = new LineIndex(text);
    assert.deepEqual(lineTexts(index), ['a', 'b', 'c', 'd']);
    assert.equal(index.lineStart(2), 5);
    assert.equal(index.lineEnd(1), 3);
    assert.deepEqual(index.positionAt(6), { line: 2, character: 1 });
    assert.equal(index.offsetAt({ line: 3, character: 99 }), text.length);
    assert.equal(index.offsetAt({ line: 1, character: 99 }), 3, 'clamped before the line break');
  });
});

describe('BlockText', () => {
  const piece = fc.constantFrom('a', 'b', ' ', '\n', '\r', '\r\n', 'xyz', 'é', '😀');
  const anyText = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));
  const blockSize = fc.integer({ min: 1, max: 12 });

  it('cuts blocks at line breaks only, never inside a CRLF, for any text and block size', () => {
    fc.assert(
      fc.property(anyText, blockSize, (text, size) => {
        const blocks = new BlockText(text, size);
        assert.deepEqual(lineTexts(blocks), referenceLines(text));
        assert.equal(blocks.getText(), text);
        assert.equal(blocks.length, text.length);
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('pieces cut anywhere, even inside a CRLF or a surrogate pair, give the same lines as the whole text', () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.nat(), { maxLength: 8 }), blockSize, (text, cuts, size) => {
        const offsets = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [...offsets, text.length].map((end, i) => text.slice(i === 0 ? 0 : offsets[i - 1], end));
        const blocks = new BlockText(pieces, size);
        assert.deepEqual(lineTexts(blocks), referenceLines(text));
        assert.equal(blocks.getText(), text);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('an edit gives the lines of the edited text and reports exactly the lines it touched', () => {
    fc.assert(
      fc.property(anyText, fc.nat(), fc.nat(), anyText, blockSize, (before, a, b, inserted, size) => {
        const index = new LineIndex(before);
        const [x, y] = [a % (before.length + 1), b % (before.length + 1)];
        const start = index.positionAt(Math.min(x, y));
        const end = index.positionAt(Math.max(x, y));
        const from = index.offsetAt(start);
        const to = index.offsetAt(end);
        const after = before.slice(0, from) + inserted + before.slice(to);
        const blocks = new BlockText(before, size);
        const change = blocks.applyEdit({ start, end }, inserted);
        assert.equal(blocks.getText(), after);
        const expected = referenceLines(after);
        assert.deepEqual(lineTexts(blocks), expected);
        // Lines outside the reported change are the old lines, shifted.
        const old = referenceLines(before);
        assert.deepEqual(expected.slice(0, change.line), old.slice(0, change.line));
        assert.deepEqual(expected.slice(change.line + change.added + 1), old.slice(change.line + change.removed + 1));
        assert.equal(expected.length - old.length, change.added - change.removed);
      }),
      { numRuns: 5000, seed: 3 },
    );
  });

  it('keeps blocks near the block size after many edits in a large text', () => {
    const line = '2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1620000000 1620000060 ACCEPT OK';
    const text = Array.from({ length: 20_000 }, () => line).join('\n');
    const blocks = new BlockText(text);
    const before = blocks.lineCount;
    for (let i = 0; i < 200; i++) {
      const at = (i * 7919) % blocks.lineCount;
      blocks.applyEdit({ start: { line: at, character: 0 }, end: { line: at, character: 2 } }, i % 2 ? '' : '2 x\n');
    }
    assert.equal(blocks.lineCount, before + 100);
    assert.equal(lineText(blocks, blocks.lineCount - 1), line);
  });
});

describe('FlowLogDocument edits', () => {
  it('applies LSP-style range edits in order and keeps the format', () => {
    const doc = new FlowLogDocument('version srcaddr\n2 1.1.1.1\n2 2.2.2.2\n');
    doc.applyEdits([{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } }, text: '9.9.9.9' }]);
    assert.equal(doc.getText(), 'version srcaddr\n2 9.9.9.9\n2 2.2.2.2\n');
    assert.equal(doc.formats.primary.source, 'header');
    const change = doc.applyEdits([{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 15 } }, text: 'dstaddr' }]);
    assert.equal(change.formatsChanged, true);
    assert.deepEqual(doc.formats.primary.names, ['version', 'dstaddr']);
  });
});

describe('BlockText from pieces', () => {
  it('keeps a CRLF whole when empty pieces sit between its CR and LF', () => {
    const blocks = new BlockText(['ab\r', '', '', '\ncd\r', '\n'], 2);
    assert.deepEqual(lineTexts(blocks), ['ab', 'cd', '']);
  });

  it('uses a piece that ends with a line break as a block of its own', () => {
    const pieces = ['1 a\n2 b\n', '3 c\n', '4 d\n5 e\n'];
    const blocks = new BlockText(pieces, 8);
    assert.deepEqual(lineTexts(blocks), ['1 a', '2 b', '3 c', '4 d', '5 e', '']);
    assert.deepEqual([0, 2, 3].map((line) => blocks.textOf(line)), pieces);
  });
});

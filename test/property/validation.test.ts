/**
 * Issue 16, item 6: the editor's problems equal a fresh full check's and the CLI's, after any
 * sequence of edits and any chunking. The language server's DocumentValidation is driven as the
 * server drives it (a few steps of background validation between edits, chunks as small as one
 * line, sync lines searched only a few lines away), with random problem caps and line-length
 * limits, and compared with `collectProblems` on a fresh document of the final text and with
 * the CLI's stream cut into random chunks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DocumentValidation } from '../../server/src/service/documentValidation';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument, type TextEdit } from '../../server/src/service/document';
import { FlowLogStream } from '../../server/src/service/stream';
import type { Problem } from '../../server/src/service/validate';
import { anyDocumentText, check, flowishText, unicodeText, V2_RECORD } from './arbitraries';

const edit = fc.record({
  start: fc.record({ line: fc.integer({ min: 0, max: 30 }), character: fc.integer({ min: 0, max: 160 }) }),
  lines: fc.integer({ min: 0, max: 3 }),
  endCharacter: fc.integer({ min: 0, max: 160 }),
  // Pieces that make and break wrapped records, headers and blank (sync) lines.
  text: fc.oneof(
    flowishText,
    unicodeText,
    fc.constantFrom('', '\n', '\r\n', ' ', '\t', '#', '\n\n', 'version srcaddr dstaddr\n', V2_RECORD, `${V2_RECORD}\n`, V2_RECORD.slice(0, 40), `${V2_RECORD.slice(0, 40)}\n${V2_RECORD.slice(40)}`, `${V2_RECORD} ${V2_RECORD}`),
  ),
});

const toEdit = (e: { start: { line: number; character: number }; lines: number; endCharacter: number; text: string }): TextEdit => ({
  range: { start: e.start, end: { line: e.start.line + e.lines, character: e.lines === 0 ? e.start.character + e.endCharacter : e.endCharacter } },
  text: e.text,
});

/** Validation steps run between edit batches: none (an edit storm), some, or all. */
const session = fc.array(fc.record({ steps: fc.integer({ min: 0, max: 6 }), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) }), { minLength: 0, maxLength: 8 });

const chunking = fc.record({ linesPerClockRead: fc.integer({ min: 1, max: 6 }), syncSearchLines: fc.integer({ min: 1, max: 6 }) });

function streamProblems(text: string, cuts: readonly number[], maxLineLength: number): Problem[] {
  const problems: Problem[] = [];
  const stream = new FlowLogStream({ problem: (problem) => void problems.push({ ...problem }) }, { maxLineLength });
  let from = 0;
  for (const cut of [...cuts.map((f) => Math.floor(f * text.length))].sort((a, b) => a - b)) {
    stream.push(text.slice(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  stream.push(text.slice(from));
  stream.end();
  return problems;
}

/** Problems in line order with everything a user sees (the stream sorts per batch, the service puts declarations first). */
function comparable(problems: readonly Problem[]): string[] {
  return problems.map((p) => JSON.stringify([p.line, p.start, p.endLine ?? p.line, p.end, p.code, p.severity, p.message, p.fix ?? null])).sort();
}

function runSession(text: string, batches: readonly { steps: number; edits: readonly TextEdit[] }[], options: { blockSize: number; maxLineLength: number; maxProblems: number; chunking: { linesPerClockRead: number; syncSearchLines: number } }): { doc: FlowLogDocument; problems: Problem[] } {
  const doc = new FlowLogDocument(text, undefined, { blockSize: options.blockSize, maxLineLength: options.maxLineLength });
  const validation = new DocumentValidation(doc, { ...DEFAULT_SETTINGS, maxProblems: options.maxProblems }, options.chunking);
  for (const batch of batches) {
    for (let step = 0; step < batch.steps; step++) validation.step(0);
    validation.applyEdit(doc.applyEdits(batch.edits));
    // What the editor shows meanwhile must never hold a problem twice (overlapping wrapped records).
    const shown = validation.snapshot().problems;
    assert.equal(new Set(comparable(shown)).size, shown.length, 'a problem shown twice');
  }
  let guard = 0;
  while (!validation.step(0)) assert.ok(++guard < 10_000, 'validation never finished');
  return { doc, problems: validation.snapshot().problems };
}

describe('editor problems equal a fresh check and the CLI (property)', () => {
  it('after any edits, chunking, problem cap and line-length limit, the editor shows what a fresh check shows', () => {
    check(
      'editor-equals-fresh-check',
      fc.property(
        anyDocumentText,
        session,
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 8, max: 300 }),
        fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(1000)),
        chunking,
        (text, batches, blockSize, maxLineLength, maxProblems, chunks) => {
          const { doc, problems } = runSession(text, batches.map((b) => ({ steps: b.steps, edits: b.edits.map(toEdit) })), { blockSize, maxLineLength, maxProblems, chunking: chunks });
          const fresh = new FlowLogDocument(doc.getText(), undefined, { maxLineLength });
          assert.deepEqual(problems, collectProblems(fresh, { maxProblems }));
        },
      ),
    );
  });

  it('after any edits, the editor shows what the CLI reports for the text in any chunks', () => {
    check(
      'editor-equals-cli',
      fc.property(
        anyDocumentText,
        session,
        fc.integer({ min: 8, max: 300 }),
        chunking,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (text, batches, maxLineLength, chunks, cuts) => {
          const { doc, problems } = runSession(text, batches.map((b) => ({ steps: b.steps, edits: b.edits.map(toEdit) })), { blockSize: 64 * 1024, maxLineLength, maxProblems: 20_000, chunking: chunks });
          assert.deepEqual(comparable(problems), comparable(streamProblems(doc.getText(), cuts, maxLineLength)));
        },
      ),
    );
  });
});

/**
 * Incremental validation (server/src/service/documentValidation.ts) must find exactly what validating the
 * edited text from scratch finds: random edits (seeded) that break and fix records, wrap and join
 * lines, add and remove lines, in documents with and without a header.
 */
import { mulberry32 } from '../../bench/generate';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import type { Problem } from '../../server/src/service/validate';
import { DEFAULT_SETTINGS, type FlowLogSettings } from '../../server/src/lsp/settings';
import { DocumentValidation } from '../../server/src/service/documentValidation';

const RECORD = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

const random = mulberry32;

/** Replacement texts that create and repair every kind of record problem. */
const PIECES = [
  '\n',
  ' ',
  '  ',
  'x',
  '70641',
  '0K',
  RECORD,
  `${RECORD}\n`,
  `${RECORD} ${RECORD}`,
  '\n1418530010 1418530070 ACCEPT OK',
  '',
  '# note\n',
];

interface Edit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

function randomEdit(document: FlowLogDocument, next: () => number): Edit {
  const lines = document.lines.lineCount;
  const line = Math.floor(next() * lines);
  const length = document.lines.lineEnd(line) - document.lines.lineStart(line);
  const character = Math.floor(next() * (length + 1));
  let endLine = line;
  let endCharacter = Math.min(length, character + Math.floor(next() * 20));
  if (next() < 0.15 && line + 1 < lines) {
    endLine = line + 1;
    endCharacter = Math.floor(next() * 10);
  }
  return { range: { start: { line, character }, end: { line: endLine, character: endCharacter } }, text: PIECES[Math.floor(next() * PIECES.length)] };
}

function finish(validation: DocumentValidation): Problem[] {
  for (let guard = 0; !validation.step(1000); guard++) assert.ok(guard < 10_000, 'validation finishes');
  return validation.snapshot().problems;
}

const key = (p: Problem): string => `${p.line}:${p.start}-${p.endLine ?? p.line}:${p.end} ${p.code}`;

function runEdits(seed: number, initial: string, settings: FlowLogSettings, edits: number): void {
  const next = random(seed);
  const document = new FlowLogDocument(initial);
  const validation = new DocumentValidation(document, settings);
  finish(validation);
  for (let i = 0; i < edits; i++) {
    const edit = randomEdit(document, next);
    const summary = document.applyEdits([edit]);
    validation.applyEdit(summary);
    // Sometimes let several edits pile up before validation catches up, as in a typing burst.
    if (next() < 0.5) continue;
    const incremental = finish(validation).map(key);
    const fresh = collectProblems(new FlowLogDocument(document.getText()), { severities: settings.severities, maxProblems: settings.maxProblems }).map(key);
    assert.deepEqual(incremental, fresh, `seed ${seed}, after edit ${i} (${JSON.stringify(edit)})\n${document.getText()}`);
  }
}

function lines(count: number, header: boolean): string {
  const body = Array.from({ length: count }, (_, i) => (i % 9 === 4 ? RECORD.replace('20641', '70641') : RECORD));
  return (header ? [HEADER, ...body] : body).join('\n') + '\n';
}

describe('incremental validation matches validation from scratch', () => {
  it('after random edits to a file with a header line', () => {
    for (let seed = 1; seed <= 12; seed++) runEdits(seed, lines(60, true), DEFAULT_SETTINGS, 80);
  });

  it('after random edits to a file without a header (inferred format)', () => {
    for (let seed = 101; seed <= 108; seed++) runEdits(seed, lines(40, false), DEFAULT_SETTINGS, 60);
  });

  it('validates in blocks that join up exactly, even where a record is wrapped over several lines', () => {
    const body: string[] = [];
    for (let i = 0; body.length < 3000; i++) {
      // A record broken over three lines every 37 lines, so that breaks straddle every block boundary.
      if (i % 37 === 5) body.push(RECORD.split(' ').slice(0, 4).join(' '), RECORD.split(' ').slice(4, 9).join(' '), RECORD.split(' ').slice(9).join(' '));
      else body.push(RECORD);
    }
    const text = `${HEADER}\n${body.join('\n')}\n`;
    const validation = new DocumentValidation(new FlowLogDocument(text), DEFAULT_SETTINGS);
    const stepped = finish(validation).map(key);
    const whole = collectProblems(new FlowLogDocument(text)).map(key);
    assert.ok(whole.length > 50 && whole.every((k) => k.endsWith('wrapped-record')));
    assert.deepEqual(stepped, whole);
  });

  it('keeps the problem cap and its summary across edits', () => {
    const capped = { ...DEFAULT_SETTINGS, maxProblems: 5 };
    const document = new FlowLogDocument(lines(200, true));
    const validation = new DocumentValidation(document, capped);
    const problems = finish(validation);
    assert.equal(problems.length, 6);
    assert.equal(problems[5].code, 'problem-limit');
    // Fixing the first bad port lets the cap reach one record further.
    const firstBad = problems[0].line;
    const summary = document.applyEdits([{ range: { start: { line: firstBad, character: problems[0].start }, end: { line: firstBad, character: problems[0].end } }, text: '50641' }]);
    validation.applyEdit(summary);
    const after = finish(validation);
    assert.equal(after.length, 6);
    assert.ok(after.every((p) => p.line !== firstBad));
    assert.equal(after[4].line, problems[4].line + 9, 'the next bad line joined the list');
  });

  it('reports progress and is done only when every line is checked', () => {
    const document = new FlowLogDocument(lines(5000, true));
    const validation = new DocumentValidation(document, DEFAULT_SETTINGS);
    assert.equal(validation.done, false);
    validation.step(0);
    assert.ok(validation.progress > 0 && validation.progress < 1, `progress ${validation.progress}`);
    finish(validation);
    assert.equal(validation.progress, 1);
  });
});

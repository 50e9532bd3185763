/**
 * The seed is AWS's documentation as copied from a PDF: records wrapped over lines, two records on
 * one line, `0K` for `OK`, a double space. Every code block of it, read with the format its prose
 * declares, is repaired by flowlog's own quick fixes into records that AWS publishes cleanly in
 * the conformance data; what cannot be repaired is exactly what the seed got wrong.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeActions } from '../../server/src/service/codeActions';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { parseLine } from '../../server/src/service/parse';
import { CONFORMANCE_DIR, SEED_FILE } from '../fixtures/paths';
import { applyEdits, conformanceText } from './helpers';


/** Code blocks of the seed with the field list the preceding prose gives them. */
function seedBlocks(): { line: number; body: string; format: string }[] {
  const lines = readFileSync(SEED_FILE, 'utf8').split('\n');
  const blocks: { line: number; body: string; format: string }[] = [];
  let format = 'default';
  let open = -1;
  lines.forEach((line, i) => {
    if (line.trim() === '```') {
      if (open < 0) open = i;
      else {
        const body = lines.slice(open + 1, i).join('\n');
        // A block of field names (wrapped mid-name: `tcp-` / `flags`) declares the format.
        if (/^version [a-z-]+ [a-z-]+/.test(body)) format = body.replace(/-\n/g, '-').trim().split(/\s+/).join(' ');
        else blocks.push({ line: open + 2, body, format });
        open = -1;
      }
      return;
    }
    // Prose lines that list field names declare the format of the blocks after them.
    if (open < 0 && /^(version|instance-id) [a-z-]+ [a-z-]+/.test(line.trim())) format = line.trim();
  });
  return blocks;
}

/** Applies the preferred quick fix of the first fixable problem until none is left. */
function repair(text: string, format: string): string {
  for (let round = 0; round < 50; round++) {
    const document = new FlowLogDocument(text, format);
    const problems = collectProblems(document);
    const fix = problems
      .map((problem) => codeActions(document, { start: { line: problem.line, character: problem.start }, end: { line: problem.line, character: problem.end } }, [problem]))
      .find((actions) => actions.some((a) => a.kind === 'quickfix'))
      ?.find((a) => a.kind === 'quickfix');
    if (!fix) return text;
    text = applyEdits(text, fix.edits);
  }
  throw new Error('repair did not converge');
}

function cleanRecords(): Set<string> {
  const folder = join(CONFORMANCE_DIR, 'awsdocs-amazon-vpc-user-guide');
  const records = new Set<string>();
  for (const file of readdirSync(folder)) {
    for (const line of conformanceText('awsdocs-amazon-vpc-user-guide', file).split('\n')) {
      if (line && !line.startsWith('#')) records.add(line.replace(/ #.*/, '').split(/\s+/).join(' '));
    }
  }
  return records;
}

/** The seed's own mistakes, which no fix can know the answer to. */
const SEED_TYPOS = [
  'NODATA and SKIPDATA records with five dashes instead of seven',
  'ids with a different number of digits than the clean example',
];

describe('the AWS documentation seed', () => {
  const blocks = seedBlocks();
  const clean = cleanRecords();

  it('has the code blocks this test expects', () => {
    assert.equal(blocks.length, 17);
  });

  it('every block is repaired by quick fixes into AWS’s clean records, except the known typos', () => {
    let repaired = 0;
    const unrepaired: string[] = [];
    for (const block of blocks) {
      const fixed = repair(block.body, block.format);
      const document = new FlowLogDocument(fixed, block.format);
      for (let line = 0; line < document.lines.lineCount; line++) {
        const parsed = parseLine(document, line);
        if (parsed.kind !== 'record') continue;
        const record = parsed.tokens.map((t) => t.text).join(' ');
        if (clean.has(record)) repaired++;
        else unrepaired.push(`seed line ${block.line + line}: ${record}`);
      }
    }
    // 23 of the seed's records come out exactly as AWS publishes them.
    // Every other record of the seed comes out exactly as AWS publishes it.
    assert.equal(repaired, 19, unrepaired.join('\n'));
    assert.equal(unrepaired.length, 4, `${SEED_TYPOS.join('; ')}:\n${unrepaired.join('\n')}`);
  });

  it('flags what it cannot repair', () => {
    const nodata = blocks.find((block) => block.body.includes('NODATA')) as { body: string };
    assert.deepEqual(collectProblems(new FlowLogDocument(nodata.body, 'default')).map((p) => p.code), ['field-count']);
    const twoLines = blocks.find((block) => /\n\s*0K/.test(block.body)) as { body: string };
    const codes = collectProblems(new FlowLogDocument(twoLines.body, 'default')).map((p) => p.code);
    assert.ok(codes.includes('wrapped-record'));
  });
});

/**
 * One millisecond threshold, one reading: a start or end value is read in the same unit by the
 * diagnostic, the hover and the flow summary. 100000000000 used to be milliseconds to validation
 * (`>=` 1e11) and the year 5138 to the hover (`>` 1e11).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { collectProblems } from '../../server/src/service/diagnostics';
import { doHover } from '../../server/src/service/hover';
import { docWithCursor } from './helpers';
import { V2_HEADER, v2 } from './ruleExamples';

function readings(start: string, end: string): { codes: string[]; hover: string } {
  const record = v2({ start, end });
  const at = record.indexOf(` ${start} `) + 1;
  const { doc, position } = docWithCursor(`${V2_HEADER}\n${record.slice(0, at)}|${record.slice(at)}\n`);
  const hover = doHover(doc, position);
  assert.ok(hover);
  return { codes: collectProblems(doc).map((problem) => problem.code), hover: (hover.contents as MarkupContent).value };
}

describe('epoch units', () => {
  it('reads 100000000000 as milliseconds everywhere', () => {
    const { codes, hover } = readings('100000000000', '100000060000');
    assert.deepEqual(codes, ['millisecond-timestamp', 'millisecond-timestamp']);
    assert.match(hover, /\*\*1973-03-03 09:46:40 UTC\*\*/);
    assert.match(hover, /in milliseconds/);
    assert.match(hover, /Window \(start → end\): 60 s/);
  });

  it('reads 99999999999 as seconds everywhere', () => {
    const { codes, hover } = readings('99999999999', '99999999999');
    assert.deepEqual(codes, ['invalid-timestamp', 'invalid-timestamp']);
    assert.match(hover, /\*\*5138-11-16 09:46:39 UTC\*\*/);
    assert.doesNotMatch(hover, /milliseconds/);
  });
});

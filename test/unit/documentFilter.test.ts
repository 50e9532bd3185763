/**
 * The filter over an open document (the editor's result document): summary line, header lines of
 * each segment kept before their records, source lines, the same result in any step size, and the
 * filter for the value under the cursor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowLogDocument } from '../../server/src/service/document';
import { DocumentFilterRun, filterLiteral, valueFilterAt } from '../../server/src/service/filter/documentFilter';
import { RecordFilter } from '../../server/src/service/filter';

const HEADER = 'version srcaddr dstaddr dstport action';
const CUSTOM = 'version dstport protocol';
const TEXT = [
  '# capture of 2026-01-01',
  HEADER,
  '5 10.0.0.1 10.0.0.2 22 ACCEPT',
  '5 10.0.0.1 10.0.0.3 80 REJECT',
  '5 10.0.0.4 10.0.0.2 22 REJECT',
  '5 1 2',
  CUSTOM,
  '5 22 6',
  '5 443 6',
].join('\n');

function run(expression: string, step?: number) {
  const filterRun = new DocumentFilterRun(new FlowLogDocument(TEXT), new RecordFilter(expression), 'x.log');
  while (!filterRun.step(step)) { /* next step */ }
  return filterRun.result();
}

describe('document filter', () => {
  it('summary, header lines before their records, source lines', () => {
    const result = run('dstport = 22');
    assert.equal(result.text, [
      '# flowlog filter: dstport = 22 · 3 of 6 records of x.log match; 1 malformed skipped',
      HEADER, '5 10.0.0.1 10.0.0.2 22 ACCEPT', '5 10.0.0.4 10.0.0.2 22 REJECT', CUSTOM, '5 22 6', '',
    ].join('\n'));
    assert.deepEqual(result.sourceLines, [-1, 1, 2, 4, 6, 7]);
    assert.equal(result.matched, 3);
  });
  it('the same result in steps of one line', () => {
    assert.deepEqual(run('dstport = 22', 1), run('dstport = 22'));
  });
  it('a header is not repeated when its segment matches nothing', () => {
    const result = run('dstport = 443');
    assert.deepEqual(result.sourceLines, [-1, 6, 8]);
  });
  it('segments whose format lacks a field are skipped; the primary format must fit', () => {
    assert.equal(run('action = reject').matched, 2);
    assert.throws(() => new DocumentFilterRun(new FlowLogDocument(TEXT), new RecordFilter('protocol = tcp'), 'x.log'), /has no `protocol`/);
  });
  it('filter for the value under the cursor', () => {
    const document = new FlowLogDocument(TEXT);
    assert.equal(valueFilterAt(document, 2, 0), 'version = 5');
    assert.equal(valueFilterAt(document, 2, 3), 'addr = 10.0.0.1');
    assert.equal(valueFilterAt(document, 2, 22), 'dstport = 22');
    assert.equal(valueFilterAt(document, 2, 26), 'action = ACCEPT');
    assert.equal(valueFilterAt(document, 1, 3), undefined, 'header line');
    assert.equal(valueFilterAt(document, 0, 3), undefined, 'comment');
    assert.equal(valueFilterAt(document, 99, 0), undefined);
  });
  it('literals are quoted when they are not one plain word', () => {
    assert.equal(filterLiteral('eni-0a1b'), 'eni-0a1b');
    assert.equal(filterLiteral('a b'), '"a b"');
    assert.equal(filterLiteral('and'), '"and"');
    assert.equal(filterLiteral('x"y'), '"x\\"y"');
    assert.equal(filterLiteral('1..2'), '"1..2"');
  });
});

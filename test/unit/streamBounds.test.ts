/**
 * What bounds the CLI's memory on pathological input (issue 16, item 9): a head of millions of
 * blank lines and records of hundreds of thousands of values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowLogFormat } from '../../server/src/service/formatModel';
import { FlowLogStream } from '../../server/src/service/stream';

const RECORD = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

describe('stream: bounded buffering', () => {
  it('stops buffering blank lines for format detection after maxHeadLines, and still counts every line', () => {
    let format: FlowLogFormat | undefined;
    const stream = new FlowLogStream({ format: (f) => (format = f) }, { maxHeadLines: 1000 });
    stream.push('\n'.repeat(999));
    assert.equal(format, undefined, 'not decided yet');
    stream.push('\n'.repeat(2));
    assert.ok(format, 'decided once the head holds maxHeadLines lines, without waiting for 4 MB');
    stream.push(`${RECORD}\n`);
    assert.equal(stream.end().lines, 1002);
  });

  it('parse mode hands over at most the format width of values for a record with far too many', () => {
    const seen: { tokens: number; tokenCount: number; wellFormed: boolean }[] = [];
    const stream = new FlowLogStream(
      { record: (record, wellFormed) => void seen.push({ tokens: record.tokens.length, tokenCount: record.tokenCount, wellFormed }) },
      { parse: true, validate: false, explicitFormat: 'default' },
    );
    const wide = `${RECORD} ${'1 '.repeat(50_000)}`.trimEnd();
    stream.push(`${RECORD}\n${wide}\n`);
    stream.end();
    assert.deepEqual(seen, [
      { tokens: 14, tokenCount: 14, wellFormed: true },
      { tokens: 14, tokenCount: 50_014, wellFormed: false },
    ]);
  });
});

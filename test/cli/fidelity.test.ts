/**
 * The CLI says what it did: integer fields never carry strings in `parse`, port-less protocols
 * have rows of their own in `stats`, a file with no flow log record fails `lint`, and messages
 * name CLI options rather than editor settings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonLines, runCli } from './helpers';

const DEFAULT_FIELDS = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

describe('flowlog parse: one key, one type', () => {
  it('writes null for a value of an integer field that is not an integer and counts the record', async () => {
    const input = [
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 2O 22 6 -1 4249 1418530010 1418530070 ACCEPT OK',
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
      '',
    ].join('\n');
    const result = await runCli(['parse', '--fields', 'default', '-'], { input });
    assert.equal(result.code, 0, result.stderr);
    const [first, second] = jsonLines(result.stdout) as Record<string, unknown>[];
    assert.equal(first.srcport, null);
    assert.equal(first.packets, null);
    assert.equal(second.srcport, 20641);
    assert.match(result.stderr, /<stdin>: 1 record with a value that is not an integer in an integer field, written as null \(run flowlog lint\)/);
    assert.equal(Object.keys(first).join(' '), DEFAULT_FIELDS);
  });
});

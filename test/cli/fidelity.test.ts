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

describe('flowlog stats: rejected ports', () => {
  const record = (srcport: number, dstport: number, protocol: number): string =>
    `2 123456789010 eni-1235b8ca123456789 203.0.113.9 172.31.16.21 ${srcport} ${dstport} ${protocol} 1 84 1418530010 1418530070 REJECT OK`;

  it('keeps ICMP, IPv6-ICMP and GRE apart from port 0 of TCP and UDP', async () => {
    const input = [
      ...Array(4).fill(record(0, 0, 1)),
      ...Array(3).fill(record(0, 0, 58)),
      ...Array(2).fill(record(0, 0, 47)),
      record(40000, 0, 6),
      record(40000, 22, 6),
      '',
    ].join('\n');
    const json = await runCli(['stats', '--format', 'json', '-'], { input });
    assert.equal(json.code, 0, json.stderr);
    const rows = JSON.parse(json.stdout).topRejectedPorts as { port: number | null; protocol: string; records: number }[];
    assert.deepEqual(
      rows.map((r) => [r.port, r.protocol, r.records]),
      [[null, 'ICMP', 4], [null, 'IPv6-ICMP', 3], [null, 'GRE', 2], [0, 'tcp', 1], [22, 'tcp', 1]],
    );
    const text = await runCli(['stats', '-'], { input });
    const table = text.stdout.slice(text.stdout.indexOf('top rejected destination ports'));
    assert.match(table, /^ {3}1\. ICMP {2,}4$/m);
    assert.match(table, /^ {3}4\. 0\/tcp {2,}1$/m);
    assert.doesNotMatch(table, /0\/other/);
  });
});

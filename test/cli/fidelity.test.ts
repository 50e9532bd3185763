/**
 * The CLI says what it did: integer fields never carry strings in `parse`, port-less protocols
 * have rows of their own in `stats`, a file with no flow log record fails `lint`, and messages
 * name CLI options rather than editor settings.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { SummaryReport, TopTable } from '../../server/src/service/summary/model';
import { jsonLines, runCli, tempDir } from './helpers';

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
    const report = JSON.parse(json.stdout) as SummaryReport;
    const rows = (report.top.find((t) => t.title === 'Rejected destination ports') as TopTable).rows;
    assert.deepEqual(
      rows.map((r) => [...r.values, r.records]),
      [['0', '1', 4], ['0', '58', 3], ['0', '47', 2], ['0', '6', 1], ['22', '6', 1]],
    );
    const text = await runCli(['stats', '-'], { input });
    const table = text.stdout.slice(text.stdout.indexOf('Rejected destination ports'));
    assert.match(table, /^ {2}1\. +ICMP +no port +4 /m);
    assert.match(table, /^ {2}2\. +IPv6-ICMP +no port +3 /m);
    assert.match(table, /^ {2}4\. +0\/tcp +no port +1 /m);
    assert.doesNotMatch(table, /0\/other/);
  });
});

describe('flowlog lint: a file with no flow log record', () => {
  const APP_LOG = '2024-05-01 12:00:01 INFO Starting server on port 8080\n2024-05-01 12:00:02 WARN Cache miss for key user:42\n';

  it('is an error (exit status 1) whose message speaks CLI', async () => {
    const result = await runCli(['lint', '-'], { input: APP_LOG });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^<stdin>:1:1: error not-flow-log This does not look like a flow log: .* or pass --fields\.\n$/);
    assert.doesNotMatch(result.stdout, /flowlog\.format/);
  });

  it('--rule not-flow-log=warning makes it a warning again', async () => {
    const result = await runCli(['lint', '--rule', 'not-flow-log=warning', '-'], { input: APP_LOG });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /warning not-flow-log/);
  });
});

describe('--fields and a header line', () => {
  const HEADER = 'version srcaddr dstaddr action';
  const INPUT = `${HEADER}\n2 10.0.0.1 10.0.0.2 ACCEPT\n`;

  it('lint reads the file by its header and notes that --fields was not used', async () => {
    const result = await runCli(['lint', '--fields', 'default', '-'], { input: INPUT });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.stdout, "<stdin>:1:1: info explicit-format-unused This header line gives the file's format, so --fields was not used: it applies only to files without a header line.\n");
  });

  it('parse reads it by its header and says so on stderr', async () => {
    const result = await runCli(['parse', '--fields', 'default', '-'], { input: INPUT });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(jsonLines(result.stdout), [{ version: 2, srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'ACCEPT' }]);
    assert.equal(result.stderr, 'flowlog: <stdin>: --fields not used: the file opens with a header line (line 1), which gives its format\n');
  });

  it('without a header, --fields is the format', async () => {
    const result = await runCli(['parse', '--fields', HEADER, '-'], { input: '2 10.0.0.1 10.0.0.2 ACCEPT\n' });
    assert.equal(result.stderr, '');
    assert.deepEqual(jsonLines(result.stdout), [{ version: 2, srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'ACCEPT' }]);
  });
});

describe('flowlog detect: text output', () => {
  it('ends every file\'s block with a line break, before any message about the next file', async () => {
    const result = await runCli(['detect', '-', 'no-such-file.log'], { input: 'version srcaddr\n2 1.2.3.4\n' });
    assert.equal(result.code, 2);
    assert.ok(result.stdout.endsWith('  fields      version srcaddr\n'), JSON.stringify(result.stdout));
    assert.match(result.stderr, /^flowlog: no-such-file\.log: /);
  });
});

describe('flowlog stats: a file with no flow log record', () => {
  it('is not counted as records, says so, and exits 1; the flow logs beside it are counted', async () => {
    const dir = tempDir();
    const app = path.join(dir, 'app.log');
    const flows = path.join(dir, 'flows.log');
    writeFileSync(app, '2024-05-01 12:00:01 INFO Starting server on port 8080\n2024-05-01 12:00:02 WARN Cache miss for key user:42\n');
    writeFileSync(flows, '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n');
    const result = await runCli(['stats', '--format', 'json', app, flows]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /app\.log: does not look like a flow log .*not counted\. Pass --fields or add a header line\./);
    const summary = JSON.parse(result.stdout) as SummaryReport;
    assert.equal(summary.totals.files, 1);
    assert.equal(summary.totals.records, 1);
  });
});

/**
 * `flowlog filter` and `flowlog export` as real processes: output, exit statuses (grep's), inputs
 * (stdin, gzip, several files, concatenated S3 objects) and messages.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { jsonLines, record, ROOT, runCli, tempDir } from './helpers';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const EXAMPLES = path.join(ROOT, 'examples');
const S3_OBJECT = path.join(EXAMPLES, '123456789010_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20260101T0005Z_ef567890.log.gz');

function file(name: string, text: string | Buffer): string {
  const target = path.join(tempDir(), name);
  writeFileSync(target, text);
  return target;
}

const LINES = [HEADER, record(1, { dstport: 22, action: 'REJECT' }), record(2), record(3, { dstport: 22 }), record(4, { action: 'REJECT' })];
const TEXT = `${LINES.join('\n')}\n`;

describe('flowlog filter', () => {
  it('prints matching records in their original text after the header; exit 0', async () => {
    const result = await runCli(['filter', 'action = reject and dstport = ssh', file('a.log', TEXT)]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${HEADER}\n${LINES[1]}\n`);
    assert.equal(result.stderr, '');
  });

  it('exit 1 and no output when nothing matches', async () => {
    const result = await runCli(['filter', 'dstport = 3389', file('a.log', TEXT)]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
  });

  it('exit 2 for a bad filter, with the column and the span marked', async () => {
    const result = await runCli(['filter', 'action = reject and dstprot = 22', file('a.log', TEXT)]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'flowlog: bad filter at column 21: `dstprot` is not a field; did you mean `dstport`?\n  action = reject and dstprot = 22\n                      ^^^^^^^\n');
  });

  it('exit 2 when the file’s format lacks a field, naming the file', async () => {
    const target = file('a.log', TEXT);
    const result = await runCli(['filter', 'tcp-flags has syn', target]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`flowlog: ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: bad filter at column 1: this file's format \\(VPC default v2 · 14 fields · header\\) has no \`tcp-flags\``));
  });

  it('exit 2 for a file that cannot be read, even when another matched', async () => {
    const result = await runCli(['filter', 'dstport = 22', file('a.log', TEXT), path.join(tempDir(), 'missing.log')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing\.log: no such file or directory/);
    assert.equal(result.stdout, `${HEADER}\n${LINES[1]}\n${LINES[3]}\n`);
  });

  it('--count: the number, or FILE:N for several files', async () => {
    const a = file('a.log', TEXT);
    const b = file('b.log', `${HEADER}\n${record(9, { dstport: 22 })}\n`);
    assert.deepEqual(await runCli(['filter', '--count', 'dstport = 22', a]), { code: 0, stdout: '2\n', stderr: '' });
    const several = await runCli(['filter', '--count', 'dstport = 22', a, b]);
    assert.equal(several.stdout, `${a}:2\n${b}:1\n`);
    const none = await runCli(['filter', '--count', 'dstport = 1', a]);
    assert.deepEqual(none, { code: 1, stdout: '0\n', stderr: '' });
  });

  it('reads stdin (- or piped) and gzip', async () => {
    const piped = await runCli(['filter', 'dstport = 22'], { input: TEXT });
    assert.equal(piped.stdout, `${HEADER}\n${LINES[1]}\n${LINES[3]}\n`);
    const dash = await runCli(['filter', 'dstport = 22', '-'], { input: gzipSync(TEXT) });
    assert.equal(dash.stdout, piped.stdout);
    const gz = await runCli(['filter', 'dstport = 22', file('a.log.gz', gzipSync(TEXT))]);
    assert.equal(gz.stdout, piped.stdout);
  });

  it('keeps each header of concatenated S3 objects before its records', async () => {
    const custom = 'version srcaddr dstaddr dstport action';
    const text = `${TEXT}${custom}\n5 10.0.0.1 10.0.0.2 22 ACCEPT\n5 10.0.0.1 10.0.0.2 80 ACCEPT\n`;
    const result = await runCli(['filter', 'dstport = 22', file('a.log', text)]);
    assert.equal(result.stdout, `${HEADER}\n${LINES[1]}\n${LINES[3]}\n${custom}\n5 10.0.0.1 10.0.0.2 22 ACCEPT\n`);
  });

  it('--output jsonl writes what flowlog parse writes for the same records', async () => {
    const target = file('a.log', TEXT);
    const filtered = await runCli(['filter', '--output', 'jsonl', 'dstport = 22', target]);
    const parsed = jsonLines((await runCli(['parse', target])).stdout).filter((row) => row.dstport === 22);
    assert.deepEqual(jsonLines(filtered.stdout), parsed);
  });

  it('--output csv: a header row, - as an empty cell, quotes where needed', async () => {
    const text = 'version dstport action instance-tag packets\n11 22 - "a,b" 7x\n11 80 ACCEPT x 1\n';
    const result = await runCli(['filter', '--output', 'csv', 'dstport = 22', file('a.log', text)]);
    assert.equal(result.stdout, 'version,dstport,action,instance-tag,packets\n11,22,,"""a,b""",\n', 'a non-integer in an integer field is null, as flowlog parse has it');
  });

  it('rejects an unknown --output', async () => {
    const result = await runCli(['filter', '--output', 'xml', 'dstport = 22', file('a.log', TEXT)]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--output: expected text, jsonl, csv, got 'xml'/);
  });

  it('skips and counts malformed lines', async () => {
    const result = await runCli(['filter', 'dstport = 22', file('a.log', `${TEXT}2 3 4\n`)]);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /1 malformed line skipped/);
  });
});

describe('flowlog export', () => {
  it('athena: the S3 object name gives account and region for partition projection', async () => {
    const result = await runCli(['export', 'athena', '--filter', 'action = reject', '--location', 's3://my-bucket/flows', S3_OBJECT]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /'projection\.aws_account_id\.values'='123456789010'/);
    assert.match(result.stdout, /'projection\.aws_region\.values'='us-east-1'/);
    assert.match(result.stdout, /LOCATION 's3:\/\/my-bucket\/flows\/AWSLogs\/'/);
    assert.match(result.stdout, /WHERE coalesce\(action = 'REJECT', false\)/);
  });

  it('insights: parse @message for a custom format', async () => {
    const result = await runCli(['export', 'insights', '--filter', 'tcp-flags has syn', path.join(EXAMPLES, 'vpc-v5-custom.log')]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^parse @message "(\* ){26}\*" as version, account_id, vpc_id, /);
    assert.match(result.stdout, /\| filter floor\(tcp_flags \/ 2\) % 2 = 1\n/);
  });

  it('duckdb: read_csv of the file with its columns', async () => {
    const target = path.join(EXAMPLES, 'tgw-default.log');
    const result = await runCli(['export', 'duckdb', target]);
    assert.equal(result.code, 0);
    assert.ok(result.stdout.includes(`read_csv('${target}', delim = ' ', header = true`));
    assert.match(result.stdout, /'packets_lost_no_route': 'UBIGINT'/);
  });

  it('a headerless CloudWatch export is read without skipping a line', async () => {
    const result = await runCli(['export', 'duckdb', path.join(EXAMPLES, 'cloudwatch-export.log')]);
    assert.match(result.stdout, /header = false/);
  });

  it('exit 2 for an unknown target, a bad filter or a missing field', async () => {
    const target = file('a.log', TEXT);
    const unknown = await runCli(['export', 'splunk', target]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /export: expected athena, insights, duckdb, got 'splunk'/);
    const missing = await runCli(['export', 'athena', '--filter', 'traffic-path = igw', target]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /has no `traffic-path`/);
    const noTarget = await runCli(['export']);
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /missing TARGET/);
  });
});

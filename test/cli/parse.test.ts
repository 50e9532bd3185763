/**
 * `flowlog parse` against the conformance data: AWS's example records and the expected outputs
 * of Vector (VRL) and flowlogs-reader. Their conventions differ from ours (underscore names,
 * datetimes, omitted nulls); the facts — which value belongs to which field — must agree.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fixture, jsonLines, runCli, tempDir } from './helpers';

/** Fields whose values are integers (an oracle independent of the catalog). */
const INTEGER_FIELDS = new Set([
  'version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'traffic-path', 'encryption-status',
  'packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded', 'packets-lost-ttl-expired',
]);
const DEFAULT_FIELDS = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

type Row = Record<string, unknown>;

function expectedRecord(names: readonly string[], line: string): Row {
  const values = line.replace(/#.*$/, '').trim().split(/\s+/);
  assert.equal(values.length, names.length, line);
  return Object.fromEntries(names.map((name, i) => [name, values[i] === '-' ? null : INTEGER_FIELDS.has(name) ? Number(values[i]) : values[i]]));
}

const underscored = (row: Row): Row => Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/-/g, '_'), value]));

/** flowlogs-reader renders start/end as naive UTC datetimes; ours are epoch seconds (or ms). */
function readerView(row: Row): Row {
  const view = underscored(row);
  for (const key of ['start', 'end']) {
    const value = view[key];
    if (typeof value === 'number') view[key] = new Date(value >= 1e11 ? value : value * 1000).toISOString().slice(0, 19);
  }
  return view;
}

/** Our record compared with a flowlogs-reader dict: equal on its keys; our other keys are null ('-'). */
function assertReaderEqual(ours: Row, expected: Row, label: string): void {
  const view = readerView(ours);
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(view[key], value, `${label}: ${key}`);
  for (const [key, value] of Object.entries(view)) if (!(key in expected)) assert.equal(value, null, `${label}: ${key} should be '-'`);
}

describe('flowlog parse: AWS example records', () => {
  it('every record, keys in format order, integers as numbers, - as null', async () => {
    const dir = fixture('awsdocs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
    const want: Row[] = [];
    for (const file of files) {
      const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
      const names = (lines.find((l) => l.startsWith('# format:')) ?? '').replace('# format:', '').replace(/\(.*\)/, '').trim().split(/\s+/);
      for (const line of lines) if (line.trim() && !line.startsWith('#')) want.push(expectedRecord(names, line));
    }
    const result = await runCli(['parse', ...files.map((f) => path.join(dir, f))]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const got = jsonLines(result.stdout);
    assert.equal(got.length, 27);
    assert.deepEqual(got, want);
    // deepEqual ignores key order: check it separately.
    got.forEach((row, i) => assert.deepEqual(Object.keys(row), Object.keys(want[i])));
  });
});

describe('flowlog parse: Vector VRL expected outputs', () => {
  const cases = (JSON.parse(readFileSync(fixture('vrl', 'expected_outputs.json'), 'utf8')) as { cases: { title: string; value: string; format: string | null; expected: Row }[] }).cases;

  it('every documented example, each with its format as --fields', async () => {
    const dir = tempDir();
    for (const [i, example] of cases.entries()) {
      const file = path.join(dir, `case${i}.log`);
      writeFileSync(file, `${example.value}\n`);
      const result = await runCli(['parse', '--fields', example.format ?? 'default', file]);
      assert.equal(result.code, 0, `${example.title}: ${result.stderr}`);
      const [row, ...rest] = jsonLines(result.stdout);
      assert.equal(rest.length, 0);
      assert.deepEqual(underscored(row), example.expected, example.title);
      const order = (example.format ?? DEFAULT_FIELDS).split(' ').map((name) => name.replace(/-/g, '_'));
      assert.deepEqual(Object.keys(underscored(row)), order, example.title);
    }
  });

  it('the same examples in one file, each after a # fields: directive', async () => {
    const file = path.join(tempDir(), 'all.log');
    writeFileSync(file, cases.map((c) => `# fields: ${c.format ?? DEFAULT_FIELDS}\n${c.value}\n`).join(''));
    const result = await runCli(['parse', file]);
    assert.deepEqual(jsonLines(result.stdout).map(underscored), cases.map((c) => c.expected));
  });
});

describe('flowlog parse: flowlogs-reader expected outputs', () => {
  const expected = JSON.parse(readFileSync(fixture('flowlogs-reader', 'expected_outputs.json'), 'utf8')) as Record<string, unknown>;
  const entry = (prefix: string): Row[] => {
    const key = Object.keys(expected).find((k) => k.startsWith(prefix));
    assert.ok(key, prefix);
    const value = expected[key];
    return Array.isArray(value) ? (value as Row[]) : [value as Row];
  };

  it('S3 objects with header lines (v3–v6, alphabetical and TGW-only fields); the bogus line is skipped', async () => {
    for (const version of [3, 4, 5, 6]) {
      const file = fixture('flowlogs-reader', `s3_v${version}_file_with_header.log`);
      const result = await runCli(['parse', file]);
      assert.equal(result.code, 0, result.stderr);
      const rows = jsonLines(result.stdout);
      const want = entry(`s3_v${version}_file_with_header.log`);
      assert.equal(rows.length, want.length, `v${version}`);
      rows.forEach((row, i) => assertReaderEqual(row, want[i], `v${version} record ${i + 1}`));
      assert.equal(result.stderr, version === 5 ? `flowlog: ${file}: 1 malformed line skipped (run flowlog lint)\n` : '');
    }
  });

  it('CloudWatch records in the default format, and a millisecond timestamp', async () => {
    const result = await runCli(['parse', fixture('flowlogs-reader', 'cwl_v2_records.txt')]);
    const rows = jsonLines(result.stdout);
    assert.equal(rows.length, 5);
    assertReaderEqual(rows[0], entry('cwl_v2_records.txt line 1')[0], 'line 1');
    assertReaderEqual(rows[2], entry('cwl_v2_records.txt line 3')[0], 'line 3');
    const ms = await runCli(['parse', '-'], { input: '2 123456789010 eni-4b118871 - - - - - - - 1512564058000 1512564059000 - SKIPDATA\n' });
    const [row] = jsonLines(ms.stdout);
    // Values are kept as written (integers); read as milliseconds they give the expected times.
    assert.deepEqual([row.start, row.end], [1512564058000, 1512564059000]);
    const { start, end } = entry('cwl_v2_records.txt extra')[0];
    assert.deepEqual([readerView(row).start, readerView(row).end], [start, end]);
  });
});

describe('flowlog parse: values', () => {
  it('integers past 2^53 keep all their digits; account ids and ids stay strings', async () => {
    // 2^53 + 1: a double would print 9007199254740992.
    const result = await runCli(['parse', '-'], { input: '2 000000000012 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443 80 6 10 9007199254740993 1418530010 1418530070 ACCEPT OK\n' });
    assert.match(result.stdout, /"packets":10,"bytes":9007199254740993,"start"/);
    const [row] = jsonLines(result.stdout);
    assert.equal(row['account-id'], '000000000012');
  });

  it('a file that is not a flow log is not parsed into guesses', async () => {
    const result = await runCli(['parse', '-'], { input: 'Flow logs capture traffic.\nSee the guide.\n' });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^flowlog: <stdin>: does not look like a flow log/);
  });
});

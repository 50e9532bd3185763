/**
 * Differential test of the DuckDB export: for a few hundred random filters, the exported DuckDB
 * query (`flowlog export duckdb --filter …`), run by the real engine (@duckdb/node-api) on a
 * generated flow log file, returns exactly the records that `flowlog filter` prints, in order.
 * The file mixes IPv4 and IPv6, `-` in every column that can hold it, and every coded field.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { parseArgs } from '../../server/src/cli/args';
import { filterCommand } from '../../server/src/cli/filter';
import { Output } from '../../server/src/cli/output';
import type { Io } from '../../server/src/cli/run';
import { duckdbQuery } from '../../server/src/service/exports';
import { parseFieldList } from '../../server/src/service/fieldList';
import { RecordFilter } from '../../server/src/service/filter';
import { formatFromList } from '../../server/src/service/formatModel';
import { mulberry32 } from '../../bench/generate';
import { RUNS, SEED } from './arbitraries';

const FORMAT = formatFromList(parseFieldList('all-v5'), 'header');
const V4 = ['10.0.1.5', '10.0.2.9', '10.1.0.1', '172.31.16.139', '192.168.1.1', '203.0.113.5', '198.51.100.7'];
const V6 = ['2001:db8::1', '2001:db8:1234:a100:8d6e:3477:df66:f105', 'fe80::1', '2600:1f18:abcd::42', '2001:db8:1234:a180::9'];
const ADDRESSES = [...V4, ...V6, '-'];
const PORTS = ['0', '22', '53', '80', '443', '1024', '3389', '8080', '49152', '65535', '-'];

/** Values each field takes in the generated file. */
const POOLS: Record<string, readonly string[]> = {
  version: ['5'],
  'account-id': ['123456789010', '210987654321'],
  'interface-id': ['eni-0109031c05318848b', 'eni-0a78ba04165baaad1', '-'],
  srcaddr: ADDRESSES, dstaddr: ADDRESSES, 'pkt-srcaddr': ADDRESSES, 'pkt-dstaddr': ADDRESSES,
  srcport: PORTS, dstport: PORTS,
  protocol: ['1', '6', '17', '58', '-'],
  packets: ['1', '10', '137', '-'], bytes: ['40', '840', '113162', '-'],
  start: ['1767225600', '1767229235', '1767240000', '1767300000'], end: ['1767225660', '1767229276', '1767240060', '1767300600'],
  action: ['ACCEPT', 'REJECT', '-'], 'log-status': ['OK', 'NODATA', 'SKIPDATA'],
  'vpc-id': ['vpc-0a1b2c3d4e5f60718', '-'], 'subnet-id': ['subnet-0123456789abcdef0'], 'instance-id': ['i-0fedcba9876543210', '-'],
  'tcp-flags': ['0', '1', '2', '3', '4', '18', '19', '-'], type: ['IPv4', 'IPv6', '-'],
  region: ['us-east-1', 'eu-west-1'], 'az-id': ['use1-az4', '-'], 'sublocation-type': ['-', 'outpost'], 'sublocation-id': ['-'],
  'pkt-src-aws-service': ['S3', 'AMAZON', '-'], 'pkt-dst-aws-service': ['S3', 'EC2', '-'],
  'flow-direction': ['ingress', 'egress'], 'traffic-path': ['1', '2', '3', '7', '8', '-'],
};

function generateFile(records: number): string {
  const random = mulberry32(SEED);
  const lines = [FORMAT.names.join(' ')];
  for (let i = 0; i < records; i++) {
    lines.push(FORMAT.names.map((name) => {
      const pool = POOLS[name];
      return pool[Math.floor(random() * pool.length)];
    }).join(' '));
  }
  return `${lines.join('\n')}\n`;
}

// ---- random filters --------------------------------------------------------------------------

const INT_FIELDS: Record<string, readonly string[]> = {
  srcport: ['0', '22', '80', '1024', '49152', '65535'], dstport: ['22', '443', '3389', '8080'], port: ['22', '53', '1024'],
  protocol: ['1', '6', '17', '58'], packets: ['1', '10', '100'], bytes: ['40', '1000', '113162'],
  start: ['1767229235', '2026-01-01T01:00:35Z', '2026-01-01T12:00:00Z', '2026-01-01'], end: ['1767229276', '2026-01-02T00:00:00Z'],
  'tcp-flags': ['0', '2', '18', '19'], 'traffic-path': ['1', '2', '7', '8'], version: ['5'],
};
const CIDRS = ['10.0.0.0/8', '10.0.2.0/24', '0.0.0.0/0', '192.168.1.1/32', '2001:db8::/32', '2001:db8:1234:a100::/57', '2001:db8:1234:a100::/56', 'fe80::/10', '::/0', '2001:db8::1', '2600:1f18:abcd::42/127', '203.0.113.0/25'];
const ADDRESS_FIELDS = ['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr', 'addr', 'pkt-addr'];
const OPS = ['=', '!=', '<', '<=', '>', '>='];

/** Items of `in` lists per field: numbers, names and ranges. */
const LIST_ITEMS: Record<string, readonly string[]> = {
  srcport: ['22', '80', '443', '1..1023', '1000..50000', 'ssh'], dstport: ['22', '3389', '8080', '0..100', 'https', 'dns'], port: ['53', '22', '49152..65535'],
  'traffic-path': ['1', '2', '7..8', 'igw', 'vgw'], protocol: ['1', '6', '17', '50..60', 'tcp'], 'tcp-flags': ['0', '1..3', '18', 'syn-ack'],
};

const leaf = fc.oneof(
  fc.constantFrom(...Object.keys(INT_FIELDS)).chain((field) => fc.tuple(fc.constantFrom(...OPS), fc.constantFrom(...INT_FIELDS[field])).map(([op, value]) => `${field} ${op} ${value}`)),
  fc.constantFrom(...Object.keys(LIST_ITEMS)).chain((field) =>
    fc.tuple(fc.array(fc.constantFrom(...LIST_ITEMS[field]), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([items, negated]) => `${field} ${negated ? 'not in' : 'in'} (${items.join(', ')})`)),
  fc.tuple(fc.constantFrom('bytes', 'packets', 'start'), fc.nat(1767300000), fc.nat(1767300000)).map(([field, a, b]) => `${field} in ${Math.min(a, b)}..${Math.max(a, b)}`),
  fc.constantFrom('protocol = tcp', 'protocol in (udp, icmp)', 'protocol = ipv6-icmp', 'dstport = ssh', 'port = https', 'dstport in (dns, ssh, 8000..9000)',
    'traffic-path = igw', 'traffic-path = "IGW or gateway endpoint"', 'traffic-path in (same-vpc, igw-nitro)', 'tcp-flags has syn', 'tcp-flags has fin', 'tcp-flags has syn-ack',
    'tcp-flags = syn-ack', 'tcp-flags = syn+fin', 'tcp-flags has rst'),
  fc.constantFrom('action = accept', 'action = REJECT', 'action != reject', 'log-status in (ok, nodata)', 'flow-direction = ingress', 'pkt-dst-aws-service = S3',
    'pkt-src-aws-service in (AMAZON, S3)', 'region = us-east-1', 'account-id = 123456789010', 'type = ipv6', 'interface-id != eni-0109031c05318848b', 'sublocation-type = outpost'),
  fc.tuple(fc.constantFrom('action', 'traffic-path', 'srcport', 'srcaddr', 'pkt-dst-aws-service', 'packets', 'tcp-flags', 'addr', 'vpc-id'), fc.constantFrom('=', '!='))
    .map(([field, op]) => `${field} ${op} -`),
  fc.tuple(fc.constantFrom(...ADDRESS_FIELDS), fc.constantFrom('=', '!=', 'in', 'not in'), fc.array(fc.constantFrom(...CIDRS, ...V4.slice(0, 3)), { minLength: 1, maxLength: 3 }))
    .map(([field, op, nets]) => (op === '=' || op === '!=' ? `${field} ${op} ${nets[0]}` : `${field} ${op} (${nets.join(', ')})`)),
);

const { filter } = fc.letrec((tie) => ({
  filter: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'filter' },
    leaf,
    fc.tuple(tie('filter'), fc.constantFrom('and', 'or'), tie('filter')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('filter').map((inner) => `not (${inner})`),
  ),
}));

// ---- the two sides ---------------------------------------------------------------------------

/** `flowlog filter EXPR FILE` in this process: its stdout and exit status. */
async function flowlogFilter(expression: string, path: string): Promise<{ code: number; lines: string[]; stderr: string }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(Buffer.from(chunk)); done(); } });
  let stderr = '';
  const io: Io = { stdout: new Output(sink), stdoutIsTTY: false, stderr: { write: (text: string) => (stderr += text) }, stdin: process.stdin, cwd: process.cwd() };
  const parsed = parseArgs(['filter', '--no-progress', expression, path]);
  assert.equal(parsed.kind, 'run');
  const code = await filterCommand((parsed as { args: Parameters<typeof filterCommand>[0] }).args, io);
  io.stdout.flush();
  const text = Buffer.concat(chunks).toString('utf8');
  return { code, lines: text.split('\n').filter((line) => line !== ''), stderr };
}

function rowText(row: readonly unknown[]): string {
  return row.map((value) => (value === null ? '-' : String(value))).join(' ');
}

describe('DuckDB export (differential, property)', () => {
  let directory: string;
  let path: string;
  let connection: DuckDBConnection;
  let instance: DuckDBInstance;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'flowlog-duckdb-'));
    path = join(directory, 'flows.log');
    writeFileSync(path, generateFile(400));
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });

  after(() => {
    connection?.closeSync();
    instance?.closeSync();
    rmSync(directory, { recursive: true, force: true });
  });

  it('the exported query returns exactly the records flowlog filter prints', async () => {
    let seed = SEED;
    for (const c of 'filter-duckdb') seed = (Math.imul(seed, 31) + c.charCodeAt(0)) | 0;
    let matchedSome = 0;
    const details = await fc.check(
      fc.asyncProperty(filter, async (expression) => {
        const bound = new RecordFilter(expression).bind(FORMAT);
        const query = duckdbQuery(FORMAT, { filter: bound, path, header: true });
        const reader = await connection.runAndReadAll(query);
        const expected = reader.getRows().map(rowText);
        const ours = await flowlogFilter(expression, path);
        assert.equal(ours.stderr, '', 'flowlog filter wrote no message');
        assert.equal(ours.code, expected.length > 0 ? 0 : 1, 'exit status 0 when something matched, 1 when nothing did');
        const records = ours.lines.slice(ours.lines.length > 0 ? 1 : 0);
        if (ours.lines.length > 0) assert.equal(ours.lines[0], FORMAT.names.join(' '), 'the header line comes first');
        assert.deepEqual(records, expected, `${expression}\n${query}`);
        if (records.length > 0) matchedSome++;
      }),
      { seed, numRuns: Math.max(300, RUNS) },
    );
    if (details.failed) assert.fail(`${fc.defaultReportMessage(details)}`);
    assert.ok(matchedSome > 50, `filters that matched something: ${matchedSome} (the test must not pass on empty results alone)`);
  });
});

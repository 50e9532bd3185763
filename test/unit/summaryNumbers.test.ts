/**
 * The summary's numbers (service/summary) against an independent count: a deliberately simple
 * Map over lines split on whitespace, with the few plain rules a reader would apply by hand
 * (strip a CloudWatch time, take JSON messages, `-` is no value, a cell that is not a number or
 * an address is invalid). Inputs: the generated VPC default v2 (headerless, with damaged lines),
 * VPC v5 under a header in a custom column order, Transit Gateway, and CloudWatch export shapes.
 * Every row's filter, run by the filter language, selects exactly the row's records.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generate } from '../../bench/generate';
import { Match, RecordFilter } from '../../server/src/service/filter';
import type { FlowLogFormat } from '../../server/src/service/formatModel';
import type { SummaryReport, TopTable } from '../../server/src/service/summary/model';
import { summarizeText } from '../../server/src/service/summary/summaryStream';
import { FlowLogStream } from '../../server/src/service/stream';

const ROOT = join(__dirname, '..', '..');
const V2_NAMES = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'.split(' ');

interface Counts {
  records: number;
  bytes: number;
  packets: number;
  rejected: number;
}

/** The record texts of a file, as a reader would find them by hand. */
function recordTexts(text: string, header?: string): string[] {
  const records: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === header) continue;
    if (line.startsWith('{')) {
      const json = JSON.parse(line) as { message?: string; messageType?: string; logEvents?: { message: string }[] };
      if (json.message !== undefined) records.push(json.message);
      // A subscription's health check carries no records.
      if (json.messageType === 'CONTROL_MESSAGE') continue;
      for (const event of json.logEvents ?? []) records.push(event.message);
      continue;
    }
    records.push(/^\d{4}-\d\d-\d\dT\S+ /.test(line) ? line.slice(line.indexOf(' ') + 1) : line);
  }
  return records;
}

const INTEGER_MAX: Record<string, number> = { srcport: 65535, dstport: 65535, protocol: 255, 'traffic-path': 8 };
const ENUMS: Record<string, string[]> = { action: ['ACCEPT', 'REJECT'], 'flow-direction': ['ingress', 'egress'] };

/** A cell as the summary groups it, by plain rules: numbers by value, IPv6 groups without leading zeros, anything unreadable `(invalid)`. */
function groupValue(field: string, cell: string): string {
  if (cell === '-') return cell;
  if (field in INTEGER_MAX) return /^\d+$/.test(cell) && Number(cell) <= INTEGER_MAX[field] ? String(Number(cell)) : '(invalid)';
  if (field in ENUMS) return ENUMS[field].includes(cell) ? cell : '(invalid)';
  if (field.endsWith('addr')) {
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(cell);
    if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255) ? v4.slice(1).map(Number).join('.') : '(invalid)';
    // IPv6: hex groups lose their leading zeros; a `::` stays where it is.
    return /^[0-9a-f:]+$/i.test(cell) && cell.includes(':') ? cell.split(':').map((group) => (group === '' ? '' : parseInt(group, 16).toString(16))).join(':') : '(invalid)';
  }
  return cell;
}

const number = (cell: string | undefined): number => (cell !== undefined && /^\d+$/.test(cell) ? Number(cell) : 0);

/** Groups and totals by a Map over whitespace-split records of `names`. */
function independent(records: string[], names: string[], tables: readonly TopTable[]) {
  const at = (name: string): number => names.indexOf(name);
  const groups = tables.map(() => new Map<string, Counts>());
  const totals = { records: 0, malformed: 0, accept: 0, reject: 0, other: 0, acceptBytes: 0, rejectBytes: 0, otherBytes: 0, packets: 0, logStatus: new Map<string, number>(), firstStart: Infinity, lastEnd: -Infinity };
  for (const record of records) {
    const cells = record.split(/\s+/);
    if (cells.length !== names.length) {
      totals.malformed++;
      continue;
    }
    const cell = (name: string): string | undefined => (at(name) >= 0 ? cells[at(name)] : undefined);
    totals.records++;
    const action = cell('action') === 'ACCEPT' ? 'accept' : cell('action') === 'REJECT' ? 'reject' : 'other';
    const bytes = number(cell('bytes'));
    totals[action]++;
    totals[`${action}Bytes`] += bytes;
    totals.packets += number(cell('packets'));
    const status = cell('log-status');
    if (status !== undefined) totals.logStatus.set(status, (totals.logStatus.get(status) ?? 0) + 1);
    if (number(cell('start')) > 0) totals.firstStart = Math.min(totals.firstStart, number(cell('start')));
    if (number(cell('end')) > 0) totals.lastEnd = Math.max(totals.lastEnd, number(cell('end')));
    tables.forEach((table, i) => {
      if (table.where && action !== 'reject') return;
      const key = table.fields.map((field) => groupValue(field, cells[at(field)])).join(' ');
      const counts = groups[i].get(key) ?? { records: 0, bytes: 0, packets: 0, rejected: 0 };
      counts.records++;
      counts.bytes += bytes;
      counts.packets += number(cell('packets'));
      if (action === 'reject') counts.rejected++;
      groups[i].set(key, counts);
    });
  }
  return { groups, totals };
}

function checkAgainstIndependent(report: SummaryReport, records: string[], names: string[]): void {
  const { groups, totals } = independent(records, names, report.top);
  const t = report.totals;
  assert.equal(t.records, totals.records, 'records');
  assert.equal(t.malformed, totals.malformed, 'malformed');
  assert.deepEqual(t.recordsByAction, { accept: totals.accept, reject: totals.reject, other: totals.other });
  assert.deepEqual(t.bytesByAction, { accept: totals.acceptBytes, reject: totals.rejectBytes, other: totals.otherBytes });
  assert.equal(t.packets, totals.packets, 'packets');
  assert.deepEqual(t.logStatus, Object.fromEntries(totals.logStatus));
  assert.equal(t.firstStart, totals.firstStart);
  assert.equal(t.lastEnd, totals.lastEnd);
  const timelineRecords = (report.timeline?.buckets ?? []).reduce((sum, b) => sum + Number(b.records.accept) + Number(b.records.reject) + Number(b.records.other), 0);
  assert.equal(timelineRecords, totals.records, 'every record with a start is in one bucket');
  report.top.forEach((table, i) => {
    const expected = groups[i];
    assert.ok(table.exact, table.title);
    assert.equal(table.distinct, expected.size, `${table.title}: distinct groups`);
    const rank = (c: Counts): number => c[table.by];
    for (const row of table.rows) {
      const counts = expected.get(row.values.join(' '));
      assert.ok(counts, `${table.title}: ${row.values.join(' ')} exists`);
      assert.deepEqual({ records: row.records, bytes: row.bytes, packets: row.packets, rejected: row.rejected }, counts, `${table.title}: ${row.values.join(' ')}`);
    }
    // The rows are the heaviest groups: none left out outranks the last row.
    const shown = new Set(table.rows.map((row) => row.values.join(' ')));
    const last = table.rows.at(-1);
    if (last) for (const [key, counts] of expected) if (!shown.has(key)) assert.ok(rank(counts) <= Number(last[table.by]), `${table.title}: ${key} left out`);
    for (let r = 1; r < table.rows.length; r++) assert.ok(Number(table.rows[r - 1][table.by]) >= Number(table.rows[r][table.by]), `${table.title}: ranked`);
  });
}

/** Each row's filter, run by the filter language over the same text, selects exactly the row's records. */
function checkRowFilters(text: string, report: SummaryReport): void {
  const records: { text: string; format: FlowLogFormat }[] = [];
  const stream = new FlowLogStream({ recordText: (t, s, e, format) => (records.push({ text: t.slice(s, e), format }), true) }, { validate: false, parse: true });
  stream.push(text);
  stream.end();
  for (const table of report.top) {
    for (const row of table.rows) {
      const filter = new RecordFilter(row.filter);
      const matched = records.filter((r) => filter.matchLine(r.text, 0, r.text.length, r.format) === Match.Yes).length;
      assert.equal(matched, row.records, `${table.title}: \`${row.filter}\``);
    }
  }
}

/** The v5 fields in another order, header and records alike (lines of another width are left as they are: malformed). */
function reorder(text: string, order: number[]): string {
  return text
    .split('\n')
    .map((line) => {
      const cells = line.trim().split(/\s+/);
      return cells.length === order.length ? order.map((i) => cells[i]).join(' ') : line;
    })
    .join('\n');
}

describe('summary numbers against an independent count', () => {
  it('VPC default v2, headerless, with damaged lines', () => {
    const text = generate({ kind: 'v2', bytes: 400_000, seed: 11, malformedRate: 0.02 });
    const report = summarizeText(text, { top: 25 });
    assert.deepEqual(report.top.map((t) => t.title), ['Top talkers by bytes', 'Destination ports', 'Rejected destinations', 'Rejected destination ports', 'Interfaces by bytes', 'Protocols by bytes']);
    checkAgainstIndependent(report, recordTexts(text), V2_NAMES);
    checkRowFilters(text, report);
  });

  it('VPC v5 under a header in a custom column order', () => {
    const generated = generate({ kind: 'v5', bytes: 400_000, seed: 12, malformedRate: 0.01 });
    const names = generated.split('\n')[0].split(' ');
    const order = names.map((_, i) => i).reverse();
    const text = reorder(generated, order);
    const reordered = order.map((i) => names[i]);
    assert.equal(text.split('\n')[0], reordered.join(' '));
    const report = summarizeText(text, { top: 25 });
    assert.deepEqual(report.top.map((t) => t.title), [
      'Top talkers by bytes', 'Destination ports', 'Rejected destinations', 'Rejected destination ports', 'Interfaces by bytes', 'Protocols by bytes',
      'Traffic paths by bytes', 'AWS services by bytes (source, destination)', 'Flow direction by bytes',
    ]);
    checkAgainstIndependent(report, recordTexts(text, reordered.join(' ')), reordered);
    checkRowFilters(text, report);
  });

  it('Transit Gateway default format', () => {
    const text = generate({ kind: 'tgw', bytes: 300_000, seed: 13, malformedRate: 0.01 });
    const report = summarizeText(text, { top: 25 });
    assert.ok(report.formats[0].startsWith('TGW'));
    assert.ok(report.top.some((t) => t.fields[0] === 'tgw-attachment-id'));
    assert.ok(!report.top.some((t) => t.where !== null), 'no rejected tables: TGW records have no action');
    checkAgainstIndependent(report, recordTexts(text, text.split('\n')[0]), text.split('\n')[0].split(' '));
    checkRowFilters(text, report);
  });

  for (const file of ['examples/cloudwatch-export.log', 'test/fixtures/export-shapes/subscription-envelopes.jsonl', 'test/fixtures/export-shapes/firehose-message.jsonl']) {
    it(`CloudWatch export shape: ${file}`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const report = summarizeText(text, { top: 50 });
      assert.ok(Number(report.totals.records) > 0);
      checkAgainstIndependent(report, recordTexts(text), V2_NAMES);
      checkRowFilters(text, report);
    });
  }
});

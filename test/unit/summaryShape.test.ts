/** The summary view's data shaping (client/summary/src/shape.ts): labels, exact counts, series and the filters marks apply. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  actionFilter, bucketFilter, bucketLabel, countValue, formatBytes, formatCount, formatInterval, hasActions, headlineFacts, rowLabel, tableHeading, tableKey, timelineSeries, topChoices,
} from '../../client/summary/src/shape';
import { TGW_REPORT, VPC_REPORT } from '../fixtures/summary/reports';

test('counts past 2^53 keep every digit in text', () => {
  assert.equal(formatCount('123456789012345678901'), '123,456,789,012,345,678,901');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount('not a number'), '0');
  assert.equal(countValue('9007199254740993'), 9007199254740992);
});

test('bytes in powers of 1024 and intervals in words', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(1_480_000_000), '1.4 GB');
  assert.equal(formatBytes(300 * 1024 * 1024), '300 MB');
  assert.deepEqual([30, 60, 300, 3600, 86400, 90].map(formatInterval), ['30 s', '1 min', '5 min', '1 h', '1 d', '90 s']);
});

test('bucket labels as short as the interval and span allow, in UTC', () => {
  const start = Date.UTC(2026, 0, 1, 10, 5, 0) / 1000;
  assert.equal(bucketLabel(start, 300, false), '10:05');
  assert.equal(bucketLabel(start + 30, 30, false), '10:05:30');
  assert.equal(bucketLabel(start, 3600, true), '01-01 10:05');
  assert.equal(bucketLabel(start, 86400, true), '2026-01-01');
});

test('timeline series: one value per bucket and action, exact text beside', () => {
  const timeline = VPC_REPORT.timeline;
  assert.ok(timeline);
  const records = timelineSeries(timeline, 'records');
  assert.equal(records.labels.length, timeline.buckets.length);
  assert.equal(records.labels[0], '10:00');
  assert.equal(records.starts[1], '2026-01-01T10:05:00Z');
  assert.deepEqual([records.values.accept[30], records.values.reject[30], records.values.other[30]], [timeline.buckets[30].records.accept, 900, 0]);
  const bytes = timelineSeries(timeline, 'bytes');
  assert.equal(bytes.values.accept[0], timeline.buckets[0].bytes.accept);
  assert.equal(bytes.texts.accept[0], formatBytes(timeline.buckets[0].bytes.accept));
});

test('a bucket mark selects its interval by start time, and its action when the format has one', () => {
  const start = Date.UTC(2026, 0, 1, 10, 0, 0) / 1000;
  assert.equal(bucketFilter(start, 300, 'reject', true), 'start >= 2026-01-01T10:00:00Z and start < 2026-01-01T10:05:00Z and action = reject');
  assert.equal(bucketFilter(start, 300, 'other', true), 'start >= 2026-01-01T10:00:00Z and start < 2026-01-01T10:05:00Z and action not in (accept, reject)');
  assert.equal(bucketFilter(start, 300, undefined, true), 'start >= 2026-01-01T10:00:00Z and start < 2026-01-01T10:05:00Z');
  // Transit Gateway logs have no `action`: naming it would be a bad filter there.
  assert.equal(hasActions(TGW_REPORT.totals), false);
  assert.equal(bucketFilter(start, 300, 'other', false), 'start >= 2026-01-01T10:00:00Z and start < 2026-01-01T10:05:00Z');
  assert.equal(actionFilter('accept', false), '');
});

test('row labels join a pair with an arrow and add a readable name once', () => {
  const [talkers, ports] = VPC_REPORT.top;
  assert.equal(rowLabel(talkers.rows[0]), '10.0.1.15 → 10.0.2.40');
  assert.equal(rowLabel(ports.rows[0]), '443 (HTTPS)');
  assert.equal(rowLabel({ ...ports.rows[0], values: ['8'], labels: ['egress-only-internet-gateway'] }), '8 (egress-only-internet-gateway)');
  assert.equal(rowLabel({ ...ports.rows[0], values: ['80'], labels: ['80'] }), '80');
  assert.notEqual(tableKey(VPC_REPORT.top[0]), tableKey({ ...VPC_REPORT.top[0], where: 'action = REJECT' }));
});

test('N choices: what the report holds, or more when the editor can ask for it', () => {
  assert.deepEqual(topChoices(6, false), [5, 6]);
  assert.deepEqual(topChoices(10, false), [5, 10]);
  assert.deepEqual(topChoices(3, false), [3]);
  assert.deepEqual(topChoices(10, true), [5, 10, 25, 50, 100]);
});

test('headline facts: rejected share, span, malformed lines, and no rejected share without actions', () => {
  const facts = Object.fromEntries(headlineFacts(VPC_REPORT).map((f) => [f.label, f.value]));
  assert.equal(facts.Records, '28,410');
  assert.equal(facts.Rejected, '7,460 (26.3 %)');
  assert.equal(facts['Time span'], '2026-01-01T10:00:00Z → 2026-01-01T15:59:59Z (5 h 59 min)');
  assert.equal(facts['Malformed lines (not counted)'], '3');
  const tgw = Object.fromEntries(headlineFacts(TGW_REPORT).map((f) => [f.label, f.value]));
  assert.equal(tgw.Rejected, undefined);
  assert.equal(tgw.Files, '2');
});

test('table headings say what ranks them once, and mark estimates', () => {
  const [talkers] = VPC_REPORT.top;
  assert.equal(tableHeading(talkers), 'Top talkers, by bytes');
  assert.equal(tableHeading({ ...talkers, title: 'Top talkers by bytes' }), 'Top talkers by bytes');
  assert.equal(tableHeading({ ...talkers, exact: false }), 'Top talkers, by bytes (estimated)');
  assert.equal(rowLabel({ ...talkers.rows[0], values: ['-'], labels: ['(no value)'] }), '- (no value)');
});

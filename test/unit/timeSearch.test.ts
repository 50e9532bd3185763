import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowLogDocument } from '../../server/src/service/document';
import { buildStructure } from '../../server/src/service/structure';
import { findTime, timeSpanOf } from '../../server/src/service/timeSearch';
import { formatUtc, formatUtcSpan, parseUtcTime } from '../../server/src/service/timeQuery';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const T0 = 1_700_000_000; // 2023-11-14 22:13:20 UTC

function v2(start: number, end = start + 60, eni = 'a'): string {
  return `2 123456789010 eni-${eni} 10.0.0.1 10.0.0.2 443 49152 6 10 840 ${start} ${end} ACCEPT OK`;
}

function search(lines: string[], time: number | string) {
  const doc = new FlowLogDocument(lines.join('\n'));
  const structure = buildStructure(doc);
  const parsed = parseUtcTime(String(time));
  assert.ok(parsed.ok, 'time parses');
  return { result: findTime(doc, structure, parsed.millis), structure };
}

describe('Go to Time: reading the time typed', () => {
  it('reads ISO 8601 in UTC, with or without zone, fraction or seconds, and epoch seconds and milliseconds', () => {
    const cases: [string, number][] = [
      ['2023-11-14T22:13:20Z', T0 * 1000],
      ['2023-11-14 22:13:20', T0 * 1000],
      ['2023-11-14T22:13:20.5Z', T0 * 1000 + 500],
      ['2023-11-14T23:13:20+01:00', T0 * 1000],
      ['2023-11-14T17:13:20-0500', T0 * 1000],
      ['2023-11-14 22:13', (T0 - 20) * 1000],
      ['2023-11-14', Date.UTC(2023, 10, 14)],
      [String(T0), T0 * 1000],
      [String(T0 * 1000 + 250), T0 * 1000 + 250],
      ['  1700000000  ', T0 * 1000],
    ];
    for (const [input, millis] of cases) assert.deepEqual(parseUtcTime(input), { ok: true, millis }, input);
  });

  it('refuses what is not a time with a message that says what is accepted', () => {
    for (const input of ['', 'yesterday', '2023-02-30', '2023-11-14T25:00', '14/11/2023', '1e9', '99999999999999999999']) {
      const parsed = parseUtcTime(input);
      assert.equal(parsed.ok, false, input);
      if (!parsed.ok) assert.match(parsed.message, /ISO 8601 .*epoch seconds or milliseconds/, input);
    }
  });

  it('formats times and spans in UTC', () => {
    assert.equal(formatUtc(T0 * 1000), '2023-11-14 22:13:20 UTC');
    assert.equal(formatUtcSpan((T0 - 20) * 1000, (T0 + 580) * 1000), '2023-11-14 22:13–22:23 UTC');
    assert.equal(formatUtcSpan(Date.UTC(2023, 10, 14, 23), Date.UTC(2023, 10, 15, 1)), '2023-11-14 23:00 – 2023-11-15 01:00 UTC');
  });
});

describe('Go to Time: finding the record', () => {
  // Records a minute apart, each 60 s long, except one long one: sorted by start.
  const sorted = [V2_HEADER, ...Array.from({ length: 500 }, (_, i) => v2(T0 + i * 60, i === 100 ? T0 + 100 * 60 + 3000 : T0 + i * 60 + 50))];

  it('bisects a file sorted by start, and finds the first record containing the time', () => {
    const { result, structure } = search(sorted, T0 + 250 * 60 + 10);
    assert.equal(structure.sortedByStart, true);
    assert.deepEqual(result, { match: { line: 251, character: 0, startMs: (T0 + 250 * 60) * 1000, endMs: (T0 + 250 * 60 + 50) * 1000, contains: true, method: 'bisection' } });
  });

  it('finds a long record that started well before the time (the longest window bounds the bisection)', () => {
    // Record 100 lasts 50 minutes: at 100 min + 30 min, it is the first record that contains the time.
    const { result } = search(sorted, T0 + 130 * 60 + 55);
    assert.equal(result.match?.line, 101);
    assert.equal(result.match?.contains, true);
  });

  it('goes to the next record after a gap, and says so', () => {
    const { result } = search(sorted, T0 + 250 * 60 + 55);
    assert.equal(result.match?.line, 252);
    assert.equal(result.match?.contains, false);
    assert.match(result.message ?? '', /^No record's window contains 2023-11-15 02:24:15 UTC; this is the next record, which starts at 2023-11-15 02:24:20 UTC\.$/);
  });

  it('scans a file that is not sorted, and finds the first record in line order', () => {
    const unsorted = [V2_HEADER, v2(T0 + 600), v2(T0), v2(T0 + 300), v2(T0 + 30, T0 + 400, 'b'), v2(T0 + 320, T0 + 330)];
    const { result, structure } = search(unsorted, T0 + 325);
    assert.equal(structure.sortedByStart, false);
    assert.deepEqual(result.match && [result.match.line, result.match.method, result.match.contains], [3, 'scan', true]);
    const gap = search([V2_HEADER, v2(T0 + 600), v2(T0), v2(T0 + 300, T0 + 310)], T0 + 400).result;
    assert.deepEqual(gap.match && [gap.match.line, gap.match.contains], [1, false]);
  });

  it('agrees between bisection and scan on every minute of a sorted file', () => {
    const doc = new FlowLogDocument(sorted.join('\n'));
    const structure = buildStructure(doc);
    for (let t = T0 * 1000; t <= (T0 + 500 * 60) * 1000; t += 97_000) {
      const bisected = findTime(doc, structure, t);
      const scanned = findTime(doc, { ...structure, sortedByStart: false }, t);
      assert.equal(bisected.match?.line, scanned.match?.line, `at ${t}`);
      assert.equal(bisected.match?.method, 'bisection');
      assert.equal(scanned.match?.method, 'scan');
    }
  });

  it('reads start and end in milliseconds, and CloudWatch times when the format has no start or end', () => {
    const ms = [V2_HEADER, v2(T0 * 1000, T0 * 1000 + 60_000), v2(T0 * 1000 + 60_000, T0 * 1000 + 120_000)];
    assert.equal(search(ms, T0 * 1000 + 90_000).result.match?.line, 2);
    const prefixed = ['2023-11-14T22:13:20.000Z 2 123456789010 eni-a ACCEPT', '2023-11-14T22:14:20.000Z 2 123456789010 eni-b REJECT'];
    const doc = new FlowLogDocument(`# fields: version account-id interface-id action\n${prefixed.join('\n')}`);
    const found = findTime(doc, buildStructure(doc), (T0 + 60) * 1000);
    assert.deepEqual(found.match && [found.match.line, found.match.character], [2, 25]);
  });

  it('bisects to a line of several records (a subscription envelope) by its later records too', () => {
    const event = (k: number, start: number, end: number): string => `{"id":"${k}","timestamp":${start * 1000},"message":"${v2(start, end)}"}`;
    const envelope = `{"messageType":"DATA_MESSAGE","logEvents":[${event(0, T0, T0)},${event(1, T0 + 1, T0 + 11)}]}`;
    // The longest window is 10 s: bisection looks for starts from T0 + 1, which the line's first record is before.
    const { result, structure } = search([V2_HEADER, envelope, v2(T0 + 100, T0 + 110)], T0 + 11);
    assert.equal(structure.sortedByStart, true);
    assert.deepEqual(result.match && [result.match.line, result.match.contains, result.match.method], [1, true, 'bisection']);
    assert.equal(result.match?.character, envelope.indexOf('"message":"', envelope.indexOf('"id":"1"')) + '"message":"'.length, 'at the second record of the line');
  });

  it('says why there is nowhere to go: no time fields, before the first record, after the last', () => {
    const noTimes = new FlowLogDocument('# fields: version account-id interface-id action\n2 123456789010 eni-a ACCEPT\n');
    assert.match(findTime(noTimes, buildStructure(noTimes), T0 * 1000).message ?? '', /no start or end field/);
    const early = search(sorted, '2023-11-14T00:00:00Z').result;
    assert.equal(early.match, undefined);
    assert.equal(early.message, '2023-11-14 00:00:00 UTC is before the first record: the records span 2023-11-14 22:13:20 – 2023-11-15 06:33:10 UTC.');
    assert.match(search(sorted, '2030-01-01').result.message ?? '', /^2030-01-01 00:00:00 UTC is after the last record/);
  });

  it('gives the time span of a range of lines', () => {
    const doc = new FlowLogDocument(sorted.join('\n'));
    assert.deepEqual(timeSpanOf(doc, 0, 3), { firstStart: T0 * 1000, lastEnd: (T0 + 60 + 50) * 1000, records: 2 });
    assert.deepEqual(timeSpanOf(doc, 0, 1), { firstStart: NaN, lastEnd: NaN, records: 0 });
  });
});

/**
 * Top-N that is right, not just bounded (issue 14): exact counts up to the memory budget; past it,
 * estimates whose bounds hold against exact Map counts on heavy-tailed data, and on flat data
 * (every pair different) "no entry stands out" instead of numbers that are not true. Merging
 * partial states (structured-cloned, as between worker threads) equals one pass. Cells the filter
 * cannot name, `-`, numbers spelled two ways and text needing quotes get rows whose filter
 * selects exactly their records.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate, mulberry32 } from '../../bench/generate';
import { Match, RecordFilter } from '../../server/src/service/filter';
import { parseFieldList } from '../../server/src/service/fieldList';
import { formatFromList } from '../../server/src/service/formatModel';
import { SummaryAggregator } from '../../server/src/service/summary/aggregator';
import { readGrouping } from '../../server/src/service/summary/groupings';
import { GroupTable, hashBytes, Measure } from '../../server/src/service/summary/groupTable';
import { readIPv6 } from '../../server/src/service/summary/cellKeys';
import { parseIPv6 } from '../../server/src/catalog/addresses';
import type { SummaryOptions, TopTable } from '../../server/src/service/summary/model';
import { SummaryStream, summarizeText } from '../../server/src/service/summary/summaryStream';

const V2 = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const FORMAT = formatFromList(parseFieldList(V2), 'header', 0);
const TALKERS: SummaryOptions = { groupBy: [['srcaddr', 'dstaddr']], by: 'bytes' };

const ipv4 = (n: number): string => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const record = (src: string, dst: string, bytes: number, action = 'ACCEPT'): string =>
  `2 123456789010 eni-0a1b2c3d4e5f60718 ${src} ${dst} 443 49152 6 10 ${bytes} 1767225600 1767225660 ${action} OK`;

/** Exact bytes, records and packets per pair, the plain way. */
class ExactPairs {
  readonly bytes = new Map<string, number>();
  readonly records = new Map<string, number>();
  add(src: string, dst: string, bytes: number): void {
    const key = `${src} ${dst}`;
    this.bytes.set(key, (this.bytes.get(key) ?? 0) + bytes);
    this.records.set(key, (this.records.get(key) ?? 0) + 1);
  }
  top(n: number): [string, number][] {
    return [...this.bytes].sort((a, b) => b[1] - a[1]).slice(0, n);
  }
}

/** Zipf-like ranks: rank k drawn with weight 1/k^s over `keys` keys. */
function zipf(random: () => number, keys: number, s: number): () => number {
  const cumulative = new Float64Array(keys);
  let total = 0;
  for (let k = 0; k < keys; k++) cumulative[k] = total += 1 / (k + 1) ** s;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = keys - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Each estimated row's bytes bound the truth from above by at most maxOverestimate; its records are lower bounds. */
function checkBounds(table: TopTable, exact: ExactPairs): void {
  for (const row of table.rows) {
    const key = row.values.join(' ');
    const truth = exact.bytes.get(key) ?? 0;
    const estimate = Number(row.bytes);
    const over = Number(row.maxOverestimate ?? 0);
    assert.ok(truth <= estimate && truth >= estimate - over, `${key}: true ${truth} within [${estimate - over}, ${estimate}]`);
    assert.ok(Number(row.records) <= (exact.records.get(key) ?? 0), `${key}: records a lower bound`);
  }
}

describe('summary top-N: exact within the budget, honest past it', () => {
  it('flat data, 1,000,000 different pairs: exact with the default budget; with a small one, no entry stands out', () => {
    const exactSummary = new SummaryAggregator(TALKERS);
    const small = new SummaryAggregator({ ...TALKERS, maxGroups: 1000 });
    const exact = new ExactPairs();
    for (let i = 0; i < 1_000_000; i++) {
      const src = ipv4(0x0a000000 + i);
      const dst = ipv4(0xac100000 + ((i * 7919) % 1_000_003));
      const bytes = 1000 + ((i * 104_729) % 50_000);
      const line = record(src, dst, bytes);
      exactSummary.addRecord(line, 0, line.length, FORMAT);
      small.addRecord(line, 0, line.length, FORMAT);
      exact.add(src, dst, bytes);
    }
    const [counted] = exactSummary.report().top;
    assert.equal(counted.exact, true);
    assert.equal(counted.distinct, exact.bytes.size);
    assert.deepEqual(counted.rows.map((row) => [row.values.join(' '), row.bytes]), exact.top(10));

    const [estimated] = small.report().top;
    assert.equal(estimated.exact, false);
    assert.deepEqual(estimated.rows, [], 'no row printed: none is sure to be in the top 10');
    assert.match(estimated.note ?? '', /^no entry stands out/);
  });

  it('heavy-tailed data past the budget: the heaviest pairs are listed, each within its stated error', () => {
    const random = mulberry32(5);
    const draw = zipf(random, 100_000, 1.1);
    const summary = new SummaryAggregator({ ...TALKERS, maxGroups: 2000 });
    const exact = new ExactPairs();
    for (let i = 0; i < 400_000; i++) {
      const k = draw();
      const src = ipv4(0x0a000000 + k);
      const dst = ipv4(0xc0a80000 + (k % 5000));
      const bytes = 100 + Math.floor(random() * 2000);
      const line = record(src, dst, bytes);
      summary.addRecord(line, 0, line.length, FORMAT);
      exact.add(src, dst, bytes);
    }
    const [table] = summary.report().top;
    assert.equal(table.exact, false);
    assert.match(table.note ?? '', /^estimated/);
    assert.ok(table.rows.length >= 5, `${table.rows.length} rows stand out`);
    checkBounds(table, exact);
    const listed = new Set(table.rows.map((row) => row.values.join(' ')));
    for (const [key] of exact.top(5)) assert.ok(listed.has(key), `true top-5 pair ${key} is listed`);
  });
});

describe('summary merge: partial states from other threads', () => {
  it('merging two halves (structured-cloned) equals one pass over both', () => {
    const text = generate({ kind: 'v2', bytes: 300_000, seed: 21, malformedRate: 0.01 });
    const lines = text.split('\n');
    const whole = summarizeText(text, { top: 20 });
    for (const at of [1, 777, lines.length - 3]) {
      const first = new SummaryAggregator({ top: 20 });
      const second = new SummaryAggregator({ top: 20 });
      for (const [aggregator, part] of [[first, lines.slice(0, at).join('\n')], [second, lines.slice(at).join('\n')]] as const) {
        const stream = new SummaryStream(aggregator);
        stream.push(part);
        stream.end();
      }
      first.merge(structuredClone(second.state()));
      const merged = first.report();
      merged.totals.files = 1;
      assert.deepEqual(merged, whole, `split at line ${at}`);
    }
  });

  it('merging estimated states keeps the bounds true', () => {
    const random = mulberry32(9);
    const draw = zipf(random, 50_000, 1.2);
    const parts = [new SummaryAggregator({ ...TALKERS, maxGroups: 1500 }), new SummaryAggregator({ ...TALKERS, maxGroups: 1500 })];
    const exact = new ExactPairs();
    for (let i = 0; i < 200_000; i++) {
      const k = draw();
      const src = ipv4(0x0a000000 + k);
      const dst = ipv4(0xc0a80000 + (k % 997));
      const bytes = 1 + Math.floor(random() * 5000);
      const line = record(src, dst, bytes);
      // Different halves see different orders and mixes, as two chunks of a file would.
      parts[i < 80_000 || k % 3 === 0 ? 0 : 1].addRecord(line, 0, line.length, FORMAT);
      exact.add(src, dst, bytes);
    }
    parts[0].merge(structuredClone(parts[1].state()));
    const [table] = parts[0].report().top;
    assert.equal(table.exact, false);
    assert.ok(table.rows.length >= 3);
    checkBounds(table, exact);
  });
});

describe('summary rows for every kind of cell', () => {
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-id';
  const rows = [
    '2 123456789010 eni-0a1b2c3d4e5f60718 10.0.0.1 2001:db8::1 1234 080 6 1 10 1767225600 1767225660 ACCEPT OK a"b',
    '2 123456789010 eni-0a1b2c3d4e5f60718 10.0.0.1 2001:0db8:0:0:0:0:0:1 1234 80 6 1 20 1767225600000 1767225660000 ACCEPT OK and',
    '2 123456789010 eni-0a1b2c3d4e5f60718 10.0.0.1 10.0.0.2 1234 99999 6 1 30 1767225600 1767225660 reject OK -',
    '2 123456789010 eni-0a1b2c3d4e5f60718 10.0.0.256 10.0.0.2 1234 - 6 1 40 1767225600 1767225660 REJECT OK x..y',
    '2 123456789010 eni-0a1b2c3d4e5f60718 - - - - - - - 1767225600 1767225660 - NODATA -',
  ];
  const text = `${header}\n${rows.join('\n')}\n`;
  const groupBy = ['dstport', 'dstaddr', 'srcaddr', 'action', 'start', 'instance-id'].map((name) => readGrouping(name) as string[]);
  const report = summarizeText(text, { groupBy, top: 50 });
  const format = formatFromList(parseFieldList(header), 'header', 0);

  it('groups by what the filter compares: 080 and 80, an address spelled two ways, milliseconds and seconds', () => {
    const byField = (field: string) => Object.fromEntries((report.top.find((t) => t.fields[0] === field) as TopTable).rows.map((row) => [row.values[0], row.records]));
    assert.deepEqual(byField('dstport'), { 80: 2, '(invalid)': 1, '-': 2 });
    assert.deepEqual(byField('dstaddr'), { '2001:db8::1': 2, '10.0.0.2': 2, '-': 1 });
    assert.deepEqual(byField('srcaddr'), { '10.0.0.1': 3, '(invalid)': 1, '-': 1 });
    assert.deepEqual(byField('action'), { ACCEPT: 2, '(invalid)': 1, REJECT: 1, '-': 1 });
    assert.deepEqual(byField('start'), { 1767225600: 5 });
    assert.deepEqual(byField('instance-id'), { 'a"b': 1, and: 1, '-': 2, 'x..y': 1 });
  });

  it('labels ports and says what `-` and invalid cells are', () => {
    const ports = (report.top.find((t) => t.fields[0] === 'dstport') as TopTable).rows;
    assert.deepEqual(ports.map((row) => row.labels[0]), ['- (no value)', '80 HTTP', 'not a valid value (flowlog lint says why)']);
  });

  it("every row's filter selects exactly its records", () => {
    for (const table of report.top) {
      for (const row of table.rows) {
        const filter = new RecordFilter(row.filter);
        const matched = rows.filter((line) => filter.matchLine(line, 0, line.length, format) === Match.Yes).length;
        assert.equal(matched, row.records, `${row.filter}`);
      }
    }
  });

  it('a grouping names known fields, one or two', () => {
    assert.deepEqual(readGrouping('srcaddr, dstaddr'), ['srcaddr', 'dstaddr']);
    assert.match(readGrouping('dstprot') as string, /not a field; did you mean `dstport`/);
    assert.match(readGrouping('srcaddr,dstaddr,dstport') as string, /one or two fields/);
    assert.match(readGrouping('dstport,dstport') as string, /twice/);
  });

  it('a grouping the format lacks says so; built-in tables the format lacks are left out', () => {
    const lacking = summarizeText(text, { groupBy: [['traffic-path']] });
    assert.equal(lacking.top[0].note, 'missing: no format read has traffic-path');
    assert.ok(!summarizeText(text).top.some((t) => t.fields.includes('traffic-path')));
  });
});

describe('group table', () => {
  const key = (text: string): Uint8Array => new TextEncoder().encode(text);
  const add = (table: GroupTable, name: string, bytes: number): void => {
    const k = key(name);
    table.add(k, k.length, hashBytes(k, k.length), 1, bytes, 1, 0);
  };
  const rows = (table: GroupTable): [string, number, number][] =>
    Array.from({ length: table.entryCount() }, (_, e): [string, number, number] => [new TextDecoder().decode(table.keyOf(e)), table.rankOf(e), table.measuresOf(e).error]).sort((a, b) => b[1] - a[1]);

  it('is exact while the groups fit the budget', () => {
    const table = new GroupTable(Measure.Bytes, { used: 0, max: 1000 });
    for (const [name, bytes] of [['a', 5], ['b', 1], ['a', 5], ['c', 7], ['d', 2]] as const) add(table, name, bytes);
    assert.equal(table.exact, true);
    assert.deepEqual(rows(table).slice(0, 2), [['a', 10, 0], ['c', 7, 0]]);
  });

  it('past the budget keeps every heavy group among many light ones, with a bounded over-estimate, through evictions', () => {
    const table = new GroupTable(Measure.Bytes, { used: 0, max: 300 });
    const truth = new Map<string, number>();
    for (let i = 0; i < 200_000; i++) {
      const heavy = i % 10 === 0;
      const name = heavy ? `heavy${i % 30}` : `light${i % 50_000}`;
      const bytes = heavy ? 100 : 1 + (i % 7);
      add(table, name, bytes);
      truth.set(name, (truth.get(name) ?? 0) + bytes);
    }
    assert.equal(table.exact, false);
    assert.ok(table.entryCount() <= 300);
    const found = rows(table);
    assert.deepEqual(found.slice(0, 3).map(([name]) => name).sort(), ['heavy0', 'heavy10', 'heavy20']);
    for (const [name, rank, error] of found) {
      const actual = truth.get(name) ?? 0;
      assert.ok(rank >= actual && rank - error <= actual, `${name}: ${actual} within [${rank - error}, ${rank}]`);
    }
    // Any group not held has at most the bound.
    const held = new Set(found.map(([name]) => name));
    for (const [name, actual] of truth) if (!held.has(name)) assert.ok(actual <= table.bound, `${name} ${actual} ≤ ${table.bound}`);
  });
});

describe('IPv6 keys', () => {
  it('readIPv6 accepts exactly what parseIPv6 accepts, with the same groups', () => {
    const random = mulberry32(17);
    const alphabet = '0123456789abcdefABCDEF:.:::';
    const samples = ['::', '::1', '1::', '2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9',
      '1::2:3:4:5:6:7:8', ':::1', '1:::2', ':1::', '1:', '::ffff:10.0.0.1', '::ffff:010.0.0.1', '2001:db8::12345', 'g::1', '1::2::3', ''];
    for (let n = 0; n < 20_000; n++) {
      const length = Math.floor(random() * 46);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      samples.push(text);
    }
    const groups = new Uint16Array(8);
    for (const text of samples) {
      const expected = parseIPv6(text);
      const cell = `x ${text} y`;
      const ok = readIPv6(cell, 2, 2 + text.length, groups);
      assert.equal(ok, expected !== undefined, `${JSON.stringify(text)}`);
      if (expected) assert.deepEqual([...groups], expected, text);
    }
  });
});

/**
 * The group table's entries keep keys of up to 11 bytes in the entry (an IPv4 pair, one address,
 * `-`, an integer) and longer ones (IPv6, two integers, text) in an arena. Counts per key must be
 * exact whichever way a key is stored, through growth past many chunks, state and merge, past the
 * budget (compaction moves both kinds), and after a reset that reuses the memory. Checked against
 * plain Map counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../bench/generate';
import { parseFieldList } from '../../server/src/service/fieldList';
import { formatFromList } from '../../server/src/service/formatModel';
import { SummaryAggregator } from '../../server/src/service/summary/aggregator';
import { GroupTable, hashBytes, Measure } from '../../server/src/service/summary/groupTable';

const V2 = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const FORMAT = formatFromList(parseFieldList(V2), 'header', 0);

/** Addresses of every kind a key holds: IPv4 (inline), IPv6 (arena), `-` and invalid cells. */
function address(random: () => number, pool: number): string {
  const n = Math.floor(random() * pool);
  const kind = n % 7;
  if (kind === 0) return '-';
  if (kind === 1) return `2600:1f18::${(n % 65536).toString(16)}`;
  if (kind === 2) return `10.0.${n % 256}.999`;
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function line(src: string, dst: string, bytes: number): string {
  return `2 123456789010 eni-0a1b2c3d ${src} ${dst} 443 49152 6 1 ${bytes} 1767225600 1767225660 ACCEPT OK`;
}

/** Rows of a summary's one table as `values → bytes`, and the exact truth by the canonical spelling of each value. */
function rows(summary: SummaryAggregator): Map<string, number> {
  const table = summary.report().top[0];
  return new Map(table.rows.map((row) => [row.values.join(' '), Number(row.bytes)]));
}

describe('group table entries: inline and arena keys', () => {
  it('mixed IPv4, IPv6, `-` and invalid pairs: exact per pair through growth, state, merge and reset', () => {
    const random = mulberry32(5);
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) lines.push(line(address(random, 40_000), address(random, 300), 1 + Math.floor(random() * 1000)));
    const options = { groupBy: [['srcaddr', 'dstaddr']], by: 'bytes' as const, top: 1000 };
    const whole = new SummaryAggregator(options);
    for (const text of lines) whole.addRecord(text, 0, text.length, FORMAT);
    // Two halves, the second counted by an aggregator that counted something else first and was reset.
    const first = new SummaryAggregator(options);
    const second = new SummaryAggregator(options);
    const other = line('192.0.2.1', '2600:1f18::1', 7);
    for (let i = 0; i < 500; i++) second.addRecord(other, 0, other.length, FORMAT);
    second.reset();
    lines.forEach((text, i) => (i < 30_000 ? first : second).addRecord(text, 0, text.length, FORMAT));
    first.merge(structuredClone(second.state()));
    const expected = rows(whole);
    assert.equal(expected.size, 1000);
    assert.deepEqual(rows(first), expected);
    assert.equal(first.report().top[0].distinct, whole.report().top[0].distinct);
    // Every kind of key is among the rows.
    const keys = [...expected.keys()].join('\n');
    for (const pattern of [/^- /m, /2600:1f18::/, /\(invalid\)/, /^10\.\d+\.\d+\.\d+ 10\./m]) assert.match(keys, pattern);
  });

  it('keys of every length from 1 to 40 bytes, past the budget: kept groups keep their keys and bounds', () => {
    const table = new GroupTable(Measure.Bytes, { used: 0, max: 600 });
    const truth = new Map<string, number>();
    const random = mulberry32(9);
    const keyOf = (n: number): Uint8Array => {
      const length = 1 + (n % 40);
      return Uint8Array.from({ length }, (_, i) => (n * 31 + i * 7) & 255);
    };
    for (let i = 0; i < 50_000; i++) {
      const heavy = i % 5 === 0;
      const n = heavy ? (i / 5) % 40 : 40 + Math.floor(random() * 20_000);
      const key = keyOf(n);
      const bytes = heavy ? 50 : 1;
      // The key is read from an offset in a larger buffer, as a merge reads a state's keys.
      const buffer = new Uint8Array(key.length + 3);
      buffer.set(key, 3);
      table.add(buffer.subarray(3), key.length, hashBytes(buffer, key.length, 3), 1, bytes, 1, 0);
      const name = Array.from(key).join(',');
      truth.set(name, (truth.get(name) ?? 0) + bytes);
    }
    assert.equal(table.exact, false);
    const held = new Set<string>();
    for (let e = 0; e < table.entryCount(); e++) {
      const name = Array.from(table.keyOf(e)).join(',');
      held.add(name);
      const actual = truth.get(name);
      assert.ok(actual !== undefined, `held key ${name} was counted`);
      const rank = table.rankOf(e);
      assert.ok(rank >= actual && rank - table.measuresOf(e).error <= actual, `${name}: ${actual} within bounds`);
    }
    // Every heavy key (all 40 lengths) is held.
    for (let n = 0; n < 40; n++) assert.ok(held.has(Array.from(keyOf(n)).join(',')), `heavy key of ${1 + n} bytes held`);
    const state = table.state();
    assert.equal(state.keyEnds.length, table.entryCount());
    assert.equal(state.keyEnds[state.keyEnds.length - 1], state.keys.length);
  });
});

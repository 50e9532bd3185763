/**
 * The summary reads a clean record's cells from the validation kernel (provenCells.ts) and counts
 * its group-table updates by several shortcuts: an IPv4 pair held as two numbers, a small table
 * looked up at once while it has no update waiting, a text cell found in a cache of recent
 * groups. None of that may change a number: here the summary equals (1) the same summary reading
 * every record with the splitter, on generated files of every kind with damaged lines, and (2)
 * group tables fed one update at a time, the plain way, in record order, past small budgets too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate, mulberry32 } from '../../bench/generate';
import { lookupField } from '../../server/src/catalog/fields';
import { readDecimal } from '../../server/src/catalog/values';
import { SummaryAggregator } from '../../server/src/service/summary/aggregator';
import { cellEncoder, KeyBuffer, smallDomain, writeCellKey } from '../../server/src/service/summary/cellKeys';
import { DEFAULT_GROUPINGS } from '../../server/src/service/summary/groupings';
import { GroupTable, hashBytes, Measure } from '../../server/src/service/summary/groupTable';
import type { SummaryOptions } from '../../server/src/service/summary/model';
import { SummaryStream } from '../../server/src/service/summary/summaryStream';
import { TextCache } from '../../server/src/service/summary/textCache';

function summarize(text: string, options: SummaryOptions, cells: 'kernel' | 'text'): SummaryAggregator {
  const aggregator = new SummaryAggregator(options, cells);
  const stream = new SummaryStream(aggregator);
  // In pieces, as a file arrives: records are read from several batch texts.
  for (let at = 0; at < text.length; at += 700_000) stream.push(text.slice(at, at + 700_000));
  stream.end();
  return aggregator;
}

describe('summary: the kernel reading equals the splitter reading', () => {
  const optionSets: SummaryOptions[] = [
    {},
    { maxGroups: 300 },
    { maxGroups: 4000, groupBy: [['srcaddr', 'dstaddr'], ['interface-id'], ['dstport', 'protocol'], ['dstaddr'], ['action'], ['start'], ['log-status', 'srcaddr']], by: 'packets' },
  ];
  for (const kind of ['v2', 'v5', 'tgw'] as const) {
    it(`${kind}, with damaged lines, default and small budgets, built-in and user tables`, () => {
      const text = generate({ kind, bytes: 1_500_000, seed: 11, malformedRate: 0.03 });
      for (const options of optionSets) {
        const kernel = summarize(text, options, 'kernel');
        const plain = summarize(text, options, 'text');
        assert.deepEqual(kernel.state(), plain.state(), JSON.stringify(options));
        assert.deepEqual(kernel.report(), plain.report(), JSON.stringify(options));
      }
    });
  }
});

/** A v2 record of few interfaces, many pairs, some `-`, IPv6 and invalid cells. */
function record(random: () => number): string {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const n = Math.floor(random() * 1e9);
  const address = (): string => pick(['-', '2600:1f18::7', '10.0.0.999', `10.${n & 255}.${(n >>> 8) & 255}.${Math.floor(random() * 40)}`, `172.16.0.${n % 7}`]);
  const status = pick(['OK', 'OK', 'OK', 'NODATA', 'SKIPDATA']);
  const action = status === 'OK' ? pick(['ACCEPT', 'ACCEPT', 'REJECT', '-']) : '-';
  const port = pick(['443', '80', '080', '99999', '-', String(n % 2000)]);
  return `2 123456789010 eni-0${pick(['a1', 'b2', 'c3', 'd4', 'e5'])}b2c3d4e5f6071 ${address()} ${address()} 49152 ${port} ${pick(['6', '17', '1', '-'])} ${n % 50} ${n % 100000} 1767225600 1767225660 ${action} ${status}`;
}

/** The built-in tables fed one record at a time, in order, without the batch or any shortcut. */
function plainTables(lines: readonly string[], maxGroups: number): GroupTable[] {
  const names = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'.split(' ');
  const budget = { used: 0, max: maxGroups };
  const groupings = DEFAULT_GROUPINGS.filter((grouping) => grouping.fields.every((field) => names.includes(field)));
  const encoders = groupings.map((grouping) => grouping.fields.map((field) => cellEncoder(lookupField(field) as NonNullable<ReturnType<typeof lookupField>>)));
  const rank = { records: Measure.Records, bytes: Measure.Bytes, packets: Measure.Packets } as const;
  const tables = groupings.map((grouping, i) => new GroupTable(rank[grouping.by], budget, encoders[i].length === 1 ? smallDomain(encoders[i][0]) : 0));
  const key = new KeyBuffer();
  for (const line of lines) {
    const cells = line.split(' ');
    let from = 0;
    const offsets = cells.map((cell) => {
      const at = from;
      from += cell.length + 1;
      return at;
    });
    const number = (name: string): number => Math.max(0, readDecimal(line, offsets[names.indexOf(name)], offsets[names.indexOf(name)] + cells[names.indexOf(name)].length));
    const rejected = cells[names.indexOf('action')] === 'REJECT' ? 1 : 0;
    groupings.forEach((grouping, t) => {
      if (grouping.rejectedOnly && !rejected) return;
      key.length = 0;
      grouping.fields.forEach((field, f) => {
        const column = names.indexOf(field);
        writeCellKey(encoders[t][f], line, offsets[column], offsets[column] + cells[column].length, key);
      });
      tables[t].add(key.bytes, key.length, hashBytes(key.bytes, key.length), 1, number('bytes'), number('packets'), rejected);
    });
  }
  return tables;
}

describe('summary tables: every shortcut counts as one update at a time would', () => {
  for (const maxGroups of [1_000_000, 2000, 300]) {
    it(`budget ${maxGroups}`, () => {
      const random = mulberry32(maxGroups);
      const lines = Array.from({ length: 40_000 }, () => record(random));
      const text = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n${lines.join('\n')}\n`;
      const state = summarize(text, { maxGroups }, 'kernel').state();
      const plain = plainTables(lines, maxGroups).map((table) => table.state());
      assert.equal(state.tables.filter((_table, i) => state.present[i]).length, plain.length);
      assert.deepEqual(state.tables.filter((_table, i) => state.present[i]), plain);
      if (maxGroups < 1_000_000) assert.equal(plain[0].exact, false, 'the talkers table passes the budget');
    });
  }
});

describe('text cache', () => {
  const bytes = new TextEncoder().encode('eni-0a1b eni-0a1c eni-0a1b eni-0a1bb');
  it('finds an entry only for the same bytes, and forgets all when the generation changes', () => {
    const cache = new TextCache();
    assert.equal(cache.find(bytes, 0, 8, 0), -1);
    cache.fill(bytes, 0, 8, 7);
    assert.equal(cache.find(bytes, 18, 26, 0), 7, 'the same text elsewhere');
    assert.equal(cache.find(bytes, 9, 17, 0), -1, 'one byte differs');
    assert.equal(cache.find(bytes, 27, 36, 0), -1, 'longer');
    assert.equal(cache.find(bytes, 0, 8, 1), -1, 'the table dropped or was cleared');
    assert.equal(cache.find(bytes, 0, 8, 1), -1, 'and stays forgotten');
  });
});

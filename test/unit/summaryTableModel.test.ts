/**
 * Group tables against a plain model of what they promise (groupTable.ts): entries in the order
 * their groups first came, counts summed per group, and past the shared budget, on each insert
 * that finds it full, the lighter half of the inserting table dropped by rank (ties dropped in
 * entry order), the bound raised to the highest rank dropped and every new group starting with
 * the bound before its insert as its error. The table gets there with its own machinery (small
 * codes counted apart and settled later, ranks selected by bins of their bits, slots put back in
 * bucket order, emptied chunks reused); the model with arrays, a Map and a sort. Their states must
 * be equal, entry for entry, on random inputs with many ties and many drops.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../bench/generate';
import { GroupTable, hashBytes, Measure, pairHash, type GroupBudget, type GroupTableState, type RankMeasure } from '../../server/src/service/summary/groupTable';
import { DropScratch } from '../../server/src/service/summary/lighterHalf';

interface ModelEntry {
  key: string;
  counts: number[];
  error: number;
}

class ModelTable {
  entries: ModelEntry[] = [];
  private readonly byKey = new Map<string, ModelEntry>();
  bound = 0;
  exact = true;

  constructor(readonly rank: RankMeasure, readonly budget: GroupBudget, readonly direct: boolean) {}

  add(key: string, counts: number[]): void {
    const found = this.byKey.get(key);
    if (found) counts.forEach((count, k) => (found.counts[k] += count));
    else this.insert(key, counts, this.bound);
  }

  /** Another table's entries added: summed where both have the group, the other's bound taken in where one has it. */
  merge(other: ModelTable): void {
    const present = new Set<ModelEntry>();
    const pending: ModelEntry[] = [];
    for (const entry of other.entries) {
      const found = this.byKey.get(entry.key);
      if (!found) {
        pending.push(entry);
        continue;
      }
      entry.counts.forEach((count, k) => (found.counts[k] += count));
      found.error += entry.error;
      present.add(found);
    }
    for (const entry of this.entries) if (!present.has(entry)) entry.error += other.bound;
    const ownBound = this.bound;
    this.bound += other.bound;
    for (const entry of pending) this.insert(entry.key, entry.counts, entry.error + ownBound);
    if (!other.exact) this.exact = false;
  }

  private insert(key: string, counts: number[], error: number): void {
    if (!this.direct) {
      if (this.entries.length >= 256 && this.budget.used >= this.budget.max) this.drop();
      this.budget.used++;
    }
    const entry = { key, counts: [...counts], error };
    this.entries.push(entry);
    this.byKey.set(key, entry);
  }

  private drop(): void {
    this.exact = false;
    const ranks = this.entries.map((entry) => entry.counts[this.rank] + entry.error);
    const drop = ranks.length >> 1;
    const threshold = [...ranks].sort((a, b) => a - b)[drop - 1];
    let ties = drop - ranks.filter((rank) => rank < threshold).length;
    const kept = this.entries.filter((_, e) => {
      const gone = ranks[e] < threshold || (ranks[e] === threshold && ties-- > 0);
      if (gone) this.bound = Math.max(this.bound, ranks[e]);
      return !gone;
    });
    this.budget.used -= this.entries.length - kept.length;
    this.entries = kept;
    this.byKey.clear();
    for (const entry of kept) this.byKey.set(entry.key, entry);
  }
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** A table's state as the model's entries. */
function entriesOf(state: GroupTableState): ModelEntry[] {
  return Array.from(state.keyEnds, (end, i) => {
    const from = i === 0 ? 0 : state.keyEnds[i - 1];
    const m = state.measures.subarray(i * 5, i * 5 + 5);
    return { key: hex(state.keys.subarray(from, end)), counts: [m[0], m[1], m[2], m[3]], error: m[4] };
  });
}

function pairKey(a: number, b: number): Uint8Array {
  return Uint8Array.of(4, a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, 4, b >>> 24, (b >>> 16) & 255, (b >>> 8) & 255, b & 255);
}

interface Fed {
  tables: GroupTable[];
  models: ModelTable[];
  budget: GroupBudget;
  modelBudget: GroupBudget;
}

/** Three tables and their models fed the same random records. */
function feed(seed: number, max: number, records: number): Fed {
  const random = mulberry32(seed);
  const budget = { used: 0, max };
  const modelBudget = { used: 0, max };
  const tables = [new GroupTable(Measure.Records, budget, 50), new GroupTable(Measure.Bytes, budget), new GroupTable(Measure.Packets, budget)];
  const [codes, pairs, keys] = tables;
  const models = [new ModelTable(Measure.Records, modelBudget, true), new ModelTable(Measure.Bytes, modelBudget, false), new ModelTable(Measure.Packets, modelBudget, false)];
  const key = new Uint8Array(40);
  for (let r = 0; r < records; r++) {
    // Small counts give many equal ranks; now and then a heavy group or a huge count.
    const bytes = random() < 0.3 ? 0 : random() < 0.01 ? 2 ** 40 + Math.floor(random() * 1000) : 1 + Math.floor(random() * 20);
    const packets = Math.floor(random() * 4);
    const rejected = random() < 0.2 ? 1 : 0;
    const counts = [1, bytes, packets, rejected];

    const code = Math.floor(random() * 50);
    const codeKey = Uint8Array.of(1, 0, 0, 0, 0, 0, code >>> 8, code & 255);
    if (!codes.addCode(code, 1, bytes, packets, rejected)) codes.add(codeKey, codeKey.length, hashBytes(codeKey, codeKey.length), 1, bytes, packets, rejected, code);
    models[0].add(hex(codeKey), counts);

    const a = random() < 0.2 ? Math.floor(random() * 40) : Math.floor(random() * 2 ** 32);
    const b = Math.floor(random() * 8);
    const pair = pairKey(a, b);
    if (random() < 0.5) pairs.addPair(a, b, pairHash(a, b), 1, bytes, packets, rejected);
    else pairs.add(pair, pair.length, hashBytes(pair, pair.length), 1, bytes, packets, rejected);
    models[1].add(hex(pair), counts);

    if (random() < 0.5) {
      const length = 1 + Math.floor(random() * 30);
      const n = Math.floor(random() * (random() < 0.5 ? 200 : 30_000));
      for (let i = 0; i < length; i++) key[i] = (n * (i + 7)) >>> (i % 3) & 255;
      keys.add(key, length, hashBytes(key, length), 1, bytes, packets, rejected);
      models[2].add(hex(key.subarray(0, length)), counts);
    }
  }
  return { tables, models, budget, modelBudget };
}

function assertSame(fed: Fed): void {
  fed.tables.forEach((table, t) => {
    const state = table.state();
    const model = fed.models[t];
    assert.equal(state.exact, model.exact, `table ${t} exact`);
    assert.equal(state.bound, model.bound, `table ${t} bound`);
    assert.deepEqual(entriesOf(state), model.entries, `table ${t} entries`);
  });
  assert.equal(fed.budget.used, fed.modelBudget.used);
}

describe('group tables against a plain model', () => {
  for (const [seed, max, records] of [
    [1, 300, 40_000],
    [2, 5_000, 120_000],
    [3, 9_000, 150_000],
  ] as const) {
    it(`seed ${seed}, a budget of ${max} shared by two tables, a table of small codes beside them`, () => {
      assertSame(feed(seed, max, records));
    });
  }

  it('merging another state (structured-cloned), past both budgets', () => {
    const fed = feed(4, 6_000, 60_000);
    const other = feed(5, 3_000, 50_000);
    fed.tables.forEach((table, t) => {
      table.merge(structuredClone(other.tables[t].state()));
      fed.models[t].merge(other.models[t]);
    });
    assertSame(fed);
  });
});

describe('drop scratch', () => {
  it('finds the k-th smallest rank as a sort does, through ties, zeros and huge values', () => {
    const random = mulberry32(4);
    const scratch = new DropScratch();
    for (const n of [1, 7, 4095, 4096, 20_000, 70_000]) {
      const ranks = Float64Array.from({ length: n }, () => (random() < 0.2 ? 0 : random() < 0.5 ? Math.floor(random() * 10) : random() < 0.5 ? 2 ** 50 * random() : Math.floor(random() * 1e6)));
      const sorted = [...ranks].sort((x, y) => x - y);
      for (const k of [0, n >> 1, n - 1, Math.floor(random() * n)]) assert.equal(scratch.kthSmallest(ranks, n, k), sorted[k], `n ${n} k ${k}`);
    }
  });

  it('finds every k-th smallest of few distinct ranks (each bin boundary)', () => {
    const random = mulberry32(8);
    const scratch = new DropScratch();
    const n = 5000;
    const ranks = Float64Array.from({ length: n }, () => Math.floor(random() * 40) * 1000);
    const sorted = [...ranks].sort((x, y) => x - y);
    for (let k = 0; k < n; k++) assert.equal(scratch.kthSmallest(ranks, n, k), sorted[k], `k ${k}`);
  });

  it('orders entries by the part of the slots they go to, each entry once with its hash', () => {
    const scratch = new DropScratch();
    const hashes = Int32Array.from({ length: 10_000 }, (_, e) => Math.imul(e + 1, 0x9e3779b1));
    for (const bits of [4, 12, 21]) {
      const order = scratch.slotOrder(hashes.length, (e) => hashes[e], bits);
      const mask = (1 << bits) - 1;
      const place = (i: number): number => (order.hashes[i] & mask) >>> Math.max(0, bits - 10);
      for (let i = 1; i < hashes.length; i++) assert.ok(place(i - 1) <= place(i));
      assert.deepEqual([...order.entries].sort((x, y) => x - y), Array.from(hashes, (_, e) => e));
      order.entries.forEach((e, i) => assert.equal(order.hashes[i], hashes[e]));
    }
  });
});

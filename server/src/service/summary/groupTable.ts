/**
 * Counts per group (a key of one or two cell values) for the summary's top-N tables: records,
 * bytes, packets and rejected records. Exact while the distinct groups fit a memory budget shared
 * by all tables; past it, the table estimates: each time it is full, it drops the lighter half of
 * its groups by the ranking measure (a batch form of Space-Saving, in the same arrays: a few
 * operations per record amortised, where evicting one group per new key on a heap costs a dozen
 * cache misses), and every count becomes an estimate with a proven bound.
 *
 * Storage is typed arrays only, so one table holds millions of groups in tens of MB and its state
 * can be structured-cloned to or from a worker thread: an open-addressing hash of entry numbers
 * (hashSlots.ts, shared with the conversation pairing index), keys as bytes in one arena, measures
 * per entry.
 *
 * Estimates (after the budget is passed): `bound` is the most any group that is not in the table
 * may have of the ranking measure (the highest rank dropped so far), a group that comes in starts
 * with `error` = bound, and an entry's `error` is the most its ranking measure may be too high: its true value lies in
 * [rank − error, rank] where rank = counted + error. Its other measures count from when it entered
 * the table, so they are lower bounds.
 */

import { HashSlots, type SlotKeys } from '../hashSlots';

/** What a table ranks by, as an index into its measures. */
export const Measure = { Records: 0, Bytes: 1, Packets: 2, Rejected: 3 } as const;
export type RankMeasure = 0 | 1 | 2;
/** Numbers kept per entry in a state's `measures`: records, bytes, packets, rejected, error. */
export const STATE_STRIDE = 5;

/** Distinct groups all tables of one aggregator may count exactly, together. */
export interface GroupBudget {
  used: number;
  readonly max: number;
}

/** A table's contents, plain typed arrays: structured-clone-able (postMessage) and JSON-free. */
export interface GroupTableState {
  rank: RankMeasure;
  /** Every key's bytes, one after another; key i is keys[keyEnds[i-1] ?? 0, keyEnds[i]). */
  keys: Uint8Array;
  keyEnds: Uint32Array;
  /** STATE_STRIDE numbers per entry. */
  measures: Float64Array;
  bound: number;
  exact: boolean;
}

/** A table never gives up exact counting below this many groups, whatever the shared budget says. */
const MIN_ENTRIES = 256;

/** 32-bit FNV-1a of key bytes: the aggregator computes it while it writes a key. */
export function hashBytes(key: Uint8Array, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ key[i], 0x01000193);
  return h >>> 0;
}

export class GroupTable implements SlotKeys {
  private readonly slots = new HashSlots(1024);
  /** The key being looked up, for `matches`. */
  private probeKey: Uint8Array = new Uint8Array(0);
  private probeLength = 0;
  private hashes = new Uint32Array(256);
  private offsets = new Uint32Array(256);
  private lengths = new Uint32Array(256);
  /** Records, bytes, packets and rejected of each entry, side by side (one cache line per update). */
  private counts = new Float64Array(256 * 4);
  /** Per entry, how much its ranking measure may be too high; allocated when estimating starts. */
  private errors: Float64Array | undefined;
  private arena = new Uint8Array(4096);
  private arenaUsed = 0;
  size = 0;
  /** The most any group outside the table may have of the ranking measure (0 while exact). */
  bound = 0;
  /** False once the budget was passed: counts are then estimates. */
  exact = true;

  /** Entry + 1 per small code (cellKeys.ts smallCode), when the table's field has few values. */
  private readonly direct: Int32Array | undefined;

  /**
   * `codes`: for a field of few values (cellKeys.ts smallDomain), how many codes it has; such a
   * table finds a group by its code, is bounded by its codes, and so stays exact outside the budget.
   */
  constructor(readonly rank: RankMeasure, private readonly budget: GroupBudget, codes = 0) {
    if (codes > 0) this.direct = new Int32Array(codes);
  }

  /**
   * Counts one record (or a partial sum) for the group of `key[0, length)` whose hash is `hash`;
   * `code` is the group's small code when the table has codes.
   */
  add(key: Uint8Array, length: number, hash: number, records: number, bytes: number, packets: number, rejected: number, code = -1): void {
    let entry = this.find(key, length, hash);
    if (entry >= 0) {
      this.count(entry, records, bytes, packets, rejected);
    } else {
      entry = this.insert(key, length, hash, records, bytes, packets, rejected, this.bound);
    }
    if (code >= 0 && this.direct && entry >= 0) this.direct[code] = entry + 1;
  }

  /** Counts one record for the group of a small code; false when the group is new (then call `add`). */
  addCode(code: number, records: number, bytes: number, packets: number, rejected: number): boolean {
    const entry = (this.direct as Int32Array)[code] - 1;
    if (entry < 0) return false;
    this.count(entry, records, bytes, packets, rejected);
    return true;
  }

  private count(entry: number, records: number, bytes: number, packets: number, rejected: number): void {
    const counts = this.counts;
    const at = entry * 4;
    counts[at] += records;
    counts[at + 1] += bytes;
    counts[at + 2] += packets;
    counts[at + 3] += rejected;
  }

  /** Entries are numbered 0 … entryCount() − 1, in no particular order. */
  entryCount(): number {
    return this.size;
  }

  keyOf(entry: number): Uint8Array {
    return this.arena.subarray(this.offsets[entry], this.offsets[entry] + this.lengths[entry]);
  }

  measuresOf(entry: number): { records: number; bytes: number; packets: number; rejected: number; error: number } {
    const at = entry * 4;
    return { records: this.counts[at], bytes: this.counts[at + 1], packets: this.counts[at + 2], rejected: this.counts[at + 3], error: this.errors ? this.errors[entry] : 0 };
  }

  /** The ranking value: counted since the entry came in, plus what it may have had before. */
  rankOf(entry: number): number {
    return this.counts[entry * 4 + this.rank] + (this.errors ? this.errors[entry] : 0);
  }

  /** A compact copy of the table (keys in entry order), for merging elsewhere. */
  state(): GroupTableState {
    const keyEnds = new Uint32Array(this.size);
    let total = 0;
    for (let e = 0; e < this.size; e++) keyEnds[e] = total += this.lengths[e];
    const keys = new Uint8Array(total);
    const measures = new Float64Array(this.size * STATE_STRIDE);
    for (let e = 0; e < this.size; e++) {
      keys.set(this.keyOf(e), keyEnds[e] - this.lengths[e]);
      const m = e * STATE_STRIDE;
      for (let k = 0; k < 4; k++) measures[m + k] = this.counts[e * 4 + k];
      measures[m + 4] = this.errors ? this.errors[e] : 0;
    }
    return { rank: this.rank, keys, keyEnds, measures, bound: this.bound, exact: this.exact };
  }

  /**
   * Adds another table's counts (a mergeable summary): a group in both sums its counts and
   * errors; a group in one only may have had up to the other's `bound` there, which its error
   * takes in; a group in neither may have up to both bounds together.
   */
  merge(other: GroupTableState): void {
    if (other.rank !== this.rank) throw new Error('merging tables ranked by different measures');
    const present = new Uint8Array(this.size);
    const pending: number[] = [];
    const ends = other.keyEnds;
    for (let i = 0; i < ends.length; i++) {
      const from = i === 0 ? 0 : ends[i - 1];
      const key = other.keys.subarray(from, ends[i]);
      const entry = this.find(key, key.length, hashBytes(key, key.length));
      if (entry < 0) {
        pending.push(i);
        continue;
      }
      const m = i * STATE_STRIDE;
      this.count(entry, other.measures[m], other.measures[m + 1], other.measures[m + 2], other.measures[m + 3]);
      if (other.measures[m + 4] > 0) this.ensureErrors()[entry] += other.measures[m + 4];
      present[entry] = 1;
    }
    if (other.bound > 0) {
      const errors = this.ensureErrors();
      for (let e = 0; e < present.length; e++) if (!present[e]) errors[e] += other.bound;
    }
    const ownBound = this.bound;
    this.bound += other.bound;
    for (const i of pending) {
      const from = i === 0 ? 0 : ends[i - 1];
      const key = other.keys.subarray(from, ends[i]);
      const m = i * STATE_STRIDE;
      this.insert(key, key.length, hashBytes(key, key.length), other.measures[m], other.measures[m + 1], other.measures[m + 2], other.measures[m + 3], other.measures[m + 4] + ownBound);
    }
    if (!other.exact) this.exact = false;
  }

  private ensureErrors(): Float64Array {
    if (!this.errors) this.errors = new Float64Array(this.hashes.length);
    return this.errors;
  }

  /** The entry of a key, or -1. */
  private find(key: Uint8Array, length: number, hash: number): number {
    this.probeKey = key;
    this.probeLength = length;
    return this.slots.find(hash, this);
  }

  /** Whether an entry holds the key being looked up (HashSlots asks). */
  matches(entry: number): boolean {
    const length = this.probeLength;
    if (this.lengths[entry] !== length) return false;
    const arena = this.arena;
    const key = this.probeKey;
    const offset = this.offsets[entry];
    for (let i = 0; i < length; i++) if (arena[offset + i] !== key[i]) return false;
    return true;
  }

  /** A new group; past the budget, the lighter half of the table makes room first. Returns its entry. */
  private insert(key: Uint8Array, length: number, hash: number, records: number, bytes: number, packets: number, rejected: number, error: number): number {
    if (!this.direct && this.size >= MIN_ENTRIES && this.budget.used >= this.budget.max) this.dropLighterHalf();
    const entry = this.size++;
    if (!this.direct) this.budget.used++;
    if (entry === this.hashes.length) this.growEntries();
    if (error > 0) this.ensureErrors();
    this.storeKey(entry, key, length);
    this.hashes[entry] = hash;
    this.counts.fill(0, entry * 4, entry * 4 + 4);
    this.count(entry, records, bytes, packets, rejected);
    if (this.errors) this.errors[entry] = error;
    this.slots.add(entry, hash);
    return entry;
  }

  /**
   * Drops the lighter half of the entries by rank (ties kept in entry order), raising `bound` to
   * the highest rank dropped, and packs the rest to the front of every array.
   */
  private dropLighterHalf(): void {
    this.exact = false;
    const errors = this.ensureErrors();
    const n = this.size;
    const ranks = new Float64Array(n);
    for (let e = 0; e < n; e++) ranks[e] = this.rankOf(e);
    const drop = n >> 1;
    const threshold = nthSmallest(ranks.slice(), drop - 1);
    let below = 0;
    for (let e = 0; e < n; e++) if (ranks[e] < threshold) below++;
    let tiesToDrop = drop - below;
    let kept = 0;
    let arenaUsed = 0;
    for (let e = 0; e < n; e++) {
      const rank = ranks[e];
      if (rank < threshold || (rank === threshold && tiesToDrop-- > 0)) {
        if (rank > this.bound) this.bound = rank;
        continue;
      }
      // Entries and their keys move only towards the front, in order: copying in place is safe.
      const length = this.lengths[e];
      this.arena.copyWithin(arenaUsed, this.offsets[e], this.offsets[e] + length);
      this.offsets[kept] = arenaUsed;
      this.lengths[kept] = length;
      arenaUsed += length;
      this.hashes[kept] = this.hashes[e];
      this.counts.copyWithin(kept * 4, e * 4, e * 4 + 4);
      errors[kept] = errors[e];
      kept++;
    }
    this.budget.used -= n - kept;
    this.size = kept;
    this.arenaUsed = arenaUsed;
    this.slots.clear();
    for (let e = 0; e < kept; e++) this.slots.add(e, this.hashes[e]);
  }

  private growEntries(): void {
    const n = this.hashes.length * 2;
    const grow = <T extends Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.hashes = grow(this.hashes, (k) => new Uint32Array(k));
    this.offsets = grow(this.offsets, (k) => new Uint32Array(k));
    this.lengths = grow(this.lengths, (k) => new Uint32Array(k));
    const counts = new Float64Array(n * 4);
    counts.set(this.counts);
    this.counts = counts;
    if (this.errors) this.errors = grow(this.errors, (k) => new Float64Array(k));
  }

  private storeKey(entry: number, key: Uint8Array, length: number): void {
    if (this.arenaUsed + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    this.arena.set(length === key.length ? key : key.subarray(0, length), this.arenaUsed);
    this.offsets[entry] = this.arenaUsed;
    this.lengths[entry] = length;
    this.arenaUsed += length;
  }
}

/** The k-th smallest value (0-based) of `values`, which it reorders (quickselect, Hoare partition). */
function nthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

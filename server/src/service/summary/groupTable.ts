/**
 * Counts per group (a key of one or two cell values) for the summary's top-N tables: records,
 * bytes, packets and rejected records. Exact while the distinct groups fit a memory budget shared
 * by all tables; past it, the table estimates: each time it is full, it drops the lighter half of
 * its groups by the ranking measure (a batch form of Space-Saving, in the same arrays: a few
 * operations per record amortised, where evicting one group per new key on a heap costs a dozen
 * cache misses), and every count becomes an estimate with a proven bound.
 *
 * Storage is typed arrays only, so one table holds millions of groups in tens of MB and its state
 * can be structured-cloned to or from a worker thread: an open-addressing hash (linear probing)
 * of entry numbers and hashes (hashSlots.ts, shared with the conversation pairing index), and the entries (counts and short keys together) in chunks that a
 * growing table never copies (entryStore.ts).
 *
 * Estimates (after the budget is passed): `bound` is the most any group that is not in the table
 * may have of the ranking measure (the highest rank dropped so far), a group that comes in starts
 * with `error` = bound, and an entry's `error` is the most its ranking measure may be too high: its true value lies in
 * [rank − error, rank] where rank = counted + error. Its other measures count from when it entered
 * the table, so they are lower bounds.
 */

import { finishHash, HashSlots, mixHash, type SlotKeys } from '../hashSlots';
import { EntryStore } from './entryStore';
import { DropScratch } from './lighterHalf';

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

/** Keys of a merged state whose slots are read ahead at a time. */
const MERGE_AHEAD = 256;

/** Key bytes of an IPv4 pair (tag 4, four bytes, tag 4, four bytes: cellKeys.ts). */
const IPV4_TAG = 4;
export const PAIR_KEY_LENGTH = 10;

/**
 * A 32-bit hash of key bytes: FNV-1a then a finaliser (so the low bits a slot index takes are
 * mixed), except for an IPv4 pair's key, which hashes as its two addresses (pairHash), so that
 * the talkers table looks an address pair up without writing its key bytes.
 */
export function hashBytes(key: Uint8Array, length: number, from = 0): number {
  if (length === PAIR_KEY_LENGTH && key[from] === IPV4_TAG && key[from + 5] === IPV4_TAG) return pairHash(readU32(key, from + 1), readU32(key, from + 6));
  let h = 0x811c9dc5;
  for (let i = from; i < from + length; i++) h = Math.imul(h ^ key[i], 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The hash of the key of IPv4 addresses `a` → `b` (unsigned 32-bit numbers). */
export function pairHash(a: number, b: number): number {
  return finishHash(mixHash(mixHash(PAIR_SEED, a), b));
}

const PAIR_SEED = 0x2f0b3c1d;

function readU32(key: Uint8Array, at: number): number {
  return ((key[at] << 24) | (key[at + 1] << 16) | (key[at + 2] << 8) | key[at + 3]) >>> 0;
}

export class GroupTable implements SlotKeys {
  /** Entry numbers by hash: a miss (a new group) touches no entry. */
  private readonly slots = new HashSlots(64);
  /** The key being looked up, for `matches`. */
  private probeKey: Uint8Array = new Uint8Array(0);
  private probeFrom = 0;
  private probeLength = 0;
  /** The IPv4 pair being looked up by `addPair` (probeLength is then -1). */
  private probeA = 0;
  private probeB = 0;
  private readonly entries = new EntryStore();
  /** The most any group outside the table may have of the ranking measure (0 while exact). */
  bound = 0;
  /** False once the budget was passed: counts are then estimates. */
  exact = true;
  /** Counts drops and clears: entry numbers read before a change of it may name other groups now. */
  generation = 0;

  /** What read-ahead loads of slots read, kept so that the compiler keeps the loads. */
  private touched = 0;
  /** Scratch of dropLighterHalf: every entry's rank, then its new number. */
  private ranks = new Float64Array(0);
  private readonly scratch = new DropScratch();

  /** Entry + 1 per small code (cellKeys.ts smallCode), when the table's field has few values. */
  private readonly direct: Int32Array | undefined;
  /**
   * Counts by small code not yet added to their entries (records, bytes, packets, rejected per
   * code): a record of a known code is counted where its code says, without first reading which
   * entry is its group (two dependent reads of memory the cache may not hold). Every read of the
   * entries' counts settles them first.
   */
  private readonly codeCounts: Float64Array | undefined;
  private unsettled = false;

  /**
   * `codes`: for a field of few values (cellKeys.ts smallDomain), how many codes it has; such a
   * table finds a group by its code, is bounded by its codes, and so stays exact outside the budget.
   */
  constructor(readonly rank: RankMeasure, private readonly budget: GroupBudget, codes = 0) {
    if (codes > 0) {
      this.direct = new Int32Array(codes);
      this.codeCounts = new Float64Array(codes * 4);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Counts one record (or a partial sum) for the group of `key[0, length)` whose hash is `hash`;
   * `code` is the group's small code when the table has codes.
   */
  add(key: Uint8Array, length: number, hash: number, records: number, bytes: number, packets: number, rejected: number, code = -1): void {
    this.addAt(key, 0, length, hash, records, bytes, packets, rejected, code);
  }

  /** `add` of the key at key[from, from + length). */
  addAt(key: Uint8Array, from: number, length: number, hash: number, records: number, bytes: number, packets: number, rejected: number, code: number): void {
    let entry = this.find(key, from, length, hash);
    if (entry >= 0) {
      this.entries.count(entry, records, bytes, packets, rejected);
    } else {
      entry = this.insert(key, from, length, hash, records, bytes, packets, rejected, this.bound);
    }
    if (code >= 0 && this.direct && entry >= 0) this.direct[code] = entry + 1;
  }

  /**
   * `add` of the key of IPv4 addresses `a` → `b` (unsigned 32-bit numbers) whose hash is
   * pairHash(a, b): the same group as its key bytes, found without them.
   */
  addPair(a: number, b: number, hash: number, records: number, bytes: number, packets: number, rejected: number): void {
    this.probeA = a;
    this.probeB = b;
    this.probeLength = -1;
    const entry = this.slots.find(hash, this);
    if (entry >= 0) {
      this.entries.count(entry, records, bytes, packets, rejected);
      return;
    }
    // The bound before any drop this insert makes, as `add` passes it.
    const error = this.bound;
    this.makeRoom();
    const added = this.entries.pushPair(a, b, hash, records, bytes, packets, rejected, error);
    this.slots.add(added, hash);
  }

  /** The entry of the key at key[from, from + length) whose hash is `hash`, or -1 when the group is new. */
  lookup(key: Uint8Array, from: number, length: number, hash: number): number {
    return this.find(key, from, length, hash);
  }

  /** Counts one record (or a partial sum) for an existing entry (of this generation). */
  countEntry(entry: number, records: number, bytes: number, packets: number, rejected: number): void {
    this.entries.count(entry, records, bytes, packets, rejected);
  }

  /** Counts one record for the group of a small code; false when the group is new (then call `add`). */
  addCode(code: number, records: number, bytes: number, packets: number, rejected: number): boolean {
    if ((this.direct as Int32Array)[code] === 0) return false;
    const counts = this.codeCounts as Float64Array;
    const at = code * 4;
    counts[at] += records;
    counts[at + 1] += bytes;
    counts[at + 2] += packets;
    counts[at + 3] += rejected;
    this.unsettled = true;
    return true;
  }

  /** Adds the counts held by small code to their entries. */
  private settle(): void {
    this.unsettled = false;
    const direct = this.direct as Int32Array;
    const counts = this.codeCounts as Float64Array;
    for (let code = 0; code < direct.length; code++) {
      const at = code * 4;
      if (direct[code] === 0 || (counts[at] === 0 && counts[at + 1] === 0 && counts[at + 2] === 0 && counts[at + 3] === 0)) continue;
      this.entries.count(direct[code] - 1, counts[at], counts[at + 1], counts[at + 2], counts[at + 3]);
      counts[at] = counts[at + 1] = counts[at + 2] = counts[at + 3] = 0;
    }
  }

  /** Reads the hash slot a lookup of `hash` starts at (see HashSlots.touch), ahead of `add`. */
  touch(hash: number): number {
    return this.slots.touch(hash);
  }

  /** Empties the table for another input, keeping its memory (a worker thread's next segment). */
  clear(): void {
    this.entries.clear();
    this.slots.clear();
    this.direct?.fill(0);
    // Settled counts are zero already: an unused table's counts stay untouched memory.
    if (this.unsettled) this.codeCounts?.fill(0);
    this.unsettled = false;
    this.bound = 0;
    this.exact = true;
    this.generation++;
  }

  /** Entries are numbered 0 … entryCount() − 1, in no particular order. */
  entryCount(): number {
    return this.entries.size;
  }

  keyOf(entry: number): Uint8Array {
    return this.entries.keyOf(entry);
  }

  measuresOf(entry: number): { records: number; bytes: number; packets: number; rejected: number; error: number } {
    if (this.unsettled) this.settle();
    const entries = this.entries;
    return { records: entries.measure(entry, 0), bytes: entries.measure(entry, 1), packets: entries.measure(entry, 2), rejected: entries.measure(entry, 3), error: entries.error(entry) };
  }

  /** The ranking value: counted since the entry came in, plus what it may have had before. */
  rankOf(entry: number): number {
    if (this.unsettled) this.settle();
    return this.entries.measure(entry, this.rank) + this.entries.error(entry);
  }

  /** A compact copy of the table (keys in entry order), for merging elsewhere. */
  state(): GroupTableState {
    if (this.unsettled) this.settle();
    const size = this.entries.size;
    const keyEnds = new Uint32Array(size);
    let total = 0;
    for (let e = 0; e < size; e++) keyEnds[e] = total += this.entries.keyLength(e);
    const keys = new Uint8Array(total);
    const measures = new Float64Array(size * STATE_STRIDE);
    for (let e = 0, at = 0; e < size; e++) {
      at += this.entries.copyKey(e, keys, at);
      const m = e * STATE_STRIDE;
      for (let k = 0; k < 4; k++) measures[m + k] = this.entries.measure(e, k);
      measures[m + 4] = this.entries.error(e);
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
    if (this.unsettled) this.settle();
    const present = new Uint8Array(this.entries.size);
    const pending: number[] = [];
    const ends = other.keyEnds;
    const keys = other.keys;
    const hashes = new Uint32Array(ends.length);
    for (let i = 0; i < ends.length; i++) {
      const from = i === 0 ? 0 : ends[i - 1];
      hashes[i] = hashBytes(keys, ends[i] - from, from);
    }
    for (let i = 0; i < ends.length; i++) {
      // The slots of the next keys are read ahead in one loop: their cache misses overlap.
      if (i % MERGE_AHEAD === 0) this.touchAhead(hashes, i, Math.min(ends.length, i + MERGE_AHEAD));
      const from = i === 0 ? 0 : ends[i - 1];
      const entry = this.find(keys, from, ends[i] - from, hashes[i]);
      if (entry < 0) {
        pending.push(i);
        continue;
      }
      const m = i * STATE_STRIDE;
      this.entries.count(entry, other.measures[m], other.measures[m + 1], other.measures[m + 2], other.measures[m + 3]);
      this.entries.addError(entry, other.measures[m + 4]);
      present[entry] = 1;
    }
    if (other.bound > 0) for (let e = 0; e < present.length; e++) if (!present[e]) this.entries.addError(e, other.bound);
    const ownBound = this.bound;
    this.bound += other.bound;
    for (let p = 0; p < pending.length; p++) {
      if (p % MERGE_AHEAD === 0) this.touchAhead(hashes, p, Math.min(pending.length, p + MERGE_AHEAD), pending);
      const i = pending[p];
      const from = i === 0 ? 0 : ends[i - 1];
      const m = i * STATE_STRIDE;
      this.insert(keys, from, ends[i] - from, hashes[i], other.measures[m], other.measures[m + 1], other.measures[m + 2], other.measures[m + 3], other.measures[m + 4] + ownBound);
    }
    if (!other.exact) this.exact = false;
  }

  /** Reads the slots where lookups of hashes[from, to) (or of hashes[order[from, to)]) start (HashSlots.touch). */
  private touchAhead(hashes: Uint32Array, from: number, to: number, order?: readonly number[]): void {
    let touched = 0;
    for (let i = from; i < to; i++) touched ^= this.slots.touch(hashes[order ? order[i] : i]);
    this.touched ^= touched;
  }

  /** The entry of a key, or -1. */
  private find(key: Uint8Array, from: number, length: number, hash: number): number {
    this.probeKey = key;
    this.probeFrom = from;
    this.probeLength = length;
    return this.slots.find(hash, this);
  }

  /** SlotKeys: whether an entry holds the key being looked up. */
  matches(entry: number): boolean {
    if (this.probeLength < 0) return this.entries.samePair(entry, this.probeA, this.probeB);
    return this.entries.sameKey(entry, this.probeKey, this.probeFrom, this.probeLength);
  }

  /** A new group; past the budget, the lighter half of the table makes room first. Returns its entry. */
  private insert(key: Uint8Array, from: number, length: number, hash: number, records: number, bytes: number, packets: number, rejected: number, error: number): number {
    this.makeRoom();
    const entry = this.entries.push(key, from, length, hash, records, bytes, packets, rejected, error);
    this.slots.add(entry, hash);
    return entry;
  }

  /** Takes a group from the budget for a new entry; past the budget, the lighter half of the table makes room first. */
  private makeRoom(): void {
    if (this.direct) return;
    if (this.entries.size >= MIN_ENTRIES && this.budget.used >= this.budget.max) this.dropLighterHalf();
    this.budget.used++;
  }

  /**
   * Drops the lighter half of the entries by rank (ties kept in entry order), raising `bound` to
   * the highest rank dropped, and packs the rest to the front.
   */
  private dropLighterHalf(): void {
    this.exact = false;
    this.generation++;
    const n = this.entries.size;
    // Kept for the next drop: fresh memory costs more than the selection.
    if (this.ranks.length < n) this.ranks = new Float64Array(n);
    const ranks = this.ranks;
    this.entries.ranks(this.rank, ranks);
    const drop = n >> 1;
    const threshold = this.scratch.kthSmallest(ranks, n, drop - 1);
    let below = 0;
    for (let e = 0; e < n; e++) if (ranks[e] < threshold) below++;
    let tiesToDrop = drop - below;
    // The ranks are read once more, in order: each entry's new number (-1: dropped) takes its place.
    const renumber = new Int32Array(ranks.buffer, 0, n);
    let kept = 0;
    let bound = this.bound;
    for (let e = 0; e < n; e++) {
      const rank = ranks[e];
      if (rank < threshold || (rank === threshold && tiesToDrop-- > 0)) {
        if (rank > bound) bound = rank;
        renumber[e] = -1;
      } else renumber[e] = kept++;
    }
    this.bound = bound;
    this.entries.compact(renumber);
    this.budget.used -= n - kept;
    this.slots.clear();
    const order = this.scratch.slotOrder(kept, (e) => this.entries.hash(e), Math.log2(this.slots.bytes / 8));
    for (let i = 0; i < kept; i++) this.slots.add(order.entries[i], order.hashes[i]);
  }
}

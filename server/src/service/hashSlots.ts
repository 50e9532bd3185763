/**
 * The open-addressing core shared by the typed-array hash tables (the summary's GroupTable, the
 * conversation pairing index and its string interning): slots of entry numbers with their 32-bit
 * hashes, linear probing, at most half full, backward-shift deletion. The owner keeps its keys in
 * its own columns and answers `matches(entry)` for the key it is looking up, so no key is copied
 * into the table and no object is made per lookup.
 */
import { freeNow } from './freeNow';

/** Whoever owns the keys: whether entry `entry` holds the key being looked up. */
export interface SlotKeys {
  matches(entry: number): boolean;
}

const EMPTY = 0;

export class HashSlots {
  /** Two numbers per slot: entry + 1 (0 when empty) and the entry's hash, so a probe reads one place. */
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialSlots = 1024) {
    let n = 16;
    while (n < initialSlots) n *= 2;
    this.slots = new Int32Array(2 * n);
    this.mask = n - 1;
  }

  /** The entry with this hash that `keys` says matches, or -1. */
  find(hash: number, keys: SlotKeys): number {
    const slots = this.slots;
    const mask = this.mask;
    const signed = hash | 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const occupant = slots[2 * slot];
      if (occupant === EMPTY) return -1;
      if (slots[2 * slot + 1] === signed && keys.matches(occupant - 1)) return occupant - 1;
    }
  }

  /**
   * Reads the slot where a lookup of `hash` starts and returns what it holds: a batch of lookups
   * reads their slots first, in one loop whose cache misses overlap, then looks up in cache.
   */
  touch(hash: number): number {
    return this.slots[2 * (hash & this.mask)];
  }

  /** Adds an entry (its key must not be in the table yet). */
  add(entry: number, hash: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    this.place(this.slots, this.mask, entry, hash);
    this.size++;
  }

  /** Removes an entry added with this hash; the entries after it in its probe run move back, so lookups need no tombstones. */
  remove(entry: number, hash: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let hole = hash & mask;
    while (slots[2 * hole] !== entry + 1) {
      if (slots[2 * hole] === EMPTY) return;
      hole = (hole + 1) & mask;
    }
    this.size--;
    for (let slot = (hole + 1) & mask; slots[2 * slot] !== EMPTY; slot = (slot + 1) & mask) {
      const home = slots[2 * slot + 1] & mask;
      // An entry may move back into the hole only when its home is not between the hole and it.
      const between = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
      if (between) continue;
      slots[2 * hole] = slots[2 * slot];
      slots[2 * hole + 1] = slots[2 * slot + 1];
      hole = slot;
    }
    slots[2 * hole] = EMPTY;
    slots[2 * hole + 1] = 0;
  }

  /** Swaps the entry of a slot for another with the same key and hash (no probing beyond finding it). */
  replace(entry: number, hash: number, next: number): void {
    const slots = this.slots;
    for (let slot = hash & this.mask; slots[2 * slot] !== EMPTY; slot = (slot + 1) & this.mask) {
      if (slots[2 * slot] === entry + 1) {
        slots[2 * slot] = next + 1;
        return;
      }
    }
  }

  clear(): void {
    this.slots.fill(EMPTY);
    this.size = 0;
  }

  /** Empties the table and gives its memory back at once (freeNow.ts): for a table that is done with. */
  release(): void {
    freeNow(this.slots);
    this.slots = new Int32Array(32);
    this.mask = 15;
    this.size = 0;
  }

  /** Bytes held by the slots. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  private place(slots: Int32Array, mask: number, entry: number, hash: number): void {
    let slot = hash & mask;
    while (slots[2 * slot] !== EMPTY) slot = (slot + 1) & mask;
    slots[2 * slot] = entry + 1;
    slots[2 * slot + 1] = hash;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.place(slots, mask, old[i] - 1, old[i + 1]);
    this.slots = slots;
    this.mask = mask;
    // A table that grew to megabytes (a summary's talkers) would otherwise hold its old slots till a major collection.
    freeNow(old);
  }
}

/**
 * HashSlots split by the top bits of the hash into shards that grow on their own: a table of a
 * million entries never rehashes (nor touches fresh memory for) more than a sixty-fourth of itself
 * at once, so an editor pairing a large document in slices never stalls on a resize.
 */
export class ShardedSlots {
  private readonly shards: HashSlots[] = [];

  constructor(initialSlotsPerShard = 256) {
    for (let i = 0; i < 64; i++) this.shards.push(new HashSlots(initialSlotsPerShard));
  }

  find(hash: number, keys: SlotKeys): number {
    return this.shards[hash >>> 26].find(hash, keys);
  }

  add(entry: number, hash: number): void {
    this.shards[hash >>> 26].add(entry, hash);
  }

  remove(entry: number, hash: number): void {
    this.shards[hash >>> 26].remove(entry, hash);
  }

  replace(entry: number, hash: number, next: number): void {
    this.shards[hash >>> 26].replace(entry, hash, next);
  }

  /** HashSlots.touch: what the slot a lookup of `hash` starts at holds (read ahead of a batch of lookups). */
  touch(hash: number): number {
    return this.shards[hash >>> 26].touch(hash);
  }

  get size(): number {
    return this.shards.reduce((sum, shard) => sum + shard.size, 0);
  }

  /** HashSlots.release of every shard. */
  release(): void {
    for (const shard of this.shards) shard.release();
  }
}

/**
 * Slots per shard for a ShardedSlots that will hold about `entries` (a document's row count, known
 * up front): no shard grows on the way. Pages of slots no entry reaches are never touched, so a
 * generous size costs address space, not memory.
 */
export function slotsPerShardFor(entries: number): number {
  return Math.max(256, Math.ceil((entries * 2) / 64));
}

/** Mixes one more 32-bit number into a hash (a murmur3 round): for keys made of numbers. */
export function mixHash(hash: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const h = (hash ^ k) | 0;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/** The final avalanche of a mixed hash, unsigned. */
export function finishHash(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The entries of a group table: per group its four counts, its hash and its key, 48 bytes each,
 * in fixed-size chunks that are never copied when the table grows. Fresh memory is what a flat
 * input (a new group on nearly every record) costs most: on a virtual machine the first write to
 * a page costs microseconds, so a table that doubles by copying pays for its memory about three
 * times over, and a wide entry pays for bytes it never reads.
 *
 * Layout of one entry: records, bytes, packets, rejected as doubles (bytes 0–31), the hash (32–35),
 * then either the key's length (byte 36, at most INLINE_KEY) and the key itself (37–47), or
 * LONG_KEY at byte 36 and the key's offset and length in the arena (40–47). An IPv4 pair's key
 * has 10 bytes, one address 5, one integer 8: those stay in the entry's own cache lines.
 *
 * A group's error (how much its ranking count may be too high) is kept only once the table
 * estimates, in chunks of its own. Pure typed arrays, no Node APIs.
 */

const CHUNK_BITS = 13;
const CHUNK_ENTRIES = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_ENTRIES - 1;
const FIRST_CHUNK = 64;
const ENTRY_BYTES = 48;
const F64_STRIDE = ENTRY_BYTES / 8;
const U32_STRIDE = ENTRY_BYTES / 4;
const HASH = 8;
const LENGTH_BYTE = 36;
const KEY_BYTE = 37;
const ARENA_OFFSET = 10;
const ARENA_LENGTH = 11;
const INLINE_KEY = ENTRY_BYTES - KEY_BYTE;
const LONG_KEY = 255;
/** An IPv4 pair's key: tag 4 and four bytes per address (cellKeys.ts). */
const PAIR_LENGTH = 10;
const IPV4_TAG = 4;

export class EntryStore {
  private f64: Float64Array[] = [];
  private u32: Uint32Array[] = [];
  private u8: Uint8Array[] = [];
  private errors: Float64Array[] | undefined;
  /** Keys longer than INLINE_KEY bytes. */
  private arena = new Uint8Array(0);
  private arenaUsed = 0;
  /** Full chunks a drop emptied (and their errors), reused before fresh memory: a page's first write costs more than the counting. */
  private readonly spare: Float64Array[] = [];
  private readonly spareErrors: Float64Array[] = [];
  /** Entries the first chunk has room for, while it is still growing (then CHUNK_ENTRIES). */
  private firstCapacity = 0;
  size = 0;

  /** Appends an entry (counts, error, hash and key) and returns its number. */
  push(key: Uint8Array, from: number, length: number, hash: number, records: number, bytes: number, packets: number, rejected: number, error: number): number {
    const entry = this.append(hash, records, bytes, packets, rejected, error);
    this.storeKey(entry, key, from, length);
    return entry;
  }

  /** A new entry with its counts, error and hash (its key still to be written). */
  private append(hash: number, records: number, bytes: number, packets: number, rejected: number, error: number): number {
    const entry = this.size++;
    const chunk = entry >>> CHUNK_BITS;
    if (chunk === this.f64.length) this.addChunk();
    else if (entry === this.firstCapacity && entry < CHUNK_ENTRIES) this.growFirstChunk();
    const at = (entry & CHUNK_MASK) * F64_STRIDE;
    const f64 = this.f64[chunk];
    f64[at] = records;
    f64[at + 1] = bytes;
    f64[at + 2] = packets;
    f64[at + 3] = rejected;
    this.u32[chunk][(entry & CHUNK_MASK) * U32_STRIDE + HASH] = hash;
    if (error > 0 || this.errors) this.ensureErrors()[chunk][entry & CHUNK_MASK] = error;
    return entry;
  }

  /** `push` of the key of IPv4 addresses `a` → `b` (unsigned 32-bit numbers), written from them. */
  pushPair(a: number, b: number, hash: number, records: number, bytes: number, packets: number, rejected: number, error: number): number {
    const entry = this.append(hash, records, bytes, packets, rejected, error);
    const chunk = entry >>> CHUNK_BITS;
    const u8 = this.u8[chunk];
    const key = (entry & CHUNK_MASK) * ENTRY_BYTES + KEY_BYTE;
    u8[key - 1] = PAIR_LENGTH;
    u8[key] = IPV4_TAG;
    u8[key + 1] = a >>> 24;
    u8[key + 2] = a >>> 16;
    u8[key + 3] = a >>> 8;
    u8[key + 4] = a;
    u8[key + 5] = IPV4_TAG;
    u8[key + 6] = b >>> 24;
    u8[key + 7] = b >>> 16;
    u8[key + 8] = b >>> 8;
    u8[key + 9] = b;
    return entry;
  }

  /** True when the entry's key is that of IPv4 addresses `a` → `b`. */
  samePair(entry: number, a: number, b: number): boolean {
    const u8 = this.u8[entry >>> CHUNK_BITS];
    const key = (entry & CHUNK_MASK) * ENTRY_BYTES + KEY_BYTE;
    return (
      u8[key - 1] === PAIR_LENGTH && u8[key] === IPV4_TAG && u8[key + 5] === IPV4_TAG &&
      ((u8[key + 1] << 24) | (u8[key + 2] << 16) | (u8[key + 3] << 8) | u8[key + 4]) === (a | 0) &&
      ((u8[key + 6] << 24) | (u8[key + 7] << 16) | (u8[key + 8] << 8) | u8[key + 9]) === (b | 0)
    );
  }

  /** Adds to an entry's counts. */
  count(entry: number, records: number, bytes: number, packets: number, rejected: number): void {
    const f64 = this.f64[entry >>> CHUNK_BITS];
    const at = (entry & CHUNK_MASK) * F64_STRIDE;
    f64[at] += records;
    f64[at + 1] += bytes;
    f64[at + 2] += packets;
    f64[at + 3] += rejected;
  }

  /** Measure 0–3: records, bytes, packets, rejected. */
  measure(entry: number, measure: number): number {
    return this.f64[entry >>> CHUNK_BITS][(entry & CHUNK_MASK) * F64_STRIDE + measure];
  }

  error(entry: number): number {
    return this.errors ? this.errors[entry >>> CHUNK_BITS][entry & CHUNK_MASK] : 0;
  }

  addError(entry: number, amount: number): void {
    if (amount !== 0) this.ensureErrors()[entry >>> CHUNK_BITS][entry & CHUNK_MASK] += amount;
  }

  hash(entry: number): number {
    return this.u32[entry >>> CHUNK_BITS][(entry & CHUNK_MASK) * U32_STRIDE + HASH];
  }

  /** True when the entry's key is key[from, from + length). */
  sameKey(entry: number, key: Uint8Array, from: number, length: number): boolean {
    const chunk = entry >>> CHUNK_BITS;
    let bytes = this.u8[chunk];
    let at = (entry & CHUNK_MASK) * ENTRY_BYTES;
    const stored = bytes[at + LENGTH_BYTE];
    if (stored !== LONG_KEY) {
      if (stored !== length) return false;
      at += KEY_BYTE;
    } else {
      const u32 = this.u32[chunk];
      const word = (entry & CHUNK_MASK) * U32_STRIDE;
      if (u32[word + ARENA_LENGTH] !== length) return false;
      at = u32[word + ARENA_OFFSET];
      bytes = this.arena;
    }
    for (let i = 0; i < length; i++) if (bytes[at + i] !== key[from + i]) return false;
    return true;
  }

  keyLength(entry: number): number {
    const chunk = entry >>> CHUNK_BITS;
    const stored = this.u8[chunk][(entry & CHUNK_MASK) * ENTRY_BYTES + LENGTH_BYTE];
    return stored !== LONG_KEY ? stored : this.u32[chunk][(entry & CHUNK_MASK) * U32_STRIDE + ARENA_LENGTH];
  }

  /** Copies the entry's key to target[at…]; returns its length. */
  copyKey(entry: number, target: Uint8Array, at: number): number {
    const chunk = entry >>> CHUNK_BITS;
    let source = this.u8[chunk];
    let from = (entry & CHUNK_MASK) * ENTRY_BYTES + KEY_BYTE;
    let length = source[from - 1];
    if (length === LONG_KEY) {
      const word = (entry & CHUNK_MASK) * U32_STRIDE;
      from = this.u32[chunk][word + ARENA_OFFSET];
      length = this.u32[chunk][word + ARENA_LENGTH];
      source = this.arena;
    }
    for (let i = 0; i < length; i++) target[at + i] = source[from + i];
    return length;
  }

  /** Empties the store, keeping its chunks for the next entries (no fresh memory). */
  clear(): void {
    this.size = 0;
    this.arenaUsed = 0;
    if (this.errors) for (const errors of this.errors) errors.fill(0);
  }

  keyOf(entry: number): Uint8Array {
    const chunk = entry >>> CHUNK_BITS;
    const at = (entry & CHUNK_MASK) * ENTRY_BYTES;
    const stored = this.u8[chunk][at + LENGTH_BYTE];
    if (stored !== LONG_KEY) return this.u8[chunk].subarray(at + KEY_BYTE, at + KEY_BYTE + stored);
    const word = (entry & CHUNK_MASK) * U32_STRIDE;
    const offset = this.u32[chunk][word + ARENA_OFFSET];
    return this.arena.subarray(offset, offset + this.u32[chunk][word + ARENA_LENGTH]);
  }

  /** Writes every entry's ranking value (measure `measure` plus its error) to out[0, size). */
  ranks(measure: number, out: Float64Array): void {
    for (let chunk = 0, e = 0; e < this.size; chunk++) {
      const f64 = this.f64[chunk];
      const errors = this.errors?.[chunk];
      const end = Math.min(this.size, e + CHUNK_ENTRIES);
      for (let i = 0; e < end; i++, e++) out[e] = f64[i * F64_STRIDE + measure] + (errors ? errors[i] : 0);
    }
  }

  /**
   * Moves each entry e to renumber[e] (entries whose renumber[e] is -1 are dropped; the others
   * keep their order, packed to the front, so entries move only towards the front and copying in
   * place is safe), and keeps the chunks left empty for the next entries.
   */
  compact(renumber: Int32Array): void {
    let kept = 0;
    let arenaUsed = 0;
    for (let e = 0; e < this.size; e++) {
      if (renumber[e] < 0) continue;
      if (kept !== e) this.move(e, kept);
      const chunk = kept >>> CHUNK_BITS;
      if (this.u8[chunk][(kept & CHUNK_MASK) * ENTRY_BYTES + LENGTH_BYTE] === LONG_KEY) {
        const word = (kept & CHUNK_MASK) * U32_STRIDE;
        const u32 = this.u32[chunk];
        const offset = u32[word + ARENA_OFFSET];
        this.arena.copyWithin(arenaUsed, offset, offset + u32[word + ARENA_LENGTH]);
        u32[word + ARENA_OFFSET] = arenaUsed;
        arenaUsed += u32[word + ARENA_LENGTH];
      }
      kept++;
    }
    this.size = kept;
    this.arenaUsed = arenaUsed;
    const chunks = (kept + CHUNK_MASK) >>> CHUNK_BITS;
    for (let c = Math.max(1, chunks); c < this.f64.length; c++) {
      this.spare.push(this.f64[c]);
      if (this.errors) this.spareErrors.push(this.errors[c]);
    }
    this.f64.length = this.u32.length = this.u8.length = chunks;
    if (this.errors) this.errors.length = chunks;
    if (chunks === 0) this.firstCapacity = 0;
  }

  private move(from: number, to: number): void {
    const source = this.f64[from >>> CHUNK_BITS];
    const target = this.f64[to >>> CHUNK_BITS];
    const s = (from & CHUNK_MASK) * F64_STRIDE;
    const t = (to & CHUNK_MASK) * F64_STRIDE;
    for (let k = 0; k < F64_STRIDE; k++) target[t + k] = source[s + k];
    if (this.errors) this.errors[to >>> CHUNK_BITS][to & CHUNK_MASK] = this.errors[from >>> CHUNK_BITS][from & CHUNK_MASK];
  }

  private addChunk(): void {
    const entries = this.f64.length === 0 ? FIRST_CHUNK : CHUNK_ENTRIES;
    if (this.f64.length === 0) this.firstCapacity = FIRST_CHUNK;
    // A chunk a drop emptied is written over: its old values are never read (append writes every field).
    const f64 = (entries === CHUNK_ENTRIES ? this.spare.pop() : undefined) ?? new Float64Array(entries * F64_STRIDE);
    this.f64.push(f64);
    this.u32.push(new Uint32Array(f64.buffer));
    this.u8.push(new Uint8Array(f64.buffer));
    if (this.errors) this.errors.push((entries === CHUNK_ENTRIES ? this.spareErrors.pop() : undefined) ?? new Float64Array(entries));
  }

  /** The first chunk starts small (a table of a few groups stays a few KB) and doubles up to a full chunk. */
  private growFirstChunk(): void {
    this.firstCapacity *= 2;
    const f64 = new Float64Array(this.firstCapacity * F64_STRIDE);
    f64.set(this.f64[0]);
    this.f64[0] = f64;
    this.u32[0] = new Uint32Array(f64.buffer);
    this.u8[0] = new Uint8Array(f64.buffer);
    if (this.errors) {
      const errors = new Float64Array(this.firstCapacity);
      errors.set(this.errors[0]);
      this.errors[0] = errors;
    }
  }

  private ensureErrors(): Float64Array[] {
    if (!this.errors) this.errors = this.f64.map((chunk) => new Float64Array(chunk.length / F64_STRIDE));
    return this.errors;
  }

  private storeKey(entry: number, key: Uint8Array, from: number, length: number): void {
    const chunk = entry >>> CHUNK_BITS;
    const at = (entry & CHUNK_MASK) * ENTRY_BYTES;
    const u8 = this.u8[chunk];
    if (length <= INLINE_KEY) {
      u8[at + LENGTH_BYTE] = length;
      for (let i = 0; i < length; i++) u8[at + KEY_BYTE + i] = key[from + i];
      return;
    }
    if (this.arenaUsed + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length, 4096));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    this.arena.set(key.subarray(from, from + length), this.arenaUsed);
    u8[at + LENGTH_BYTE] = LONG_KEY;
    const word = (entry & CHUNK_MASK) * U32_STRIDE;
    this.u32[chunk][word + ARENA_OFFSET] = this.arenaUsed;
    this.u32[chunk][word + ARENA_LENGTH] = length;
    this.arenaUsed += length;
  }
}

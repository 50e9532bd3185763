/**
 * Addresses and interface IDs as small integers: a value is hashed over its characters where it
 * stands in the line and compared there, and kept as UTF-16 code units in one arena, so pairing
 * makes no string (and leaves the garbage collector nothing to walk) per value; a string is made
 * (and kept) only when a conversation with the value is judged. The arena is a list of chunks, so
 * it never copies itself to grow. Ids are counted by the pairing columns that hold them; in a
 * stream an id nobody holds is given back (`sweep`) and the chunks are compacted now and then, so
 * the table stays as small as the open conversations.
 */
import { finishHash, mixHash, ShardedSlots, slotsPerShardFor, type SlotKeys } from '../hashSlots';

/** 32-bit FNV-1a over text[start, end). */
function hashChars(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const SPACE = 32;
const FREED = -1;
/** Code units per arena chunk (a longer value gets a chunk of its own). */
const CHUNK = 1 << 16;

export class StringIntern implements SlotKeys {
  private slots: ShardedSlots;
  private chunks: Uint16Array[] = [new Uint16Array(CHUNK)];
  /** Code units used in the last chunk. */
  private chunkUsed = 0;
  /** Code units in all chunks, and those of values in use (the difference is reclaimed by `compact`). */
  private totalUnits = CHUNK;
  private liveUnits = 0;
  private chunkOf: Int32Array;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private hashes: Int32Array;
  private refs: Int32Array;
  private count = 0;
  /** Ids given back, reused first. */
  private readonly free: number[] = [];
  /** Values made into strings (judged conversations), kept while their id is. */
  private readonly strings: (string | undefined)[] = [];
  private probeText = '';
  private probeStart = 0;
  private probeLength = 0;
  /**
   * IPv4 addresses validation's fast path read as numbers (canonical dotted quads, so number and
   * text name each other): id by number, so a proven record's addresses are found without hashing
   * or comparing their text. An id is in this table only once looked up by number.
   */
  private v4Slots: ShardedSlots;
  private readonly v4Keys: V4Keys;

  /**
   * `capacity`: values expected (a document's line count), room made at once. `counting` false (a
   * document, which gives no id back): holders are not counted, which saves a write to a random
   * place of `refs` per column a record fills.
   */
  constructor(capacity = 1024, private readonly counting = true) {
    const n = Math.max(1024, capacity);
    // Half: real logs repeat their addresses more than generated ones, and slots a value touches
    // are resident whether or not the rest fill up.
    this.slots = new ShardedSlots(slotsPerShardFor(n / 2));
    this.v4Slots = new ShardedSlots(slotsPerShardFor(n / 2));
    this.chunkOf = new Int32Array(n);
    this.offsets = new Int32Array(n);
    this.lengths = new Int32Array(n);
    this.hashes = new Int32Array(n);
    this.refs = new Int32Array(n);
    this.v4Keys = new V4Keys(n);
  }

  /** The id of the IPv4 address text[start, end), which is the canonical dotted quad of `value`. */
  idOfIPv4(value: number, text: string, start: number, end: number): number {
    const keys = this.v4Keys;
    const hash = finishHash(mixHash(0x3c6ef372, value));
    keys.probe = value | 0;
    const found = this.v4Slots.find(hash, keys);
    if (found >= 0) return found;
    const id = this.idOf(text, start, end);
    keys.set(id, value | 0);
    this.v4Slots.add(id, hash);
    return id;
  }

  /** The id of text[start, end), made when the value is new. */
  idOf(text: string, start: number, end: number): number {
    const hash = hashChars(text, start, end);
    this.probeText = text;
    this.probeStart = start;
    this.probeLength = end - start;
    const found = this.slots.find(hash, this);
    return found >= 0 ? found : this.add(text, start, end, hash);
  }

  idOfString(value: string): number {
    return this.idOf(value, 0, value.length);
  }

  matches(id: number): boolean {
    const length = this.probeLength;
    if (this.lengths[id] !== length) return false;
    const arena = this.chunks[this.chunkOf[id]];
    const text = this.probeText;
    const at = this.offsets[id];
    const start = this.probeStart;
    for (let i = 0; i < length; i++) if (arena[at + i] !== text.charCodeAt(start + i)) return false;
    return true;
  }

  /** The value of an id as a string. */
  value(id: number): string {
    let value = this.strings[id];
    if (value === undefined) {
      const at = this.offsets[id];
      const units = this.chunks[this.chunkOf[id]].subarray(at, at + this.lengths[id]);
      value = '';
      for (let i = 0; i < units.length; i += 4096) value += String.fromCharCode.apply(null, units.subarray(i, i + 4096) as unknown as number[]);
      this.strings[id] = value;
    }
    return value;
  }

  /**
   * Whether `value(id) + ' ' + String(port)` sorts before the same of the other id, as strings
   * (UTF-16 code units): the order in which the first implementation keyed a record's endpoints.
   */
  endpointBefore(id: number, port: number, other: number, otherPort: number): boolean {
    if (id === other) return String(port) < String(otherPort);
    const x = this.chunks[this.chunkOf[id]];
    const y = this.chunks[this.chunkOf[other]];
    const a = this.offsets[id];
    const b = this.offsets[other];
    const aLength = this.lengths[id];
    const bLength = this.lengths[other];
    const shorter = Math.min(aLength, bLength);
    for (let i = 0; i < shorter; i++) {
      const u = x[a + i];
      const v = y[b + i];
      if (u !== v) return u < v;
    }
    // One is the start of the other (distinct ids are distinct values): the space after the shorter decides.
    return aLength < bLength ? SPACE < y[b + shorter] : x[a + shorter] < SPACE;
  }

  retain(id: number): void {
    if (this.counting) this.refs[id]++;
  }

  /** One holder fewer; the id is given back when none is left. */
  release(id: number): void {
    if (this.counting && --this.refs[id] <= 0) this.sweep(id);
  }

  /** Gives an id back when no column holds it (a value read from a record that added nothing new). */
  sweep(id: number): void {
    if (this.refs[id] > 0 || this.offsets[id] === FREED) return;
    this.slots.remove(id, this.hashes[id] >>> 0);
    if (this.v4Keys.has(id)) {
      this.v4Slots.remove(id, finishHash(mixHash(0x3c6ef372, this.v4Keys.keys[id])));
      this.v4Keys.unset(id);
    }
    this.liveUnits -= this.lengths[id];
    this.offsets[id] = FREED;
    this.refs[id] = 0;
    this.strings[id] = undefined;
    this.free.push(id);
  }

  /** Ids in use. */
  get size(): number {
    return this.count - this.free.length;
  }

  /** Drops the lookup table (the values stay): no more ids will be asked for. */
  seal(): void {
    this.slots = new ShardedSlots(16);
    this.v4Slots = new ShardedSlots(16);
  }

  private add(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    let id = this.free.pop();
    if (id === undefined) {
      id = this.count++;
      if (id === this.offsets.length) {
        this.chunkOf = grown(this.chunkOf);
        this.offsets = grown(this.offsets);
        this.lengths = grown(this.lengths);
        this.hashes = grown(this.hashes);
        this.refs = grown(this.refs);
      }
    }
    this.place(id, length);
    const arena = this.chunks[this.chunkOf[id]];
    const at = this.offsets[id];
    for (let i = 0; i < length; i++) arena[at + i] = text.charCodeAt(start + i);
    this.liveUnits += length;
    this.lengths[id] = length;
    this.hashes[id] = hash;
    this.refs[id] = 0;
    this.slots.add(id, hash);
    return id;
  }

  /** Room for `length` units at the end of the last chunk (or a new one) for `id`. */
  private place(id: number, length: number): void {
    if (this.chunkUsed + length > this.chunks[this.chunks.length - 1].length) {
      // Mostly given back (a stream): pack the values in use first.
      if (this.totalUnits > 4 * CHUNK && this.liveUnits < this.totalUnits / 4) this.compact();
      if (this.chunkUsed + length > this.chunks[this.chunks.length - 1].length) {
        const size = Math.max(CHUNK, length);
        this.chunks.push(new Uint16Array(size));
        this.totalUnits += size;
        this.chunkUsed = 0;
      }
    }
    this.chunkOf[id] = this.chunks.length - 1;
    this.offsets[id] = this.chunkUsed;
    this.chunkUsed += length;
  }

  /** Copies the values in use into fresh chunks. */
  private compact(): void {
    const old = this.chunks;
    this.chunks = [new Uint16Array(CHUNK)];
    this.totalUnits = CHUNK;
    this.chunkUsed = 0;
    for (let id = 0; id < this.count; id++) {
      const at = this.offsets[id];
      if (at === FREED) continue;
      const from = old[this.chunkOf[id]];
      const n = this.lengths[id];
      this.place(id, n);
      const to = this.chunks[this.chunkOf[id]];
      const into = this.offsets[id];
      for (let i = 0; i < n; i++) to[into + i] = from[at + i];
    }
  }
}

/** The numbers of the ids looked up as IPv4 addresses (StringIntern.idOfIPv4). */
class V4Keys implements SlotKeys {
  keys: Int32Array;
  private known: Uint8Array;
  probe = 0;

  constructor(capacity: number) {
    this.keys = new Int32Array(capacity);
    this.known = new Uint8Array(capacity);
  }

  matches(id: number): boolean {
    return this.keys[id] === this.probe;
  }

  has(id: number): boolean {
    return id < this.known.length && this.known[id] === 1;
  }

  set(id: number, key: number): void {
    if (id >= this.keys.length) {
      let n = this.keys.length * 2;
      while (n <= id) n *= 2;
      const keys = new Int32Array(n);
      keys.set(this.keys);
      this.keys = keys;
      const known = new Uint8Array(n);
      known.set(this.known);
      this.known = known;
    }
    this.keys[id] = key;
    this.known[id] = 1;
  }

  unset(id: number): void {
    this.known[id] = 0;
  }
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

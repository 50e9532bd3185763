/**
 * Addresses and interface IDs as small integers: a value is hashed over its characters where it
 * stands in the line and compared there, and kept as UTF-16 code units in one arena, so pairing
 * makes no string (and leaves the garbage collector nothing to walk) per value; a string is made
 * (and kept) only when a conversation with the value is judged. The arena is a list of chunks, so
 * it never copies itself to grow. Ids are counted by the pairing columns that hold them; in a
 * stream an id nobody holds is given back (`sweep`) and the chunks are compacted now and then, so
 * the table stays as small as the open conversations.
 *
 * A canonical IPv4 address (the dotted quad of its number, as validation's fast path reads it)
 * needs no table: its id is its number. Ids of the top /8 (255.0.0.0–255.255.255.255 as unsigned
 * numbers) are kept for interned values, so an address of 255.0.0.0/8 is interned as text, and -1
 * (NONE in the pairing columns) is never an id. Most records of a log bring an address never seen
 * before, so most ids cost neither a hash lookup nor a count.
 */
import { readIPv4 } from '../../catalog/addresses';
import { ShardedSlots, slotsPerShardFor, type SlotKeys } from '../hashSlots';
import { InternArena, FREED, unitsText, type SealedIntern } from './internArena';
import { dottedQuad, fingerprint, hashBytes, hashChars, OCTET_TEXT_RANK } from './internText';

export type { SealedIntern } from './internArena';

const SPACE = 32;
const DIGIT_0 = 48;
const DOT = 46;
/** The top byte of an interned value's id; its low 24 bits index the intern's arrays. */
const INTERNED_TOP = 0xff;
/** Address strings `value` keeps (a power of two). */
const QUAD_CACHE = 4096;
/** Slots of the interface cache (`idOfInterface`): a power of two. */
const INTERFACE_CACHE_BITS = 10;
const INTERFACE_CACHE = 1 << INTERFACE_CACHE_BITS;
/** What the interface cache gives for a value it does not hold: an address id, which no interface has there. */
const NOT_CACHED = 0;
/** Interned values at most: index 0xffffff would make the id -1. */
const MAX_INTERNED = 0xffffff;

/** Whether an id is an IPv4 address's number (else an interned value's). */
export function isAddressId(id: number): boolean {
  return id >>> 24 !== INTERNED_TOP;
}

/** The number of the canonical dotted quad text[start, end) (no zero-padded octet), or -1. */
export function canonicalIPv4(text: string, start: number, end: number): number {
  return readIPv4(text, start, end, true);
}

/** What `addressId` gives for a value that is not an address's number (no address id is 255.255.255.255). */
export const NOT_ADDRESS = -1;

/** The id of text[start, end) when it names itself: a canonical IPv4 address below 255.0.0.0, by its number; else NOT_ADDRESS. */
export function addressId(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  if (first < DIGIT_0 || first > DIGIT_0 + 9) return NOT_ADDRESS;
  const value = canonicalIPv4(text, start, end);
  return value >= 0 && value < 0xff000000 ? value | 0 : NOT_ADDRESS;
}

export class StringIntern extends InternArena implements SlotKeys {
  private slots: ShardedSlots;
  /** Strings of address ids made by `value`, by a hash of the id (a direct-mapped cache). */
  private readonly quadIds = new Int32Array(QUAD_CACHE);
  private readonly quads: (string | undefined)[] = new Array<string | undefined>(QUAD_CACHE);
  private probeText = '';
  /** Set instead of probeText when the value looked up is ASCII bytes (a proven line's window). */
  private probeBytes: Uint8Array | Uint16Array | undefined;
  private probeStart = 0;
  private probeLength = 0;

  /**
   * `capacity`: values expected (a document's line count), room made at once. `counting` false (a
   * document, which gives no id back): holders are not counted, which saves a write to a random
   * place of `refs` per column a record fills.
   */
  constructor(capacity = 1024, private readonly counting = true) {
    // Addresses are mostly IPv4, which take no room here: interfaces and other values are few.
    const n = Math.max(1024, capacity >> 3);
    super(n);
    this.slots = new ShardedSlots(slotsPerShardFor(n));
  }

  /** The intern `sealedValues` came from, on another thread: values by id, and no lookups. */
  static fromSealed(values: SealedIntern): StringIntern {
    const intern = new StringIntern(0, false);
    intern.restore(values);
    intern.seal();
    return intern;
  }

  /** The id of the IPv4 address text[start, end), which is the canonical dotted quad of `value`. */
  idOfIPv4(value: number, text: string, start: number, end: number): number {
    return value < 0xff000000 ? value | 0 : this.internedId(text, start, end);
  }

  /** The id of text[start, end), made when the value is new. */
  idOf(text: string, start: number, end: number): number {
    const address = addressId(text, start, end);
    return address !== NOT_ADDRESS ? address : this.internedId(text, start, end);
  }

  idOfString(value: string): number {
    return this.idOf(value, 0, value.length);
  }

  matches(index: number): boolean {
    const length = this.probeLength;
    if (this.lengths[index] !== length) return false;
    const arena = this.chunks[this.chunkOf[index]];
    const at = this.offsets[index];
    const start = this.probeStart;
    const bytes = this.probeBytes;
    if (bytes) {
      for (let i = 0; i < length; i++) if (arena[at + i] !== bytes[start + i]) return false;
      return true;
    }
    const text = this.probeText;
    for (let i = 0; i < length; i++) if (arena[at + i] !== text.charCodeAt(start + i)) return false;
    return true;
  }

  /** The value of an id as a string. */
  value(id: number): string {
    if (isAddressId(id)) {
      // A judged conversation names its addresses several times: the last strings made are kept.
      const slot = (id ^ (id >>> 12)) & (QUAD_CACHE - 1);
      if (this.quadIds[slot] === id && this.quads[slot] !== undefined) return this.quads[slot] as string;
      const quad = dottedQuad(id);
      this.quadIds[slot] = id;
      this.quads[slot] = quad;
      return quad;
    }
    return this.textOf(id & MAX_INTERNED);
  }

  /**
   * Whether `value(id) + ' ' + String(port)` sorts before the same of the other id, as strings
   * (UTF-16 code units): the order in which the first implementation keyed a record's endpoints.
   */
  endpointBefore(id: number, port: number, other: number, otherPort: number): boolean {
    if (id === other) return String(port) < String(otherPort);
    if (isAddressId(id) && isAddressId(other)) {
      // Dotted quads compare octet by octet, as the octets' texts do: a shorter octet that starts
      // the other is followed by '.' or ' ', both below any digit.
      for (let shift = 24; shift >= 0; shift -= 8) {
        const x = OCTET_TEXT_RANK[(id >>> shift) & 255];
        const y = OCTET_TEXT_RANK[(other >>> shift) & 255];
        if (x !== y) return x < y;
      }
    }
    if (!isAddressId(id) && !isAddressId(other)) return this.unitsBefore(id & MAX_INTERNED, other & MAX_INTERNED);
    // An address beside another kind of value (rare): compare their texts.
    const x = this.value(id);
    const y = this.value(other);
    const shorter = Math.min(x.length, y.length);
    for (let i = 0; i < shorter; i++) {
      const u = x.charCodeAt(i);
      const v = y.charCodeAt(i);
      if (u !== v) return u < v;
    }
    return x.length < y.length ? SPACE < y.charCodeAt(shorter) : x.charCodeAt(shorter) < SPACE;
  }

  retain(id: number): void {
    if (this.counting && !isAddressId(id)) this.refs[id & MAX_INTERNED]++;
  }

  /** One holder fewer; the id is given back when none is left. */
  release(id: number): void {
    if (this.counting && !isAddressId(id) && --this.refs[id & MAX_INTERNED] <= 0) this.sweep(id);
  }

  /** Gives an id back when no column holds it (a value read from a record that added nothing new). */
  sweep(id: number): void {
    if (isAddressId(id)) return;
    const index = id & MAX_INTERNED;
    if (this.refs[index] > 0 || this.offsets[index] === FREED) return;
    this.slots.remove(index, this.hashes[index] >>> 0);
    this.liveUnits -= this.lengths[index];
    this.offsets[index] = FREED;
    this.refs[index] = 0;
    this.strings[index] = undefined;
    this.free.push(index);
  }

  /** Interned values in use (addresses, which are their own ids, are not counted). */
  get size(): number {
    return this.count - this.free.length;
  }

  /** Drops the lookup table (the values stay): no more ids will be asked for. */
  seal(): void {
    this.slots.release();
    this.slots = new ShardedSlots(16);
  }

  private internedId(text: string, start: number, end: number): number {
    const hash = hashChars(text, start, end);
    this.probeString(text, start, end);
    const found = this.slots.find(hash, this);
    return (INTERNED_TOP << 24) | (found >= 0 ? found : this.add(text, start, end, hash));
  }

  /**
   * `idOf` for an interface ID, looked up first in a small cache by a fingerprint of its text (its
   * length and last four characters): a log names a few dozen interfaces over and over, and the
   * fingerprint costs four reads where the table's hash reads every character.
   */
  idOfInterface(text: string, start: number, end: number): number {
    if (end - start < 4) return this.idOf(text, start, end);
    const key = fingerprint(end - start, text.charCodeAt(end - 1), text.charCodeAt(end - 2), text.charCodeAt(end - 3), text.charCodeAt(end - 4));
    this.probeString(text, start, end);
    const cached = this.cachedInterface(key);
    if (cached !== NOT_CACHED) return cached;
    return this.cacheInterface(key, this.idOf(text, start, end));
  }

  /**
   * `idOf` of text[textStart, …) held as ASCII bytes[start, end) too (the fast path's window of a
   * line it proved clean): typed-array reads instead of reading the string a character at a time.
   */
  idOfBytes(bytes: Uint8Array, start: number, end: number, text: string, textStart: number): number {
    const first = bytes[start];
    // It may be a dotted quad, which names an address by its number: idOf tells.
    if (first >= DIGIT_0 && first <= DIGIT_0 + 9) return this.idOf(text, textStart, textStart + end - start);
    return this.idOfOtherBytes(bytes, start, end);
  }

  /** `idOfBytes` of a value known not to be a dotted quad (an address the fast path read as IPv6), held as ASCII bytes or UTF-16 units. */
  idOfOtherBytes(bytes: Uint8Array | Uint16Array, start: number, end: number): number {
    this.probeByteRange(bytes, start, end);
    const hash = hashBytes(bytes, start, end);
    const found = this.slots.find(hash, this);
    return (INTERNED_TOP << 24) | (found >= 0 ? found : this.addBytes(bytes, start, end, hash));
  }

  /**
   * The id of a value another thread wrote as UTF-16 units[start, end) without naming it
   * (rawValues.ts): the id `idOf`, or `idOfInterface` for an interface, gives the same text.
   */
  idOfUnits(units: Uint16Array, start: number, end: number, isInterface: boolean): number {
    // Only digits and dots may be a dotted quad, named by its number: idOf tells (the writer sends few; an IPv6 address has a colon).
    if (digitsAndDots(units, start, end)) return this.idOfString(unitsText(units, start, end));
    if (!isInterface || end - start < 4) return this.idOfOtherBytes(units, start, end);
    // The cache compares the value probed.
    this.probeByteRange(units, start, end);
    const key = fingerprint(end - start, units[end - 1], units[end - 2], units[end - 3], units[end - 4]);
    const cached = this.cachedInterface(key);
    return cached !== NOT_CACHED ? cached : this.cacheInterface(key, this.idOfOtherBytes(units, start, end));
  }

  /** `idOfInterface` of ASCII bytes (idOfBytes). */
  idOfInterfaceBytes(bytes: Uint8Array, start: number, end: number, text: string, textStart: number): number {
    if (end - start < 4) return this.idOfBytes(bytes, start, end, text, textStart);
    const key = fingerprint(end - start, bytes[end - 1], bytes[end - 2], bytes[end - 3], bytes[end - 4]);
    this.probeByteRange(bytes, start, end);
    const cached = this.cachedInterface(key);
    if (cached !== NOT_CACHED) return cached;
    return this.cacheInterface(key, this.idOfBytes(bytes, start, end, text, textStart));
  }

  /** Interface ids by fingerprint (direct-mapped); an id of 0 (an address's) marks an empty slot. */
  private readonly interfaceKeys = new Int32Array(INTERFACE_CACHE);
  private readonly interfaceIds = new Int32Array(INTERFACE_CACHE);

  /** The cached id of the value probed, whose fingerprint is `key`, or NOT_CACHED (its index may have been given back, or reused for another value). */
  private cachedInterface(key: number): number {
    const slot = key >>> (32 - INTERFACE_CACHE_BITS);
    const id = this.interfaceIds[slot];
    if (this.interfaceKeys[slot] !== key || isAddressId(id)) return NOT_CACHED;
    const index = id & MAX_INTERNED;
    return this.offsets[index] !== FREED && this.matches(index) ? id : NOT_CACHED;
  }

  private cacheInterface(key: number, id: number): number {
    const slot = key >>> (32 - INTERFACE_CACHE_BITS);
    this.interfaceKeys[slot] = key;
    this.interfaceIds[slot] = id;
    return id;
  }

  /** The value `matches` compares with: text[start, end). */
  private probeString(text: string, start: number, end: number): void {
    this.probeText = text;
    this.probeBytes = undefined;
    this.probeStart = start;
    this.probeLength = end - start;
  }

  /** The value `matches` compares with: ASCII bytes[start, end). */
  private probeByteRange(bytes: Uint8Array | Uint16Array, start: number, end: number): void {
    this.probeBytes = bytes;
    this.probeStart = start;
    this.probeLength = end - start;
  }

  private add(text: string, start: number, end: number, hash: number): number {
    const index = this.newIndex(end - start, hash);
    const arena = this.chunks[this.chunkOf[index]];
    const at = this.offsets[index];
    for (let i = 0, n = end - start; i < n; i++) arena[at + i] = text.charCodeAt(start + i);
    return index;
  }

  private addBytes(bytes: Uint8Array | Uint16Array, start: number, end: number, hash: number): number {
    const index = this.newIndex(end - start, hash);
    this.chunks[this.chunkOf[index]].set(bytes.subarray(start, end), this.offsets[index]);
    return index;
  }

  /** An index for a new value of `length` units with this hash, room made for it in the arena (to be filled by the caller). */
  private newIndex(length: number, hash: number): number {
    let index = this.free.pop();
    if (index === undefined) {
      index = this.count++;
      // Hostile input aside, a stream gives ids back long before; a document this varied cannot be opened.
      if (index >= MAX_INTERNED) throw new RangeError('more than 16,777,214 distinct interface IDs and non-IPv4 addresses to pair');
      if (index === this.offsets.length) this.growIndexes();
    }
    this.place(index, length);
    this.liveUnits += length;
    this.lengths[index] = length;
    this.hashes[index] = hash;
    this.refs[index] = 0;
    this.slots.add(index, hash);
    return index;
  }
}

function digitsAndDots(units: Uint16Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const unit = units[i];
    if (unit !== DOT && (unit < DIGIT_0 || unit > DIGIT_0 + 9)) return false;
  }
  return true;
}

/**
 * Where the intern (intern.ts) keeps its values: UTF-16 code units in a list of chunks (it never
 * copies itself to grow), and by index each value's chunk, offset, length, hash and holder count;
 * the strings made of them (judged conversations) are kept while the value is. A stream's intern
 * gives indexes back and the chunks are compacted now and then; a finished document's values
 * move to another thread as they are (`sealedValues`).
 */
const SPACE = 32;
export const FREED = -1;
/** Code units per arena chunk (a longer value gets a chunk of its own). */
const CHUNK = 1 << 16;

/** What `value` reads of a sealed intern. */
export interface SealedIntern {
  chunks: Uint16Array[];
  chunkOf: Int32Array;
  offsets: Int32Array;
  lengths: Int32Array;
  count: number;
}

export class InternArena {
  protected chunks: Uint16Array[] = [new Uint16Array(CHUNK)];
  /** Code units used in the last chunk. */
  protected chunkUsed = 0;
  /** Code units in all chunks, and those of values in use (the difference is reclaimed by `compact`). */
  protected totalUnits = CHUNK;
  protected liveUnits = 0;
  // By index (an interned id's low 24 bits).
  protected chunkOf: Int32Array;
  protected offsets: Int32Array;
  protected lengths: Int32Array;
  protected hashes: Int32Array;
  protected refs: Int32Array;
  protected count = 0;
  /** Indexes given back, reused first. */
  protected readonly free: number[] = [];
  /** Values made into strings (judged conversations), kept while their id is. */
  protected readonly strings: (string | undefined)[] = [];

  /** `n`: indexes to make room for at once. */
  constructor(n: number) {
    this.chunkOf = new Int32Array(n);
    this.offsets = new Int32Array(n);
    this.lengths = new Int32Array(n);
    this.hashes = new Int32Array(n);
    this.refs = new Int32Array(n);
  }

  /** Room for twice as many indexes. */
  protected growIndexes(): void {
    this.chunkOf = grown(this.chunkOf);
    this.offsets = grown(this.offsets);
    this.lengths = grown(this.lengths);
    this.hashes = grown(this.hashes);
    this.refs = grown(this.refs);
  }

  /** The value at `index` as a string (kept). */
  protected textOf(index: number): string {
    let value = this.strings[index];
    if (value === undefined) {
      const at = this.offsets[index];
      value = unitsText(this.chunks[this.chunkOf[index]], at, at + this.lengths[index]);
      this.strings[index] = value;
    }
    return value;
  }

  protected unitsBefore(i: number, j: number): boolean {
    const x = this.chunks[this.chunkOf[i]];
    const y = this.chunks[this.chunkOf[j]];
    const a = this.offsets[i];
    const b = this.offsets[j];
    const aLength = this.lengths[i];
    const bLength = this.lengths[j];
    const shorter = Math.min(aLength, bLength);
    for (let k = 0; k < shorter; k++) {
      const u = x[a + k];
      const v = y[b + k];
      if (u !== v) return u < v;
    }
    // One is the start of the other (distinct ids are distinct values): the space after the shorter decides.
    return aLength < bLength ? SPACE < y[b + shorter] : x[a + shorter] < SPACE;
  }

  /** A sealed intern's values, to be moved to another thread (`fromSealed`): its arrays are the receiver's afterwards. */
  sealedValues(): SealedIntern {
    return { chunks: this.chunks, chunkOf: this.chunkOf, offsets: this.offsets, lengths: this.lengths, count: this.count };
  }

  /** Takes the values `sealedValues` gave on another thread. */
  protected restore(values: SealedIntern): void {
    this.chunks = values.chunks;
    this.chunkOf = values.chunkOf;
    this.offsets = values.offsets;
    this.lengths = values.lengths;
    this.count = values.count;
  }

  /** Room for `length` units at the end of the last chunk (or a new one) for `index`. */
  protected place(index: number, length: number): void {
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
    this.chunkOf[index] = this.chunks.length - 1;
    this.offsets[index] = this.chunkUsed;
    this.chunkUsed += length;
  }

  /** Copies the values in use into fresh chunks. */
  protected compact(): void {
    const old = this.chunks;
    this.chunks = [new Uint16Array(CHUNK)];
    this.totalUnits = CHUNK;
    this.chunkUsed = 0;
    for (let index = 0; index < this.count; index++) {
      const at = this.offsets[index];
      if (at === FREED) continue;
      const from = old[this.chunkOf[index]];
      const n = this.lengths[index];
      this.place(index, n);
      const to = this.chunks[this.chunkOf[index]];
      const into = this.offsets[index];
      for (let i = 0; i < n; i++) to[into + i] = from[at + i];
    }
  }
}

/** units[start, end) as a string (in slices: a spread argument list has a limit). */
export function unitsText(units: Uint16Array, start: number, end: number): string {
  let text = '';
  for (let at = start; at < end; at += 4096) text += String.fromCharCode.apply(null, units.subarray(at, Math.min(end, at + 4096)) as unknown as number[]);
  return text;
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/**
 * The two costly steps of a group table's drop of its lighter half (groupTable.ts), for tables of
 * up to a million entries: finding the rank below which entries go, and putting the kept entries
 * back into the hash slots. Both read their inputs in order and write to few places at a time:
 * a quickselect over every rank, or slots written in entry order (at random), cost several
 * times more on tables of this size. Pure typed arrays.
 */

/** Bins of the first selection pass: the top 16 bits of a rank's double (sign, exponent, 4 bits). */
const BINS = 1 << 16;
/** Below this many ranks, the selection is a plain quickselect. */
const SMALL = 4096;
/** Rank doubles are read through 32-bit words: the high word of a little-endian double is its second. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** Memory a table keeps from one drop to the next (fresh memory costs more than the work). */
export class DropScratch {
  private bins = new Int32Array(0);
  private words = new Float64Array(0);

  /**
   * The k-th smallest (0-based) of ranks[0, n), all ≥ 0 and not NaN. One pass counts the ranks
   * per bin of their top 16 bits (ordered as the ranks are, for doubles ≥ 0), a second gathers
   * the ranks of the bin that holds the k-th, and a quickselect finds it among those.
   */
  kthSmallest(ranks: Float64Array, n: number, k: number): number {
    const gathered = this.space(n);
    if (n < SMALL || !LITTLE_ENDIAN) {
      gathered.set(ranks.subarray(0, n));
      return nthSmallest(gathered, 0, n - 1, k);
    }
    if (this.bins.length === 0) this.bins = new Int32Array(BINS);
    const bins = this.bins;
    bins.fill(0);
    const high = new Uint32Array(ranks.buffer, ranks.byteOffset, 2 * n);
    let signs = 0;
    for (let e = 0; e < n; e++) {
      const word = high[2 * e + 1];
      signs |= word;
      bins[word >>> 16]++;
    }
    if (signs < 0) {
      // A negative rank (or -0) would sort after the positive ones by its bits.
      gathered.set(ranks.subarray(0, n));
      return nthSmallest(gathered, 0, n - 1, k);
    }
    let bin = 0;
    let before = 0;
    while (before + bins[bin] <= k) before += bins[bin++];
    let count = 0;
    for (let e = 0; e < n; e++) if (high[2 * e + 1] >>> 16 === bin) gathered[count++] = ranks[e];
    return nthSmallest(gathered, 0, count - 1, k - before);
  }

  /**
   * The order in which to put entries 0 … count − 1 back into slots of 2^slotBits places (a
   * place is hash & mask): by the top bits of their place, so that each run of adds writes one
   * small part of the slots. Returns the entries and their hashes, in that order.
   */
  slotOrder(count: number, hashOf: (entry: number) => number, slotBits: number): { entries: Int32Array; hashes: Int32Array } {
    const space = this.space(Math.ceil(count * 1.5));
    const byEntry = new Int32Array(space.buffer, 0, count);
    const entries = new Int32Array(space.buffer, 4 * count, count);
    const hashes = new Int32Array(space.buffer, 8 * count, count);
    const shift = Math.max(0, slotBits - 10);
    const mask = slotBits >= 31 ? -1 : (1 << slotBits) - 1;
    const starts = new Int32Array(((mask >>> shift) + 1) + 1);
    for (let e = 0; e < count; e++) {
      const hash = hashOf(e);
      byEntry[e] = hash;
      starts[((hash & mask) >>> shift) + 1]++;
    }
    for (let b = 1; b < starts.length; b++) starts[b] += starts[b - 1];
    for (let e = 0; e < count; e++) {
      const at = starts[(byEntry[e] & mask) >>> shift]++;
      entries[at] = e;
      hashes[at] = byEntry[e];
    }
    return { entries, hashes };
  }

  /** A scratch of at least n doubles. */
  private space(n: number): Float64Array {
    if (this.words.length < n) this.words = new Float64Array(n);
    return this.words;
  }
}

/** The k-th smallest value (0-based) of values[lo, hi], which it reorders (quickselect, Hoare partition). */
export function nthSmallest(values: Float64Array, lo: number, hi: number, k: number): number {
  k += lo;
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

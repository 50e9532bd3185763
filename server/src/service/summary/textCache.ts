/**
 * Recent groups of a one-field table of text cells (interface ids, attachment ids, services), by
 * the cell's bytes in the validation kernel's window (provenCells.ts): a record of a group seen
 * before finds its entry by comparing those bytes, where the key path writes the cell as key
 * bytes, hashes them and compares them with the entry's. Such tables have few groups and one on
 * every record. (Comparing with the text itself, charCodeAt by charCodeAt, cost four times as much.)
 *
 * Direct-mapped by the cell's length and last bytes, and only a hint: a hit is checked against
 * the whole cell, and the cache forgets everything when its table's entries change their numbers
 * (GroupTable.generation). Past FILL_LIMIT fills with few hits it stops filling (a field of many
 * distinct values would only cost).
 */

const SLOTS = 1 << 12;
/** Longest cell cached (resource ids have up to 30 characters). */
const MAX_LENGTH = 63;
const STRIDE = MAX_LENGTH + 1;
const FILL_LIMIT = 4096;

export class TextCache {
  /** Per slot: the cell's length (0: empty), then its bytes. */
  private readonly bytes = new Uint8Array(SLOTS * STRIDE);
  private readonly entries = new Int32Array(SLOTS);
  private generation = 0;
  private fills = 0;
  private hits = 0;

  /** The entry last filled for the cell cells[start, end) in table generation `generation`, or -1. */
  find(cells: Uint8Array, start: number, end: number, generation: number): number {
    if (generation !== this.generation) {
      this.bytes.fill(0);
      this.generation = generation;
      return -1;
    }
    const length = end - start;
    if (length === 0 || length > MAX_LENGTH) return -1;
    const bytes = this.bytes;
    const slot = slotOf(cells, start, end);
    let at = slot * STRIDE;
    if (bytes[at++] !== length) return -1;
    for (let i = start; i < end; i++, at++) if (bytes[at] !== cells[i]) return -1;
    this.hits++;
    return this.entries[slot];
  }

  /** Remembers that the cell cells[start, end) is the group of `entry` (in the generation `find` last saw). */
  fill(cells: Uint8Array, start: number, end: number, entry: number): void {
    const length = end - start;
    if (length === 0 || length > MAX_LENGTH || (this.fills >= FILL_LIMIT && this.fills > this.hits)) return;
    this.fills++;
    const slot = slotOf(cells, start, end);
    let at = slot * STRIDE;
    this.bytes[at++] = length;
    for (let i = start; i < end; i++) this.bytes[at++] = cells[i];
    this.entries[slot] = entry;
  }
}

/** A slot from the length and the last bytes (where ids differ). */
function slotOf(cells: Uint8Array, start: number, end: number): number {
  let h = Math.imul(end - start, 0x2c1b3c6d);
  for (let i = Math.max(start, end - 5); i < end; i++) h = Math.imul(h ^ cells[i], 0x01000193);
  return (h ^ (h >>> 16)) & (SLOTS - 1);
}

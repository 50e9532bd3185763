/**
 * Group-table updates held back for a few hundred records, then applied in a batch: first every
 * update's hash slot is read once, in a tight loop of independent loads that the processor
 * overlaps, then the updates are applied in record order, their slots now in cache. On an input
 * where nearly every address pair is new the talkers table's slots (16 MB for a million groups)
 * miss the cache on every record; one miss at a time, that wait was the biggest part of what
 * the tables cost.
 *
 * The updates are applied exactly in the order they were made (table by table within a record,
 * record by record), so entry order, the shared budget and every drop of a table past it are
 * what they would be without the batch. Counts by small code (GroupTable.addCode) are not held
 * back: a code is counted that way only once its group exists, and a group still waiting here
 * does not exist yet, so the later records of its code wait here too. Pure typed arrays.
 */
import { KeyBuffer } from './cellKeys';
import { hashBytes, type GroupTable } from './groupTable';

/** Updates held at most (about 100 records of the built-in tables). */
const BATCH = 512;

export class GroupBatch {
  /** The held updates' keys, one after another. */
  readonly keys = new KeyBuffer();
  private size = 0;
  private readonly table = new Uint8Array(BATCH);
  private readonly keyFrom = new Uint32Array(BATCH + 1);
  private readonly hash = new Uint32Array(BATCH);
  private readonly code = new Int32Array(BATCH);
  private readonly bytes = new Float64Array(BATCH);
  private readonly packets = new Float64Array(BATCH);
  private readonly rejected = new Uint8Array(BATCH);
  /** What the slot reads load, kept so that the compiler keeps the loads. */
  private touched = 0;

  constructor(private readonly tables: readonly GroupTable[]) {
    if (tables.length > 256) throw new Error('more group tables than a batch can name');
  }

  /** True when the batch is full: call `flush` before the next record. */
  get full(): boolean {
    return this.size > BATCH - this.tables.length;
  }

  /**
   * Holds one record's update of table `table`, whose key was just written to `keys` after the
   * previous update's key (the caller writes it there, then calls this).
   */
  hold(table: number, bytes: number, packets: number, rejected: number, code: number): void {
    const n = this.size++;
    const from = this.keyFrom[n];
    const length = this.keys.length - from;
    this.table[n] = table;
    this.hash[n] = hashBytes(this.keys.bytes, length, from);
    this.code[n] = code;
    this.bytes[n] = bytes;
    this.packets[n] = packets;
    this.rejected[n] = rejected;
    this.keyFrom[n + 1] = this.keys.length;
  }

  /** Applies the held updates, in the order they were made, and empties the batch. */
  flush(): void {
    const n = this.size;
    if (n === 0) return;
    const tables = this.tables;
    let touched = 0;
    for (let i = 0; i < n; i++) touched ^= tables[this.table[i]].touch(this.hash[i]);
    this.touched ^= touched;
    const key = this.keys.bytes;
    for (let i = 0; i < n; i++) {
      const from = this.keyFrom[i];
      tables[this.table[i]].addAt(key, from, this.keyFrom[i + 1] - from, this.hash[i], 1, this.bytes[i], this.packets[i], this.rejected[i], this.code[i]);
    }
    this.clear();
  }

  /** Forgets the held updates. */
  clear(): void {
    this.size = 0;
    this.keys.length = 0;
  }
}

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
import { hashBytes, pairHash, type GroupTable } from './groupTable';

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
  /** An IPv4 pair's addresses (holdPair), with `pair` set; its key has no bytes in `keys`. */
  private readonly pair = new Uint8Array(BATCH);
  private readonly a = new Uint32Array(BATCH);
  private readonly b = new Uint32Array(BATCH);
  /** Updates held per table: a table with none may be counted at once (`idle`). */
  private readonly pending: Uint32Array;
  /** What the slot reads load, kept so that the compiler keeps the loads. */
  private touched = 0;

  constructor(private readonly tables: readonly GroupTable[]) {
    if (tables.length > 256) throw new Error('more group tables than a batch can name');
    this.pending = new Uint32Array(tables.length);
  }

  /**
   * True when no update of table `table` is held: an update of one of its existing groups may
   * then be counted at once, as it would be counted in its turn (nothing before it in order
   * touches the table, and a table changes its entries only when one of its own updates adds one).
   */
  idle(table: number): boolean {
    return this.pending[table] === 0;
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
    this.pending[table]++;
    const from = this.keyFrom[n];
    const length = this.keys.length - from;
    this.table[n] = table;
    this.hash[n] = hashBytes(this.keys.bytes, length, from);
    this.code[n] = code;
    this.bytes[n] = bytes;
    this.packets[n] = packets;
    this.rejected[n] = rejected;
    this.pair[n] = 0;
    this.keyFrom[n + 1] = this.keys.length;
  }

  /** `hold` of the key of IPv4 addresses `a` → `b` (unsigned 32-bit numbers), with no key bytes written. */
  holdPair(table: number, a: number, b: number, bytes: number, packets: number, rejected: number): void {
    const n = this.size++;
    this.pending[table]++;
    this.table[n] = table;
    this.hash[n] = pairHash(a, b);
    this.code[n] = -1;
    this.bytes[n] = bytes;
    this.packets[n] = packets;
    this.rejected[n] = rejected;
    this.pair[n] = 1;
    this.a[n] = a;
    this.b[n] = b;
    this.keyFrom[n + 1] = this.keyFrom[n];
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
      if (this.pair[i] === 1) {
        tables[this.table[i]].addPair(this.a[i], this.b[i], this.hash[i], 1, this.bytes[i], this.packets[i], this.rejected[i]);
        continue;
      }
      const from = this.keyFrom[i];
      tables[this.table[i]].addAt(key, from, this.keyFrom[i + 1] - from, this.hash[i], 1, this.bytes[i], this.packets[i], this.rejected[i], this.code[i]);
    }
    this.clear();
  }

  /** Forgets the held updates. */
  clear(): void {
    this.size = 0;
    this.keys.length = 0;
    this.pending.fill(0);
  }
}

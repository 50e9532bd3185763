/**
 * Addresses and interface IDs as small integers: a value is hashed over its characters where it
 * stands in the line and compared there, so a string is sliced only the first time a value is
 * seen. Ids are counted by the pairing columns that hold them; in a stream an id nobody holds is
 * given back (`sweep`), so the table stays as small as the open conversations.
 */
import { ShardedSlots, type SlotKeys } from '../hashSlots';

/** 32-bit FNV-1a over text[start, end). */
function hashChars(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class StringIntern implements SlotKeys {
  private slots = new ShardedSlots();
  /** The value of each id ('' for an id given back). */
  readonly values: string[] = [];
  private hashes = new Int32Array(1024);
  private refs = new Int32Array(1024);
  /** Ids given back, reused first. */
  private readonly free: number[] = [];
  private probeText = '';
  private probeStart = 0;
  private probeLength = 0;

  /** The id of text[start, end), made when the value is new. */
  idOf(text: string, start: number, end: number): number {
    const hash = hashChars(text, start, end);
    this.probeText = text;
    this.probeStart = start;
    this.probeLength = end - start;
    const found = this.slots.find(hash, this);
    return found >= 0 ? found : this.add(text.slice(start, end), hash);
  }

  idOfString(value: string): number {
    return this.idOf(value, 0, value.length);
  }

  matches(id: number): boolean {
    const value = this.values[id];
    return value.length === this.probeLength && this.probeText.startsWith(value, this.probeStart);
  }

  retain(id: number): void {
    this.refs[id]++;
  }

  /** One holder fewer; the id is given back when none is left. */
  release(id: number): void {
    if (--this.refs[id] <= 0) this.sweep(id);
  }

  /** Gives an id back when no column holds it (a value read from a record that added nothing new). */
  sweep(id: number): void {
    if (this.refs[id] > 0 || this.values[id] === '') return;
    this.slots.remove(id, this.hashes[id] >>> 0);
    this.values[id] = '';
    this.refs[id] = 0;
    this.free.push(id);
  }

  /** Ids in use. */
  get size(): number {
    return this.slots.size;
  }

  /** Drops the lookup table (the values stay): no more ids will be asked for. */
  seal(): void {
    this.slots = new ShardedSlots(16);
  }

  private add(value: string, hash: number): number {
    let id = this.free.pop();
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      if (id === this.hashes.length) {
        this.hashes = grown(this.hashes);
        this.refs = grown(this.refs);
      }
    } else {
      this.values[id] = value;
    }
    this.hashes[id] = hash;
    this.refs[id] = 0;
    this.slots.add(id, hash);
    return id;
  }
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

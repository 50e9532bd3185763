/**
 * The two lookups of the pairing index, typed-array hash tables over group rows (hashSlots.ts):
 * a conversation key (protocol and the packet-level endpoint pair) → the open groups of that key
 * in the order they were made; and a NAT gateway candidate key (interface, protocol, local
 * address, remote address and port) → the plain groups that could be a gateway's own flow.
 */
import { freeNow } from '../freeNow';
import { finishHash, mixHash, ShardedSlots, slotsPerShardFor, type SlotKeys } from '../hashSlots';
import type { GroupStore } from './groupStore';

const NONE = -1;

function grown(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  if (size <= array.length) return array as Int32Array<ArrayBuffer>;
  let n = array.length * 2;
  while (n < size) n *= 2;
  const next = new Int32Array(n);
  next.set(array);
  return next;
}

/** Hash of a key of five numbers (ports and protocol may be -1; ids are any 32-bit integers). */
export function keyHash(protocol: number, a: number, aPort: number, b: number, bPort: number): number {
  let h = mixHash(0x9747b28c, protocol);
  h = mixHash(h, a);
  h = mixHash(h, aPort);
  h = mixHash(h, b);
  return finishHash(mixHash(h, bPort));
}

/** Open groups by conversation key: the table holds the first group of each key, the others follow it in a list. */
export class KeyChains implements SlotKeys {
  private readonly slots: ShardedSlots;
  /** The group after in its key's list, + 1 (0: none, as fresh memory is: a key's only group writes nothing here). */
  private next: Int32Array;
  /** The group before in its key's list (-1: the first, the one in the table), so a group leaves without its key being looked up. */
  private prev: Int32Array;
  private hashes: Int32Array;
  private protocol = 0;
  private a = 0;
  private aPort = 0;
  private b = 0;
  private bPort = 0;
  /** Hash of the key last looked up (`first`), which `append` files a new key's first group under. */
  private hash = 0;

  /**
   * `capacity`: groups to make room for at once. `removable` false (a document, whose groups all
   * stay until the lookups are released): `remove` is never called, and its links are not kept.
   */
  constructor(private readonly store: GroupStore, capacity = 1024, private readonly removable = true) {
    this.slots = new ShardedSlots(slotsPerShardFor(capacity));
    this.next = new Int32Array(capacity);
    this.prev = new Int32Array(removable ? capacity : 0);
    this.hashes = new Int32Array(removable ? capacity : 0);
  }

  matches(g: number): boolean {
    const s = this.store;
    return s.aAddr[g] === this.a && s.bAddr[g] === this.b && s.aPort[g] === this.aPort && s.bPort[g] === this.bPort && s.protocol[g] === this.protocol;
  }

  /** The first open group of a key whose hash (keyHash) is `hash`, or -1; `nextOf` walks the others. Remembers the key (as column codes) for `append`. */
  first(hash: number, protocol: number, a: number, aPort: number, b: number, bPort: number): number {
    const s = this.store;
    this.protocol = s.code(protocol);
    this.a = a;
    this.aPort = s.code(aPort);
    this.b = b;
    this.bPort = s.code(bPort);
    this.hash = hash;
    return this.slots.find(hash, this);
  }

  /** Reads the slot a lookup of `hash` starts at (a batch does it for all its keys first, so their cache misses overlap). */
  touch(hash: number): number {
    return this.slots.touch(hash);
  }

  nextOf(g: number): number {
    return this.next[g] - 1;
  }

  /** Adds a new group of the key last looked up after `last`, the last of the list that `first` starts (-1: the key's first group). */
  append(g: number, first: number, last: number): void {
    if (g >= this.next.length) {
      this.next = grown(this.next, g + 1);
      if (this.removable) {
        this.prev = grown(this.prev, g + 1);
        const hashes = new Int32Array(this.next.length);
        hashes.set(this.hashes);
        this.hashes = hashes;
      }
    }
    if (first === NONE) {
      const hash = this.hash;
      if (this.removable) {
        this.hashes[g] = hash;
        this.prev[g] = NONE;
      }
      this.slots.add(g, hash);
      return;
    }
    if (this.removable) {
      this.hashes[g] = this.hashes[first];
      this.prev[g] = last;
    }
    this.next[last] = g + 1;
  }

  /** Empties the table and gives its memory back at once (a finished document's: its groups are looked up no more). */
  release(): void {
    this.slots.release();
    freeNow(this.next, this.prev, this.hashes);
    this.next = this.prev = this.hashes = new Int32Array(0);
  }

  /** Takes a group out of its key's list. */
  remove(g: number): void {
    const before = this.prev[g];
    const after = this.nextOf(g);
    // A row given back starts with no next when it is used again.
    this.next[g] = 0;
    if (before === NONE) {
      const hash = this.hashes[g] >>> 0;
      if (after === NONE) this.slots.remove(g, hash);
      else {
        this.slots.replace(g, hash, after);
        this.prev[after] = NONE;
      }
      return;
    }
    this.next[before] = after + 1;
    if (after !== NONE) this.prev[after] = before;
  }
}

/**
 * Plain groups that could be a NAT gateway's own flow to a remote host, under two keys each (either
 * endpoint may be the gateway): entry 2g is (interface, protocol, a, b, b's port), 2g + 1 is
 * (interface, protocol, b, a, a's port).
 */
export class NatCandidates implements SlotKeys {
  /** Made with the first candidate: a log without packet-level addresses (v2) never has one. */
  private slots: ShardedSlots | undefined;
  private next = new Int32Array(0);
  private iface = 0;
  private protocol = 0;
  private local = 0;
  private remote = 0;
  private remotePort = 0;

  /** `capacity`: groups to make room for at once; `expected`: candidates expected among them (two entries each). */
  constructor(
    private readonly store: GroupStore,
    private readonly capacity = 1024,
    private readonly expected = capacity / 4,
  ) {}

  matches(entry: number): boolean {
    const s = this.store;
    const g = entry >> 1;
    const second = (entry & 1) === 1;
    return (
      s.natIface[g] === this.iface &&
      s.protocol[g] === this.protocol &&
      (second ? s.bAddr[g] : s.aAddr[g]) === this.local &&
      (second ? s.aAddr[g] : s.bAddr[g]) === this.remote &&
      (second ? s.aPort[g] : s.bPort[g]) === this.remotePort
    );
  }

  private hashOf(entry: number): number {
    const s = this.store;
    const g = entry >> 1;
    return (entry & 1) === 1 ? keyHash(s.protocol[g], s.natIface[g], s.bAddr[g], s.aAddr[g], s.aPort[g]) : keyHash(s.protocol[g], s.natIface[g], s.aAddr[g], s.bAddr[g], s.bPort[g]);
  }

  private probe(entry: number): number {
    const s = this.store;
    const g = entry >> 1;
    const second = (entry & 1) === 1;
    return this.find(s.natIface[g], s.protocol[g], second ? s.bAddr[g] : s.aAddr[g], second ? s.aAddr[g] : s.bAddr[g], second ? s.aPort[g] : s.bPort[g]);
  }

  /** The first candidate entry of a key, or -1; `nextOf` walks the others (group = entry >> 1). */
  find(iface: number, protocol: number, local: number, remote: number, remotePort: number): number {
    this.iface = iface;
    this.protocol = protocol;
    this.local = local;
    this.remote = remote;
    this.remotePort = remotePort;
    return this.slots ? this.slots.find(keyHash(protocol, iface, local, remote, remotePort), this) : NONE;
  }

  nextOf(entry: number): number {
    return this.next[entry];
  }

  /** Adds a group's two entries (its natIface set). */
  add(g: number): void {
    if (!this.slots) {
      // Only groups with packet-level addresses are candidates: unless told, a fraction of a log's groups.
      this.slots = new ShardedSlots(slotsPerShardFor(2 * this.expected));
      this.next = new Int32Array(2 * this.capacity);
    }
    if (2 * g + 1 >= this.next.length) this.next = grown(this.next, 2 * g + 2);
    this.addEntry(2 * g);
    this.addEntry(2 * g + 1);
  }

  private addEntry(entry: number): void {
    const slots = this.slots as ShardedSlots;
    const first = this.probe(entry);
    if (first === NONE) {
      this.next[entry] = NONE;
      slots.add(entry, this.hashOf(entry));
    } else {
      // Order does not matter (a join needs exactly one candidate): the new entry goes first.
      this.next[entry] = first;
      slots.replace(first, this.hashOf(entry), entry);
    }
  }

  /** KeyChains.release. */
  release(): void {
    this.slots?.release();
    this.slots = undefined;
    freeNow(this.next);
    this.next = new Int32Array(0);
  }

  /** Takes a group's two entries out. */
  remove(g: number): void {
    this.removeEntry(2 * g);
    this.removeEntry(2 * g + 1);
  }

  private removeEntry(entry: number): void {
    const slots = this.slots;
    const first = this.probe(entry);
    if (first === NONE || !slots) return;
    if (first === entry) {
      const next = this.next[entry];
      if (next === NONE) slots.remove(entry, this.hashOf(entry));
      else slots.replace(entry, this.hashOf(entry), next);
      return;
    }
    let before = first;
    while (before !== NONE && this.next[before] !== entry) before = this.next[before];
    if (before !== NONE) this.next[before] = this.next[entry];
  }
}

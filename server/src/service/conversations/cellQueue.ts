/**
 * Records read for pairing and not paired yet, a few dozen at a time (builder.ts). Each comes with
 * its conversation key made and hashed; before a batch is paired, the key table's slots of all its
 * records are read in one short loop, so that their cache misses overlap instead of each stalling
 * the pairing of its own record (a document's key table is megabytes, read at random).
 */
import { portless } from './group';
import type { StringIntern } from './intern';
import { keyHash } from './pairingTables';
import { newCells, type RecordCells } from './recordCells';

/** Records per batch: enough misses in flight to fill the memory system, few enough to stay in cache. */
export const QUEUE_SIZE = 32;

export class CellQueue {
  readonly cells: RecordCells[] = Array.from({ length: QUEUE_SIZE }, newCells);
  /** The key of each record: endpoint `a` is the one written first in `addr port` order. */
  readonly a = new Int32Array(QUEUE_SIZE);
  readonly b = new Int32Array(QUEUE_SIZE);
  /** Numbers as read (a port of a record the fast path did not prove may be any decimal). */
  readonly aPort = new Float64Array(QUEUE_SIZE);
  readonly bPort = new Float64Array(QUEUE_SIZE);
  readonly hash = new Int32Array(QUEUE_SIZE);
  /** 1 when the record goes from `a` to `b`. */
  readonly forward = new Uint8Array(QUEUE_SIZE);
  count = 0;

  /** The cells the next record is read into. */
  get free(): RecordCells {
    return this.cells[this.count];
  }

  /** Takes the record read into `free`: makes its key; true when the batch is full. */
  push(intern: StringIntern): boolean {
    const c = this.cells[this.count];
    const noPorts = portless(c.protocol);
    return this.place(c, noPorts, goesForward(c, noPorts, intern), 0, false);
  }

  /** `push` of a record whose key was made where its cells were read. */
  pushMade(key: MadeKey): boolean {
    return this.place(this.cells[this.count], key.noPorts, key.forward, key.hash, key.hashMade);
  }

  private place(c: RecordCells, noPorts: boolean, forward: boolean, hash: number, hashMade: boolean): boolean {
    const i = this.count++;
    const srcPort = noPorts ? -1 : c.srcport;
    const dstPort = noPorts ? -1 : c.dstport;
    const a = forward ? c.pktSrc : c.pktDst;
    const b = forward ? c.pktDst : c.pktSrc;
    const aPort = forward ? srcPort : dstPort;
    const bPort = forward ? dstPort : srcPort;
    this.a[i] = a;
    this.b[i] = b;
    this.aPort[i] = aPort;
    this.bPort[i] = bPort;
    this.forward[i] = forward ? 1 : 0;
    this.hash[i] = hashMade ? hash : keyHash(c.protocol, a, aPort, b, bPort);
    return this.count === QUEUE_SIZE;
  }
}

/**
 * Whether a record goes from its key's `a` to `b`, `a` being the endpoint written first in
 * `addr port` order (the old string key's order). Values are compared, so every intern answers alike.
 */
export function goesForward(c: RecordCells, noPorts: boolean, intern: Pick<StringIntern, 'endpointBefore'>): boolean {
  return !intern.endpointBefore(c.pktDst, noPorts ? -1 : c.dstport, c.pktSrc, noPorts ? -1 : c.srcport);
}

/** The hash of the key of a record going `forward`. */
export function keyHashOf(c: RecordCells, noPorts: boolean, forward: boolean): number {
  const srcPort = noPorts ? -1 : c.srcport;
  const dstPort = noPorts ? -1 : c.dstport;
  return forward ? keyHash(c.protocol, c.pktSrc, srcPort, c.pktDst, dstPort) : keyHash(c.protocol, c.pktDst, dstPort, c.pktSrc, srcPort);
}

/**
 * A record's key as made by the thread that read its cells (cli/cellBuffer.ts). The hash is made
 * there only when both endpoints are IPv4 addresses: their ids are their numbers in every intern.
 */
export interface MadeKey {
  noPorts: boolean;
  forward: boolean;
  hash: number;
  hashMade: boolean;
}

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
    const i = this.count++;
    const c = this.cells[i];
    const noPorts = portless(c.protocol);
    const srcPort = noPorts ? -1 : c.srcport;
    const dstPort = noPorts ? -1 : c.dstport;
    // The endpoint written first in `addr port` order is `a` (the old string key's order).
    const forward = !intern.endpointBefore(c.pktDst, dstPort, c.pktSrc, srcPort);
    const a = forward ? c.pktSrc : c.pktDst;
    const b = forward ? c.pktDst : c.pktSrc;
    const aPort = forward ? srcPort : dstPort;
    const bPort = forward ? dstPort : srcPort;
    this.a[i] = a;
    this.b[i] = b;
    this.aPort[i] = aPort;
    this.bPort[i] = bPort;
    this.forward[i] = forward ? 1 : 0;
    this.hash[i] = keyHash(c.protocol, a, aPort, b, bPort);
    return this.count === QUEUE_SIZE;
  }
}

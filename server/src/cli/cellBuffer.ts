/**
 * The cells pairing needs of a segment's records, read by a worker thread while it validates the
 * segment (segmentWorker.ts) and handed whole to the main thread, which pairs them in line order
 * (lint.ts): the worker reads the line, the main thread only interns the few values that are not
 * canonical IPv4 addresses. Memory: one segment's cells per segment in flight (segmentJoin.ts).
 *
 * A record is 9 int32 (line, record, interface, src, dst, pkt-src, pkt-dst, flags, key hash) and 8
 * float64 (protocol, ports, packets, bytes, start, end, tcp flags). The flags hold the action,
 * whether the format has packet addresses, and the record's key as the worker made it
 * (cellQueue.ts MadeKey), so that the main thread, which all pairing waits on, does not.
 *
 * A value is named as the pairing intern names it (intern.ts): a canonical IPv4 address below
 * 255.0.0.0 by its number; any other value by the top byte 0xff and its place in the segment's
 * table of strings (the worker's own intern), which the main thread interns once per segment.
 */
import type { CellSource } from '../service/conversations/builder';
import type { ActionCode, PairingColumns } from '../service/conversations/flowRecord';
import { goesForward, keyHashOf } from '../service/conversations/cellQueue';
import { portless } from '../service/conversations/group';
import { isAddressId, StringIntern } from '../service/conversations/intern';
import { newCells, readCells, readProvenCells, readTokenCells, type RecordCells } from '../service/conversations/recordCells';
import type { RecordSink } from '../service/conversations/validationFeed';
import type { TokenBuffer } from '../service/scan';

/** A segment's records for pairing, lines counted from the segment's first. */
export interface SegmentCells {
  count: number;
  ints: Int32Array;
  nums: Float64Array;
  strings: string[];
}

const INTS = 9;
const NUMS = 8;
const OTHER_TOP = 0xff;
// Flags above the action's byte.
const PACKET_ADDRESSES = 0x100;
const NO_PORTS = 0x200;
const FORWARD = 0x400;
const HASH_MADE = 0x800;

/** A worker's writer of segment cells: what validation feeds (validationFeed.ts) goes into the buffer instead of a builder. */
export class CellWriter implements RecordSink {
  /** The segment's own intern: it names values as the main thread's does, a new value by the next place. */
  private ids = new StringIntern(1024, false);
  private readonly cells = newCells();
  private ints = new Int32Array(0);
  private nums = new Float64Array(0);
  private count = 0;
  /** Records of the last segment: the next one's buffers start that large. */
  private expected = 16 * 1024;

  /** Starts a segment. */
  begin(): void {
    this.ids = new StringIntern(1024, false);
    this.count = 0;
    this.ints = new Int32Array(this.expected * INTS);
    this.nums = new Float64Array(this.expected * NUMS);
  }

  /** The segment's cells (their buffers are the receiver's: they are transferred). */
  take(): SegmentCells {
    this.expected = Math.max(1024, Math.ceil(this.count * 1.1));
    const strings: string[] = [];
    for (let place = 0; place < this.ids.size; place++) strings.push(this.ids.value((OTHER_TOP << 24) | place));
    const taken = { count: this.count, ints: this.ints, nums: this.nums, strings };
    this.ints = new Int32Array(0);
    this.nums = new Float64Array(0);
    return taken;
  }

  addProven(text: string, base: number, line: number, columns: PairingColumns): boolean {
    return readProvenCells(text, base, line, columns, this.ids, this.cells) && this.append();
  }

  addTokens(text: string, tokens: TokenBuffer, line: number, record: number, columns: PairingColumns): boolean {
    return readTokenCells(text, line, record, columns, tokens, this.ids, this.cells) && this.append();
  }

  addText(text: string, start: number, end: number, line: number, record: number, columns: PairingColumns, tokens: TokenBuffer): boolean {
    return readCells(text, start, end, line, record, columns, tokens, this.ids, this.cells) && this.append();
  }

  private append(): boolean {
    if (this.count * INTS >= this.ints.length) this.grow();
    const c = this.cells;
    const i = this.count * INTS;
    const ints = this.ints;
    ints[i] = c.line;
    ints[i + 1] = c.record;
    ints[i + 2] = c.iface;
    ints[i + 3] = c.src;
    ints[i + 4] = c.dst;
    ints[i + 5] = c.pktSrc;
    ints[i + 6] = c.pktDst;
    // The key as the main thread's CellQueue would make it (the direction compares values, alike in every intern).
    const noPorts = portless(c.protocol);
    const forward = goesForward(c, noPorts, this.ids);
    const hashMade = isAddressId(c.pktSrc) && isAddressId(c.pktDst);
    ints[i + 7] = c.action | (c.packetAddresses ? PACKET_ADDRESSES : 0) | (noPorts ? NO_PORTS : 0) | (forward ? FORWARD : 0) | (hashMade ? HASH_MADE : 0);
    ints[i + 8] = hashMade ? keyHashOf(c, noPorts, forward) : 0;
    const n = this.count * NUMS;
    const nums = this.nums;
    nums[n] = c.protocol;
    nums[n + 1] = c.srcport;
    nums[n + 2] = c.dstport;
    nums[n + 3] = c.packets;
    nums[n + 4] = c.bytes;
    nums[n + 5] = c.start;
    nums[n + 6] = c.end;
    nums[n + 7] = c.tcpFlags;
    this.count++;
    return true;
  }

  private grow(): void {
    const records = Math.max(1024, 2 * this.count);
    const ints = new Int32Array(records * INTS);
    ints.set(this.ints);
    const nums = new Float64Array(records * NUMS);
    nums.set(this.nums);
    this.ints = ints;
    this.nums = nums;
  }
}

/**
 * The main thread's reader of a segment's cells, one record at a time (`at`), for
 * ConversationBuilder.addFrom. The segment's strings are interned once, when the first record is
 * read, and held until `done`: ids are compared, never ordered, so holding a value a little longer
 * than one thread would changes no conversation.
 */
export class CellReader implements CellSource {
  at = 0;
  // The key of the record last read.
  noPorts = false;
  forward = false;
  hash = 0;
  hashMade = false;
  private ids: Int32Array | undefined;
  private intern: StringIntern | undefined;

  constructor(private readonly segment: SegmentCells, private readonly baseLine: number) {}

  get count(): number {
    return this.segment.count;
  }

  /** The absolute line of record `at`. */
  line(): number {
    return this.segment.ints[this.at * INTS] + this.baseLine;
  }

  readInto(cells: RecordCells, intern: StringIntern): boolean {
    const ints = this.segment.ints;
    const nums = this.segment.nums;
    const ids = this.ids ?? this.internStrings(intern);
    const i = this.at * INTS;
    cells.line = ints[i] + this.baseLine;
    cells.record = ints[i + 1];
    cells.iface = idOf(ids, ints[i + 2]);
    cells.src = idOf(ids, ints[i + 3]);
    cells.dst = idOf(ids, ints[i + 4]);
    cells.pktSrc = idOf(ids, ints[i + 5]);
    cells.pktDst = idOf(ids, ints[i + 6]);
    const flags = ints[i + 7];
    // Action codes (0-2) take the low byte.
    cells.action = (flags & 0xff) as ActionCode;
    cells.packetAddresses = (flags & PACKET_ADDRESSES) !== 0;
    this.noPorts = (flags & NO_PORTS) !== 0;
    this.forward = (flags & FORWARD) !== 0;
    this.hashMade = (flags & HASH_MADE) !== 0;
    this.hash = ints[i + 8];
    const n = this.at * NUMS;
    cells.protocol = nums[n];
    cells.srcport = nums[n + 1];
    cells.dstport = nums[n + 2];
    cells.packets = nums[n + 3];
    cells.bytes = nums[n + 4];
    cells.start = nums[n + 5];
    cells.end = nums[n + 6];
    cells.tcpFlags = nums[n + 7];
    return true;
  }

  /** The segment's records were all added (each holds its own ids now): the strings' ids are let go. */
  done(): void {
    const { ids, intern } = this;
    if (!ids || !intern) return;
    for (let k = 0; k < ids.length; k++) intern.release(ids[k]);
    this.ids = undefined;
  }

  private internStrings(intern: StringIntern): Int32Array {
    const strings = this.segment.strings;
    const ids = new Int32Array(strings.length);
    for (let k = 0; k < strings.length; k++) {
      ids[k] = intern.idOf(strings[k], 0, strings[k].length);
      intern.retain(ids[k]);
    }
    this.intern = intern;
    this.ids = ids;
    return ids;
  }
}

/** Records handed on between two yields to the event loop: the worker pool hands out the next segments meanwhile. */
const RECORDS_PER_YIELD = 4096;

/**
 * Hands each record of a segment's cells to `add`, in line order, as a CellReader placed on it
 * (its absolute line is `reader.line()`); the strings the segment named are let go at the end.
 */
export async function readSegmentCells(cells: SegmentCells, baseLine: number, add: (reader: CellReader) => void): Promise<void> {
  const reader = new CellReader(cells, baseLine);
  for (reader.at = 0; reader.at < reader.count; reader.at++) {
    add(reader);
    if (reader.at % RECORDS_PER_YIELD === RECORDS_PER_YIELD - 1) await new Promise(setImmediate);
  }
  reader.done();
}

function idOf(ids: Int32Array, id: number): number {
  return id >>> 24 === OTHER_TOP ? ids[id & 0xffffff] : id;
}

/**
 * The cells pairing needs of a segment's records, read by the thread that validates them and
 * paired by another, in line order: the CLI's worker threads validate segments of a large input
 * (cli/segmentWorker.ts) and its main thread pairs (cli/lint.ts); the editor's server validates
 * and its pairing thread pairs (pairingJob.ts). The reader only interns the few values that are
 * not canonical IPv4 addresses. Memory: the cells of the segments in flight.
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
import type { CellSource } from './builder';
import type { ActionCode, PairingColumns } from './flowRecord';
import { goesForward, keyHashOf } from './cellQueue';
import { portless } from './group';
import { isAddressId, StringIntern } from './intern';
import { newCells, readCells, readProvenCells, readTokenCells, type RecordCells, type ValueNamer } from './recordCells';
import { RawValues, type RawValueList } from './rawValues';
import type { RecordSink } from './validationFeed';
import type { TokenBuffer } from '../scan';

/** A segment's records for pairing, lines counted from the segment's first. */
export interface SegmentCells {
  count: number;
  ints: Int32Array;
  nums: Float64Array;
  /** The values the segment names by place, interned by the writer. */
  strings: string[];
  /** Or the values as written (a writer of `rawValues`), interned by the reader. */
  raw?: RawValueList;
}

/** The buffers of a segment's cells once read, given back for a writer to fill again (`CellWriter.begin`). */
export type SpentCells = Pick<SegmentCells, 'ints' | 'nums' | 'raw'>;

const INTS = 9;
const NUMS = 8;
const OTHER_TOP = 0xff;
// Flags above the action's byte.
const PACKET_ADDRESSES = 0x100;
const NO_PORTS = 0x200;
const FORWARD = 0x400;
const HASH_MADE = 0x800;
/** The direction (FORWARD) was found by the writer; else the reader's builder finds it. */
const KEY_MADE = 0x1000;

/** A worker's writer of segment cells: what validation feeds (validationFeed.ts) goes into the buffer instead of a builder. */
export class CellWriter implements RecordSink {
  /** The segment's own intern: it names values as the main thread's does, a new value by the next place. */
  private ids = new StringIntern(1024, false);
  /** Or the values as written (`rawValues`). */
  private readonly raw: RawValues | undefined;
  private names: ValueNamer;
  private readonly cells = newCells();
  private ints: Int32Array = new Int32Array(0);
  private nums: Float64Array = new Float64Array(0);
  private count = 0;
  /** Records of the last segment: the next one's buffers start that large. */
  private expected = 16 * 1024;

  /**
   * The CLI's workers intern a segment's values and find each record's direction and key hash,
   * so that the main thread, which all pairing waits on, does not. The editor's validating thread
   * is the busy one (`rawValues`): it copies values and leaves the rest to the pairing thread.
   */
  constructor(options: { rawValues?: boolean } = {}) {
    this.raw = options.rawValues ? new RawValues() : undefined;
    this.names = this.raw ?? this.ids;
  }

  /** Starts a segment; `spent`: an earlier segment's cells, read, whose buffers the reader gave back (no new memory to zero). */
  begin(spent?: SpentCells): void {
    if (!this.raw) this.names = this.ids = new StringIntern(1024, false);
    this.count = 0;
    const reusable = spent !== undefined && spent.ints.length >= this.expected * INTS;
    // A quarter more than expected: the next segments, a few records longer, still fit these buffers when they come back.
    const records = Math.ceil(this.expected * 1.25);
    this.ints = reusable ? spent.ints : new Int32Array(records * INTS);
    this.nums = reusable ? spent.nums : new Float64Array(records * NUMS);
    this.raw?.begin(reusable ? spent.raw : undefined);
  }

  /** The segment's cells (their buffers are the receiver's: they are transferred). */
  take(): SegmentCells {
    this.expected = Math.max(1024, Math.ceil(this.count * 1.1));
    const strings: string[] = [];
    if (!this.raw) for (let place = 0; place < this.ids.size; place++) strings.push(this.ids.value((OTHER_TOP << 24) | place));
    const taken: SegmentCells = { count: this.count, ints: this.ints, nums: this.nums, strings, raw: this.raw?.take() };
    this.ints = new Int32Array(0);
    this.nums = new Float64Array(0);
    return taken;
  }

  addProven(text: string, base: number, line: number, columns: PairingColumns): boolean {
    return readProvenCells(text, base, line, columns, this.names, this.cells) && this.append();
  }

  addTokens(text: string, tokens: TokenBuffer, line: number, record: number, columns: PairingColumns): boolean {
    return readTokenCells(text, line, record, columns, tokens, this.names, this.cells) && this.append();
  }

  addText(text: string, start: number, end: number, line: number, record: number, columns: PairingColumns, tokens: TokenBuffer): boolean {
    return readCells(text, start, end, line, record, columns, tokens, this.names, this.cells) && this.append();
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
    const made = !this.raw;
    const noPorts = made && portless(c.protocol);
    const forward = made && goesForward(c, noPorts, this.ids);
    const hashMade = made && isAddressId(c.pktSrc) && isAddressId(c.pktDst);
    ints[i + 7] = c.action | (c.packetAddresses ? PACKET_ADDRESSES : 0) | (noPorts ? NO_PORTS : 0) | (forward ? FORWARD : 0) | (hashMade ? HASH_MADE : 0) | (made ? KEY_MADE : 0);
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
  keyMade = false;
  private ids: Int32Array | undefined;
  private intern: StringIntern | undefined;

  constructor(
    private readonly segment: SegmentCells,
    private readonly baseLine: number,
  ) {}

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
    const i = this.at * INTS;
    cells.line = ints[i] + this.baseLine;
    cells.record = ints[i + 1];
    const raw = this.segment.raw;
    if (raw) {
      cells.iface = rawId(raw, ints[i + 2], intern, true);
      cells.src = rawId(raw, ints[i + 3], intern, false);
      cells.dst = rawId(raw, ints[i + 4], intern, false);
      cells.pktSrc = rawId(raw, ints[i + 5], intern, false);
      cells.pktDst = rawId(raw, ints[i + 6], intern, false);
    } else {
      const ids = this.ids ?? this.internStrings(intern);
      cells.iface = idOf(ids, ints[i + 2]);
      cells.src = idOf(ids, ints[i + 3]);
      cells.dst = idOf(ids, ints[i + 4]);
      cells.pktSrc = idOf(ids, ints[i + 5]);
      cells.pktDst = idOf(ids, ints[i + 6]);
    }
    const flags = ints[i + 7];
    // Action codes (0-2) take the low byte.
    cells.action = (flags & 0xff) as ActionCode;
    cells.packetAddresses = (flags & PACKET_ADDRESSES) !== 0;
    this.noPorts = (flags & NO_PORTS) !== 0;
    this.forward = (flags & FORWARD) !== 0;
    this.hashMade = (flags & HASH_MADE) !== 0;
    this.keyMade = (flags & KEY_MADE) !== 0;
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

function idOf(ids: Int32Array, id: number): number {
  return id >>> 24 === OTHER_TOP ? ids[id & 0xffffff] : id;
}

/** The id in `intern` of a value a writer of `rawValues` named (an address's number, or a place in the batch's list). */
function rawId(raw: RawValueList, id: number, intern: StringIntern, isInterface: boolean): number {
  if (id >>> 24 !== OTHER_TOP) return id;
  const place = id & 0xffffff;
  return intern.idOfUnits(raw.units, place === 0 ? 0 : raw.ends[place - 1], raw.ends[place], isInterface);
}

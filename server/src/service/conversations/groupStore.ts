/**
 * The pairing state as columns (laid out in groupColumns.ts): groups (a conversation's records on
 * every interface), their hops (one per interface), each hop's two directions and each
 * direction's record places, every one a row number into growable typed arrays, with addresses
 * and interfaces as interned ids. A 50 MB log's 400,000 groups are a few dozen arrays, not a
 * million objects for the garbage collector to walk. Rows freed by a stream are reused.
 * `materialize` makes the object form (group.ts) of one group when a hover, the report or a
 * closing stream judges it.
 */
import { Action } from './flowRecord';
import { GroupColumns } from './groupColumns';
import { PLACE_STRIDE, type DirectionState, type Group, type HopState } from './group';
import { StringIntern, type SealedIntern } from './intern';
import type { RecordCells } from './recordCells';

export const GroupFlag = { Open: 1, Joined: 2, AnyReject: 4, AnyAccept: 8, NatKeys: 16 } as const;
export const DirAction = { Accepted: 1, Rejected: 2 } as const;
const NONE = -1;

/** Whether record (line, record) comes before (otherLine, otherRecord) in the document. */
function before(line: number, record: number, otherLine: number, otherRecord: number): boolean {
  return line < otherLine || (line === otherLine && record < otherRecord);
}

/** A finished document's store as plain arrays and numbers, to be moved to another thread (`GroupStore.fromParts`). */
export interface StoreParts {
  columns: Record<string, Float64Array | Int32Array | Uint8Array>;
  counters: Record<string, number>;
  keepLines: boolean;
  intern: SealedIntern;
}

export class GroupStore extends GroupColumns {
  readonly intern: StringIntern;
  private groupCount = 0;
  /** Freed rows, linked through a column they no longer need (a group's firstHop, a hop's next, a direction's places). */
  private freeGroup = NONE;
  private hopCount = 0;
  private freeHop = NONE;
  private dirCount = 0;
  private freeDir = NONE;
  private placeCount = 0;
  private freePlace = NONE;

  /** `countHolders` false: a document, whose ids are never given back (StringIntern). `capacity`: rows to make room for at once (a document's line count: records are at most one a line, JSON lines aside). */
  constructor(readonly keepLines: boolean, capacity = 1024, countHolders = true) {
    super(capacity);
    this.intern = new StringIntern(capacity, countHolders);
  }

  /** Rows made so far (freed ones included): a document's groups are rows 0 … rowCount − 1, in the order made. */
  get rowCount(): number {
    return this.groupCount;
  }

  /** The store as parts (after `intern.seal()`: a finished document's); its arrays are the receiver's afterwards. */
  toParts(): StoreParts {
    const columns: StoreParts['columns'] = {};
    const counters: StoreParts['counters'] = {};
    // Every column and row counter is an own field: the columns are typed arrays, the counters numbers.
    for (const [name, value] of Object.entries(this) as [string, unknown][]) {
      if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint8Array) columns[name] = value;
      else if (typeof value === 'number') counters[name] = value;
    }
    return { columns, counters, keepLines: this.keepLines, intern: this.intern.sealedValues() };
  }

  static fromParts(parts: StoreParts): GroupStore {
    const store = new GroupStore(parts.keepLines, 0, false);
    Object.assign(store, parts.columns, parts.counters, { intern: StringIntern.fromSealed(parts.intern) });
    return store;
  }

  newGroup(protocol: number, a: number, aPort: number, b: number, bPort: number): number {
    let g = this.freeGroup;
    if (g !== NONE) this.freeGroup = this.firstHop[g];
    else {
      g = this.groupCount++;
      if (g === this.flags.length) this.growGroups();
    }
    this.protocol[g] = this.code(protocol);
    this.aAddr[g] = a;
    this.aPort[g] = this.code(aPort);
    this.bAddr[g] = b;
    this.bPort[g] = this.code(bPort);
    this.intern.retain(a);
    this.intern.retain(b);
    this.firstStart[g] = -1;
    this.lastEnd[g] = -1;
    this.natIface[g] = NONE;
    this.firstHop[g] = NONE;
    this.lastHop[g] = NONE;
    this.natOutside[g] = NONE;
    this.flags[g] = GroupFlag.Open;
    return g;
  }

  /** Adds a record to its group: to its interface's hop, in its direction. */
  add(g: number, c: RecordCells, forward: boolean): void {
    const intern = this.intern;
    let h = this.firstHop[g];
    while (h !== NONE && this.hopIface[h] !== c.iface) h = this.hopNext[h];
    if (h === NONE) h = this.newHop(g, c.iface);
    if (c.dst !== c.pktDst) this.markIntermediate(h, c.dst, c.pktDst);
    else if (c.src !== c.pktSrc) this.markIntermediate(h, c.src, c.pktSrc);
    let d = forward ? this.hopForward[h] : this.hopBackward[h];
    if (d === NONE) {
      d = this.newDirection(c);
      if (forward) this.hopForward[h] = d;
      else this.hopBackward[h] = d;
    }
    if (this.keepLines && this.dirRecords[d] > 0) {
      // The first record's place is still (dirLine, dirRecord): it was the only one.
      if (this.dirPlaces[d] === NONE) this.addPlace(d, this.dirLine[d], this.dirRecord[d]);
      this.addPlace(d, c.line, c.record);
    }
    this.dirRecords[d]++;
    if (before(c.line, c.record, this.dirLine[d], this.dirRecord[d])) {
      this.dirLine[d] = c.line;
      this.dirRecord[d] = c.record;
      // Retained before the old ones are released: the same id must not be given back in between.
      const oldSrc = this.dirSrc[d];
      const oldDst = this.dirDst[d];
      intern.retain((this.dirSrc[d] = c.src));
      intern.retain((this.dirDst[d] = c.dst));
      intern.release(oldSrc);
      intern.release(oldDst);
    }
    if (c.action === Action.Accept) {
      this.dirAction[d] |= DirAction.Accepted;
      this.flags[g] |= GroupFlag.AnyAccept;
    } else if (c.action === Action.Reject) {
      this.dirAction[d] |= DirAction.Rejected;
      this.flags[g] |= GroupFlag.AnyReject;
      if (this.dirRejectLine[d] < 0 || before(c.line, c.record, this.dirRejectLine[d], this.dirRejectRecord[d])) {
        this.dirRejectLine[d] = c.line;
        this.dirRejectRecord[d] = c.record;
      }
    }
    // -1 until a record fills the field: a format without it gives null, not 0.
    if (c.packets >= 0) this.dirPackets[d] = Math.max(this.dirPackets[d], 0) + c.packets;
    if (c.bytes >= 0) this.dirBytes[d] = Math.max(this.dirBytes[d], 0) + c.bytes;
    if (c.start >= 0) {
      const dirStart = this.numberOf(this.dirStart[d]);
      if (dirStart < 0 || c.start < dirStart) this.dirStart[d] = this.code(c.start);
      const firstStart = this.numberOf(this.firstStart[g]);
      if (firstStart < 0 || c.start < firstStart) this.firstStart[g] = this.code(c.start);
    }
    if (c.tcpFlags >= 0) {
      const flags = this.numberOf(this.dirFlags[d]);
      this.dirFlags[d] = this.code(flags < 0 ? c.tcpFlags : flags | c.tcpFlags);
    }
    if (c.end > this.numberOf(this.lastEnd[g])) this.lastEnd[g] = this.code(c.end);
  }

  private markIntermediate(h: number, standIn: number, beyond: number): void {
    this.hopIntermediate[h] = 1;
    if (this.hopStandIn[h] === NONE) this.intern.retain((this.hopStandIn[h] = standIn));
    if (this.hopBeyond[h] === NONE) this.intern.retain((this.hopBeyond[h] = beyond));
  }

  private newHop(g: number, iface: number): number {
    let h = this.freeHop;
    if (h !== NONE) this.freeHop = this.hopNext[h];
    else {
      h = this.hopCount++;
      if (h === this.hopIntermediate.length) this.growHops();
    }
    this.intern.retain((this.hopIface[h] = iface));
    this.hopNext[h] = NONE;
    this.hopStandIn[h] = NONE;
    this.hopBeyond[h] = NONE;
    this.hopForward[h] = NONE;
    this.hopBackward[h] = NONE;
    this.hopIntermediate[h] = 0;
    if (this.lastHop[g] === NONE) this.firstHop[g] = h;
    else this.hopNext[this.lastHop[g]] = h;
    this.lastHop[g] = h;
    return h;
  }

  private newDirection(c: RecordCells): number {
    let d = this.freeDir;
    if (d !== NONE) this.freeDir = this.dirPlaces[d];
    else {
      d = this.dirCount++;
      if (d === this.dirLine.length) this.growDirections();
    }
    this.dirLine[d] = c.line;
    this.dirRecord[d] = c.record;
    this.dirRecords[d] = 0;
    this.dirAction[d] = 0;
    this.dirRejectLine[d] = -1;
    this.dirRejectRecord[d] = -1;
    this.intern.retain((this.dirSrc[d] = c.src));
    this.intern.retain((this.dirDst[d] = c.dst));
    this.dirPlaces[d] = NONE;
    this.dirPackets[d] = -1;
    this.dirBytes[d] = -1;
    this.dirStart[d] = -1;
    this.dirFlags[d] = -1;
    return d;
  }

  private addPlace(d: number, line: number, record: number): void {
    let p = this.freePlace;
    if (p !== NONE) this.freePlace = this.placeNext[p];
    else {
      p = this.placeCount++;
      if (p === this.placeLine.length) this.growPlaces();
    }
    this.placeLine[p] = line;
    this.placeRecord[p] = record;
    // Newest first: order does not matter (directionRecords sorts the places).
    this.placeNext[p] = this.dirPlaces[d];
    this.dirPlaces[d] = p;
  }

  /** Gives a closed group's rows back (and its joined NAT outside leg's): a stream reuses them. */
  free(g: number): void {
    const intern = this.intern;
    const outside = this.natOutside[g];
    if (outside !== NONE) this.free(outside);
    for (let h = this.firstHop[g]; h !== NONE; ) {
      if (this.hopForward[h] !== NONE) this.freeDirection(this.hopForward[h]);
      if (this.hopBackward[h] !== NONE) this.freeDirection(this.hopBackward[h]);
      intern.release(this.hopIface[h]);
      if (this.hopStandIn[h] !== NONE) intern.release(this.hopStandIn[h]);
      if (this.hopBeyond[h] !== NONE) intern.release(this.hopBeyond[h]);
      const next = this.hopNext[h];
      this.hopNext[h] = this.freeHop;
      this.freeHop = h;
      h = next;
    }
    intern.release(this.aAddr[g]);
    intern.release(this.bAddr[g]);
    if (this.natIface[g] !== NONE) intern.release(this.natIface[g]);
    this.flags[g] = 0;
    this.firstHop[g] = this.freeGroup;
    this.freeGroup = g;
  }

  private freeDirection(d: number): void {
    this.intern.release(this.dirSrc[d]);
    this.intern.release(this.dirDst[d]);
    let last = this.dirPlaces[d];
    if (last !== NONE) {
      while (this.placeNext[last] !== NONE) last = this.placeNext[last];
      this.placeNext[last] = this.freePlace;
      this.freePlace = this.dirPlaces[d];
    }
    this.dirPlaces[d] = this.freeDir;
    this.freeDir = d;
  }

  /** The line of the group's first record (not of a joined outside leg). */
  firstLine(g: number): number {
    let line = Number.MAX_SAFE_INTEGER;
    for (let h = this.firstHop[g]; h !== NONE; h = this.hopNext[h]) {
      const f = this.hopForward[h];
      const b = this.hopBackward[h];
      if (f !== NONE && this.dirLine[f] < line) line = this.dirLine[f];
      if (b !== NONE && this.dirLine[b] < line) line = this.dirLine[b];
    }
    return line;
  }

  /** The groups not joined to another, in the order of their first lines (those with the same first line in the order given). */
  byFirstLine(groups: number[]): number[] {
    const kept: number[] = [];
    const lines: number[] = [];
    for (const g of groups) {
      if ((this.flags[g] & GroupFlag.Joined) !== 0) continue;
      // Insertion: a batch a stream closes is a few groups, mostly in line order already.
      const line = this.firstLine(g);
      let at = kept.length;
      while (at > 0 && lines[at - 1] > line) at--;
      if (at === kept.length) {
        kept.push(g);
        lines.push(line);
      } else if (kept.length > 32) {
        return this.sortedByFirstLine(groups);
      } else {
        kept.splice(at, 0, g);
        lines.splice(at, 0, line);
      }
    }
    return kept;
  }

  /** byFirstLine of a large batch out of order (the end of a stream): sorted once. */
  private sortedByFirstLine(groups: number[]): number[] {
    const kept = groups.filter((g) => (this.flags[g] & GroupFlag.Joined) === 0);
    const lines = new Map<number, number>();
    for (const g of kept) lines.set(g, this.firstLine(g));
    return kept.sort((x, y) => (lines.get(x) as number) - (lines.get(y) as number));
  }

  /** Directions logged in the group, its joined outside leg's included. */
  directions(g: number): number {
    let n = this.natOutside[g] === NONE ? 0 : this.directions(this.natOutside[g]);
    for (let h = this.firstHop[g]; h !== NONE; h = this.hopNext[h]) n += (this.hopForward[h] === NONE ? 0 : 1) + (this.hopBackward[h] === NONE ? 0 : 1);
    return n;
  }

  hops(g: number): number {
    let n = 0;
    for (let h = this.firstHop[g]; h !== NONE; h = this.hopNext[h]) n++;
    return n;
  }

  /** How many conversations the group makes (verdict.ts conversationCount), without making them. */
  conversationCount(g: number): number {
    if (this.natOutside[g] !== NONE) return 1;
    let n = 0;
    for (let h = this.firstHop[g]; h !== NONE; h = this.hopNext[h]) {
      if (this.hopIntermediate[h]) return 1;
      n++;
    }
    return n;
  }

  /** Calls `visit` with every record place of the group, its joined outside leg's included. */
  forEachPlace(g: number, visit: (line: number, record: number) => void): void {
    for (let h = this.firstHop[g]; h !== NONE; h = this.hopNext[h]) {
      this.forEachDirectionPlace(this.hopForward[h], visit);
      this.forEachDirectionPlace(this.hopBackward[h], visit);
    }
    if (this.natOutside[g] !== NONE) this.forEachPlace(this.natOutside[g], visit);
  }

  private forEachDirectionPlace(d: number, visit: (line: number, record: number) => void): void {
    if (d === NONE) return;
    // Without kept lines a direction knows its first record only.
    if (this.dirPlaces[d] === NONE) visit(this.dirLine[d], this.dirRecord[d]);
    for (let p = this.dirPlaces[d]; p !== NONE; p = this.placeNext[p]) visit(this.placeLine[p], this.placeRecord[p]);
  }

  /** The object form of a group, as verdict.ts judges it. */
  materialize(g: number): Group {
    const intern = this.intern;
    const hops: HopState[] = [];
    for (let h = this.firstHop[g]; h !== NONE; h = this.hopNext[h]) {
      hops.push({
        interfaceId: intern.value(this.hopIface[h]),
        intermediate: this.hopIntermediate[h] === 1,
        standIn: this.hopStandIn[h] === NONE ? null : intern.value(this.hopStandIn[h]),
        beyond: this.hopBeyond[h] === NONE ? null : intern.value(this.hopBeyond[h]),
        forward: this.direction(this.hopForward[h]),
        backward: this.direction(this.hopBackward[h]),
      });
    }
    const flags = this.flags[g];
    const outside = this.natOutside[g];
    return {
      protocol: this.numberOf(this.protocol[g]),
      aAddr: intern.value(this.aAddr[g]),
      aPort: this.numberOf(this.aPort[g]),
      bAddr: intern.value(this.bAddr[g]),
      bPort: this.numberOf(this.bPort[g]),
      hops,
      firstStart: this.numberOf(this.firstStart[g]),
      lastEnd: this.numberOf(this.lastEnd[g]),
      natOutside: outside === NONE ? null : this.materialize(outside),
      joined: (flags & GroupFlag.Joined) !== 0,
      anyReject: (flags & GroupFlag.AnyReject) !== 0,
      anyAccept: (flags & GroupFlag.AnyAccept) !== 0,
    };
  }

  private direction(d: number): DirectionState | null {
    if (d === NONE) return null;
    let places: number[] | null = null;
    if (this.keepLines) {
      places = this.dirPlaces[d] === NONE ? [this.dirLine[d] * PLACE_STRIDE + this.dirRecord[d]] : [];
      for (let p = this.dirPlaces[d]; p !== NONE; p = this.placeNext[p]) places.push(this.placeLine[p] * PLACE_STRIDE + this.placeRecord[p]);
    }
    return {
      line: this.dirLine[d],
      record: this.dirRecord[d],
      places,
      records: this.dirRecords[d],
      accepted: this.dirAction[d] & DirAction.Accepted,
      rejected: this.dirAction[d] & DirAction.Rejected,
      rejectLine: this.dirRejectLine[d],
      rejectRecord: this.dirRejectRecord[d],
      packets: this.dirPackets[d],
      bytes: this.dirBytes[d],
      start: this.numberOf(this.dirStart[d]),
      tcpFlags: this.numberOf(this.dirFlags[d]),
      srcaddr: this.intern.value(this.dirSrc[d]),
      dstaddr: this.intern.value(this.dirDst[d]),
    };
  }
}

/**
 * The pairing state as columns (laid out in groupColumns.ts): groups (a conversation's records on
 * every interface), their hops (one per interface), each hop's two directions and each
 * direction's record places, every one a row number into growable typed arrays, with addresses
 * and interfaces as interned ids. A 50 MB log's 400,000 groups are a few dozen arrays, not a
 * million objects for the garbage collector to walk. Rows freed by a stream are reused.
 * groupObjects.ts makes the object form of one group when a hover, the report or a closing stream
 * judges it.
 */
import { Action } from './flowRecord';
import { GroupColumns, NO_ROW } from './groupColumns';
import { StringIntern, type SealedIntern } from './intern';
import type { RecordCells } from './recordCells';

/** Bits of a group's flags; NatKeys: its natIface is set, HasOutside: its natOutside. */
export const GroupFlag = { Open: 1, Joined: 2, AnyReject: 4, AnyAccept: 8, NatKeys: 16, HasOutside: 32 } as const;
/**
 * Bits of a direction's dirAction. Flagged: its dirFlags are set; Further: its dirRecord (else 0);
 * OwnAddresses: its dirSrc and dirDst (else they are the key's: a record without NAT names the
 * addresses its packets carry); RejectAtFirst: its first record is its first rejected one (else,
 * when Rejected, dirRejectLine and dirRejectRecord place that one); Several: dirRecords counts its
 * records (else it has one).
 */
export const DirAction = { Accepted: 1, Rejected: 2, Flagged: 4, Further: 8, OwnAddresses: 16, RejectAtFirst: 32, Several: 64 } as const;
/**
 * Bits of a hop's hopBits: Intermediate (hopStandIn and hopBeyond are set), Forward and Backward
 * (it has that direction), FirstBackward (its first direction made, in hopFirstDir, is b → a).
 */
export const HopBit = { Intermediate: 1, Forward: 2, Backward: 4, FirstBackward: 8 } as const;
const NONE = -1;
/** What `outsideOf` gives for a group with no joined outside leg. */
export const NO_GROUP = NONE;

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
  private hopCount = NO_ROW + 1;
  private freeHop = NO_ROW;
  private dirCount = NO_ROW + 1;
  private freeDir = NO_ROW;
  private placeCount = NO_ROW + 1;
  private freePlace = NO_ROW;

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
    if (g !== NONE) {
      // A fresh row is all zeros already; a freed one is cleared where zero means none.
      this.freeGroup = this.firstHop[g];
      this.firstHop[g] = NO_ROW;
    } else {
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
    this.flags[g] = GroupFlag.Open;
    return g;
  }

  /** The group of the NAT outside leg joined to `g`; NONE when none is. */
  outsideOf(g: number): number {
    return (this.flags[g] & GroupFlag.HasOutside) === 0 ? NONE : this.natOutside[g];
  }

  joinOutside(g: number, outside: number): void {
    this.natOutside[g] = outside;
    this.flags[g] |= GroupFlag.HasOutside;
  }

  /** The hop's direction a → b (`forward`) or b → a; NO_ROW when it has no record. */
  directionOf(h: number, forward: boolean): number {
    const bits = this.hopBits[h];
    if ((bits & (forward ? HopBit.Forward : HopBit.Backward)) === 0) return NO_ROW;
    // The first direction made is in hopFirstDir: a hop of one record fills one column, not two.
    return ((bits & HopBit.FirstBackward) !== 0) !== forward ? this.hopFirstDir[h] : this.hopSecondDir[h];
  }

  /** The index of direction d's first record in its line (0 but for a JSON line's further records). */
  recordOf(d: number): number {
    return (this.dirAction[d] & DirAction.Further) === 0 ? 0 : this.dirRecord[d];
  }

  /** The source address of direction d's first record, d being group g's `forward` (a → b) direction or not. */
  srcOf(g: number, d: number, forward: boolean): number {
    if ((this.dirAction[d] & DirAction.OwnAddresses) !== 0) return this.dirSrc[d];
    return forward ? this.aAddr[g] : this.bAddr[g];
  }

  dstOf(g: number, d: number, forward: boolean): number {
    if ((this.dirAction[d] & DirAction.OwnAddresses) !== 0) return this.dirDst[d];
    return forward ? this.bAddr[g] : this.aAddr[g];
  }

  /** How many records direction d has. */
  recordsOf(d: number): number {
    return (this.dirAction[d] & DirAction.Several) === 0 ? 1 : this.dirRecords[d];
  }

  /** The line of direction d's first rejected record (-1: none was rejected). */
  rejectLineOf(d: number): number {
    const action = this.dirAction[d];
    if ((action & DirAction.Rejected) === 0) return -1;
    return (action & DirAction.RejectAtFirst) !== 0 ? this.dirLine[d] : this.dirRejectLine[d];
  }

  rejectRecordOf(d: number): number {
    const action = this.dirAction[d];
    if ((action & DirAction.Rejected) === 0) return -1;
    return (action & DirAction.RejectAtFirst) !== 0 ? this.recordOf(d) : this.dirRejectRecord[d];
  }

  /** The TCP flags seen in direction `d` (ORed); -1 when none was. */
  tcpFlagsOf(d: number): number {
    return (this.dirAction[d] & DirAction.Flagged) === 0 ? -1 : this.numberOf(this.dirFlags[d]);
  }

  /** Adds a record to its group: to its interface's hop, in its direction. */
  add(g: number, c: RecordCells, forward: boolean): void {
    let h = this.firstHop[g];
    let last = NO_ROW;
    while (h !== NO_ROW && this.hopIface[h] !== c.iface) {
      last = h;
      h = this.hopNext[h];
    }
    if (h === NO_ROW) h = this.newHop(g, last, c.iface);
    if (c.dst !== c.pktDst) this.markIntermediate(h, c.dst, c.pktDst);
    else if (c.src !== c.pktSrc) this.markIntermediate(h, c.src, c.pktSrc);
    let d = this.directionOf(h, forward);
    // Whether c is (now) the direction's first record.
    let first = true;
    if (d === NO_ROW) {
      d = this.newDirection(c);
      const bits = this.hopBits[h];
      if ((bits & (HopBit.Forward | HopBit.Backward)) === 0) {
        this.hopFirstDir[h] = d;
        this.hopBits[h] = bits | (forward ? HopBit.Forward : HopBit.Backward | HopBit.FirstBackward);
      } else {
        this.hopSecondDir[h] = d;
        this.hopBits[h] = bits | (forward ? HopBit.Forward : HopBit.Backward);
      }
    } else {
      if (this.keepLines) {
        // The first record's place is still (dirLine, dirRecord): it was the only one.
        if (this.dirPlaces[d] === NO_ROW) this.addPlace(d, this.dirLine[d], this.recordOf(d));
        this.addPlace(d, c.line, c.record);
      }
      first = before(c.line, c.record, this.dirLine[d], this.recordOf(d));
      if (first) this.moveFirst(d, c);
      this.dirRecords[d] = this.recordsOf(d) + 1;
      this.dirAction[d] |= DirAction.Several;
    }
    if (c.action === Action.Accept) {
      this.dirAction[d] |= DirAction.Accepted;
      this.flags[g] |= GroupFlag.AnyAccept;
    } else if (c.action === Action.Reject) {
      this.flags[g] |= GroupFlag.AnyReject;
      const action = this.dirAction[d];
      // The first record is the earliest of all: once it is rejected, no other reject place is kept.
      if (first) this.dirAction[d] |= DirAction.Rejected | DirAction.RejectAtFirst;
      else if ((action & DirAction.Rejected) === 0 || ((action & DirAction.RejectAtFirst) === 0 && before(c.line, c.record, this.dirRejectLine[d], this.dirRejectRecord[d]))) {
        this.setRejectPlace(d, c.line, c.record);
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
      const flags = this.tcpFlagsOf(d);
      this.dirFlags[d] = this.code(flags < 0 ? c.tcpFlags : flags | c.tcpFlags);
      this.dirAction[d] |= DirAction.Flagged;
    }
    if (c.end > this.numberOf(this.lastEnd[g])) this.lastEnd[g] = this.code(c.end);
  }

  /** Record c, earlier in the document than direction d's first, becomes its first. */
  private moveFirst(d: number, c: RecordCells): void {
    // A rejected first record that stops being the first is the place of the first reject.
    if ((this.dirAction[d] & DirAction.RejectAtFirst) !== 0) this.setRejectPlace(d, this.dirLine[d], this.recordOf(d));
    const own = (this.dirAction[d] & DirAction.OwnAddresses) !== 0;
    const oldSrc = this.dirSrc[d];
    const oldDst = this.dirDst[d];
    this.dirLine[d] = c.line;
    this.setRecord(d, c.record);
    // Retained before the old ones are released: the same id must not be given back in between.
    this.setAddresses(d, c);
    if (own) {
      this.intern.release(oldSrc);
      this.intern.release(oldDst);
    }
  }

  private setRejectPlace(d: number, line: number, record: number): void {
    this.dirRejectLine[d] = line;
    this.dirRejectRecord[d] = record;
    this.dirAction[d] = (this.dirAction[d] | DirAction.Rejected) & ~DirAction.RejectAtFirst;
  }

  /** Direction d's addresses are record c's: kept only when they are not the key's. */
  private setAddresses(d: number, c: RecordCells): void {
    if (c.src === c.pktSrc && c.dst === c.pktDst) {
      this.dirAction[d] &= ~DirAction.OwnAddresses;
      return;
    }
    this.intern.retain((this.dirSrc[d] = c.src));
    this.intern.retain((this.dirDst[d] = c.dst));
    this.dirAction[d] |= DirAction.OwnAddresses;
  }

  private setRecord(d: number, record: number): void {
    if (record === 0) {
      this.dirAction[d] &= ~DirAction.Further;
    } else {
      this.dirRecord[d] = record;
      this.dirAction[d] |= DirAction.Further;
    }
  }

  /** The hop's first record that names the gateway and the host beyond it decides them. */
  private markIntermediate(h: number, standIn: number, beyond: number): void {
    if ((this.hopBits[h] & HopBit.Intermediate) !== 0) return;
    this.hopBits[h] |= HopBit.Intermediate;
    this.intern.retain((this.hopStandIn[h] = standIn));
    this.intern.retain((this.hopBeyond[h] = beyond));
  }

  /** A new hop of group g after hop `last` (NO_ROW: its first). */
  private newHop(g: number, last: number, iface: number): number {
    let h = this.freeHop;
    if (h !== NO_ROW) {
      this.freeHop = this.hopNext[h];
      this.hopNext[h] = NO_ROW;
      this.hopBits[h] = 0;
    } else {
      h = this.hopCount++;
      if (h === this.hopBits.length) this.growHops();
    }
    this.intern.retain((this.hopIface[h] = iface));
    if (last === NO_ROW) this.firstHop[g] = h;
    else this.hopNext[last] = h;
    return h;
  }

  private newDirection(c: RecordCells): number {
    let d = this.freeDir;
    if (d !== NO_ROW) {
      this.freeDir = this.dirPlaces[d];
      this.dirPlaces[d] = NO_ROW;
    } else {
      d = this.dirCount++;
      if (d === this.dirLine.length) this.growDirections();
    }
    this.dirLine[d] = c.line;
    this.dirAction[d] = 0;
    this.setRecord(d, c.record);
    this.setAddresses(d, c);
    this.dirPackets[d] = -1;
    this.dirBytes[d] = -1;
    this.dirStart[d] = -1;
    return d;
  }

  private addPlace(d: number, line: number, record: number): void {
    let p = this.freePlace;
    if (p !== NO_ROW) this.freePlace = this.placeNext[p];
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
    const outside = this.outsideOf(g);
    if (outside !== NONE) this.free(outside);
    for (let h = this.firstHop[g]; h !== NO_ROW; ) {
      const forward = this.directionOf(h, true);
      const backward = this.directionOf(h, false);
      if (forward !== NO_ROW) this.freeDirection(forward);
      if (backward !== NO_ROW) this.freeDirection(backward);
      intern.release(this.hopIface[h]);
      if ((this.hopBits[h] & HopBit.Intermediate) !== 0) {
        intern.release(this.hopStandIn[h]);
        intern.release(this.hopBeyond[h]);
      }
      const next = this.hopNext[h];
      this.hopNext[h] = this.freeHop;
      this.freeHop = h;
      h = next;
    }
    intern.release(this.aAddr[g]);
    intern.release(this.bAddr[g]);
    if ((this.flags[g] & GroupFlag.NatKeys) !== 0) intern.release(this.natIface[g]);
    this.flags[g] = 0;
    this.firstHop[g] = this.freeGroup;
    this.freeGroup = g;
  }

  private freeDirection(d: number): void {
    if ((this.dirAction[d] & DirAction.OwnAddresses) !== 0) {
      this.intern.release(this.dirSrc[d]);
      this.intern.release(this.dirDst[d]);
    }
    let last = this.dirPlaces[d];
    if (last !== NO_ROW) {
      while (this.placeNext[last] !== NO_ROW) last = this.placeNext[last];
      this.placeNext[last] = this.freePlace;
      this.freePlace = this.dirPlaces[d];
    }
    this.dirPlaces[d] = this.freeDir;
    this.freeDir = d;
  }

  /** The line of the group's first record (not of a joined outside leg). */
  firstLine(g: number): number {
    let line = Number.MAX_SAFE_INTEGER;
    for (let h = this.firstHop[g]; h !== NO_ROW; h = this.hopNext[h]) {
      const f = this.directionOf(h, true);
      const b = this.directionOf(h, false);
      if (f !== NO_ROW && this.dirLine[f] < line) line = this.dirLine[f];
      if (b !== NO_ROW && this.dirLine[b] < line) line = this.dirLine[b];
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
    const outside = this.outsideOf(g);
    let n = outside === NONE ? 0 : this.directions(outside);
    for (let h = this.firstHop[g]; h !== NO_ROW; h = this.hopNext[h]) n += (this.hopBits[h] & HopBit.Forward ? 1 : 0) + (this.hopBits[h] & HopBit.Backward ? 1 : 0);
    return n;
  }

  hops(g: number): number {
    let n = 0;
    for (let h = this.firstHop[g]; h !== NO_ROW; h = this.hopNext[h]) n++;
    return n;
  }

  /** How many conversations the group makes (verdict.ts conversationCount), without making them. */
  conversationCount(g: number): number {
    if (this.outsideOf(g) !== NONE) return 1;
    let n = 0;
    for (let h = this.firstHop[g]; h !== NO_ROW; h = this.hopNext[h]) {
      if ((this.hopBits[h] & HopBit.Intermediate) !== 0) return 1;
      n++;
    }
    return n;
  }

  /** Calls `visit` with every record place of the group, its joined outside leg's included. */
  forEachPlace(g: number, visit: (line: number, record: number) => void): void {
    for (let h = this.firstHop[g]; h !== NO_ROW; h = this.hopNext[h]) {
      this.forEachDirectionPlace(this.directionOf(h, true), visit);
      this.forEachDirectionPlace(this.directionOf(h, false), visit);
    }
    if (this.outsideOf(g) !== NONE) this.forEachPlace(this.outsideOf(g), visit);
  }

  private forEachDirectionPlace(d: number, visit: (line: number, record: number) => void): void {
    if (d === NO_ROW) return;
    // Without kept lines a direction knows its first record only.
    if ((this.dirAction[d] & DirAction.Several) === 0 || this.dirPlaces[d] === NO_ROW) {
      visit(this.dirLine[d], this.recordOf(d));
      return;
    }
    for (let p = this.dirPlaces[d]; p !== NO_ROW; p = this.placeNext[p]) visit(this.placeLine[p], this.placeRecord[p]);
  }
}

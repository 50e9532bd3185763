/**
 * Pairing as records arrive, for a whole document or a stream of any length.
 *
 * Records join the open conversation of their key (protocol and packet-level address/port pair)
 * when their window overlaps it or follows within the aggregation interval; otherwise they start
 * a new one. In streaming mode a conversation is closed once the stream's clock (the latest start
 * seen) is past its end by twice the longest aggregation interval (records of one interval arrive
 * out of order), and the least recently used ones are closed when more than `maxOpen` are open,
 * so memory stays bounded whatever the input. A document keeps every conversation open until
 * `finish`, so the order of its records does not matter.
 *
 * A NAT gateway's inside leg (instance ↔ gateway, with pkt-dstaddr beyond the gateway) is joined
 * to the gateway's own flow to the remote host on the same interface when exactly one such flow
 * matches, so a NAT'd flow is one conversation, not two.
 *
 * The state is columnar (groupStore.ts, pairingTables.ts): a record is read into numbers and
 * interned ids, found a group by a typed-array hash, and summed into typed-array rows; no object
 * is made per record or per group. A closing group is made into objects only to be judged.
 */
import type { FlowLogFormat } from '../formatModel';
import { TokenBuffer } from '../scan';
import { CellQueue, type MadeKey } from './cellQueue';
import { Action, pairingColumns, type FlowRecord, type PairingColumns } from './flowRecord';
import { NO_ROW } from './groupColumns';
import { GroupFlag, GroupStore, HopBit } from './groupStore';
import type { Conversation } from './model';
import { KeyChains, NatCandidates } from './pairingTables';
import { OpenGroups } from './openGroups';
import { cellsOf, readCells, readProvenCells, readTokenCells, type RecordCells } from './recordCells';
import { materialize } from './groupObjects';
import { toConversations } from './verdict';
import type { BuilderOptions, CellSource, FinishedGroups } from './builderTypes';

export type { BuilderOptions, CellSource, FinishedGroups } from './builderTypes';

/** The longest aggregation interval AWS offers (10 minutes), in seconds. */
export const AGGREGATION_INTERVAL = 600;
/** Most conversations a stream keeps open. */
export const DEFAULT_MAX_OPEN = 100_000;
/** Most closed conversations held back while the log shows no ACCEPT yet (see `one-way-log`). */
export const MAX_HELD = 20_000;

const NONE = -1;

/** The passes of a document's end (`finishGroups`). */
const enum Pass {
  Candidates,
  Join,
  Keep,
}

export class ConversationBuilder {
  private readonly store: GroupStore;
  private readonly keys: KeyChains;
  /** A stream's from its first candidate; a document's made at its end, when the joins need them (`endLookups`). */
  private nat: NatCandidates;
  /**
   * A stream's open groups, least recently used first. A document has none: its groups are its
   * rows in the order made (the order of first lines), all open until its end (`documentOpen`).
   */
  private readonly openGroups: OpenGroups | undefined;
  private documentOpen = 0;
  /** Groups that are NAT candidates (NatKeys), for sizing a document's table of them. */
  private natKeyGroups = 0;
  /** A document's end began: the key lookups were released, groups leave no table when closed. */
  private lookupsEnded = false;
  /** Closed groups with a REJECT and no ACCEPT, held while the log has shown no ACCEPT. */
  private held: number[] = [];
  private clock = -1;
  private sawAccept = false;
  /** Records read and not paired yet: paired a batch at a time (cellQueue.ts), before anything reads the state. */
  private readonly queue = new CellQueue();
  /** What the batches' look-ahead reads of the key table came to: kept, so the reads are not optimised away. */
  private touched = 0;
  private readonly tokens = new TokenBuffer();
  private streamLine = -1;
  private streamRecord = 0;
  private readonly streaming: boolean;
  private readonly maxOpen: number;
  private readonly onlyRejected: boolean;
  private readonly onlyRepliesRejected: boolean;

  constructor(private readonly emit: (conversation: Conversation) => void, options: BuilderOptions = {}) {
    this.streaming = options.streaming ?? false;
    const capacity = Math.max(1024, options.capacity ?? 0);
    this.store = new GroupStore(options.keepLines ?? false, capacity, this.streaming);
    this.keys = new KeyChains(this.store, capacity, this.streaming);
    this.openGroups = this.streaming ? new OpenGroups(capacity) : undefined;
    this.nat = new NatCandidates(this.store, capacity);
    this.maxOpen = options.maxOpen ?? DEFAULT_MAX_OPEN;
    this.onlyRejected = options.onlyRejected ?? false;
    this.onlyRepliesRejected = options.onlyRepliesRejected ?? false;
  }

  get openCount(): number {
    this.drain();
    return this.openGroups ? this.openGroups.count : this.documentOpen;
  }

  /** Adds a record already read as a FlowRecord (tests, the summary's verdict counts). */
  add(record: FlowRecord): void {
    cellsOf(record, this.store.intern, this.queue.free);
    this.enqueue();
  }

  /**
   * Reads and adds the record in text[start, end) (record `record` of `line`), without a string or
   * an object per record; false when it cannot be paired (`tokens.count` then says whether its
   * field count was the format's).
   */
  addText(text: string, start: number, end: number, line: number, record: number, columns: PairingColumns, tokens: TokenBuffer): boolean {
    if (!readCells(text, start, end, line, record, columns, tokens, this.store.intern, this.queue.free)) return false;
    this.enqueue();
    return true;
  }

  /** Adds record `record` of `line`, already scanned into `tokens` (validation's scan); false when it cannot be paired. */
  addTokens(text: string, tokens: TokenBuffer, line: number, record: number, columns: PairingColumns): boolean {
    if (!readTokenCells(text, line, record, columns, tokens, this.store.intern, this.queue.free)) return false;
    this.enqueue();
    return true;
  }

  /** Adds the record line validation's fast path just proved clean (fastPath.ts `provenCells`, offsets from `base`). */
  addProven(text: string, base: number, line: number, columns: PairingColumns): boolean {
    if (!readProvenCells(text, base, line, columns, this.store.intern, this.queue.free)) return false;
    this.enqueue();
    return true;
  }

  /** Adds a record read elsewhere (the CLI's worker threads: cli/cellBuffer.ts), written into the cells given with ids of this builder's intern; false when it cannot be paired. */
  addFrom(source: CellSource): boolean {
    if (!source.readInto(this.queue.free, this.store.intern)) return false;
    this.enqueue(source.keyMade ? source : undefined);
    return true;
  }

  /**
   * A record as a stream hands it over (`FlowLogStream`'s `recordText`: a record line, or each
   * message of a JSON line in turn, numbered as the editor numbers them); returns whether its field
   * count was its format's (true for a format that cannot pair).
   */
  addStreamed(text: string, start: number, end: number, format: FlowLogFormat, line: number): boolean {
    this.streamRecord = line === this.streamLine ? this.streamRecord + 1 : 0;
    this.streamLine = line;
    const columns = pairingColumns(format);
    if (!columns) return true;
    this.addText(text, start, end, line, this.streamRecord, columns, this.tokens);
    return this.tokens.count === columns.fieldCount;
  }

  /** Queues the record just read into the queue's free cells (its key made elsewhere: `made`); pairs the batch once it is full. */
  private enqueue(made?: MadeKey): void {
    const queue = this.queue;
    if (this.streaming) {
      // Held while queued: pairing the records before it may close the last group holding one of its ids.
      const c = queue.free;
      const intern = this.store.intern;
      intern.retain(c.iface);
      intern.retain(c.src);
      intern.retain(c.dst);
      intern.retain(c.pktSrc);
      intern.retain(c.pktDst);
    }
    if (made ? queue.pushMade(made) : queue.push(this.store.intern)) this.drain();
  }

  /** Pairs the queued records, in the order they came. */
  drain(): void {
    const queue = this.queue;
    const n = queue.count;
    if (n === 0) return;
    queue.count = 0;
    let touched = this.touched;
    for (let i = 0; i < n; i++) touched ^= this.keys.touch(queue.hash[i]);
    this.touched = touched;
    for (let i = 0; i < n; i++) this.addCells(queue, i);
  }

  private addCells(queue: CellQueue, i: number): void {
    const c = queue.cells[i];
    const store = this.store;
    const a = queue.a[i];
    const b = queue.b[i];
    const aPort = queue.aPort[i];
    const bPort = queue.bPort[i];
    const forward = queue.forward[i] === 1;
    const first = this.keys.first(queue.hash[i], c.protocol, a, aPort, b, bPort);
    let g = first;
    let last = NONE;
    while (g !== NONE && !this.fits(c, g)) {
      last = g;
      g = this.keys.nextOf(g);
    }
    if (g === NONE) {
      g = store.newGroup(c.protocol, a, aPort, b, bPort);
      this.keys.append(g, first, last);
      if (c.packetAddresses && c.pktSrc === c.src && c.pktDst === c.dst) {
        store.natIface[g] = c.iface;
        store.intern.retain(c.iface);
        store.flags[g] |= GroupFlag.NatKeys;
        this.natKeyGroups++;
        if (this.streaming) this.nat.add(g);
      }
      if (this.openGroups) this.openGroups.link(g);
      else this.documentOpen++;
    } else if (this.openGroups && g !== this.openGroups.newest) {
      // Least recently used first: a touched group moves to the end.
      this.openGroups.unlink(g);
      this.openGroups.link(g);
    }
    store.add(g, c, forward);
    // After the record took its ids: releasing frees rows, and an id nobody held would be given back.
    if (c.action === Action.Accept && !this.sawAccept) {
      this.sawAccept = true;
      this.releaseHeld();
    }
    if (!this.streaming) return;
    // Ids this record brought that no row took are given back (enqueue held them).
    const intern = store.intern;
    intern.release(c.iface);
    intern.release(c.src);
    intern.release(c.dst);
    intern.release(c.pktSrc);
    intern.release(c.pktDst);
    const clockMoved = c.start > this.clock;
    if (clockMoved) this.clock = c.start;
    if (clockMoved || (this.openGroups as OpenGroups).count > this.maxOpen) this.closeDue();
  }

  /** Whether the record in `cells` belongs to an open group: windows overlap or follow within the aggregation interval. */
  private fits(c: RecordCells, g: number): boolean {
    const store = this.store;
    const lastEnd = store.numberOf(store.lastEnd[g]);
    if (c.start < 0 || lastEnd < 0) return true;
    const end = c.end >= 0 ? c.end : c.start;
    return c.start <= lastEnd + AGGREGATION_INTERVAL && end + AGGREGATION_INTERVAL >= store.numberOf(store.firstStart[g]);
  }

  /** Closes every conversation: the end of the document or stream. */
  finish(): void {
    this.drain();
    if (this.openGroups) this.close(this.openGroups.all());
    else {
      this.endLookups();
      const groups: number[] = [];
      for (let g = 0; g < this.store.rowCount; g++) {
        if ((this.store.flags[g] & GroupFlag.NatKeys) !== 0) this.nat.add(g);
        groups.push(g);
      }
      this.close(groups);
    }
    this.releaseHeld();
  }

  /**
   * A document's last record is in: its key lookups go (their memory reused at once), and the
   * NAT candidates, which only the joins read, are filed now, in a table of the right size.
   */
  private endLookups(): void {
    this.keys.release();
    this.lookupsEnded = true;
    this.nat = new NatCandidates(this.store, this.store.rowCount, this.natKeyGroups);
  }

  /**
   * The end of a document, without judging: every group, NAT legs joined, in the order of its
   * first line, and whether the log showed an ACCEPT (`toConversations` judges a group on demand).
   * Done `budget` groups at a time (undefined until done), so a server can answer between; the
   * builder is spent afterwards.
   */
  finishGroups(budget = Number.POSITIVE_INFINITY): FinishedGroups | undefined {
    if (this.streaming) throw new Error('finishGroups is for documents');
    this.drain();
    if (!this.finishing) {
      this.endLookups();
      this.finishing = { cursor: 0, pass: Pass.Candidates, groups: new Int32Array(this.documentOpen), count: 0 };
    }
    const state = this.finishing;
    const store = this.store;
    const rows = store.rowCount;
    // Three passes over the groups in the order made (the order of first lines): file the NAT
    // candidates, join, then keep the unjoined (a joined outside leg is skipped from then on).
    for (let done = 0; done < budget; done++) {
      if (state.cursor === rows) {
        if (state.pass === Pass.Keep) break;
        state.pass++;
        state.cursor = 0;
        continue;
      }
      const g = state.cursor++;
      const flags = store.flags[g];
      if ((flags & GroupFlag.Joined) !== 0) continue;
      if (state.pass === Pass.Candidates) {
        if ((flags & GroupFlag.NatKeys) !== 0) this.nat.add(g);
      } else if (state.pass === Pass.Join) {
        this.joinNatOutside(g);
      } else {
        state.groups[state.count++] = g;
      }
    }
    if (state.pass !== Pass.Keep || state.cursor < rows) return undefined;
    // Spent: the candidates' memory is reused at once (the store and the groups live on).
    this.nat.release();
    store.intern.seal();
    return { store: this.store, groups: state.groups.subarray(0, state.count), logHasAccept: this.sawAccept };
  }

  private finishing: { cursor: number; pass: Pass; groups: Int32Array; count: number } | undefined;

  private joined(g: number): boolean {
    return (this.store.flags[g] & GroupFlag.Joined) !== 0;
  }

  private closeDue(): void {
    const open = this.openGroups as OpenGroups;
    const due: number[] = [];
    let excess = open.count - this.maxOpen;
    const threshold = this.clock - 2 * AGGREGATION_INTERVAL;
    for (let g = open.oldest; g !== NONE; g = open.after(g)) {
      const lastEnd = this.store.numberOf(this.store.lastEnd[g]);
      const passed = lastEnd >= 0 && lastEnd < threshold;
      if (!passed && excess <= 0) break;
      due.push(g);
      excess--;
    }
    if (due.length > 0) this.close(due);
  }

  private close(groups: number[]): void {
    const store = this.store;
    // Join first, so an outside leg closing in the same batch is not emitted on its own.
    for (const g of groups) if (!this.joined(g)) this.joinNatOutside(g);
    for (const g of groups) this.forget(g);
    for (const g of store.byFirstLine(groups)) {
      const flags = store.flags[g];
      if (!this.sawAccept && (flags & GroupFlag.AnyReject) !== 0 && (flags & GroupFlag.AnyAccept) === 0) {
        this.held.push(g);
        if (this.held.length > MAX_HELD) this.releaseHeld();
      } else {
        this.emitGroup(g, true);
      }
    }
  }

  /** Emits the held groups: as rejected requests once an ACCEPT was seen, else as a one-way log. */
  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const g of held) this.emitGroup(g, this.sawAccept);
  }

  /** Conversations closed so far, judged or not (`onlyRejected` leaves most unjudged; `flowlog explain` says how many there were). */
  conversationsClosed = 0;

  /** Judges a closed group and gives its rows back (a stream's `finish` and closing both come here). */
  private emitGroup(g: number, logHasAccept: boolean): void {
    this.conversationsClosed += this.store.conversationCount(g);
    if (this.judged(g)) for (const conversation of toConversations(materialize(this.store, g), { logHasAccept })) this.emit(conversation);
    this.store.free(g);
  }

  private judged(g: number): boolean {
    const store = this.store;
    if (this.onlyRejected || this.onlyRepliesRejected) {
      if ((store.flags[g] & GroupFlag.AnyReject) === 0) return false;
      if (this.onlyRepliesRejected && store.directions(g) < 2) return false;
    }
    return true;
  }

  private forget(g: number): void {
    const store = this.store;
    if ((store.flags[g] & GroupFlag.Open) === 0) return;
    store.flags[g] &= ~GroupFlag.Open;
    if (this.openGroups) this.openGroups.unlink(g);
    else this.documentOpen--;
    // At a document's end the tables are looked in no more (a joined group is skipped by its flag).
    if (this.lookupsEnded) return;
    this.keys.remove(g);
    if ((store.flags[g] & GroupFlag.NatKeys) !== 0) this.nat.remove(g);
  }

  /** Joins a NAT gateway's inside leg to the gateway's own flow to the same remote host, when exactly one matches. */
  private joinNatOutside(g: number): void {
    const store = this.store;
    let hop = store.firstHop[g];
    while (hop !== NO_ROW && (store.hopBits[hop] & HopBit.Intermediate) === 0) hop = store.hopNext[hop];
    if (hop === NO_ROW) return;
    const beyond = store.hopBeyond[hop];
    const remotePort = beyond === store.aAddr[g] ? store.aPort[g] : store.bPort[g];
    let outside = NONE;
    let candidates = 0;
    for (let entry = this.nat.find(store.hopIface[hop], store.protocol[g], store.hopStandIn[hop], beyond, remotePort); entry !== NONE; entry = this.nat.nextOf(entry)) {
      const c = entry >> 1;
      if (c === g || this.joined(c) || store.hops(c) !== 1 || !overlaps(store, c, g)) continue;
      outside = c;
      candidates++;
    }
    if (candidates !== 1) return;
    this.forget(outside);
    store.flags[outside] |= GroupFlag.Joined;
    store.joinOutside(g, outside);
    store.flags[g] |= store.flags[outside] & (GroupFlag.AnyAccept | GroupFlag.AnyReject);
  }
}

function overlaps(store: GroupStore, x: number, y: number): boolean {
  const xs = store.numberOf(store.firstStart[x]);
  const xe = store.numberOf(store.lastEnd[x]);
  const ys = store.numberOf(store.firstStart[y]);
  const ye = store.numberOf(store.lastEnd[y]);
  if (xe < 0 || ye < 0 || xs < 0 || ys < 0) return true;
  return xs <= ye + AGGREGATION_INTERVAL && ys <= xe + AGGREGATION_INTERVAL;
}

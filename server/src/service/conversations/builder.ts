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
 */
import { Action, type FlowRecord } from './flowRecord';
import { addToGroup, endpointsOf, type Group } from './group';
import type { Conversation } from './model';
import { toConversations } from './verdict';

/** The longest aggregation interval AWS offers (10 minutes), in seconds. */
export const AGGREGATION_INTERVAL = 600;
/** Most conversations a stream keeps open. */
export const DEFAULT_MAX_OPEN = 100_000;
/** Most closed conversations held back while the log shows no ACCEPT yet (see `one-way-log`). */
export const MAX_HELD = 20_000;

export interface BuilderOptions {
  /** Close conversations as the stream moves on (default false: a document, closed at `finish`). */
  streaming?: boolean;
  /** Keep every record line (the editor needs them; the CLI keeps the first of each direction). */
  keepLines?: boolean;
  maxOpen?: number;
  /** Emit only conversations with a REJECT (`flowlog lint`: the others are never judged, which saves most of the work). */
  onlyRejected?: boolean;
}

export class ConversationBuilder {
  private readonly open = new Map<string, Group[]>();
  /** Open groups, least recently used first (Set keeps insertion order; a touched group is re-added). */
  private readonly recency = new Set<Group>();
  /** Groups that could be a NAT gateway's own flow: `interface|protocol|local|remote|remote port`. */
  private readonly natCandidates = new Map<string, Group[]>();
  /** Closed groups with a REJECT and no ACCEPT, held while the log has shown no ACCEPT. */
  private held: Group[] = [];
  private clock = -1;
  private sawAccept = false;
  private records = 0;
  private readonly streaming: boolean;
  private readonly keepLines: boolean;
  private readonly maxOpen: number;
  private readonly onlyRejected: boolean;

  constructor(private readonly emit: (conversation: Conversation) => void, options: BuilderOptions = {}) {
    this.streaming = options.streaming ?? false;
    this.keepLines = options.keepLines ?? false;
    this.maxOpen = options.maxOpen ?? DEFAULT_MAX_OPEN;
    this.onlyRejected = options.onlyRejected ?? false;
  }

  get openCount(): number {
    return this.recency.size;
  }

  add(record: FlowRecord): void {
    this.records++;
    if (record.action === Action.Accept && !this.sawAccept) {
      this.sawAccept = true;
      this.releaseHeld();
    }
    const ends = endpointsOf(record);
    const list = this.open.get(ends.key);
    let group = list?.find((g) => fits(g, record));
    if (!group) {
      group = {
        protocol: record.protocol,
        aAddr: ends.aAddr,
        aPort: ends.aPort,
        bAddr: ends.bAddr,
        bPort: ends.bPort,
        hops: [],
        firstStart: -1,
        lastEnd: -1,
        natOutside: null,
        joined: false,
        anyReject: false,
        anyAccept: false,
        key: ends.key,
        natKeys: null,
      };
      if (list) list.push(group);
      else this.open.set(ends.key, [group]);
      if (record.packetAddresses && record.pktSrcaddr === record.srcaddr && record.pktDstaddr === record.dstaddr) {
        group.natKeys = natKeysOf(record.interfaceId, group);
        for (const natKey of group.natKeys) push(this.natCandidates, natKey, group);
      }
      this.recency.add(group);
    } else if (this.streaming) {
      // Least recently used first: a touched group moves to the end. A document keeps creation
      // order, which is the order of first lines (records arrive in line order).
      this.recency.delete(group);
      this.recency.add(group);
    }
    addToGroup(group, record, ends.forward, this.keepLines);
    if (!this.streaming) return;
    const clockMoved = record.start > this.clock;
    if (clockMoved) this.clock = record.start;
    if (clockMoved || this.recency.size > this.maxOpen) this.closeDue();
  }

  /** Closes every conversation: the end of the document or stream. */
  finish(): void {
    this.close([...this.recency]);
    this.releaseHeld();
  }

  /**
   * The end of a document, without judging: every group, NAT legs joined, in the order of its
   * first line, and whether the log showed an ACCEPT (`toConversations` judges a group on demand).
   * The builder is spent afterwards.
   */
  finishGroups(): { groups: Group[]; logHasAccept: boolean } {
    if (this.streaming) throw new Error('finishGroups is for documents');
    const all = [...this.recency];
    for (const group of all) if (!group.joined) this.joinNatOutside(group);
    // In creation order, which is the order of first lines.
    const groups = all.filter((g) => !g.joined);
    this.open.clear();
    this.recency.clear();
    this.natCandidates.clear();
    return { groups, logHasAccept: this.sawAccept };
  }

  private closeDue(): void {
    const due: Group[] = [];
    let excess = this.recency.size - this.maxOpen;
    for (const group of this.recency) {
      const passed = group.lastEnd >= 0 && group.lastEnd + 2 * AGGREGATION_INTERVAL < this.clock;
      if (!passed && excess <= 0) break;
      due.push(group);
      excess--;
    }
    if (due.length > 0) this.close(due);
  }

  private close(groups: Group[]): void {
    // Join first, so an outside leg closing in the same batch is not emitted on its own.
    for (const group of groups) if (!group.joined) this.joinNatOutside(group);
    for (const group of groups) this.forget(group);
    const sorted = groups.filter((g) => !g.joined).sort((x, y) => firstLine(x) - firstLine(y));
    for (const group of sorted) {
      if (!this.sawAccept && group.anyReject && !group.anyAccept) {
        this.held.push(group);
        if (this.held.length > MAX_HELD) this.releaseHeld();
      } else {
        this.emitGroup(group, true);
      }
    }
  }

  /** Emits the held groups: as rejected requests once an ACCEPT was seen, else as a one-way log. */
  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const group of held) this.emitGroup(group, this.sawAccept);
  }

  private emitGroup(group: Group, logHasAccept: boolean): void {
    if (this.onlyRejected && !group.anyReject) return;
    for (const conversation of toConversations(group, { logHasAccept })) this.emit(conversation);
  }

  private forget(group: Group): void {
    if (!this.recency.delete(group)) return;
    remove(this.open, group.key, group);
    for (const natKey of group.natKeys ?? []) remove(this.natCandidates, natKey, group);
  }

  /** Joins a NAT gateway's inside leg to the gateway's own flow to the same remote host, when exactly one matches. */
  private joinNatOutside(group: Group): void {
    const hop = group.hops.find((h) => h.intermediate && h.standIn !== null);
    if (!hop || hop.standIn === null || hop.beyond === null) return;
    const remotePort = hop.beyond === group.aAddr ? group.aPort : group.bPort;
    const natKey = `${hop.interfaceId}|${group.protocol}|${hop.standIn}|${hop.beyond}|${remotePort}`;
    const candidates = (this.natCandidates.get(natKey) ?? []).filter((c) => c !== group && !c.joined && c.hops.length === 1 && overlaps(c, group));
    if (candidates.length !== 1) return;
    const outside = candidates[0];
    this.forget(outside);
    outside.joined = true;
    group.natOutside = outside;
    group.anyAccept ||= outside.anyAccept;
    group.anyReject ||= outside.anyReject;
  }
}

/** Candidate keys of a plain group as a NAT gateway's own flow: either endpoint may be the gateway. */
function natKeysOf(interfaceId: string, group: Group): string[] {
  return [
    `${interfaceId}|${group.protocol}|${group.aAddr}|${group.bAddr}|${group.bPort}`,
    `${interfaceId}|${group.protocol}|${group.bAddr}|${group.aAddr}|${group.aPort}`,
  ];
}

/** Whether a record belongs to an open group: windows overlap or follow within the aggregation interval. */
function fits(group: Group, record: FlowRecord): boolean {
  if (record.start < 0 || group.lastEnd < 0) return true;
  const end = record.end >= 0 ? record.end : record.start;
  return record.start <= group.lastEnd + AGGREGATION_INTERVAL && end + AGGREGATION_INTERVAL >= group.firstStart;
}

function overlaps(x: Group, y: Group): boolean {
  if (x.lastEnd < 0 || y.lastEnd < 0 || x.firstStart < 0 || y.firstStart < 0) return true;
  return x.firstStart <= y.lastEnd + AGGREGATION_INTERVAL && y.firstStart <= x.lastEnd + AGGREGATION_INTERVAL;
}

function firstLine(group: Group): number {
  let line = Number.MAX_SAFE_INTEGER;
  for (const hop of group.hops) {
    if (hop.forward && hop.forward.line < line) line = hop.forward.line;
    if (hop.backward && hop.backward.line < line) line = hop.backward.line;
  }
  return line;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function remove<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) return;
  const at = list.indexOf(value);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) map.delete(key);
}

/** Pairs a whole set of records (tests, small inputs): the document mode of the builder. */
export function pairRecords(records: Iterable<FlowRecord>, keepLines = true): Conversation[] {
  const conversations: Conversation[] = [];
  const builder = new ConversationBuilder((c) => conversations.push(c), { keepLines });
  for (const record of records) builder.add(record);
  builder.finish();
  return conversations.sort((x, y) => firstOf(x) - firstOf(y));
}

function firstOf(conversation: Conversation): number {
  return Math.min(conversation.request?.line ?? Infinity, conversation.response?.line ?? Infinity);
}

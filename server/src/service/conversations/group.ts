/**
 * The state pairing keeps per conversation while records arrive: records grouped by protocol and
 * packet-level address/port pair (both directions), one hop per interface that logged them.
 */
import { protocolHasPorts } from '../../catalog/ports';
import { Action, type FlowRecord } from './flowRecord';
import type { DirectionRecords } from './model';

/** Protocols without ports (ICMP, ICMPv6, GRE, ESP, …): their conversations are the address pair. */
export function portless(protocol: number): boolean {
  return protocol >= 0 && !protocolHasPorts(protocol);
}

/** Direction records while they accumulate (converted to DirectionRecords when closed). */
export interface DirectionState {
  line: number;
  record: number;
  /** Every record's place as `line * PLACE_STRIDE + record` (editor only): one number per record. */
  places: number[] | null;
  records: number;
  accepted: number;
  rejected: number;
  rejectLine: number;
  rejectRecord: number;
  packets: number;
  bytes: number;
  start: number;
  end: number;
  tcpFlags: number;
  srcaddr: string;
  dstaddr: string;
}

export interface HopState {
  interfaceId: string;
  /** pkt-srcaddr/pkt-dstaddr differed from srcaddr/dstaddr on a record of this hop. */
  intermediate: boolean;
  /**
   * On an intermediate hop: the interface's own address that stood in for an endpoint (the NAT
   * gateway's address when this is a NAT gateway's inside leg), and the endpoint it stood in for.
   */
  standIn: string | null;
  beyond: string | null;
  /** a → b and b → a, at packet level. */
  forward: DirectionState | null;
  backward: DirectionState | null;
}

export interface Group {
  protocol: number;
  /** Packet-level endpoints, a before b in key order; port -1 when none. */
  aAddr: string;
  aPort: number;
  bAddr: string;
  bPort: number;
  hops: HopState[];
  firstStart: number;
  lastEnd: number;
  /** A NAT gateway's own flow to the remote host, joined to this inside leg. */
  natOutside: Group | null;
  /** Joined into another group as its NAT outside leg. */
  joined: boolean;
  anyReject: boolean;
  anyAccept: boolean;
  /** Key in the builder's map of open groups, and keys as a candidate NAT gateway flow (null: none). */
  key: string;
  natKeys: string[] | null;
}

/**
 * Records a line may hold as places: far more than a CloudWatch Logs subscription envelope carries
 * (at most 10,000 events), while `line * PLACE_STRIDE` stays an exact number up to 8 billion lines.
 */
export const PLACE_STRIDE = 2 ** 20;

/** A direction's first record as one number that orders records by line, then by their place on the line. */
export function firstPlace(state: DirectionState): number {
  return state.line * PLACE_STRIDE + state.record;
}

/** Whether record (line, record) comes before (otherLine, otherRecord) in the document. */
function before(line: number, record: number, otherLine: number, otherRecord: number): boolean {
  return line < otherLine || (line === otherLine && record < otherRecord);
}

/** Key of a record's conversation: protocol and the unordered packet-level endpoint pair. */
export function endpointsOf(record: FlowRecord): { forward: boolean; aAddr: string; aPort: number; bAddr: string; bPort: number; key: string } {
  const noPorts = portless(record.protocol);
  const srcPort = noPorts ? -1 : record.srcport;
  const dstPort = noPorts ? -1 : record.dstport;
  const src = `${record.pktSrcaddr} ${srcPort}`;
  const dst = `${record.pktDstaddr} ${dstPort}`;
  const forward = src <= dst;
  const key = forward ? `${record.protocol}|${src}|${dst}` : `${record.protocol}|${dst}|${src}`;
  return forward
    ? { forward, aAddr: record.pktSrcaddr, aPort: srcPort, bAddr: record.pktDstaddr, bPort: dstPort, key }
    : { forward, aAddr: record.pktDstaddr, aPort: dstPort, bAddr: record.pktSrcaddr, bPort: srcPort, key };
}

export function newDirection(record: FlowRecord, keepLines: boolean): DirectionState {
  return {
    line: record.line,
    record: record.record,
    places: keepLines ? [] : null,
    records: 0,
    accepted: 0,
    rejected: 0,
    rejectLine: -1,
    rejectRecord: -1,
    packets: -1,
    bytes: -1,
    start: -1,
    end: -1,
    tcpFlags: -1,
    srcaddr: record.srcaddr,
    dstaddr: record.dstaddr,
  };
}

export function addToDirection(state: DirectionState, record: FlowRecord): void {
  state.records++;
  state.places?.push(record.line * PLACE_STRIDE + record.record);
  if (before(record.line, record.record, state.line, state.record)) {
    state.line = record.line;
    state.record = record.record;
    state.srcaddr = record.srcaddr;
    state.dstaddr = record.dstaddr;
  }
  if (record.action === Action.Accept) state.accepted++;
  else if (record.action === Action.Reject) {
    state.rejected++;
    if (state.rejectLine < 0 || before(record.line, record.record, state.rejectLine, state.rejectRecord)) {
      state.rejectLine = record.line;
      state.rejectRecord = record.record;
    }
  }
  // -1 until a record fills the field: a format without it gives null, not 0.
  if (record.packets >= 0) state.packets = Math.max(state.packets, 0) + record.packets;
  if (record.bytes >= 0) state.bytes = Math.max(state.bytes, 0) + record.bytes;
  if (record.start >= 0 && (state.start < 0 || record.start < state.start)) state.start = record.start;
  if (record.end > state.end) state.end = record.end;
  if (record.tcpFlags >= 0) state.tcpFlags = state.tcpFlags < 0 ? record.tcpFlags : state.tcpFlags | record.tcpFlags;
}

export function directionRecords(state: DirectionState): DirectionRecords {
  const action = state.rejected > 0 ? 'REJECT' : state.accepted > 0 ? 'ACCEPT' : null;
  const places = state.places ? [...state.places].sort((x, y) => x - y) : [state.line * PLACE_STRIDE + state.record];
  return {
    line: state.line,
    record: state.record,
    lines: places.map((place) => Math.floor(place / PLACE_STRIDE)),
    recordIndexes: places.map((place) => place % PLACE_STRIDE),
    records: state.records,
    action,
    rejectLine: state.rejectLine,
    rejectRecord: state.rejectRecord,
    packets: state.packets < 0 ? null : state.packets,
    bytes: state.bytes < 0 ? null : state.bytes,
    start: state.start,
    tcpFlags: state.tcpFlags,
    srcaddr: state.srcaddr,
    dstaddr: state.dstaddr,
  };
}

/** Adds a record to its group: to its interface's hop, in its direction. */
export function addToGroup(group: Group, record: FlowRecord, forward: boolean, keepLines: boolean): void {
  let hop = group.hops.find((h) => h.interfaceId === record.interfaceId);
  if (!hop) {
    hop = { interfaceId: record.interfaceId, intermediate: false, standIn: null, beyond: null, forward: null, backward: null };
    group.hops.push(hop);
  }
  if (record.dstaddr !== record.pktDstaddr) {
    hop.intermediate = true;
    hop.standIn ??= record.dstaddr;
    hop.beyond ??= record.pktDstaddr;
  } else if (record.srcaddr !== record.pktSrcaddr) {
    hop.intermediate = true;
    hop.standIn ??= record.srcaddr;
    hop.beyond ??= record.pktSrcaddr;
  }
  const direction = forward ? (hop.forward ??= newDirection(record, keepLines)) : (hop.backward ??= newDirection(record, keepLines));
  addToDirection(direction, record);
  if (record.start >= 0 && (group.firstStart < 0 || record.start < group.firstStart)) group.firstStart = record.start;
  if (record.end > group.lastEnd) group.lastEnd = record.end;
  if (record.action === Action.Reject) group.anyReject = true;
  else if (record.action === Action.Accept) group.anyAccept = true;
}

/**
 * A conversation's records as verdict.ts judges them: grouped by protocol and packet-level
 * address/port pair (both directions), one hop per interface that logged them. The pairing index
 * keeps them as columns (groupStore.ts) and makes this form of one group on demand.
 */
import { protocolHasPorts } from '../../catalog/ports';
import type { DirectionRecords } from './model';

/** Protocols without ports (ICMP, ICMPv6, GRE, ESP, …): their conversations are the address pair. */
export function portless(protocol: number): boolean {
  return protocol >= 0 && !protocolHasPorts(protocol);
}

/** A direction's records summed (converted to DirectionRecords when judged). */
export interface DirectionState {
  line: number;
  record: number;
  /** Every record's place as `line * PLACE_STRIDE + record` (editor only): one number per record. */
  places: number[] | null;
  records: number;
  /** Non-zero when a record of the direction was accepted, rejected. */
  accepted: number;
  rejected: number;
  rejectLine: number;
  rejectRecord: number;
  packets: number;
  bytes: number;
  start: number;
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

export function directionRecords(state: DirectionState): DirectionRecords {
  const action = state.rejected > 0 ? 'REJECT' : state.accepted > 0 ? 'ACCEPT' : null;
  // Without kept places (the CLI) the first record is the only one known: no array to sort.
  const places = state.places && [...state.places].sort((x, y) => x - y);
  return {
    line: state.line,
    record: state.record,
    lines: places ? places.map((place) => Math.floor(place / PLACE_STRIDE)) : [state.line],
    recordIndexes: places ? places.map((place) => place % PLACE_STRIDE) : [state.record],
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

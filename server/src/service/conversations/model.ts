/** What a conversation is, as the editor, the CLI and the tests see it. */

export type Verdict = 'accepted' | 'request-rejected' | 'response-rejected' | 'no-response' | 'one-way-log';
export const VERDICTS: readonly Verdict[] = ['response-rejected', 'request-rejected', 'one-way-log', 'no-response', 'accepted'];

/** Which rule decided who started the conversation. */
export type InitiatorRule = 'tcp-flags' | 'well-known-port' | 'lower-port' | 'earlier-record' | 'nat-gateway';

/**
 * What an interface on the path is: the endpoint's own interface, a NAT gateway's (the flow to or
 * from the gateway, and the gateway's own flow to the remote host), a transit gateway's (request
 * and reply on different interfaces), or another intermediate interface (pkt-srcaddr/pkt-dstaddr
 * differ from srcaddr/dstaddr on it, e.g. a load balancer or an EKS pod address).
 */
export type HopKind = 'interface' | 'nat-gateway' | 'transit-gateway' | 'intermediate';

export interface Endpoint {
  addr: string;
  /** null when the protocol has no ports (ICMP) or the format has none. */
  port: number | null;
}

/** The records of one direction on one interface. */
export interface DirectionRecords {
  /** 0-based line of the first record, and which record of that line it is (0 unless the line is a JSON line holding several). */
  line: number;
  record: number;
  /**
   * Every record, in document order, as its line and its index on that line (parallel arrays; a
   * JSON line may hold several records of one direction). Kept for the editor only; the CLI keeps
   * the first.
   */
  lines: number[];
  recordIndexes: number[];
  records: number;
  /** REJECT when any record was rejected, ACCEPT when all were accepted, null without an action field. */
  action: 'ACCEPT' | 'REJECT' | null;
  /** Line (and record on that line) of the first REJECT record, or -1. */
  rejectLine: number;
  rejectRecord: number;
  /** Sums over the records; null when the format has no such field. */
  packets: number | null;
  bytes: number | null;
  /** Earliest start, or -1. */
  start: number;
  /** tcp-flags OR-ed over the records, or -1. */
  tcpFlags: number;
  /** srcaddr → dstaddr as the interface saw them. */
  srcaddr: string;
  dstaddr: string;
}

export interface Hop {
  interfaceId: string;
  kind: HopKind;
  request: DirectionRecords | null;
  response: DirectionRecords | null;
}

export interface Conversation {
  /** IANA number, or null when the format has no protocol field. */
  protocol: number | null;
  initiator: Endpoint;
  responder: Endpoint;
  rule: InitiatorRule;
  /** The interface of the main hop (the endpoint's own when it was logged). */
  interfaceId: string;
  request: DirectionRecords | null;
  response: DirectionRecords | null;
  verdict: Verdict;
  reason: string;
  /** Every interface the conversation was seen on, along the path; more than one when NAT or transit gateway records were joined. */
  hops: Hop[];
}

/** A record's place in a document: its 0-based line and which record of that line (0 unless a JSON line holds several). */
export interface RecordPlace {
  line: number;
  record: number;
}

/** Whether `records` holds record `record` of `line`. */
export function holdsRecord(records: DirectionRecords | null, line: number, record: number): boolean {
  if (!records) return false;
  for (let i = records.lines.indexOf(line); i >= 0 && i < records.lines.length && records.lines[i] === line; i++) {
    if (records.recordIndexes[i] === record) return true;
  }
  return false;
}

/** Every record line of a conversation, request direction then response direction. */
export function conversationLines(conversation: Conversation): number[] {
  const lines: number[] = [];
  for (const hop of conversation.hops) {
    if (hop.request) lines.push(...hop.request.lines);
    if (hop.response) lines.push(...hop.response.lines);
  }
  return lines.sort((a, b) => a - b);
}

/** Whether any record of the conversation was rejected. */
export function hasReject(conversation: Conversation): boolean {
  return conversation.hops.some((hop) => hop.request?.action === 'REJECT' || hop.response?.action === 'REJECT');
}

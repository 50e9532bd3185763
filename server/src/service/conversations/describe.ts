/** Conversations in words: endpoints, the path through gateways, the counts each way. Plain text; callers escape or quote. */
import { protocolLabel } from '../../catalog/protocols';
import type { Conversation, DirectionRecords, Endpoint, Verdict } from './model';

export function endpointText(endpoint: Endpoint): string {
  if (endpoint.port === null) return endpoint.addr;
  return endpoint.addr.includes(':') ? `[${endpoint.addr}]:${endpoint.port}` : `${endpoint.addr}:${endpoint.port}`;
}

export function protocolText(protocol: number | null): string {
  return protocol === null ? 'protocol not logged' : protocolLabel(protocol);
}

/** `10.0.1.5 → NAT gateway 10.0.0.220 → 203.0.113.5`, or undefined for a conversation seen on one interface. */
export function describePath(conversation: Conversation): string | undefined {
  const { hops, initiator, responder } = conversation;
  if (hops.length < 2) return undefined;
  const middle: string[] = [];
  const nat = hops.find((h) => h.kind === 'nat-gateway');
  if (nat) {
    const gateway = nat.request?.dstaddr ?? nat.response?.srcaddr;
    middle.push(`NAT gateway${gateway && gateway !== responder.addr ? ` ${gateway}` : ''} (${nat.interfaceId})`);
  }
  const transit = hops.filter((h) => h.kind === 'transit-gateway');
  if (transit.length > 0) {
    const requestOn = transit.filter((h) => h.request).map((h) => h.interfaceId);
    const replyOn = transit.filter((h) => h.response).map((h) => h.interfaceId);
    const parts = [requestOn.length ? `request on ${requestOn.join(', ')}` : '', replyOn.length ? `reply on ${replyOn.join(', ')}` : ''].filter(Boolean);
    middle.push(`transit gateway (${parts.join(', ')})`);
  }
  const other = hops.filter((h) => h.kind === 'intermediate');
  if (other.length > 0) middle.push(`intermediate interface ${other.map((h) => h.interfaceId).join(', ')}`);
  const own = hops.filter((h) => h.kind === 'interface').map((h) => h.interfaceId);
  const ownText = own.length ? ` (logged on ${own.join(', ')})` : '';
  return `${initiator.addr} → ${middle.join(' → ')} → ${responder.addr}${ownText}`;
}

export function countsText(records: DirectionRecords | null): string {
  if (!records) return 'not in this capture';
  const count = records.records > 1 ? ` in ${records.records} records` : '';
  const amount = (n: number | null, unit: string): string => (n === null ? `${unit} not logged` : `${n.toLocaleString('en-US')} ${unit}`);
  return `${amount(records.packets, 'packets')}, ${amount(records.bytes, 'bytes')}${count}`;
}

/** One line: `tcp 52.213.180.42:43416 → 10.0.0.62:5001 on eni-… (initiator by tcp-flags)`. */
export function conversationTitle(conversation: Conversation): string {
  return `${protocolText(conversation.protocol)} ${endpointText(conversation.initiator)} → ${endpointText(conversation.responder)} on ${conversation.interfaceId}`;
}

export const RULE_TEXT: Record<Conversation['rule'], string> = {
  'tcp-flags': 'SYN and SYN-ACK in tcp-flags',
  'nat-gateway': 'the flow into the NAT gateway is the request',
  'well-known-port': 'the well-known port is the server',
  'lower-port': 'the lower port is the server',
  'earlier-record': 'the earlier record is the request',
};

/** Each verdict in words, as `flowlog explain` and the summary title them. */
export const VERDICT_TITLES: Record<Verdict, string> = {
  'response-rejected': 'Reply rejected after the request was accepted (a network ACL)',
  'request-rejected': 'Request rejected (a security group or a network ACL)',
  'one-way-log': 'Rejected, in a log without ACCEPT records (pairing not possible)',
  'no-response': 'No reply in this capture',
  accepted: 'Accepted',
};

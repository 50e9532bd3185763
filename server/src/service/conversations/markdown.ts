/**
 * Conversations as markdown: the hover's "Conversation" section and the Explain Rejections report.
 * Every value that comes from the file (addresses, interface IDs) goes into a code span; links
 * point at lines as `uri#L<line>`, which VS Code (desktop and web) opens at that line.
 */
import { inlineCode } from '../hover';
import { protocolText, RULE_TEXT } from './describe';
import { VERDICTS, hasReject, holdsRecord, type Conversation, type DirectionRecords, type Endpoint, type Hop, type RecordPlace, type Verdict } from './model';

export function lineLink(uri: string, line: number, label = `line ${line + 1}`): string {
  return `[${label}](${uri}#L${line + 1})`;
}

function endpointMarkdown(endpoint: Endpoint): string {
  return inlineCode(endpoint.port === null ? endpoint.addr : `${endpoint.addr}:${endpoint.port}`);
}

const count = (n: number | null): string => (n === null ? '–' : n.toLocaleString('en-US'));

function row(label: string, records: DirectionRecords | null, uri: string, here: RecordPlace): string {
  if (!records) return `| ${label} | not in this capture | | | |`;
  const where = holdsRecord(records, here.line, here.record) ? `${lineLink(uri, records.line)} (this record${records.records > 1 ? ` and ${records.records - 1} more` : ''})` : lineLink(uri, records.line);
  return `| ${label} | ${where} | ${records.action ?? '–'} | ${count(records.packets)} | ${count(records.bytes)} |`;
}

function listItem(records: DirectionRecords | null, uri: string): string {
  if (!records) return 'not in this capture';
  return `${lineLink(uri, records.line)} ${records.action ?? ''} · ${count(records.packets)} packets, ${count(records.bytes)} bytes${records.records > 1 ? ` in ${records.records} records` : ''}`.replace('  ', ' ');
}

const HOP_LABEL: Record<Hop['kind'], string> = {
  interface: 'interface',
  'nat-gateway': 'NAT gateway',
  'transit-gateway': 'transit gateway',
  intermediate: 'intermediate interface',
};

/** The path through gateways, one hop per item, or '' for a conversation on one interface. */
export function pathMarkdown(conversation: Conversation, uri: string): string {
  if (conversation.hops.length < 2) return '';
  const hops = conversation.hops.map((hop) => {
    const seen = [hop.request && `request ${lineLink(uri, hop.request.line)} ${inlineCode(`${hop.request.srcaddr} → ${hop.request.dstaddr}`)}`, hop.response && `reply ${lineLink(uri, hop.response.line)}`].filter(Boolean);
    return `- ${HOP_LABEL[hop.kind]} ${inlineCode(hop.interfaceId)}: ${seen.join(', ')}`;
  });
  return `Path from ${endpointMarkdown(conversation.initiator)} to ${endpointMarkdown(conversation.responder)}:\n\n${hops.join('\n')}`;
}

/** The hover section for the record at `here`. */
export function conversationHoverSection(conversation: Conversation, here: RecordPlace, uri: string): string {
  // The verdict and why first: a hover shows its first lines without scrolling.
  const parts = [
    `**Conversation** · ${conversation.verdict}: ${conversation.reason}`,
    `${protocolText(conversation.protocol)} ${endpointMarkdown(conversation.initiator)} → ${endpointMarkdown(conversation.responder)} on ${inlineCode(conversation.interfaceId)}; started by ${inlineCode(conversation.initiator.addr)} (${RULE_TEXT[conversation.rule]})`,
    ['| | line | action | packets | bytes |', '|---|---|---|---:|---:|', row('request', conversation.request, uri, here), row('reply', conversation.response, uri, here)].join('\n'),
  ];
  const path = pathMarkdown(conversation, uri);
  if (path) parts.push(path);
  return parts.join('\n\n');
}

const REPORT_TITLES: Record<Verdict, string> = {
  'response-rejected': 'Reply rejected after the request was accepted — a network ACL',
  'request-rejected': 'Request rejected — a security group or a network ACL',
  'one-way-log': 'Rejected, in a log without ACCEPT records — pairing not possible',
  'no-response': 'No reply in this capture',
  accepted: 'Accepted',
};

/** Conversations listed per verdict in the report; the rest are counted. */
export const REPORT_LIMIT = 500;

/**
 * The Explain Rejections report of one document: conversations with a REJECT, grouped by verdict.
 * `conversations` may hold only those with a REJECT when `total` says how many there are in all.
 */
export function explainReport(conversations: readonly Conversation[], uri: string, name: string, total = conversations.length, counts?: ReadonlyMap<Verdict, number>): string {
  const rejected = conversations.filter(hasReject);
  // `counts`: the rejected conversations per verdict when `conversations` holds only the first REPORT_LIMIT of each (rejectedTally.ts).
  const countOf = (verdict: Verdict, group: readonly Conversation[]): number => (counts ? (counts.get(verdict) ?? 0) : group.length);
  const rejectedCount = counts ? [...counts.values()].reduce((sum, n) => sum + n, 0) : rejected.length;
  const out = [`# Rejections in ${inlineCode(name)}`, '', `${rejectedCount.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} conversations have a REJECT.`];
  if (rejectedCount === 0) out.push('', 'Nothing was rejected.');
  for (const verdict of VERDICTS) {
    const group = rejected.filter((c) => c.verdict === verdict);
    const count = countOf(verdict, group);
    if (count === 0) continue;
    out.push('', `## ${REPORT_TITLES[verdict]} (${count.toLocaleString('en-US')})`);
    for (const conversation of group.slice(0, REPORT_LIMIT)) {
      const first = conversation.request ?? conversation.response;
      out.push(
        '',
        `### ${protocolText(conversation.protocol)} ${endpointMarkdown(conversation.initiator)} → ${endpointMarkdown(conversation.responder)}${first ? ` · ${lineLink(uri, first.line)}` : ''}`,
        '',
        `On ${inlineCode(conversation.interfaceId)}, started by ${inlineCode(conversation.initiator.addr)} (${RULE_TEXT[conversation.rule]}).`,
        '',
        // A list, not a table: the report is read as markdown source as often as previewed.
        `- request: ${listItem(conversation.request, uri)}`,
        `- reply: ${listItem(conversation.response, uri)}`,
      );
      const path = pathMarkdown(conversation, uri);
      if (path) out.push('', path);
      out.push('', conversation.reason);
    }
    if (count > REPORT_LIMIT) out.push('', `… and ${(count - REPORT_LIMIT).toLocaleString('en-US')} more (\`flowlog explain --limit 0\` lists them all).`);
  }
  return `${out.join('\n')}\n`;
}

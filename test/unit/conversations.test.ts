/**
 * Conversations: the AWS guide's ping, NAT gateway and transit gateway examples give the verdicts
 * and hops the guide describes; the initiator rules, verdicts, windows and streaming closure.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { conversationJson, conversationJsonLine } from '../../server/src/cli/conversationsCommand';
import { ConversationBuilder } from '../../server/src/service/conversations/builder';
import { describePath } from '../../server/src/service/conversations/describe';
import { documentConversations } from '../../server/src/service/conversations/documentConversations';
import type { Conversation } from '../../server/src/service/conversations/model';
import { pairingColumns, readFlowRecord } from '../../server/src/service/conversations/flowRecord';
import { FlowLogDocument } from '../../server/src/service/document';
import { DEFAULT_FORMAT } from '../../server/src/service/formatModel';
import { TokenBuffer } from '../../server/src/service/scan';
import { SEED_FILE } from '../fixtures/paths';
import { conformanceText } from './helpers';

const AWSDOCS = 'awsdocs-amazon-vpc-user-guide';
const conversationsOf = (text: string): Conversation[] => documentConversations(new FlowLogDocument(text)).list;
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((line) => line.includes(needle));

const V2 = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
/** A default-format record: `src sport dst dport proto action start [eni]`. */
function v2(src: string, sport: number, dst: string, dport: number, protocol: number, action: string, start = 1000, eni = 'eni-0a1b2c3d4e5f60718'): string {
  return `2 123456789010 ${eni} ${src} ${dst} ${sport} ${dport} ${protocol} 5 400 ${start} ${start + 60} ${action} OK`;
}

describe('numbers past 32 bits (pairing columns hold them as Int32 codes)', () => {
  it('a damaged record\'s protocol, ports and times of up to 15 digits are paired and reported exactly', () => {
    const wide = (src: string, sport: number, dst: string, dport: number, protocol: number, action: string): string =>
      `2 123456789010 eni-0a1b2c3d4e5f60718 ${src} ${dst} ${sport} ${dport} ${protocol} 5 400 4000000000 4000000060 ${action} OK`;
    const text = [
      v2('10.0.0.1', 40000, '10.0.0.2', 443, 6, 'ACCEPT', 1000),
      wide('10.0.0.3', 4294967296, '10.0.0.4', 2147483648, 6, 'ACCEPT'),
      wide('10.0.0.4', 2147483648, '10.0.0.3', 4294967296, 6, 'REJECT'),
      // A key that differs from the one above only past 32 bits (its hash is the same): a conversation of its own.
      wide('10.0.0.3', 4294967296 + 2 ** 32, '10.0.0.4', 2147483648, 6, 'ACCEPT'),
      wide('10.0.0.5', 1, '10.0.0.6', 2, 999999999999999, 'ACCEPT'),
      v2('10.0.0.2', 443, '10.0.0.1', 40000, 6, 'ACCEPT', 1000),
    ].join('\n');
    const [plain, paired, alone, protocol] = conversationsOf(text);
    assert.equal(plain.protocol, 6);
    assert.equal(plain.request?.start, 1000);
    assert.deepEqual([paired.initiator.port, paired.responder.port].sort(), [2147483648, 4294967296]);
    assert.ok(paired.request && paired.response, 'both ways in one conversation');
    assert.equal(paired.request.start, 4000000000);
    assert.deepEqual([alone.initiator.port, alone.responder.port].sort(), [2147483648, 4294967296 + 2 ** 32]);
    assert.equal(alone.response, null);
    assert.equal(protocol.protocol, 999999999999999);
  });

  it('TCP flags past 32 bits are kept as read, then ORed as numbers of 32 bits are', () => {
    const line = (sport: number, start: number, flags: number): string => `2 123456789010 eni-0a1b2c3d4e5f60718 10.0.0.1 10.0.0.2 ${sport} 443 6 5 400 ${start} ${start + 60} ACCEPT OK ${flags}`;
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags';
    const [one, two] = documentConversations(new FlowLogDocument([header, line(40000, 1000, 8589934594), line(40001, 1000, 8589934594), line(40001, 1010, 2)].join('\n'))).list;
    const flagsOf = (c: Conversation): number | undefined => (c.request ?? c.response)?.tcpFlags;
    assert.equal(flagsOf(one), 8589934594);
    // 8589934594 | 2 is 2 (ToInt32 drops the bits past 32), as verdict.ts computes it on numbers.
    assert.equal(flagsOf(two), 8589934594 | 2);
  });
});

describe('the AWS guide examples', () => {
  it('ping accepted in, reply rejected out: response-rejected, a network ACL (the seed)', () => {
    // The seed's two ping records, one inside a code block and one outside it.
    const seed = readFileSync(SEED_FILE, 'utf8').split('\n').filter((line) => line.includes(' 1432917'));
    assert.equal(seed.length, 2);
    const conversations = conversationsOf(seed.join('\n'));
    assert.equal(conversations.length, 1);
    const [ping] = conversations;
    assert.equal(ping.verdict, 'response-rejected');
    assert.match(ping.reason, /network ACL/);
    assert.match(ping.reason, /security groups let replies out/);
    assert.deepEqual(ping.initiator, { addr: '203.0.113.12', port: null });
    assert.deepEqual(ping.responder, { addr: '172.31.16.139', port: null });
    assert.equal(ping.rule, 'earlier-record');
    assert.equal(ping.request?.line, 0);
    assert.equal(ping.request?.action, 'ACCEPT');
    assert.equal(ping.response?.line, 1);
    assert.equal(ping.response?.action, 'REJECT');
    assert.equal(ping.hops.length, 1);
  });

  it('the ping records in either order give the same conversation', () => {
    const text = conformanceText(AWSDOCS, 'v2_default_icmp_sg_nacl.txt');
    const records = text.split('\n').filter((line) => line.startsWith('2 '));
    const [forward] = conversationsOf(records.join('\n'));
    const [backward] = conversationsOf([...records].reverse().join('\n'));
    assert.equal(backward.verdict, 'response-rejected');
    assert.deepEqual(backward.initiator, forward.initiator);
    assert.equal(backward.request?.line, 1);
    assert.equal(backward.response?.line, 0);
  });

  it('NAT gateway: the gateway\'s four records and the instance\'s two are one conversation through the gateway', () => {
    const text = conformanceText(AWSDOCS, 'custom_nat_gateway.txt');
    const conversations = conversationsOf(text);
    assert.equal(conversations.length, 1, 'a NAT\'d flow is not counted twice');
    const [flow] = conversations;
    assert.deepEqual(flow.initiator, { addr: '10.0.1.5', port: null });
    assert.deepEqual(flow.responder, { addr: '203.0.113.5', port: null });
    assert.deepEqual(
      flow.hops.map((h) => [h.interfaceId, h.kind, h.request?.srcaddr, h.request?.dstaddr]),
      [
        ['eni-1111aaaa2222bbbb3', 'interface', '10.0.1.5', '203.0.113.5'],
        ['eni-1235b8ca123456789', 'nat-gateway', '10.0.1.5', '10.0.0.220'],
        ['eni-1235b8ca123456789', 'nat-gateway', '10.0.0.220', '203.0.113.5'],
      ],
    );
    // Every record of the example is in it, each in its direction.
    const lines = (needle: string): number => lineOf(text, needle);
    assert.equal(flow.hops[1].request?.line, lines('10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5'));
    assert.equal(flow.hops[1].response?.line, lines('10.0.0.220 10.0.1.5 203.0.113.5 10.0.1.5'));
    assert.equal(flow.hops[2].response?.line, lines('203.0.113.5 10.0.0.220 203.0.113.5 10.0.0.220'));
    assert.equal(flow.interfaceId, 'eni-1111aaaa2222bbbb3');
    assert.equal(flow.verdict, 'accepted');
    assert.match(flow.reason, /no action field/);
    assert.equal(describePath(flow), '10.0.1.5 → NAT gateway 10.0.0.220 (eni-1235b8ca123456789) → 203.0.113.5 (logged on eni-1111aaaa2222bbbb3)');
  });

  it('NAT gateway alone: its inside and outside legs are joined, the flow into the gateway is the request', () => {
    const text = conformanceText(AWSDOCS, 'custom_nat_gateway.txt')
      .split('\n')
      .filter((line) => !line.startsWith('i-'))
      .join('\n');
    const conversations = conversationsOf(text);
    assert.equal(conversations.length, 1);
    const [flow] = conversations;
    assert.equal(flow.rule, 'nat-gateway');
    assert.deepEqual(flow.hops.map((h) => h.kind), ['nat-gateway', 'nat-gateway']);
    assert.equal(flow.request?.line, lineOf(text, '10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5'));
    assert.equal(flow.response?.line, lineOf(text, '10.0.0.220 10.0.1.5 203.0.113.5 10.0.1.5'));
  });

  it('transit gateway: request in on one interface, reply out on another, one path with the server\'s own interface', () => {
    const text = conformanceText(AWSDOCS, 'v3_custom_via_transit_gateway.txt');
    const conversations = conversationsOf(text);
    assert.equal(conversations.length, 1);
    const [flow] = conversations;
    assert.deepEqual(flow.initiator, { addr: '10.20.33.164', port: 39812 });
    assert.deepEqual(flow.responder, { addr: '10.40.2.236', port: 80 });
    assert.equal(flow.rule, 'tcp-flags');
    assert.deepEqual(
      flow.hops.map((h) => [h.interfaceId, h.kind, h.request !== null, h.response !== null]),
      [
        ['eni-11111111111111111', 'transit-gateway', true, false],
        ['eni-33333333333333333', 'interface', true, true],
        ['eni-22222222222222222', 'transit-gateway', false, true],
      ],
    );
    assert.equal(flow.verdict, 'accepted');
    assert.match(describePath(flow) ?? '', /transit gateway \(request on eni-11111111111111111, reply on eni-22222222222222222\)/);
  });

  it('transit gateway records alone: the request on one interface is answered on the other', () => {
    const text = conformanceText(AWSDOCS, 'v3_custom_via_transit_gateway.txt')
      .split('\n')
      .filter((line) => !line.includes('eni-3333'))
      .join('\n');
    const [flow, ...rest] = conversationsOf(text);
    assert.equal(rest.length, 0);
    assert.equal(flow.interfaceId, 'eni-11111111111111111');
    assert.equal(flow.request?.line, lineOf(text, 'eni-11111111111111111'));
    assert.equal(flow.response?.line, lineOf(text, 'eni-22222222222222222'));
    assert.equal(flow.verdict, 'accepted');
  });

  it('TCP flag sequence: SYN and SYN-ACK decide; the second interval\'s FINs join their connection', () => {
    const text = conformanceText(AWSDOCS, 'v3_custom_tcp_flag_sequence.txt');
    const conversations = conversationsOf(text);
    assert.deepEqual(
      conversations.map((c) => [c.initiator.port, c.responder.port, c.rule, c.request?.records, c.response?.records]),
      [
        [43416, 5001, 'tcp-flags', 1, 1],
        [43418, 5001, 'tcp-flags', 2, 2],
        [43638, 5001, 'tcp-flags', 1, 1],
      ],
    );
    assert.equal(conversations[1].request?.bytes, 100701 + 23294588);
  });
});

describe('initiator rules', () => {
  it('the well-known port is the server, whichever record comes first', () => {
    const text = [v2('10.0.0.5', 443, '10.0.0.9', 50000, 6, 'ACCEPT', 1000), v2('10.0.0.9', 50000, '10.0.0.5', 443, 6, 'ACCEPT', 1000)].join('\n');
    const [c] = conversationsOf(text);
    assert.equal(c.rule, 'well-known-port');
    assert.deepEqual(c.initiator, { addr: '10.0.0.9', port: 50000 });
    assert.equal(c.request?.line, 1);
  });

  it('else the lower port', () => {
    const [c] = conversationsOf([v2('10.0.0.5', 40000, '10.0.0.9', 8080, 6, 'ACCEPT'), v2('10.0.0.9', 8080, '10.0.0.5', 40000, 6, 'ACCEPT')].join('\n'));
    assert.equal(c.rule, 'lower-port');
    assert.deepEqual(c.responder, { addr: '10.0.0.9', port: 8080 });
  });

  it('else the earlier record (equal ports)', () => {
    const [c] = conversationsOf([v2('10.0.0.9', 7000, '10.0.0.5', 7000, 17, 'ACCEPT', 1010), v2('10.0.0.5', 7000, '10.0.0.9', 7000, 17, 'ACCEPT', 1000)].join('\n'));
    assert.equal(c.rule, 'earlier-record');
    assert.equal(c.initiator.addr, '10.0.0.5');
  });
});

describe('verdicts', () => {
  it('request rejected, and the accepted SSH with no reply', () => {
    const text = conformanceText(AWSDOCS, 'v2_default_accept_reject.txt');
    const byPort = new Map(conversationsOf(text).map((c) => [c.responder.port, c]));
    assert.equal(byPort.get(3389)?.verdict, 'request-rejected');
    assert.match(byPort.get(3389)?.reason ?? '', /security group or a network ACL/);
    assert.equal(byPort.get(22)?.verdict, 'no-response');
  });

  it('a log without any ACCEPT cannot be paired: one-way-log', () => {
    const [c] = conversationsOf(v2('198.51.100.7', 51515, '10.0.0.5', 22, 6, 'REJECT'));
    assert.equal(c.verdict, 'one-way-log');
    assert.match(c.reason, /no ACCEPT/);
  });

  it('a lone reply that was accepted, and one that was rejected', () => {
    const other = v2('10.0.0.1', 40000, '10.0.0.2', 443, 6, 'ACCEPT', 1000, 'eni-0ffffffffffffffff');
    const [, accepted] = conversationsOf([other, v2('10.0.0.5', 443, '10.0.0.9', 50000, 6, 'ACCEPT')].join('\n'));
    assert.equal(accepted.request, null);
    assert.equal(accepted.verdict, 'accepted');
    assert.match(accepted.reason, /Only the reply/);
    const [, rejected] = conversationsOf([other, v2('10.0.0.5', 443, '10.0.0.9', 50000, 6, 'REJECT')].join('\n'));
    assert.equal(rejected.verdict, 'response-rejected');
  });
});

describe('grouping', () => {
  it('records more than an aggregation interval apart are separate conversations', () => {
    const text = [v2('10.0.0.9', 50000, '10.0.0.5', 443, 6, 'ACCEPT', 1000), v2('10.0.0.9', 50000, '10.0.0.5', 443, 6, 'ACCEPT', 1000 + 60 + 601)].join('\n');
    assert.equal(conversationsOf(text).length, 2);
    const near = [v2('10.0.0.9', 50000, '10.0.0.5', 443, 6, 'ACCEPT', 1000), v2('10.0.0.9', 50000, '10.0.0.5', 443, 6, 'ACCEPT', 1000 + 60 + 600)].join('\n');
    assert.equal(conversationsOf(near).length, 1);
  });

  it('the same flow on two plain interfaces is two conversations (pairing is per interface)', () => {
    const text = [v2('10.0.0.9', 50000, '10.0.0.5', 443, 6, 'ACCEPT', 1000, 'eni-0aaaaaaaaaaaaaaaa'), v2('10.0.0.9', 50000, '10.0.0.5', 443, 6, 'ACCEPT', 1000, 'eni-0bbbbbbbbbbbbbbbb')].join('\n');
    assert.deepEqual(conversationsOf(text).map((c) => c.interfaceId), ['eni-0aaaaaaaaaaaaaaaa', 'eni-0bbbbbbbbbbbbbbbb']);
  });

  it('ICMP pairs by the address pair; ports do not split it', () => {
    const text = [v2('10.0.0.9', 8, '10.0.0.5', 0, 1, 'ACCEPT'), v2('10.0.0.5', 0, '10.0.0.9', 0, 1, 'ACCEPT')].join('\n');
    assert.equal(conversationsOf(text).length, 1);
  });

  it('NODATA, SKIPDATA and malformed lines take no part', () => {
    const text = [V2, '2 123456789010 eni-0a1b2c3d4e5f60718 - - - - - - - 1431280876 1431280934 - NODATA', '2 123456789010 eni-0a1b2c3d4e5f60718 10.0.0.1 10.0.0.2 1 2 6 5 400 1000 ACCEPT OK'].join('\n');
    assert.deepEqual(conversationsOf(text), []);
  });
});

describe('streaming', () => {
  it('closes conversations once the clock has passed their window, so few stay open', () => {
    const columns = pairingColumns(DEFAULT_FORMAT);
    assert.ok(columns);
    const tokens = new TokenBuffer();
    const emitted: Conversation[] = [];
    const builder = new ConversationBuilder((c) => emitted.push(c), { streaming: true });
    let mostOpen = 0;
    for (let i = 0; i < 3000; i++) {
      // One new client every record, the clock moving a minute every 10 records.
      const start = 1_600_000_000 + Math.floor(i / 10) * 60;
      const request = v2(`10.1.${i >> 8}.${i & 255}`, 40000, '10.0.0.5', 443, 6, 'ACCEPT', start);
      const reply = v2('10.0.0.5', 443, `10.1.${i >> 8}.${i & 255}`, 40000, 6, 'ACCEPT', start);
      for (const [k, text] of [request, reply].entries()) {
        const record = readFlowRecord(text, 0, text.length, 2 * i + k, columns, tokens);
        assert.ok(record);
        builder.add(record);
      }
      mostOpen = Math.max(mostOpen, builder.openCount);
    }
    builder.finish();
    assert.equal(emitted.length, 3000);
    assert.ok(emitted.every((c) => c.verdict === 'accepted' && c.request && c.response));
    // Windows of 60 s, closed 2 × 600 s after: about 21 minutes × 10 clients open at most.
    assert.ok(mostOpen <= 230, `at most ${mostOpen} open`);
  });

  it('keeps at most maxOpen conversations open when records carry no time', () => {
    const format = new FlowLogDocument('srcaddr dstaddr action\n10.0.0.1 10.0.0.2 ACCEPT').formats.primary;
    const columns = pairingColumns(format);
    assert.ok(columns);
    const tokens = new TokenBuffer();
    let emitted = 0;
    const builder = new ConversationBuilder(() => emitted++, { streaming: true, maxOpen: 50 });
    for (let i = 0; i < 1000; i++) {
      const text = `10.2.${i >> 8}.${i & 255} 10.0.0.2 ACCEPT`;
      builder.add(readFlowRecord(text, 0, text.length, i, columns, tokens) ?? assert.fail('record'));
      assert.ok(builder.openCount <= 50);
    }
    builder.finish();
    assert.equal(emitted, 1000);
  });
});

describe('JSON Lines', () => {
  it('the line the CLI writes is the documented object, for plain, NAT, transit gateway and odd values', () => {
    const odd = v2('10.0.0.9', 50000, '10.0.0.5', 443, 6, 'ACCEPT').replace('eni-0a1b2c3d4e5f60718', 'eni-"quoted"\\back');
    const texts = [
      conformanceText(AWSDOCS, 'v2_default_icmp_sg_nacl.txt'),
      conformanceText(AWSDOCS, 'custom_nat_gateway.txt'),
      conformanceText(AWSDOCS, 'v3_custom_via_transit_gateway.txt'),
      conformanceText(AWSDOCS, 'v2_default_accept_reject.txt'),
      odd,
    ];
    let compared = 0;
    for (const text of texts) {
      for (const conversation of conversationsOf(text)) {
        assert.deepEqual(JSON.parse(conversationJsonLine(conversation)), conversationJson(conversation));
        compared++;
      }
    }
    assert.equal(compared, 6);
  });
});

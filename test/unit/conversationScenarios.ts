/**
 * Seeded flow logs made to stress pairing: few addresses and ports (keys recur, windows split and
 * join), both directions and several records per direction, flows seen on two interfaces, NAT
 * gateway legs with pkt-* addresses (one or two candidate outside flows), transit gateway hops,
 * portless protocols, `-` values, NODATA and malformed lines, CloudWatch JSON lines holding several
 * records, and each log in time order, shuffled and reversed. The same seed gives the same text.
 */
import { generate } from '../../bench/generate';
import type { DocumentConversations } from '../../server/src/service/conversations/documentConversations';

export interface Scenario {
  name: string;
  text: string;
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One record before it is written in a format. */
interface Rec {
  eni: string;
  src: string;
  dst: string;
  pktSrc: string;
  pktDst: string;
  sport: number | '-';
  dport: number | '-';
  protocol: number;
  packets: number | '-';
  bytes: number | '-';
  start: number | '-';
  end: number | '-';
  action: 'ACCEPT' | 'REJECT' | '-';
  status: 'OK' | 'NODATA';
  flags: number | '-';
}

const V2_FIELDS = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const V5_FIELDS = 'version interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags';
/** No action field: verdicts say a rejection would not show. */
const NO_ACTION_FIELDS = 'version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status';

function write(fields: string, r: Rec): string {
  const value: Record<string, string | number> = {
    version: fields === V2_FIELDS ? 2 : 5, 'account-id': '123456789010', 'interface-id': r.eni, srcaddr: r.src, dstaddr: r.dst, 'pkt-srcaddr': r.pktSrc, 'pkt-dstaddr': r.pktDst,
    srcport: r.sport, dstport: r.dport, protocol: r.protocol, packets: r.packets, bytes: r.bytes, start: r.start, end: r.end, action: r.action, 'log-status': r.status, 'tcp-flags': r.flags,
  };
  return fields.split(' ').map((name) => value[name]).join(' ');
}

const BASE = 1_600_000_000;
const ENIS = ['eni-0aaaaaaaaaaaaaaa1', 'eni-0bbbbbbbbbbbbbbb2', 'eni-0ccccccccccccccc3'];
const NAT_ENI = 'eni-0aaaa1111bbbb2222';
const NAT_ADDRS = ['10.0.0.220', '10.0.0.221'];
const TGW_ENIS = ['eni-0eeeeeeeeeeeeeee1', 'eni-0eeeeeeeeeeeeeee2'];
const PORTS = [22, 80, 443, 53, 5001, 8080, 40000, 40001, 50000];
const PROTOCOLS = [6, 6, 6, 17, 17, 1, 58, 47];

/** Records of flows between a few hosts; `pkt` adds NAT gateway and transit gateway legs (formats with pkt-* fields). */
function flows(seed: number, count: number, pkt: boolean): Rec[] {
  const rnd = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rnd() * values.length)];
  const chance = (p: number): boolean => rnd() < p;
  const host = (): string => (chance(0.15) ? `2001:db8::${1 + Math.floor(rnd() * 3)}` : `10.0.${Math.floor(rnd() * 2)}.${1 + Math.floor(rnd() * 5)}`);
  const remote = (): string => `203.0.113.${1 + Math.floor(rnd() * 4)}`;
  const out: Rec[] = [];
  const push = (r: Partial<Rec> & Pick<Rec, 'eni' | 'src' | 'dst' | 'start'>, base: Rec): void => {
    out.push({ ...base, pktSrc: r.src, pktDst: r.dst, ...r });
  };
  for (let i = 0; i < count; i++) {
    const protocol = pick(PROTOCOLS);
    const ported = protocol === 6 || protocol === 17;
    const client = host();
    const server = chance(0.5) ? host() : remote();
    const cport = ported ? pick(PORTS) : 0;
    const sport = ported ? pick(PORTS) : 0;
    const t = BASE + Math.floor(rnd() * 4000);
    const eni = pick(ENIS);
    const accept = (): Rec['action'] => (chance(0.75) ? 'ACCEPT' : 'REJECT');
    const base: Rec = {
      eni, src: client, dst: server, pktSrc: client, pktDst: server, sport: cport, dport: sport, protocol,
      packets: 1 + Math.floor(rnd() * 9), bytes: 40 + Math.floor(rnd() * 900), start: t, end: t + 30 + Math.floor(rnd() * 60),
      action: accept(), status: 'OK', flags: protocol === 6 ? pick([2, 3, 0, 1, 19]) : '-',
    };
    const kind = pkt ? rnd() : rnd() * 0.8;
    if (kind < 0.8) {
      // A plain flow: 1–3 records each way, maybe on a second interface too, maybe gaps past the interval.
      const pieces = 1 + Math.floor(rnd() * 3);
      const interfaces = chance(0.2) ? [eni, pick(ENIS)] : [eni];
      const replied = chance(0.7);
      for (const on of interfaces) {
        for (let p = 0; p < pieces; p++) {
          const start = t + p * (chance(0.2) ? 1300 : 60);
          const rec: Rec = { ...base, eni: on, start, end: start + 50, action: p === 0 ? base.action : accept() };
          if (chance(0.03)) rec.packets = rec.bytes = '-';
          if (chance(0.02)) rec.start = rec.end = '-';
          if (chance(0.02)) rec.status = 'NODATA';
          out.push(rec);
          if (replied) {
            const answer = { ...rec, src: server, dst: client, pktSrc: server, pktDst: client, sport: sport, dport: cport, start: start + 1, action: chance(0.8) ? 'ACCEPT' : 'REJECT', flags: protocol === 6 ? pick([18, 19, 0, 1, 3]) : '-' } as Rec;
            out.push(answer);
          }
        }
      }
    } else if (kind < 0.92) {
      // Through a NAT gateway (the AWS example): the instance's two records, the gateway's four.
      const nat = chance(0.8) ? NAT_ADDRS[0] : pick(NAT_ADDRS);
      const inside = `10.0.1.${1 + Math.floor(rnd() * 3)}`;
      const far = remote();
      const b = { ...base, sport: ported ? cport : 0, dport: ported ? sport : 0 };
      const back = { sport: b.dport, dport: b.sport };
      push({ eni, src: inside, dst: far, start: t }, b);
      if (chance(0.8)) push({ eni, src: far, dst: inside, start: t + 1, ...back }, b);
      push({ eni: NAT_ENI, src: inside, dst: nat, pktSrc: inside, pktDst: far, start: t }, b);
      push({ eni: NAT_ENI, src: nat, dst: far, start: t }, b);
      if (chance(0.15)) push({ eni: NAT_ENI, src: nat, dst: far, start: t + 5 }, { ...b, sport: b.sport + 1 });
      if (chance(0.8)) {
        push({ eni: NAT_ENI, src: far, dst: nat, start: t + 1, ...back }, b);
        push({ eni: NAT_ENI, src: nat, dst: inside, pktSrc: far, pktDst: inside, start: t + 1, ...back }, b);
      }
    } else {
      // Across a transit gateway (the AWS example): request on one attachment's interface, reply on the other's.
      const near = `10.20.33.${1 + Math.floor(rnd() * 3)}`;
      const far = `10.40.2.${1 + Math.floor(rnd() * 3)}`;
      const back = { sport: base.dport, dport: base.sport };
      push({ eni, src: near, dst: far, start: t, flags: 3 }, base);
      push({ eni, src: far, dst: near, start: t + 1, flags: 19, ...back }, base);
      push({ eni: TGW_ENIS[0], src: '10.40.1.175', dst: far, pktSrc: near, pktDst: far, start: t, flags: 3 }, base);
      if (chance(0.85)) push({ eni: TGW_ENIS[1], src: far, dst: '10.40.2.31', pktSrc: far, pktDst: near, start: t + 1, flags: 19, ...back }, base);
    }
  }
  return out;
}

function shuffled<T>(values: readonly T[], seed: number): T[] {
  const rnd = random(seed);
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const byTime = (records: readonly Rec[]): Rec[] => [...records].sort((x, y) => (x.start === '-' ? 0 : x.start) - (y.start === '-' ? 0 : y.start));

/** Every few lines a damaged one (a field missing), which pairing must skip. */
function withMalformed(lines: string[], seed: number): string[] {
  const rnd = random(seed);
  return lines.map((line) => (rnd() < 0.01 ? line.slice(0, line.lastIndexOf(' ')) : line));
}

/** CloudWatch Logs subscription envelopes of 1–5 messages each. */
function envelopes(lines: readonly string[], seed: number): string[] {
  const rnd = random(seed);
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const n = 1 + Math.floor(rnd() * 5);
    const events = lines.slice(i, i + n).map((message, k) => ({ id: String(i + k), timestamp: 1_600_000_000_000 + i + k, message }));
    out.push(JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: 'flows', logStream: 'eni-all', logEvents: events }));
    i += n;
  }
  return out;
}

export function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  const plain = flows(11, 220, false);
  const pkt = flows(23, 260, true);
  const text = (header: string | undefined, lines: string[]): string => [...(header ? [header] : []), ...lines].join('\n') + '\n';
  const v2 = (records: Rec[]): string[] => records.map((r) => write(V2_FIELDS, r));
  const v5 = (records: Rec[]): string[] => records.map((r) => write(V5_FIELDS, r));
  out.push({ name: 'v2 in time order', text: text(undefined, withMalformed(v2(byTime(plain)), 1)) });
  out.push({ name: 'v2 shuffled', text: text(undefined, v2(shuffled(plain, 2))) });
  out.push({ name: 'v2 reversed', text: text(undefined, v2(byTime(plain).reverse())) });
  out.push({ name: 'v5 pkt-* in time order', text: text(V5_FIELDS, withMalformed(v5(byTime(pkt)), 3)) });
  out.push({ name: 'v5 pkt-* shuffled', text: text(V5_FIELDS, v5(shuffled(pkt, 4))) });
  out.push({ name: 'v5 pkt-* in file order', text: text(V5_FIELDS, v5(pkt)) });
  out.push({ name: 'no action field', text: text(NO_ACTION_FIELDS, byTime(plain).slice(0, 150).map((r) => write(NO_ACTION_FIELDS, r))) });
  const rejectOnly = byTime(plain).filter((r) => r.action === 'REJECT');
  out.push({ name: 'REJECT only', text: text(undefined, v2(rejectOnly)) });
  out.push({ name: 'REJECT first, then ACCEPT', text: text(undefined, v2([...rejectOnly, ...byTime(plain).filter((r) => r.action === 'ACCEPT').slice(0, 60)])) });
  out.push({ name: 'CloudWatch JSON lines, v2', text: text(undefined, envelopes(v2(byTime(plain)), 5)) });
  out.push({ name: 'CloudWatch JSON lines, shuffled', text: text(undefined, envelopes(v2(shuffled(plain, 6)), 7)) });
  for (const kind of ['v2', 'v5', 'tgw'] as const) {
    out.push({ name: `bench generator ${kind}`, text: generate({ kind, bytes: 120_000, seed: 99, malformedRate: 0.01 }) });
  }
  return out;
}

/** What two pairings of a document are compared by: every conversation and, for every record place, its conversation and counterpart. */
export function conversationsSummary(found: DocumentConversations, lineCount: number): string {
  const lookups: string[] = [];
  for (let line = 0; line < lineCount; line++) {
    for (let record = 0; record < 3; record++) {
      const at = found.at(line, record);
      const other = found.counterpart(line, record);
      lookups.push(`${at ? `${at.verdict} ${at.interfaceId} ${at.request?.line ?? '-'}` : '-'} ${other ? `${other.line}.${other.record}` : '-'}`);
    }
  }
  return `${JSON.stringify(found.list)}\n${lookups.join('\n')}`;
}

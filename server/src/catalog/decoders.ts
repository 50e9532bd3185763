/**
 * Decoders: turn one raw field value into a human explanation for hovers (`lines`, markdown) and
 * inlay hints (`short`). Pure data and functions, so they run in a browser web worker too.
 *
 * Contract: `decodeValue` never throws. It returns undefined when the value cannot be read as its
 * kind (validation reports that) or there is nothing to add; an empty `short` means "no inlay hint".
 */

import { classifyAddress, expandIPv6, type AddressInfo } from './addresses';
import { lookupField, type FieldSpec } from './fields';
import { TRAFFIC_PATHS, VALUE_KINDS } from './kinds';
import { epochMilliseconds, isMilliseconds } from './values';
import { isEphemeralPort, portRange, portServices, protocolHasPorts, type PortService } from './ports';
import { LAST_ASSIGNED_PROTOCOL, protocolInfo, protocolLabel, TCP } from './protocols';
import { isReachableTcpFlags, reachableTcpFlagsText, unreachableTcpFlagsReason } from './tcpFlags';
import { clip, code, groupDigits, parseUint, plural, type DecodeContext, type DecodedValue } from './decodeText';

export type { DecodeContext, DecodedValue } from './decodeText';

// ---- `-` ------------------------------------------------------------------------------------

const NO_TRAFFIC = 'NODATA and SKIPDATA records carry no traffic fields.';
const TRAFFIC_FIELDS = new Set(['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'type', 'pkt-srcaddr', 'pkt-dstaddr', 'flow-direction']);

/** Every reason reject-reason can carry, from the catalog: `BPA (…) or EC (…)`. */
function rejectReasons(): string {
  const values = (lookupField('reject-reason')?.values ?? []).map((v) => `${v.value} (${v.meaning.replace(/^Rejected by |\.$/g, '')}${v.secondary ? ', secondary source' : ''})`);
  return [values.slice(0, -1).join(', '), values[values.length - 1]].filter(Boolean).join(' or ');
}

const NULL_REASONS: Readonly<Record<string, string>> = {
  action: 'NODATA and SKIPDATA records have no traffic to accept or reject.',
  'traffic-path': 'Recorded only for egress traffic: `-` for ingress, or when none of the paths applies.',
  'instance-id': 'The interface is requester-managed (e.g. NAT gateway, transit gateway attachment) or the instance is not yours.',
  'interface-id': 'Traffic of a regional NAT gateway has no interface; its ID is in resource-id (secondary source).',
  'az-id': 'The traffic is from a sublocation (Local Zone, Wavelength Zone or Outpost).',
  'tgw-src-az-id': 'The traffic is from a sublocation.',
  'sublocation-type': 'The interface is not in a sublocation.',
  'sublocation-id': 'The interface is not in a sublocation.',
  'ecs-container-instance-arn': 'The task runs on Fargate, or the traffic is not from an ECS task.',
  'ecs-container-instance-id': 'The task runs on Fargate, or the traffic is not from an ECS task.',
  'ecs-service-name': 'The task was not started by an ECS service, or the traffic is not from an ECS task.',
  'ecs-second-container-id': 'The task has only one container, or the traffic is not from an ECS task.',
  'reject-reason': `The traffic was accepted, or rejected for a reason other than those the field names: ${rejectReasons()}.`,
  'resource-id': 'The flow is tied to a network interface (see interface-id).',
  'encryption-status': 'Unknown, or VPC Encryption Controls are off.',
  'tcp-flags': 'The flag combination was invalid and could not be calculated, or the record has no traffic.',
  'pkt-src-aws-service': 'The address is not in a published AWS IP range.',
  'pkt-dst-aws-service': 'The address is not in a published AWS IP range.',
  'log-status': 'Unexpected: AWS always writes a log status.',
};

function nullReason(name: string): string | undefined {
  const reason = NULL_REASONS[name];
  if (reason) return reason;
  if (TRAFFIC_FIELDS.has(name)) return NO_TRAFFIC;
  if (name.startsWith('ecs-')) return 'The traffic is not from a running ECS task.';
  if (/-tag(-2)?$/.test(name)) return 'The resource has no value for the chosen tag key.';
  if (name.startsWith('next-hop-')) return 'No next hop was recorded for this flow.';
  if (/^tgw-(src|dst)-/.test(name)) return 'Not applicable to this side of the flow, e.g. it is not a VPC attachment.';
  return undefined;
}

function decodeNull(spec: FieldSpec): DecodedValue {
  const lines = ['`-`: no value (not applicable, or could not be computed).'];
  const reason = nullReason(spec.name);
  if (reason) lines.push(reason);
  return { short: 'null', lines };
}

// ---- tcp-flags ------------------------------------------------------------------------------

/** TCP flag bits and their names. */
export const FLAG_BITS: readonly (readonly [number, string])[] = [
  [1, 'FIN'], [2, 'SYN'], [4, 'RST'], [8, 'PSH'], [16, 'ACK'], [32, 'URG'], [64, 'ECE'], [128, 'CWR'],
];

const FLAG_MEANINGS: Readonly<Record<number, string>> = {
  1: 'The source closed its side of the connection (FIN).',
  2: 'The source opened a connection: it is the client (initiator).',
  3: 'A short connection opened and closed within one aggregation interval; the source is the client.',
  4: 'The source reset the connection (RST).',
  18: 'The source answered a connection attempt: it is the server side, the destination is the client.',
  19: 'The server side of a short connection: it answered (SYN-ACK) and closed (FIN) within one interval.',
};

/** Combination name: `SYN-ACK` for SYN with ACK, the others joined with `+` (`SYN-ACK+FIN`). */
export function tcpFlagsName(value: number): string {
  const synAck = (value & 18) === 18;
  const parts: string[] = [];
  if (synAck) parts.push('SYN-ACK');
  for (const [bit, name] of FLAG_BITS) {
    if (value & bit && !(synAck && (bit === 2 || bit === 16))) parts.push(name);
  }
  // SYN reads first: "SYN+FIN" is what AWS's documentation calls 3.
  const syn = parts.indexOf('SYN');
  if (syn > 0) parts.unshift(...parts.splice(syn, 1));
  return parts.join('+');
}

export function decodeTcpFlags(raw: string, ctx: DecodeContext): DecodedValue | undefined {
  const value = parseUint(raw);
  if (value === undefined || value > 255) return undefined;
  const notTcp = ctx.protocol !== undefined && ctx.protocol !== TCP;
  const proto = notTcp ? `protocol ${ctx.protocol} (${protocolLabel(ctx.protocol ?? 0)})` : '';
  const recorded = 'Flow logs record only FIN (1), SYN (2), RST (4) and SYN-ACK (18), OR-ed over the aggregation interval; other flags (ACK alone, PSH, URG, ECE, CWR) are never reported.';
  const bits = FLAG_BITS.filter(([bit]) => value & bit).map(([bit, n]) => `${n} (${bit})`);
  if (!isReachableTcpFlags(value)) {
    // Not described as a flag combination: AWS cannot write it, so it says nothing about the flow.
    const lines = [
      `**${value}** is not a value AWS writes: ${unreachableTcpFlagsReason(value)}.`,
      `Its bits would be ${bits.join(' + ')}. The possible values are ${reachableTcpFlagsText()}.`,
      recorded,
    ];
    if (notTcp) lines.push(`Unexpected: the flow is ${proto}, not TCP.`);
    return { short: 'not an AWS value', lines };
  }
  // Each family's own documented wording about ACK-only traffic.
  const ackOnly = ctx.tgw
    ? 'AWS (Transit Gateway): when a flow consists of only ACK packets, the value is 0, not 16.'
    : 'AWS (VPC): traffic with only unsupported flags such as ACK or PSH gives 0.';
  if (value === 0) {
    const lines = notTcp
      ? [`0: no TCP flags; the flow is ${proto}, not TCP.`]
      : ['0: none of FIN, SYN, RST or SYN-ACK in the interval: mid-connection traffic (only ACK or PSH), no flags at all, or a non-TCP flow.', ackOnly, recorded];
    return { short: notTcp ? 'none' : 'no SYN/FIN/RST', lines };
  }
  const name = tcpFlagsName(value);
  const lines = [`**${name}**: ${bits.join(' + ')}`];
  const known = FLAG_MEANINGS[value];
  if (known) lines.push(known);
  else {
    const acts: string[] = [];
    if ((value & 18) === 18) acts.push('answered a connection attempt (server side)');
    else if (value & 2) acts.push('opened a connection (client side)');
    if (value & 1) acts.push('sent FIN (closing)');
    if (value & 4) acts.push('sent RST (reset)');
    lines.push(`Flags are OR-ed over the interval: the source ${acts.join(', ')}.`);
  }
  if (notTcp) lines.push(`Unexpected: the flow is ${proto}, not TCP.`);
  lines.push(recorded);
  return { short: clip(name), lines };
}

// ---- traffic-path ---------------------------------------------------------------------------

export function decodeTrafficPath(raw: string): DecodedValue | undefined {
  const code = parseUint(raw);
  if (code === undefined) return undefined;
  const path = TRAFFIC_PATHS[code - 1];
  if (!path) return { short: 'unknown path', lines: [`Unknown traffic path ${code} (AWS defines 1–${TRAFFIC_PATHS.length}).`] };
  return { short: path.label, lines: [`**${code}**: ${path.meaning}`, 'Egress traffic only.'] };
}

// ---- protocol, port -------------------------------------------------------------------------

export function decodeProtocol(raw: string): DecodedValue | undefined {
  const n = parseUint(raw);
  if (n === undefined || n > 255) return undefined;
  const info = protocolInfo(n);
  if (!info) {
    return { short: 'unassigned', lines: [`Protocol ${n} is unassigned in the IANA registry (${LAST_ASSIGNED_PROTOCOL + 1}–252 are unassigned).`] };
  }
  const head = info.keyword ? `**${info.keyword}**: ${info.name}` : info.name;
  const lines = [`IANA protocol ${n}: ${head}${info.deprecated ? ' (deprecated)' : ''}`];
  const short = n === 255 ? 'reserved' : n >= 253 ? 'experimental' : info.keyword || clip(info.name);
  return { short, lines };
}

const transportLabel = (s: PortService) => (s.transport === 'both' ? 'TCP and UDP' : s.transport.toUpperCase());

export function decodePort(raw: string, ctx: DecodeContext): DecodedValue | undefined {
  const port = parseUint(raw);
  if (port === undefined || port > 65535) return undefined;
  if (port === 0) return { short: 'no port', lines: ['0 (ICMP and other protocols without ports use 0)'] };
  const services = ctx.protocol === undefined || protocolHasPorts(ctx.protocol) ? portServices(port, ctx.protocol) : [];
  const lines = services.map((s) => `Port ${port} (${transportLabel(s)}): **${s.name}**, ${s.description}`);
  if (!services.length && ctx.protocol !== undefined) {
    const other = portServices(port);
    if (other.length) {
      const usual = other.map((s) => `${s.name} over ${transportLabel(s)}`).join(', ');
      lines.push(`Port ${port} is usually ${usual}; this flow is ${protocolLabel(ctx.protocol)}.`);
    }
  }
  const ephemeral = isEphemeralPort(port);
  if (ephemeral) lines.push(`In the ${ephemeral.label}: likely the client side of a connection.`);
  if (!lines.length) {
    const range = portRange(port);
    lines.push(`No well-known service; ${range === 'system' ? 'system port range 1–1023' : 'registered port range 1024–49151'}.`);
  }
  const names = [...new Set(services.map((s) => s.name))].join(' / ');
  return { short: clip(names || (ephemeral ? 'ephemeral' : '')), lines };
}

// ---- time -----------------------------------------------------------------------------------

const toSeconds = (n: number) => epochMilliseconds(n) / 1000;
const MAX_ISO_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 120) return `${Number(s.toFixed(3))} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = Math.round(s % 60);
  return [h ? `${h} h` : '', m ? `${m} min` : '', rest ? `${rest} s` : ''].filter(Boolean).join(' ');
}

export function decodeTime(spec: FieldSpec, raw: string, ctx: DecodeContext): DecodedValue | undefined {
  const n = parseUint(raw);
  if (n === undefined) return undefined;
  const ms = epochMilliseconds(n);
  // Beyond year 9999 the ISO form changes shape, and no flow log is that late.
  if (ms > MAX_ISO_MS) return undefined;
  const date = new Date(ms);
  const iso = date.toISOString();
  const frac = ms % 1000 ? iso.slice(19, 23) : '';
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac}`;
  const lines = [`**${text} UTC**`];
  if (isMilliseconds(n)) lines.push('This value is in milliseconds; AWS documents seconds, but some logs carry milliseconds.');
  else if (n < 1e9) lines.push('Earlier than 2001: possibly a truncated value.');
  if ((spec.name === 'start' || spec.name === 'end') && ctx.start !== undefined && ctx.end !== undefined) {
    const window = toSeconds(ctx.end) - toSeconds(ctx.start);
    if (!Number.isFinite(window)) return { short: `${text}Z`, lines };
    if (window < 0) lines.push(`Window: end is ${formatDuration(window)} before start.`);
    else lines.push(`Window (start → end): ${formatDuration(window)}`);
    if (window > 660) lines.push('Longer than the maximum aggregation interval (10 min).');
  }
  return { short: `${text}Z`, lines };
}

// ---- counts ---------------------------------------------------------------------------------

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** `4249` → `4.1 KiB`; below 1024 plain bytes. */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  let v = n;
  let unit = 'B';
  for (const u of UNITS) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  return `${v.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

const LOSS_REASONS: Readonly<Record<string, string>> = {
  'packets-lost-no-route': 'no route matched the destination',
  'packets-lost-blackhole': 'the matching route is a blackhole route',
  'packets-lost-mtu-exceeded': 'the packet size exceeded the MTU',
  'packets-lost-ttl-expired': 'the time to live expired',
};

function averageLine(bytes: number | undefined, packets: number | undefined): string | undefined {
  if (bytes === undefined || !packets || !Number.isFinite(bytes / packets)) return undefined;
  return `Average packet size: ${plural(Math.round(bytes / packets), 'byte')} (${plural(bytes, 'byte')} / ${plural(packets, 'packet')})`;
}

export function decodeCount(spec: FieldSpec, raw: string, ctx: DecodeContext): DecodedValue | undefined {
  const n = parseUint(raw);
  if (n === undefined) return undefined;
  const exact = groupDigits(raw);
  const lines: string[] = [];
  let short = '';
  const loss = LOSS_REASONS[spec.name];
  if (loss) {
    lines.push(n === 0 ? 'No packets lost for this reason.' : `${exact} ${n === 1 ? 'packet' : 'packets'} dropped by the transit gateway because ${loss}.`);
    short = n === 0 ? '' : `${exact} lost`;
  } else if (spec.name === 'bytes') {
    lines.push(n === 1 ? '1 byte' : n < 1024 ? `${exact} bytes` : `${exact} bytes (${humanBytes(n)})`);
    const avg = averageLine(n, ctx.packets);
    if (avg) lines.push(avg);
    short = n < 1024 ? '' : humanBytes(n);
  } else if (spec.name === 'packets') {
    lines.push(n === 1 ? '1 packet' : `${exact} packets`);
    const avg = averageLine(ctx.bytes, n);
    if (avg) lines.push(avg);
    short = avg && ctx.bytes !== undefined ? `avg ${Math.round(ctx.bytes / n)} B` : '';
  } else {
    lines.push(exact);
  }
  if (!Number.isSafeInteger(n)) lines.push('Larger than 2^53: arithmetic on it is not exact.');
  return { short, lines };
}

// ---- addresses, enums, accounts -------------------------------------------------------------

const CLASS_SHORT: Readonly<Record<AddressInfo['class'], string>> = {
  public: 'public', private: 'private', cgnat: 'CGNAT', loopback: 'loopback', 'link-local': 'link-local',
  multicast: 'multicast', documentation: 'documentation', unspecified: 'unspecified', broadcast: 'broadcast',
  reserved: 'reserved', benchmarking: 'benchmarking', 'unique-local': 'unique-local', 'ipv4-mapped': 'IPv4-mapped',
  nat64: 'NAT64',
};

export function decodeAddress(raw: string): DecodedValue | undefined {
  const info = classifyAddress(raw);
  if (!info) return undefined;
  const lines = [`IPv${info.family} address: ${info.label}`];
  if (info.note) lines.push(info.note);
  if (info.family === 6) lines.push(`Expanded: ${code(expandIPv6(raw) ?? raw)}`);
  if (info.canonical !== raw) lines.push(`Normal form: ${code(info.canonical)}`);
  const short = info.embedded ? `${CLASS_SHORT[info.class]} ${CLASS_SHORT[info.embedded.class]}` : CLASS_SHORT[info.class];
  return { short, lines };
}

export function decodeEnum(spec: FieldSpec, raw: string): DecodedValue | undefined {
  const values = spec.values ?? [];
  if (!values.length) return undefined;
  const hit = values.find((v) => v.value === raw);
  if (hit) {
    const meaning = hit.secondary ? `${hit.meaning} (secondary source)` : hit.meaning;
    // Numeric codes (encryption-status) say nothing by themselves, so they get a hint.
    const short = /^\d+$/.test(raw) ? clip(meaning.replace(/[.(:].*$/, '').trim()) : '';
    return { short, lines: [`**${hit.value}**: ${meaning}`] };
  }
  const caseHit = values.find((v) => v.value.toLowerCase() === raw.toLowerCase());
  const expected = values.map((v) => code(v.value)).join(', ');
  const lines = caseHit
    ? [`Unknown value; values are case-sensitive: did you mean ${code(caseHit.value)}?`]
    : [`Unknown value (expected one of ${expected}).`];
  if (spec.openEnum && !caseHit) lines.push('This list is known to grow, so it may be a newer value.');
  return { short: 'unknown value', lines };
}

// ---- entry point ----------------------------------------------------------------------------

/** Explains a raw value of a field; see the file comment for the contract. */
export function decodeValue(spec: FieldSpec, raw: string, context: DecodeContext = {}): DecodedValue | undefined {
  if (raw === '') return undefined;
  if (raw === '-') return decodeNull(spec);
  // Each kind's decoder is its entry in the kinds table.
  return VALUE_KINDS[spec.kind].decode(spec, raw, context);
}

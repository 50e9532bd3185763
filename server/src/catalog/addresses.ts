/**
 * IPv4/IPv6 address parsing and classification in plain TypeScript (no Node `net`, so it runs in
 * a web worker). Classes follow the IANA special-purpose address registries; notes add what
 * matters when reading AWS flow logs.
 */

export type AddressClass =
  | 'public'
  | 'private'
  | 'cgnat'
  | 'loopback'
  | 'link-local'
  | 'multicast'
  | 'documentation'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'benchmarking'
  | 'unique-local'
  | 'ipv4-mapped'
  | 'nat64';

export interface AddressInfo {
  readonly family: 4 | 6;
  readonly class: AddressClass;
  /** e.g. "private (RFC 1918, 10.0.0.0/8)". */
  readonly label: string;
  readonly note?: string;
  /** Normal form: IPv4 without leading zeros, IPv6 compressed per RFC 5952, lower case. */
  readonly canonical: string;
  /** The IPv4 address carried inside an IPv4-mapped or NAT64 IPv6 address. */
  readonly embedded?: AddressInfo;
}

import { DOT, NINE, ZERO } from './charCodes';
import { isValidAddress } from './values';

interface ParsedV4 {
  readonly octets: readonly number[];
  readonly leadingZeros: boolean;
}

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Dotted-quad IPv4; octets may have leading zeros (masked data such as `138.000.000.248`). */
export function parseIPv4(text: string): ParsedV4 | undefined {
  const m = V4_RE.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1, 5);
  const octets = parts.map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return { octets, leadingZeros: parts.some((p) => p.length > 1 && p.startsWith('0')) };
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** IPv6 text → eight 16-bit groups; undefined when it is not an IPv6 address (zone ids rejected). */
export function parseIPv6(text: string): number[] | undefined {
  // 45 chars is the longest valid form (six full groups plus a dotted quad).
  if (text.length > 45 || !text.includes(':')) return undefined;
  let body = text;
  let tailV4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4 || v4.leadingZeros) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v4.octets;
    tailV4 = [a * 256 + b, c * 256 + d];
    // Keep a trailing ':' when the dotted quad follows '::' so the split below still sees it.
    body = text.slice(0, lastColon + 1);
    body = body.endsWith('::') ? body : body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const parts = s.split(':');
    if (!parts.every((p) => HEX_GROUP.test(p))) return undefined;
    return parts.map((p) => parseInt(p, 16));
  };
  const head = toGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const given = head.length + tail.length + tailV4.length;
  if (halves.length === 1) return given === 8 ? [...head, ...tailV4] : undefined;
  // '::' stands for at least one zero group.
  if (given > 7) return undefined;
  return [...head, ...new Array<number>(8 - given).fill(0), ...tail, ...tailV4];
}

/** Full eight-group form, e.g. `2001:0db8:0000:0000:0000:0000:0000:0001`. */
export function expandIPv6(text: string): string | undefined {
  return parseIPv6(text)?.map((g) => g.toString(16).padStart(4, '0')).join(':');
}

/** RFC 5952 form: lower case, no leading zeros, longest zero run (≥ 2 groups) as `::`. */
export function compressIPv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (gs: readonly number[]) => gs.map((g) => g.toString(16)).join(':');
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

interface Rule {
  readonly base: bigint;
  readonly bits: number;
  readonly cls: AddressClass;
  readonly label: string;
  readonly note?: string;
}

const v4Value = (o: readonly number[]): bigint => BigInt(((o[0] ?? 0) * 256 + (o[1] ?? 0)) * 65536 + (o[2] ?? 0) * 256 + (o[3] ?? 0));
const v6Value = (g: readonly number[]): bigint => g.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n);

/** A special-purpose block; the label reads "name (ref, cidr)". */
function rule(cidr: string, cls: AddressClass, name: string, ref: string, note?: string): Rule {
  const [addr = '', bits = '0'] = cidr.split('/');
  const v4 = parseIPv4(addr);
  const base = v4 ? v4Value(v4.octets) : v6Value(parseIPv6(addr) ?? []);
  const where = bits === (v4 ? '32' : '128') ? addr : cidr;
  const label = `${name} (${ref ? `${ref}, ${where}` : where})`;
  return { base, bits: Number(bits), cls, label, note };
}

const NOT_LOGGED = 'AWS flow logs do not record traffic to the instance metadata service (169.254.169.254), Amazon Time Sync (169.254.169.123) or Amazon DNS.';

// Most specific first; the first match wins.
const V4_RULES: readonly Rule[] = [
  rule('0.0.0.0/32', 'unspecified', 'unspecified', 'RFC 1122'),
  rule('0.0.0.0/8', 'reserved', '"this network"', 'RFC 791'),
  rule('10.0.0.0/8', 'private', 'private', 'RFC 1918'),
  rule('100.64.0.0/10', 'cgnat', 'CGNAT shared address space', 'RFC 6598',
    'Not publicly routed; VPCs can also use it as a secondary CIDR (e.g. for pods).'),
  rule('127.0.0.0/8', 'loopback', 'loopback', 'RFC 1122'),
  rule('169.254.169.254/32', 'link-local', 'link-local: instance metadata service, IMDS', '',
    'AWS flow logs do not record instance metadata traffic.'),
  rule('169.254.169.123/32', 'link-local', 'link-local: Amazon Time Sync Service', '',
    'AWS flow logs do not record time-sync traffic.'),
  rule('169.254.169.253/32', 'link-local', 'link-local: Amazon DNS resolver', '',
    'AWS flow logs do not record Amazon DNS traffic.'),
  rule('169.254.0.0/16', 'link-local', 'link-local', 'RFC 3927', NOT_LOGGED),
  rule('172.16.0.0/12', 'private', 'private', 'RFC 1918'),
  rule('192.0.0.0/24', 'reserved', 'IETF protocol assignments', 'RFC 6890'),
  rule('192.0.2.0/24', 'documentation', 'documentation TEST-NET-1', 'RFC 5737'),
  rule('192.168.0.0/16', 'private', 'private', 'RFC 1918'),
  rule('198.18.0.0/15', 'benchmarking', 'benchmarking', 'RFC 2544'),
  rule('198.51.100.0/24', 'documentation', 'documentation TEST-NET-2', 'RFC 5737'),
  rule('203.0.113.0/24', 'documentation', 'documentation TEST-NET-3', 'RFC 5737'),
  rule('224.0.0.0/4', 'multicast', 'multicast', 'RFC 5771'),
  rule('255.255.255.255/32', 'broadcast', 'limited broadcast', 'RFC 919'),
  rule('240.0.0.0/4', 'reserved', 'reserved for future use', 'RFC 1112'),
];

const V6_RULES: readonly Rule[] = [
  rule('::/128', 'unspecified', 'unspecified', 'RFC 4291'),
  rule('::1/128', 'loopback', 'loopback', 'RFC 4291'),
  rule('::ffff:0:0/96', 'ipv4-mapped', 'IPv4-mapped', 'RFC 4291'),
  rule('::/96', 'reserved', 'deprecated IPv4-compatible', 'RFC 4291'),
  rule('64:ff9b::/96', 'nat64', 'NAT64 well-known prefix', 'RFC 6052',
    'An IPv6-only client reaching an IPv4 address through a NAT64 (e.g. an AWS NAT gateway with DNS64).'),
  rule('64:ff9b:1::/48', 'nat64', 'NAT64 local-use prefix', 'RFC 8215'),
  rule('100::/64', 'reserved', 'discard-only', 'RFC 6666'),
  rule('2001:2::/48', 'benchmarking', 'benchmarking', 'RFC 5180'),
  rule('2001:db8::/32', 'documentation', 'documentation', 'RFC 3849'),
  rule('3fff::/20', 'documentation', 'documentation', 'RFC 9637'),
  rule('2001::/32', 'public', 'public', 'Teredo tunnelling, RFC 4380'),
  rule('2002::/16', 'public', 'public', '6to4, RFC 3056'),
  rule('fd00:ec2::254/128', 'unique-local', 'unique-local: instance metadata service, IPv6 endpoint', ''),
  rule('fd00:ec2::123/128', 'unique-local', 'unique-local: Amazon Time Sync Service, IPv6 endpoint', ''),
  rule('fd00:ec2::253/128', 'unique-local', 'unique-local: Amazon DNS resolver, IPv6 endpoint', ''),
  rule('fe80::/10', 'link-local', 'link-local', 'RFC 4291'),
  rule('fec0::/10', 'reserved', 'deprecated site-local', 'RFC 3879'),
  rule('fc00::/7', 'unique-local', 'unique local', 'RFC 4193'),
  rule('ff00::/8', 'multicast', 'multicast', 'RFC 4291'),
  rule('2000::/3', 'public', 'public', 'global unicast'),
];

function match(rules: readonly Rule[], value: bigint, width: number): Rule | undefined {
  return rules.find((r) => {
    const shift = BigInt(width - r.bits);
    return value >> shift === r.base >> shift;
  });
}

const PUBLIC_V4 = 'public (globally routable)';

function classifyV4(parsed: ParsedV4): AddressInfo {
  const canonical = parsed.octets.join('.');
  const r = match(V4_RULES, v4Value(parsed.octets), 32);
  const notes: string[] = [];
  if (r?.note) notes.push(r.note);
  const note = notes.length ? notes.join(' ') : undefined;
  return { family: 4, class: r?.cls ?? 'public', label: r?.label ?? PUBLIC_V4, canonical, ...(note ? { note } : {}) };
}

function classifyV6(groups: readonly number[]): AddressInfo {
  const value = v6Value(groups);
  const r = match(V6_RULES, value, 128);
  const cls = r?.cls ?? 'reserved';
  let label = r?.label ?? 'reserved by the IETF (outside 2000::/3 global unicast)';
  let note = r?.note;
  let embedded: AddressInfo | undefined;
  // Only the /96 prefixes carry the IPv4 address in the last 32 bits.
  if (cls === 'ipv4-mapped' || (cls === 'nat64' && r?.bits === 96)) {
    const low = groups.slice(6);
    embedded = classifyV4({ octets: low.flatMap((g) => [g >> 8, g & 255]), leadingZeros: false });
    label = `${label} of ${embedded.canonical}: ${embedded.label}`;
    if (embedded.note) note = note ? `${note} ${embedded.note}` : embedded.note;
  }
  const canonical = cls === 'ipv4-mapped' && embedded ? `::ffff:${embedded.canonical}` : compressIPv6(groups);
  return { family: 6, class: cls, label, canonical, ...(note ? { note } : {}), ...(embedded ? { embedded } : {}) };
}

/**
 * Classifies an IPv4 or IPv6 address; undefined for anything that is not exactly an address as
 * validation defines it (`isValidAddress`): a zero-padded octet (`138.000.000.248`) is reported
 * by validation, not read here as another address.
 */
export function classifyAddress(text: string): AddressInfo | undefined {
  if (text.length > 45 || !isValidAddress(text, 0, text.length)) return undefined;
  const v4 = parseIPv4(text);
  if (v4) return classifyV4(v4);
  const v6 = parseIPv6(text);
  return v6 ? classifyV6(v6) : undefined;
}

/**
 * IPv4 cell text[start, end) as an unsigned 32-bit number, or -1. Octets may be zero-padded
 * (`010`), unless `canonical`: then only the dotted quad its number is written as is read.
 */
export function readIPv4(text: string, start: number, end: number, canonical = false): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      if (canonical && digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - ZERO);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === DOT && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

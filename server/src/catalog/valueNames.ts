/**
 * Names people use for coded values, resolved to the codes the records hold: protocol keywords
 * (`tcp` → 6), port service names (`ssh` → 22), TCP flag names (`syn-ack` → 18, `syn+fin` → 3)
 * and traffic-path names (`igw` → 2, or the hover's own words, "IGW or gateway endpoint").
 * The filter language reads them; completion lists them. All case-insensitive.
 */
import { FLAG_BITS } from './decoders';
import { TRAFFIC_PATHS } from './kinds';
import type { FieldSpec } from './fields';
import { portNames, portsNamed } from './ports';
import { allProtocols, protocolNumber } from './protocols';

/** Short one-word names of traffic paths 1–8, besides the hover's wording. */
export const TRAFFIC_PATH_ALIASES: readonly string[] = [
  'same-vpc',
  'igw',
  'vgw',
  'intra-region-peering',
  'inter-region-peering',
  'local-gateway',
  'gateway-endpoint-nitro',
  'igw-nitro',
];

/** SYN with ACK, as the hover names 18. */
const SYN_ACK = 18;

/** Bit of one flag name (`syn` → 2, `syn-ack` → 18), or undefined. */
function flagBits(name: string): number | undefined {
  const upper = name.toUpperCase();
  if (upper === 'SYN-ACK') return SYN_ACK;
  for (const [bit, flag] of FLAG_BITS) if (flag === upper) return bit;
  return undefined;
}

/** TCP flags value of `syn`, `syn-ack`, `syn+fin` (flags joined with `+`, as the hover joins them). */
export function tcpFlagsByName(name: string): number | undefined {
  let bits = 0;
  for (const part of name.split('+')) {
    const bit = flagBits(part);
    if (bit === undefined) return undefined;
    bits |= bit;
  }
  return bits;
}

/** Names of the single flags and SYN-ACK, as the filter language accepts them. */
export function tcpFlagNames(): { name: string; value: number }[] {
  return [...FLAG_BITS.map(([value, name]) => ({ name: name.toLowerCase(), value })), { name: 'syn-ack', value: SYN_ACK }];
}

/** Traffic-path code of an alias (`igw`) or of the hover's short name (`IGW or gateway endpoint`). */
export function trafficPathByName(name: string): number | undefined {
  const lower = name.toLowerCase();
  const alias = TRAFFIC_PATH_ALIASES.indexOf(lower);
  if (alias >= 0) return alias + 1;
  const hover = TRAFFIC_PATHS.findIndex(({ label }) => label.toLowerCase() === lower);
  return hover >= 0 ? hover + 1 : undefined;
}

/** Protocol number of an IANA keyword (`tcp`, `ipv6-icmp`). */
export function protocolByName(name: string): number | undefined {
  return protocolNumber(name);
}

/** Ports of a service name (`ssh`, `"ftp data"`). */
export function portsByName(name: string): readonly number[] {
  return portsNamed(name);
}

export interface ValueName {
  /** What to write (quoted by the caller when it holds a space). */
  readonly name: string;
  /** What it stands for, for a completion's detail. */
  readonly detail: string;
}

/** The names a field's values can be written as, for completion. */
export function valueNamesOf(spec: FieldSpec): ValueName[] {
  switch (spec.kind) {
    case 'protocol':
      return allProtocols()
        .filter(({ info }) => info.keyword)
        .map(({ number, info }) => ({ name: info.keyword.toLowerCase(), detail: `${number}: ${info.name}` }));
    case 'port':
      return portNames().map(({ name, ports }) => ({ name, detail: ports.join(', ') }));
    case 'tcpFlags':
      return tcpFlagNames().map(({ name, value }) => ({ name, detail: `bit ${value}` }));
    case 'trafficPath':
      return TRAFFIC_PATH_ALIASES.map((name, i) => ({ name, detail: `${i + 1}: ${TRAFFIC_PATHS[i].label}` }));
    case 'enum':
      return (spec.values ?? []).map((v) => ({ name: v.value, detail: v.meaning }));
    default:
      return [];
  }
}

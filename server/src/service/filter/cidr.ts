/**
 * Addresses and CIDRs of the filter language. A plain address is a /32 or /128 network, so
 * `addr = 10.0.1.5` and `addr in 10.0.0.0/8` are the same test. Record cells are read in place:
 * IPv4 without allocating, IPv6 through the catalog's parser (rare in flow logs).
 */
import { compressIPv6, parseIPv4, parseIPv6, readIPv4 } from '../../catalog/addresses';

export type Cidr =
  | { readonly family: 4; readonly prefix: number; readonly lo: number; readonly hi: number; readonly network: string }
  /** groups: the network's eight 16-bit groups, host bits cleared. */
  | { readonly family: 6; readonly prefix: number; readonly groups: readonly number[]; readonly network: string };

/** Reads `10.0.0.0/8`, `10.0.1.5`, `2001:db8::/32`; a message when it is none of these. */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = parseIPv4(address);
  const v6 = v4 ? undefined : parseIPv6(address);
  if (!v4 && !v6) return `\`${text}\` is not an IPv4 or IPv6 address or CIDR`;
  const max = v4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return `\`/${prefixText}\` is not a prefix length (0–${max})`;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return `prefix /${prefix} is longer than an IPv${v4 ? 4 : 6} address (${max} bits)`;
  if (v4) {
    const [a, b, c, d] = v4.octets;
    const value = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
    const size = 2 ** (32 - prefix);
    const lo = Math.floor(value / size) * size;
    const network = `${[lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255].join('.')}${prefix === 32 ? '' : `/${prefix}`}`;
    return { family: 4, prefix, lo, hi: lo + size - 1, network };
  }
  const groups = (v6 as number[]).map((group, i) => {
    const bits = Math.min(16, Math.max(0, prefix - 16 * i));
    return bits === 16 ? group : bits === 0 ? 0 : group & ~((1 << (16 - bits)) - 1) & 0xffff;
  });
  return { family: 6, prefix, groups, network: `${compressIPv6(groups)}${prefix === 128 ? '' : `/${prefix}`}` };
}

/** Read here by the filter's and the summary's cells. */
export { readIPv4 };

/** Whether the cell text[start, end) is an address inside one of the networks. */
export function cellInNetworks(text: string, start: number, end: number, nets: readonly Cidr[]): boolean {
  const v4 = readIPv4(text, start, end);
  if (v4 >= 0) {
    for (const net of nets) if (net.family === 4 && v4 >= net.lo && v4 <= net.hi) return true;
    return false;
  }
  if (!nets.some((net) => net.family === 6)) return false;
  const groups = parseIPv6(text.slice(start, end));
  if (!groups) return false;
  for (const net of nets) if (net.family === 6 && inV6(groups, net.groups, net.prefix)) return true;
  return false;
}

function inV6(groups: readonly number[], network: readonly number[], prefix: number): boolean {
  for (let i = 0; i < 8; i++) {
    const bits = Math.min(16, Math.max(0, prefix - 16 * i));
    if (bits === 0) return true;
    const mask = bits === 16 ? 0xffff : ~((1 << (16 - bits)) - 1) & 0xffff;
    if ((groups[i] & mask) !== network[i]) return false;
  }
  return true;
}

/**
 * Which tcp-flags values AWS can write. AWS's documentation (spec §3.1): "The bitmask value for
 * the following TCP flags: FIN — 1, SYN — 2, RST — 4, SYN-ACK — 18"; unsupported flags (ACK, PSH,
 * ECE, …) are never reported on their own (ACK-only traffic is 0), and "TCP flags can be OR-ed
 * during the aggregation interval". So a value is an OR of some of 1, 2, 4 and 18, and nothing
 * else can arise. The Transit Gateway documentation says the same of ACK-only flows (0, not 16);
 * a secondary copy of its flag table also lists PSH 8, ACK 16 and URG 32, unverified, so the same
 * set is used for TGW records.
 */

/** The flags AWS records, as it names them. */
export const RECORDED_TCP_FLAGS: readonly (readonly [number, string])[] = [[1, 'FIN'], [2, 'SYN'], [4, 'RST'], [18, 'SYN-ACK']];

/** Every OR of the recorded flags, 0 included (nothing recorded), in ascending order. */
export const REACHABLE_TCP_FLAGS: readonly number[] = (() => {
  const values = new Set<number>([0]);
  for (const [flag] of RECORDED_TCP_FLAGS) for (const value of [...values]) values.add(value | flag);
  return [...values].sort((a, b) => a - b);
})();

const REACHABLE = new Uint8Array(256);
for (const value of REACHABLE_TCP_FLAGS) REACHABLE[value] = 1;

/** Whether AWS can write this tcp-flags value (an integer from 0 to 255). */
export function isReachableTcpFlags(value: number): boolean {
  return REACHABLE[value] === 1;
}

/** `0–7, 18, 19, 22 and 23`: the reachable values, runs collapsed, for messages. */
export function reachableTcpFlagsText(): string {
  const parts: string[] = [];
  const values = REACHABLE_TCP_FLAGS;
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j] + 1) j++;
    if (j - i >= 2) parts.push(`${values[i]}–${values[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(values[k]));
    i = j + 1;
  }
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Why a value cannot come from AWS: the bits in it that AWS never records that way. */
export function unreachableTcpFlagsReason(value: number): string {
  const reasons: string[] = [];
  if (value & 16 && !(value & 2)) reasons.push('ACK (16) is recorded only within SYN-ACK (18)');
  const unrecorded = [[8, 'PSH'], [32, 'URG'], [64, 'ECE'], [128, 'CWR']].filter(([bit]) => value & (bit as number)).map(([bit, name]) => `${name} (${bit})`);
  if (unrecorded.length > 0) reasons.push(`${[unrecorded.slice(0, -1).join(', '), unrecorded[unrecorded.length - 1]].filter(Boolean).join(' and ')} ${unrecorded.length === 1 ? 'is' : 'are'} never recorded`);
  return reasons.join('; ');
}

/**
 * Damage for record lines, shared by the fast path's property tests (fastPath.test.ts against the
 * exact path, kernel.test.ts against the WebAssembly kernel): values on the edges of every check,
 * and random mutations of a line.
 */

/** Values that sit on the edges of the checks: ranges, prefixes, families, enums, shapes. */
export const VALUES = [
  '-', '0', '65535', '65536', '255', '256', '99', '100', '1e3', '123456789012345', '9007199254740993', '1700000000', '1700000601',
  '1700000000000', '4102444800', '4102444801', 'unknown', '12345678901', 'IPv4', 'IPv6', 'EFA', 'ingress', 'egress', 'OK', '0K',
  'NODATA', 'SKIPDATA', 'ACCEPT', 'accept', '::', '::1', '1::', '::ffff:10.0.0.1', '2001:db8::1.2.3.4', '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9', '10.0.0.256', '010.000.000.001', '1.2.3', 'us-east-1', 'us-gov-west-1', 'use1-az1', 'usw2-lax1-az1',
  'use1-az123', 'S3', 'AMAZON_CONNECT', 's3', 'eni-', 'eni-01234567', 'eni-0123456789abcdef01', 'eni-0123456789ABCDEF0',
  'i-0123456789abcdef0', 'tgw-0123456789abcdef0', 'tgw-attach-0123456789abcdef0', 'nat-0123456789abcdef0', '1', '3', '6', '8',
  '9', '17', '19', '#x', 'a#b', 'wavelength', 'arn:aws:ecs:us-east-1:123456789012:cluster/x', 'us-1', 'useast-1', 'us-east-12',
  'us-east-123', 'use1-az', 'usw2-lax1-az12', 'usw2-la1-az1', 'eni-0123456', 'eni-0123456789abcdef012', 'AMAZON-X', '00443', '99999999999',
  'use-east-1', 'abcdefg1-az1', 'a\tb', '\t',
  // tcp-flags AWS cannot write, and zero-padded IPv4 octets: both only on the exact path.
  '8', '16', '20', '22', '23', '24', '26', '63', '255', '138.000.000.248', '10.0.0.01', '10.00.0.1',
  // IPv6 shapes the WebAssembly kernel reads itself (and the IPv4 tails it leaves to JavaScript).
  'FE80::A', 'fe80::1%eth0', '1::2::3', ':1', '1:', ':::', '12345::', 'g::1', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7',
  '1:2:3:4:5:6::7:8', '1:2:3:4:5:6:7:8:', '::ffff:1.2.3', '1:2:3:4:5:6:1.2.3.4', '2001:db8:0:0:0:0:2:1', '::1.2.3.04',
];
export const CHARACTERS = ['0', '9', 'a', 'f', 'z', 'Z', '-', ' ', '\t', '#', ':', '.', '{', 'é', '_', '\r'];

export function mutate(line: string, random: () => number): string {
  let result = line;
  for (let n = 1 + Math.floor(random() * 2); n > 0; n--) {
    const at = Math.floor(random() * (result.length + 1));
    const roll = random();
    if (roll < 0.5) {
      const tokens = result.split(' ');
      tokens[Math.floor(random() * tokens.length)] = VALUES[Math.floor(random() * VALUES.length)];
      result = tokens.join(' ');
    } else if (roll < 0.85) {
      const character = CHARACTERS[Math.floor(random() * CHARACTERS.length)];
      result = result.slice(0, at) + character + result.slice(roll < 0.7 ? at + 1 : at);
    } else if (roll < 0.96) {
      result = result.slice(0, at) + result.slice(at + 1);
    } else {
      result = `2018-09-22T20:28:14.000Z ${result}`;
    }
  }
  return result;
}

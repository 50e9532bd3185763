/**
 * The filter language: every operator on every kind of field, decoded names, addresses and
 * CIDRs, times, `-` cells, precedence, and every error with its span.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFieldList } from '../../server/src/service/fieldList';
import { checkFilter, FilterError, Match, RecordFilter } from '../../server/src/service/filter';
import { isoSeconds } from '../../server/src/service/filter/bind';
import { formatFromList, DEFAULT_FORMAT, type FlowLogFormat } from '../../server/src/service/formatModel';

const V5_NAMES =
  'version account-id vpc-id subnet-id instance-id interface-id srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol packets bytes start end action tcp-flags type region az-id flow-direction traffic-path pkt-src-aws-service pkt-dst-aws-service log-status';
const V5 = formatFromList(parseFieldList(V5_NAMES), 'header');
const TGW = formatFromList(parseFieldList('tgw-default'), 'header');

const BASE: Record<string, string> = {
  version: '5', 'account-id': '123456789010', 'vpc-id': 'vpc-0a1b2c3d4e5f60718', 'subnet-id': 'subnet-0123456789abcdef0',
  'instance-id': 'i-0fedcba9876543210', 'interface-id': 'eni-0109031c05318848b', srcaddr: '10.0.3.21', dstaddr: '198.51.100.7',
  srcport: '49152', dstport: '22', 'pkt-srcaddr': '10.0.3.21', 'pkt-dstaddr': '198.51.100.7', protocol: '6', packets: '10', bytes: '840',
  start: '1767229235', end: '1767229276', action: 'ACCEPT', 'tcp-flags': '19', type: 'IPv4', region: 'us-east-1', 'az-id': 'use1-az4',
  'flow-direction': 'egress', 'traffic-path': '2', 'pkt-src-aws-service': '-', 'pkt-dst-aws-service': 'S3', 'log-status': 'OK',
};

function record(overrides: Record<string, string> = {}, format: FlowLogFormat = V5): string {
  const values = { ...BASE, ...overrides };
  return format.names.map((name) => values[name] ?? '-').join(' ');
}

function matches(expression: string, overrides: Record<string, string> = {}, format: FlowLogFormat = V5): boolean {
  const line = record(overrides, format);
  const result = new RecordFilter(expression).matchLine(line, 0, line.length, format);
  assert.notEqual(result, Match.Malformed);
  return result === Match.Yes;
}

/** The error a filter gives for the format: message and the text its span covers. */
function failure(expression: string, format: FlowLogFormat = V5): { message: string; at: string; suggestion?: string } {
  const error = checkFilter(expression, format);
  assert.ok(error instanceof FilterError, `expected an error for ${expression}`);
  return { message: error.message, at: expression.slice(error.start, error.end), suggestion: error.suggestion };
}

describe('filter: comparison operators on integers', () => {
  const cases: [string, string, boolean][] = [
    ['dstport = 22', '22', true], ['dstport = 22', '23', false],
    ['dstport != 22', '22', false], ['dstport != 22', '23', true],
    ['dstport < 22', '21', true], ['dstport < 22', '22', false],
    ['dstport <= 22', '22', true], ['dstport <= 22', '23', false],
    ['dstport > 22', '23', true], ['dstport > 22', '22', false],
    ['dstport >= 22', '22', true], ['dstport >= 22', '21', false],
    ['dstport in (22, 80)', '80', true], ['dstport in (22, 80)', '81', false],
    ['dstport in 1024..65535', '1024', true], ['dstport in 1024..65535', '65535', true], ['dstport in 1024..65535', '1023', false],
    ['dstport in (22, 8000..8999)', '8500', true], ['dstport in (22, 8000..8999)', '9000', false],
    ['dstport not in (22, 80)', '22', false], ['dstport not in (22, 80)', '443', true],
    ['dstport=22', '22', true],
  ];
  for (const [expression, value, expected] of cases) {
    it(`${expression} with dstport ${value} → ${expected}`, () => assert.equal(matches(expression, { dstport: value }), expected));
  }
});

describe('filter: `-` cells and the `-` value', () => {
  it('a `-` cell fails every comparison but passes != and not', () => {
    for (const expression of ['traffic-path = 2', 'traffic-path < 8', 'traffic-path >= 0', 'traffic-path in (1..8)']) assert.equal(matches(expression, { 'traffic-path': '-' }), false, expression);
    assert.equal(matches('traffic-path != 2', { 'traffic-path': '-' }), true);
    assert.equal(matches('not traffic-path = 2', { 'traffic-path': '-' }), true);
    assert.equal(matches('pkt-src-aws-service != S3'), true);
    assert.equal(matches('pkt-src-aws-service = S3'), false);
  });
  it('`= -` and `!= -` test for no value', () => {
    assert.equal(matches('pkt-src-aws-service = -'), true);
    assert.equal(matches('pkt-dst-aws-service = -'), false);
    assert.equal(matches('pkt-dst-aws-service != -'), true);
    assert.equal(matches('action = -', { action: '-' }), true);
  });
  it('a quoted "-" is the text, which the same cell holds', () => {
    assert.equal(matches('pkt-src-aws-service = "-"'), true);
  });
});

describe('filter: decoded names', () => {
  it('protocol names, case-insensitive', () => {
    assert.equal(matches('protocol = tcp'), true);
    assert.equal(matches('protocol = TCP'), true);
    assert.equal(matches('protocol = udp'), false);
    assert.equal(matches('protocol = udp', { protocol: '17' }), true);
    assert.equal(matches('protocol in (icmp, ipv6-icmp)', { protocol: '58' }), true);
  });
  it('port service names, quoted when they hold a space', () => {
    assert.equal(matches('dstport = ssh'), true);
    assert.equal(matches('dstport = SSH'), true);
    assert.equal(matches('dstport = https', { dstport: '443' }), true);
    assert.equal(matches('dstport = "ftp data"', { dstport: '20' }), true);
    assert.equal(matches('dstport in (http, https)'), false);
  });
  it('TCP flags: has, names, SYN-ACK and +', () => {
    assert.equal(matches('tcp-flags has syn'), true);
    assert.equal(matches('tcp-flags has fin'), true);
    assert.equal(matches('tcp-flags has rst'), false);
    assert.equal(matches('tcp-flags has syn-ack'), true);
    assert.equal(matches('tcp-flags has syn-ack', { 'tcp-flags': '2' }), false);
    assert.equal(matches('tcp-flags = syn-ack', { 'tcp-flags': '18' }), true);
    assert.equal(matches('tcp-flags = syn+fin', { 'tcp-flags': '3' }), true);
    assert.equal(matches('tcp-flags = syn', { 'tcp-flags': '3' }), false);
    assert.equal(matches('tcp-flags has 16', { 'tcp-flags': '18' }), true);
  });
  it('traffic paths by alias and by the hover’s words', () => {
    assert.equal(matches('traffic-path = igw'), true);
    assert.equal(matches('traffic-path = "IGW or gateway endpoint"'), true);
    assert.equal(matches('traffic-path = same-vpc'), false);
    assert.equal(matches('traffic-path = igw-nitro', { 'traffic-path': '8' }), true);
    assert.equal(matches('traffic-path in (vgw, 4..5)', { 'traffic-path': '4' }), true);
  });
  it('enum values case-insensitively, written as the catalog spells them', () => {
    assert.equal(matches('action = accept'), true);
    assert.equal(matches('action = Reject'), false);
    assert.equal(matches('log-status in (ok, nodata)'), true);
    assert.equal(matches('flow-direction = EGRESS'), true);
    assert.equal(matches('type = ipv4'), true);
  });
  it('other text exactly; underscore field names too', () => {
    assert.equal(matches('vpc-id = vpc-0a1b2c3d4e5f60718'), true);
    assert.equal(matches('vpc_id = vpc-0a1b2c3d4e5f60718'), true);
    assert.equal(matches('region = US-EAST-1'), false);
    assert.equal(matches('account-id in (111111111111, 123456789010)'), true);
  });
});

describe('filter: addresses', () => {
  it('address equality and CIDRs, IPv4 and IPv6', () => {
    assert.equal(matches('srcaddr = 10.0.3.21'), true);
    assert.equal(matches('srcaddr = 10.0.3.22'), false);
    assert.equal(matches('srcaddr in 10.0.0.0/8'), true);
    assert.equal(matches('srcaddr in 10.0.0.0/24'), false);
    assert.equal(matches('srcaddr in 10.0.3.0/24'), true);
    assert.equal(matches('srcaddr in 10.0.3.99/24'), true, 'host bits are cleared');
    assert.equal(matches('srcaddr in 0.0.0.0/0'), true);
    assert.equal(matches('srcaddr in (192.168.0.0/16, 10.0.0.0/8)'), true);
    assert.equal(matches('srcaddr != 10.0.3.21'), false);
    const v6 = { srcaddr: '2001:db8:1234:a100:8d6e:3477:df66:f105' };
    assert.equal(matches('srcaddr in 2001:db8::/32', v6), true);
    assert.equal(matches('srcaddr in 2001:db9::/32', v6), false);
    assert.equal(matches('srcaddr in 2001:db8:1234:a100::/57', v6), true);
    assert.equal(matches('srcaddr in 2001:db8:1234:a180::/57', v6), false);
    assert.equal(matches('srcaddr = 2001:0db8:1234:a100:8d6e:3477:df66:f105', v6), true, 'IPv6 compares as an address, not as text');
    assert.equal(matches('srcaddr in 10.0.0.0/8', v6), false);
    assert.equal(matches('srcaddr in ::/0'), false, 'an IPv4 address is not in an IPv6 network');
  });
  it('addr is any of srcaddr, dstaddr and the pkt- addresses; pkt-addr the pkt- ones', () => {
    assert.equal(matches('addr = 198.51.100.7'), true);
    assert.equal(matches('addr = 192.0.2.1', { 'pkt-srcaddr': '192.0.2.1' }), true);
    assert.equal(matches('pkt-addr = 192.0.2.1', { 'pkt-srcaddr': '192.0.2.1' }), true);
    assert.equal(matches('pkt-addr = 10.0.3.21', { 'pkt-srcaddr': '192.0.2.1' }), false);
    assert.equal(matches('addr != 198.51.100.7'), false, '!= is the negation: no address equals it');
    assert.equal(matches('addr = 198.51.100.7', {}, DEFAULT_FORMAT), true, 'formats without pkt- fields still have addr');
  });
  it('port is srcport or dstport', () => {
    assert.equal(matches('port = 49152'), true);
    assert.equal(matches('port = ssh'), true);
    assert.equal(matches('port < 1024', { dstport: '8080' }), false);
    assert.equal(matches('port not in 1024..65535'), false, 'not in is the negation: srcport is in the range');
    assert.equal(matches('port not in 1024..65535', { srcport: '22' }), true);
  });
});

describe('filter: times', () => {
  it('ISO 8601 and epoch seconds', () => {
    assert.equal(isoSeconds('2026-01-01T00:00:00Z'), 1767225600);
    assert.equal(isoSeconds('2026-01-01'), 1767225600);
    assert.equal(isoSeconds('2026-01-01T01:00+01:00'), 1767225600);
    assert.equal(isoSeconds('2026-01-01T00:00:00.999Z'), 1767225600);
    assert.equal(isoSeconds('2026-02-30'), undefined);
    assert.equal(isoSeconds('2026-01-01T10:00:00'), undefined);
    assert.equal(matches('start >= 2026-01-01T01:00:35Z'), true);
    assert.equal(matches('start >= 2026-01-01T01:00:36Z'), false);
    assert.equal(matches('start = 1767229235'), true);
    assert.equal(matches('end < 2026-01-02'), true);
    assert.equal(matches('start in 2026-01-01..2026-01-02'), true);
  });
  it('a time in milliseconds compares as seconds', () => {
    assert.equal(matches('start = 2026-01-01T01:00:35Z', { start: '1767229235123' }), true);
  });
});

describe('filter: and, or, not, parentheses', () => {
  it('and binds tighter than or; not tighter than and', () => {
    assert.equal(matches('dstport = 1 and dstport = 2 or dstport = 22'), true);
    assert.equal(matches('dstport = 22 or dstport = 2 and dstport = 1'), true);
    assert.equal(matches('(dstport = 22 or dstport = 2) and dstport = 1'), false);
    assert.equal(matches('not dstport = 22 and action = accept'), false);
    assert.equal(matches('not (dstport = 80 and action = accept)'), true);
    assert.equal(matches('not not dstport = 22'), true);
    assert.equal(matches('DSTPORT = 22 AND Action = ACCEPT Or NOT protocol = tcp'), true);
  });
  it('a record with another field count is malformed, not a match', () => {
    const line = `${record()} extra`;
    assert.equal(new RecordFilter('dstport = 22').matchLine(line, 0, line.length, V5), Match.Malformed);
  });
  it('irregular lines read as the scanner reads them: tabs, runs of spaces, comments, timestamps', () => {
    const plain = record({ dstport: '22' });
    const variants = [plain, plain.replace(/ /g, '\t'), plain.replace(/ /g, '  '), ` ${plain} `, `${plain} # note`, `2026-01-01T00:00:00.000Z ${plain}`, `\ufeff${plain}`, `{"message":"${plain}"}`];
    const filter = new RecordFilter('dstport = 22 and action = accept');
    for (const line of variants) assert.equal(filter.matchLine(line, 0, line.length, V5), Match.Yes, JSON.stringify(line));
    assert.equal(new RecordFilter('dstport = 23').matchLine(variants[1], 0, variants[1].length, V5), Match.No);
  });
  it('a tab or # on a later line of the same text does not change an earlier line', () => {
    const first = record({ dstport: '22' });
    const text = `${first}\n${record().replace(/ /g, '\t')} # x\n${first}`;
    const filter = new RecordFilter('dstport = 22');
    assert.equal(filter.matchLine(text, 0, first.length, V5), Match.Yes);
    const second = first.length + 1;
    const secondEnd = text.indexOf('\n', second);
    assert.equal(filter.matchLine(text, second, secondEnd, V5), Match.Yes);
    assert.equal(filter.matchLine(text, secondEnd + 1, text.length, V5), Match.Yes);
    const short = `${first}\n5 6 7`;
    assert.equal(filter.matchLine(short, first.length + 1, short.length, V5), Match.Malformed);
  });
  it('Transit Gateway records', () => {
    assert.equal(matches('packets-lost-blackhole > 0 and tgw-id = tgw-0123456789abcdef0', { 'packets-lost-blackhole': '3', 'tgw-id': 'tgw-0123456789abcdef0' }, TGW), true);
    assert.equal(matches('addr in 10.0.0.0/8', {}, TGW), true);
  });
});

describe('filter: errors name the place and what was expected', () => {
  const cases: [string, string, string][] = [
    ['dstprot = 22', 'is not a field; did you mean `dstport`?', 'dstprot'],
    ['adr = 10.0.0.1', 'is not a field; did you mean `addr`?', 'adr'],
    ['colour = red', '`colour` is not a field', 'colour'],
    ['dstport 22', 'expected an operator after `dstport`', '22'],
    ['dstport =', 'expected a value after `=`, found the end of the filter', ''],
    ['dstport = and', 'expected a value after `=`, found `and`', 'and'],
    ['', 'expected a test such as `dstport = 22`', ''],
    ['dstport = 22 22', 'expected `and`, `or` or the end of the filter, found `22`', '22'],
    ['dstport = 22)', 'this `)` has no `(`', ')'],
    ['(dstport = 22', 'expected `)` to close the `(` at 1', ''],
    ['dstport in (22, 80', 'expected `,` or `)` to close the list opened at 12', ''],
    ['dstport in (22,)', 'expected a value, a range', ')'],
    ['dstport in 1..', 'expected the upper end of the range after `..`', ''],
    ['action = "reject', 'unterminated string', '"reject'],
    ['dstport ! 22', '`!` must be followed by `=`', '!'],
    ['dstport not 22', 'expected `in` after `not`', '22'],
    ['and = 1', 'expected a field name', 'and'],
    ['resource-type = TransitGateway', "this file's format (VPC v5 · 27 fields · header) has no `resource-type`", 'resource-type'],
    ['action < 3', '`<` compares numbers and times; `action` holds one of ACCEPT, REJECT', 'action < 3'],
    ['srcaddr > 10.0.0.1', '`>` compares numbers and times; `srcaddr` holds addresses', 'srcaddr > 10.0.0.1'],
    ['dstport < -', '`-` (no value) can only be compared with = or !=', '-'],
    ['action = rejected', '`rejected` is not a value of action; expected ACCEPT, REJECT', 'rejected'],
    ['dstport = 70000', '70000 is out of range for dstport (0–65535)', '70000'],
    ['dstport = sshh', '`sshh` is not a port number or service name', 'sshh'],
    ['protocol = tcpp', '`tcpp` is not a protocol number or name', 'tcpp'],
    ['traffic-path = moon', '`moon` is not a traffic path', 'moon'],
    ['traffic-path = 9', '9 is out of range for traffic-path (0–8)', '9'],
    ['tcp-flags = syn+foo', '`syn+foo` is not TCP flags', 'syn+foo'],
    ['start > 2026-01-01T10:00:00', '`2026-01-01T10:00:00` is not a time', '2026-01-01T10:00:00'],
    ['dstport in 100..10', 'empty range: 100 is above 10', '100..10'],
    ['srcaddr in 10.0.0.1..10.0.0.9', 'address ranges are written as CIDRs', '10.0.0.1..10.0.0.9'],
    ['srcaddr = 10.0.0.256', '`10.0.0.256` is not an IPv4 or IPv6 address or CIDR', '10.0.0.256'],
    ['srcaddr in 10.0.0.0/x', '`/x` is not a prefix length (0–32)', '10.0.0.0/x'],
    ['srcaddr in 10.0.0.0/33', 'prefix /33 is longer than an IPv4 address (32 bits)', '10.0.0.0/33'],
    ['srcaddr in 2001:db8::/129', 'prefix /129 is longer than an IPv6 address (128 bits)', '2001:db8::/129'],
    ['dstport has syn', '`has` tests TCP flags', 'dstport has syn'],
    ['tcp-flags has nope', '`nope` is not a TCP flag', 'nope'],
    ['tcp-flags has 0', '`0` is not a TCP flag', '0'],
    ['action in (accept, 1..2)', 'ranges need numbers; `action` holds one of ACCEPT, REJECT', '1..2'],
  ];
  for (const [expression, message, at] of cases) {
    it(expression || '(empty)', () => {
      const error = failure(expression);
      assert.ok(error.message.includes(message), `${error.message} should include ${message}`);
      assert.equal(error.at, at);
    });
  }
  it('a typo carries its suggestion for a quick fix', () => {
    assert.equal(failure('log_stauts = ok').suggestion, 'log-status');
  });
  it('pseudo-fields need one of their fields', () => {
    const TIMES = formatFromList(parseFieldList('version start end'), 'header');
    assert.match(failure('addr = 10.0.0.1', TIMES).message, /has none of srcaddr, dstaddr, pkt-srcaddr, pkt-dstaddr/);
    assert.match(failure('pkt-addr = 10.0.0.1', DEFAULT_FORMAT).message, /has none of pkt-srcaddr, pkt-dstaddr/);
  });
  it('syntax errors are thrown by the constructor, binding errors by bind', () => {
    assert.throws(() => new RecordFilter('dstport ='), FilterError);
    const filter = new RecordFilter('tcp-flags has syn');
    assert.throws(() => filter.bind(DEFAULT_FORMAT), /has no `tcp-flags`/);
    assert.equal(filter.bind(V5).columns.join(), String(V5.names.indexOf('tcp-flags')));
  });
});

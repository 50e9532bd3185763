import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FIELDS, lookupField, type FieldSpec } from '../../server/src/catalog/fields';
import { decodeValue, humanBytes, tcpFlagsName, type DecodeContext } from '../../server/src/catalog/decoders';

function field(name: string): FieldSpec {
  const spec = lookupField(name);
  assert.ok(spec, `no field ${name}`);
  return spec;
}

function decode(name: string, raw: string, ctx?: DecodeContext) {
  return decodeValue(field(name), raw, ctx);
}

const text = (name: string, raw: string, ctx?: DecodeContext) => decode(name, raw, ctx)?.lines.join('\n') ?? '';

describe('decodeValue: `-`', () => {
  it('is null with a general and a field-specific reason', () => {
    const d = decode('srcport', '-');
    assert.equal(d?.short, 'null');
    assert.match(d?.lines[0] ?? '', /not applicable, or could not be computed/);
    assert.match(text('action', '-'), /NODATA and SKIPDATA/);
    assert.match(text('traffic-path', '-'), /ingress/);
    assert.match(text('instance-id', '-'), /requester-managed/);
    assert.match(text('ecs-container-instance-id', '-'), /Fargate/);
  });

  it('has a null line for every field', () => {
    for (const spec of FIELDS) assert.equal(decodeValue(spec, '-')?.short, 'null', spec.name);
  });
});

describe('decodeValue: tcp-flags', () => {
  const cases: [string, string, RegExp][] = [
    ['2', 'SYN', /client \(initiator\)/],
    ['18', 'SYN-ACK', /server side/],
    ['1', 'FIN', /closed/],
    ['3', 'SYN+FIN', /opened and closed within one aggregation interval/],
    ['19', 'SYN-ACK+FIN', /server side of a short connection/],
    ['4', 'RST', /reset/],
    ['7', 'SYN+FIN+RST', /opened a connection.*FIN.*RST/],
    ['22', 'SYN-ACK+RST', /answered a connection attempt.*RST/],
    ['0', 'no SYN/FIN/RST', /mid-connection/],
  ];
  for (const [raw, short, meaning] of cases) {
    it(`${raw} → ${short}`, () => {
      const d = decode('tcp-flags', raw);
      assert.equal(d?.short, short);
      assert.match(d?.lines.join('\n') ?? '', meaning);
    });
  }

  it('says ACK-only is 0 in each family\'s own words, and only for that family', () => {
    assert.match(text('tcp-flags', '0'), /record only FIN \(1\), SYN \(2\), RST \(4\) and SYN-ACK \(18\)/);
    assert.match(text('tcp-flags', '0'), /AWS \(VPC\): traffic with only unsupported flags such as ACK or PSH gives 0/);
    assert.doesNotMatch(text('tcp-flags', '0'), /Transit Gateway/);
    assert.match(text('tcp-flags', '0', { tgw: true }), /AWS \(Transit Gateway\): when a flow consists of only ACK packets, the value is 0, not 16/);
    assert.doesNotMatch(text('tcp-flags', '0', { tgw: true }), /\(VPC\)/);
    // ACK-only is about 0: a SYN value says nothing about it.
    assert.doesNotMatch(text('tcp-flags', '2'), /ACK packets/);
  });

  it('does not describe a value AWS cannot write as a flag combination', () => {
    for (const raw of ['8', '16', '20', '25', '26', '27', '32', '63', '64', '128', '255']) {
      const d = decode('tcp-flags', raw);
      assert.equal(d?.short, 'not an AWS value', raw);
      assert.match(d?.lines[0] ?? '', new RegExp(`^\\*\\*${raw}\\*\\* is not a value AWS writes: .*(never recorded|only within SYN-ACK)`), raw);
      assert.match(d?.lines.join('\n') ?? '', /possible values are 0–7, 18, 19, 22 and 23/, raw);
      // No meaning is given to it: not a client, server, close or reset.
      assert.doesNotMatch(d?.lines.join('\n') ?? '', /client|server|closing|reset\)/, raw);
    }
    assert.match(text('tcp-flags', '16'), /ACK \(16\) is recorded only within SYN-ACK \(18\)/);
    assert.match(text('tcp-flags', '26'), /PSH \(8\) is never recorded/);
  });

  it('describes every value AWS can write (the ORs of 1, 2, 4 and 18) as real', () => {
    for (const value of [0, 1, 2, 3, 4, 5, 6, 7, 18, 19, 22, 23]) assert.notEqual(decode('tcp-flags', String(value))?.short, 'not an AWS value', String(value));
  });

  it('knows 0 on a non-TCP flow means nothing', () => {
    const d = decode('tcp-flags', '0', { protocol: 1 });
    assert.equal(d?.short, 'none');
    assert.match(d?.lines.join('\n') ?? '', /ICMP/);
    assert.match(text('tcp-flags', '2', { protocol: 17 }), /not TCP/);
  });

  it('names combinations', () => {
    assert.equal(tcpFlagsName(18), 'SYN-ACK');
    assert.equal(tcpFlagsName(22), 'SYN-ACK+RST');
    assert.equal(tcpFlagsName(24), 'PSH+ACK');
    assert.equal(tcpFlagsName(66), 'SYN+ECE');
  });

  it('does not decode values outside 0–255', () => {
    for (const raw of ['256', '-1', '1.5', 'SYN', '0x12']) assert.equal(decode('tcp-flags', raw), undefined, raw);
  });
});

describe('decodeValue: traffic-path, protocol, port', () => {
  it('traffic-path codes', () => {
    const d = decode('traffic-path', '8');
    assert.equal(d?.short, 'internet gateway (Nitro)');
    assert.match(d?.lines[0] ?? '', /internet gateway \(Nitro-based instances only\)/);
    assert.match(text('traffic-path', '6'), /secondary source/);
    assert.match(text('traffic-path', '9'), /Unknown traffic path 9/);
  });

  it('protocol numbers', () => {
    assert.equal(decode('protocol', '6')?.short, 'TCP');
    assert.match(text('protocol', '6'), /Transmission Control Protocol/);
    assert.equal(decode('protocol', '17')?.short, 'UDP');
    assert.equal(decode('protocol', '1')?.short, 'ICMP');
    assert.equal(decode('protocol', '58')?.short, 'IPv6-ICMP');
    assert.equal(decode('protocol', '255')?.short, 'reserved');
    assert.equal(decode('protocol', '200')?.short, 'unassigned');
    assert.match(text('protocol', '200'), /unassigned/);
    assert.equal(decode('protocol', '256'), undefined);
  });

  it('ports', () => {
    assert.equal(decode('dstport', '22', { protocol: 6 })?.short, 'SSH');
    assert.equal(decode('dstport', '443', { protocol: 6 })?.short, 'HTTPS');
    assert.equal(decode('dstport', '3389', { protocol: 6 })?.short, 'RDP');
    assert.equal(decode('dstport', '53', { protocol: 17 })?.short, 'DNS');
    assert.equal(decode('dstport', '53', { protocol: 6 })?.short, 'DNS');
    assert.match(text('dstport', '123', { protocol: 6 }), /usually NTP over UDP/);
    assert.equal(decode('srcport', '0')?.lines[0], '0 (ICMP and other protocols without ports use 0)');
  });

  it('ephemeral ports', () => {
    const d = decode('srcport', '49832', { protocol: 6 });
    assert.equal(d?.short, 'ephemeral');
    assert.match(d?.lines.join('\n') ?? '', /Linux 32768–60999.*IANA/);
    assert.equal(decode('dstport', '65536'), undefined);
  });
});

describe('decodeValue: time and counts', () => {
  it('seconds', () => {
    const d = decode('start', '1418530010');
    assert.equal(d?.short, '2014-12-14 04:06:50Z');
    assert.equal(d?.lines[0], '**2014-12-14 04:06:50 UTC**');
  });

  it('milliseconds are detected and noted', () => {
    const d = decode('end', '1512564058000');
    assert.match(d?.lines[0] ?? '', /2017-12-06 12:40:58 UTC/);
    assert.match(d?.lines.join('\n') ?? '', /milliseconds/);
  });

  it('window duration from the context', () => {
    assert.match(text('end', '1418530070', { start: 1418530010, end: 1418530070 }), /60 s/);
    assert.match(text('start', '1512564000000', { start: 1512564000000, end: 1512564058000 }), /58 s/);
    assert.match(text('start', '100', { start: 100, end: 40 }), /before start/);
  });

  it('bytes in human units with the average packet size', () => {
    const d = decode('bytes', '4249', { packets: 20 });
    assert.equal(d?.short, '4.1 KiB');
    assert.match(d?.lines[0] ?? '', /4,249 bytes/);
    assert.match(d?.lines.join('\n') ?? '', /Average packet size: 212 bytes/);
    assert.match(text('packets', '20', { bytes: 4249 }), /212 bytes/);
    assert.equal(humanBytes(1536), '1.5 KiB');
    assert.equal(humanBytes(5 * 1024 ** 3), '5 GiB');
    assert.equal(humanBytes(100), '100 B');
  });

  it('TGW packets-lost counters', () => {
    assert.match(text('packets-lost-blackhole', '3'), /blackhole/);
    assert.match(text('packets-lost-no-route', '0'), /No packets lost/);
    assert.match(text('packets-lost-no-route', '1'), /^1 packet dropped/);
  });

  it('one byte and one packet are singular', () => {
    assert.equal(text('bytes', '1', { packets: 1 }), '1 byte\nAverage packet size: 1 byte (1 byte / 1 packet)');
    assert.match(text('packets', '1', { bytes: 1 }), /^1 packet\n/);
    assert.doesNotMatch(text('packets', '1', { bytes: 1 }), /\b1 bytes|\b1 packets/);
  });
});

describe('decodeValue: addresses, enums, ids', () => {
  it('addresses', () => {
    assert.equal(decode('srcaddr', '10.0.0.1')?.short, 'private');
    assert.match(text('srcaddr', '10.0.0.1'), /RFC 1918/);
    assert.equal(decode('dstaddr', '::ffff:10.0.0.1')?.short, 'IPv4-mapped private');
    assert.match(text('dstaddr', '2001:db8::1'), /2001:0db8:0000/);
    assert.equal(decode('srcaddr', '1.2.3'), undefined);
  });

  it('enums, including unknown and secondary values', () => {
    assert.match(text('action', 'REJECT'), /rejected/);
    assert.match(text('action', 'accept'), /did you mean `ACCEPT`/);
    assert.match(text('log-status', 'BAD'), /expected one of `OK`, `NODATA`, `SKIPDATA`/);
    assert.match(text('reject-reason', 'EC'), /secondary source/);
    // `-` names every reason the field can carry, not only BPA.
    assert.match(text('reject-reason', '-'), /other than those the field names: BPA \(VPC Block Public Access\) or EC \(VPC Encryption Controls, secondary source\)/);
    assert.equal(decode('encryption-status', '1')?.short, 'Nitro-encrypted');
  });

  it('account ids', () => {
    assert.match(text('account-id', 'unknown'), /AWS service/);
    assert.match(text('account-id', '001607371330'), /Leading zeros/);
    assert.equal(decode('account-id', '12345'), undefined);
  });

  it('resource ids by prefix', () => {
    assert.equal(decode('interface-id', 'eni-1235b8ca123456789')?.short, 'network interface');
    assert.equal(decode('tgw-attachment-id', 'tgw-attach-0123456789abcdef0')?.short, 'transit gateway attachment');
    assert.equal(decode('resource-id', 'nat-0123456789abcdef0')?.short, 'NAT gateway');
    assert.match(text('tgw-id', 'tgw-attach-0123456789abcdef0'), /normally holds `tgw-…`/);
  });

  it('versions', () => {
    assert.match(text('version', '6'), /Transit Gateway field set \(there are no version 6 VPC fields\)/);
    assert.equal(decode('version', '2')?.short, 'default format');
  });

  it('regions, AZ ids, services, ARNs, tags', () => {
    assert.equal(decode('region', 'eu-west-1')?.short, 'Ireland');
    assert.equal(decode('az-id', 'use1-az4')?.short, 'us-east-1');
    assert.equal(decode('az-id', 'apse2-az1')?.short, 'ap-southeast-2');
    assert.match(text('pkt-src-aws-service', 'S3'), /ip-ranges\.json/);
    const arn = decode('ecs-cluster-arn', 'arn:aws:ecs:us-east-1:123456789012:cluster/prod');
    assert.equal(arn?.short, 'ecs cluster');
    assert.match(arn?.lines.join('\n') ?? '', /account `123456789012`/);
    assert.equal(decode('instance-tag', 'web%20server')?.short, 'web server');
  });
});

describe('decodeValue never throws', () => {
  const context = fc.record(
    {
      protocol: fc.oneof(fc.integer(), fc.double()),
      start: fc.oneof(fc.integer(), fc.double()),
      end: fc.oneof(fc.integer(), fc.double()),
      packets: fc.oneof(fc.integer(), fc.double()),
      bytes: fc.oneof(fc.integer(), fc.double()),
      tgw: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const raw = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.stringMatching(/^\d{1,40}$/),
    fc.stringMatching(/^[a-z0-9:.%-]{0,60}$/),
  );

  it('on arbitrary values, fields and contexts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), raw, context, (spec, value, ctx) => {
        const d = decodeValue(spec, value, ctx);
        if (d) assert.ok(Array.isArray(d.lines) && typeof d.short === 'string');
      }),
      { numRuns: 5000 },
    );
  });

  it('stays fast on long garbage', () => {
    const long = ['a-'.repeat(50_000) + '!', '1'.repeat(100_000), 'ab:'.repeat(30_000), '%41'.repeat(30_000)];
    const started = Date.now();
    for (const spec of FIELDS) for (const value of long) decodeValue(spec, value);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  it('keeps short hints short', () => {
    for (const spec of FIELDS) {
      for (const value of ['0', '1', '2', '3', '6', '18', '19', '255', '443', '4249', 'ACCEPT', 'unknown']) {
        const short = decodeValue(spec, value, { packets: 20, bytes: 4249 })?.short ?? '';
        assert.ok(short.length <= 30, `${spec.name}=${value}: ${short}`);
      }
    }
  });
});

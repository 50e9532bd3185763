import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyAddress, compressIPv6, expandIPv6, parseIPv6 } from '../../server/src/catalog/addresses';
import { lookupField } from '../../server/src/catalog/fields';
import { Cell, checkCell } from '../../server/src/catalog/values';

const cls = (text: string) => classifyAddress(text)?.class;

describe('classifyAddress: IPv4', () => {
  it('classifies each special block', () => {
    const cases: [string, string][] = [
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'cgnat'],
      ['100.127.255.255', 'cgnat'],
      ['127.0.0.1', 'loopback'],
      ['169.254.10.10', 'link-local'],
      ['224.0.0.251', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['192.0.2.10', 'documentation'],
      ['198.51.100.7', 'documentation'],
      ['203.0.113.9', 'documentation'],
      ['198.18.0.1', 'benchmarking'],
      ['198.19.255.255', 'benchmarking'],
      ['0.0.0.0', 'unspecified'],
      ['255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['0.1.2.3', 'reserved'],
      ['8.8.8.8', 'public'],
      ['52.95.110.1', 'public'],
    ];
    for (const [addr, expected] of cases) assert.equal(cls(addr), expected, addr);
  });

  it('treats the edges of private blocks as outside', () => {
    assert.equal(cls('172.15.255.255'), 'public');
    assert.equal(cls('172.32.0.0'), 'public');
    assert.equal(cls('100.63.255.255'), 'public');
    assert.equal(cls('100.128.0.0'), 'public');
    assert.equal(cls('198.20.0.0'), 'public');
  });

  it('gives a label with the RFC and the block', () => {
    assert.equal(classifyAddress('10.0.0.1')?.label, 'private (RFC 1918, 10.0.0.0/8)');
    assert.match(classifyAddress('100.64.1.1')?.label ?? '', /RFC 6598, 100\.64\.0\.0\/10/);
  });

  it('notes that AWS does not log metadata and time-sync traffic', () => {
    assert.match(classifyAddress('169.254.169.254')?.note ?? '', /do not record instance metadata/);
    assert.match(classifyAddress('169.254.169.123')?.note ?? '', /time-sync/);
    assert.match(classifyAddress('169.254.1.1')?.note ?? '', /169\.254\.169\.254.*169\.254\.169\.123/);
  });

  it('agrees with validation: an address is classified exactly when checkCell accepts it (zero-padded octets are not)', () => {
    const address = lookupField('srcaddr') ?? assert.fail('srcaddr');
    const cases = ['138.000.000.248', '010.000.000.001', '10.0.0.01', '10.0.0.1', '0.0.0.0', '255.255.255.255', '::ffff:10.0.0.1', '::ffff:010.0.0.1', '2001:db8::1', '2001:db8::g', '1.2.3', '256.1.1.1', 'fe80::1%eth0', '::', '1::2::3'];
    for (const text of cases) {
      const valid = checkCell(address, text, 0, text.length) === Cell.Ok;
      assert.equal(classifyAddress(text) !== undefined, valid, text);
    }
    assert.equal(classifyAddress('138.000.000.248'), undefined);
    assert.equal(checkCell(address, '138.000.000.248', 0, 15), Cell.PaddedAddress);
  });

  it('rejects what is not an IPv4 address', () => {
    for (const bad of ['1.2.3', '256.1.1.1', '10.0.0.1x', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.4 ', '1..2.3', '1.2.3.-4', '0x1.2.3.4', '1234.1.1.1', '10.0.0.0/8', '', '-', '١.٢.٣.٤']) {
      assert.equal(classifyAddress(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('classifyAddress: IPv6', () => {
  it('classifies each special block', () => {
    const cases: [string, string][] = [
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['fe80::1', 'link-local'],
      ['FE80::abcd:1', 'link-local'],
      ['fc00::1', 'unique-local'],
      ['fd12:3456:789a::1', 'unique-local'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'documentation'],
      ['2001:2::1', 'benchmarking'],
      ['64:ff9b::a00:1', 'nat64'],
      ['2600:1f18:abcd::1', 'public'],
      ['2a05:d018::1', 'public'],
      ['4000::1', 'reserved'],
      ['fec0::1', 'reserved'],
    ];
    for (const [addr, expected] of cases) assert.equal(cls(addr), expected, addr);
  });

  it('classifies the IPv4 address inside an IPv4-mapped address', () => {
    const info = classifyAddress('::ffff:10.0.0.1');
    assert.equal(info?.class, 'ipv4-mapped');
    assert.equal(info?.embedded?.class, 'private');
    assert.equal(info?.embedded?.canonical, '10.0.0.1');
    assert.match(info?.label ?? '', /10\.0\.0\.1: private/);
    assert.equal(classifyAddress('::ffff:0a00:0001')?.embedded?.canonical, '10.0.0.1');
    assert.equal(classifyAddress('64:ff9b::8.8.8.8')?.embedded?.class, 'public');
  });

  it('accepts the full eight-group form and mixed forms', () => {
    assert.equal(cls('2001:0db8:0000:0000:0000:0000:0000:0001'), 'documentation');
    assert.equal(classifyAddress('2001:0db8:0000:0000:0000:0000:0000:0001')?.canonical, '2001:db8::1');
    assert.equal(cls('1:2:3:4:5:6:7::'), 'reserved');
    assert.equal(cls('::2:3:4:5:6:7:8'), 'reserved');
    assert.equal(cls('1:2:3:4:5:6:1.2.3.4'), 'reserved');
  });

  it('rejects what is not an IPv6 address', () => {
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', ':::', '1:2:3:4:5:6:7', '12345::1', 'g::1', '1:2:3:4::5:6:7:8', ':1::2', '1::2:', 'fe80::1%eth0', '::ffff:1.2.3', '::ffff:010.0.0.1', '[::1]', 'fe80::/10']) {
      assert.equal(classifyAddress(bad), undefined, bad);
    }
  });
});

describe('expandIPv6 / compressIPv6', () => {
  it('expands to eight four-digit groups', () => {
    assert.equal(expandIPv6('::'), '0000:0000:0000:0000:0000:0000:0000:0000');
    assert.equal(expandIPv6('::1'), '0000:0000:0000:0000:0000:0000:0000:0001');
    assert.equal(expandIPv6('2001:db8::1'), '2001:0db8:0000:0000:0000:0000:0000:0001');
    assert.equal(expandIPv6('::ffff:10.0.0.1'), '0000:0000:0000:0000:0000:ffff:0a00:0001');
    assert.equal(expandIPv6('10.0.0.1'), undefined);
    assert.equal(expandIPv6('1::2::3'), undefined);
  });

  it('compresses the longest zero run, first on ties, not a single group', () => {
    assert.equal(compressIPv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), '2001:db8::1:0:0:1');
    assert.equal(compressIPv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]), '2001:db8:0:1:1:1:1:1');
    assert.equal(compressIPv6([0, 0, 0, 0, 0, 0, 0, 0]), '::');
    assert.equal(compressIPv6([1, 0, 0, 0, 0, 0, 0, 0]), '1::');
  });

  it('round-trips any eight groups through expand and compress', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        assert.deepEqual(parseIPv6(compressIPv6(groups)), groups);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[0-9a-f:.]{0,50}$/)), (text) => {
        classifyAddress(text);
        expandIPv6(text);
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allProtocols, protocolInfo, protocolLabel, protocolNumber } from '../../server/src/catalog/protocols';
import { isEphemeralPort, portRange, portService, portServices } from '../../server/src/catalog/ports';

describe('protocols', () => {
  it('knows the common protocol numbers', () => {
    assert.deepEqual(protocolInfo(6), { keyword: 'TCP', name: 'Transmission Control Protocol' });
    assert.equal(protocolInfo(17)?.keyword, 'UDP');
    assert.equal(protocolInfo(1)?.keyword, 'ICMP');
    assert.equal(protocolInfo(0)?.keyword, 'HOPOPT');
    assert.equal(protocolInfo(47)?.keyword, 'GRE');
    assert.equal(protocolInfo(50)?.keyword, 'ESP');
    assert.equal(protocolInfo(58)?.keyword, 'IPv6-ICMP');
    assert.equal(protocolInfo(112)?.keyword, 'VRRP');
    assert.equal(protocolInfo(132)?.keyword, 'SCTP');
    // Spot checks spread over the table, so a missing or extra row shows up.
    for (const [n, k] of [[41, 'IPv6'], [88, 'EIGRP'], [89, 'OSPFIGP'], [103, 'PIM'], [115, 'L2TP'], [137, 'MPLS-in-IP']] as const) {
      assert.equal(protocolInfo(n)?.keyword, k, String(n));
    }
  });

  it('has the newest assignments 143–146 and nothing after', () => {
    assert.equal(protocolInfo(143)?.keyword, 'Ethernet');
    assert.equal(protocolInfo(144)?.keyword, 'AGGFRAG');
    assert.equal(protocolInfo(145)?.keyword, 'NSH');
    assert.equal(protocolInfo(146)?.keyword, 'Homa');
    for (let n = 147; n <= 252; n++) assert.equal(protocolInfo(n), undefined, String(n));
  });

  it('covers experimentation and reserved numbers', () => {
    assert.match(protocolInfo(253)?.name ?? '', /experimentation/);
    assert.match(protocolInfo(254)?.name ?? '', /experimentation/);
    assert.equal(protocolInfo(255)?.name, 'Reserved');
  });

  it('returns undefined outside 0–255 and for non-integers', () => {
    for (const n of [-1, 256, 1.5, NaN, Infinity, 1e300]) assert.equal(protocolInfo(n), undefined, String(n));
  });

  it('has a row for every number 0–146 and marks deprecated rows', () => {
    const numbers = allProtocols().map((p) => p.number);
    assert.deepEqual(numbers, [...Array.from({ length: 147 }, (_, i) => i), 253, 254, 255]);
    assert.equal(protocolInfo(13)?.deprecated, true);
    assert.equal(protocolInfo(61)?.keyword, '');
  });

  it('labels and looks up by keyword', () => {
    assert.equal(protocolLabel(6), 'TCP');
    assert.equal(protocolLabel(61), 'proto 61');
    assert.equal(protocolNumber('tcp'), 6);
    assert.equal(protocolNumber('IPV6-ICMP'), 58);
    assert.equal(protocolNumber('nope'), undefined);
  });
});

describe('ports', () => {
  it('names common services', () => {
    assert.equal(portService(22), 'SSH');
    assert.equal(portService(443, 6), 'HTTPS');
    assert.equal(portService(3389), 'RDP');
    assert.equal(portService(3389, 17), 'RDP');
    assert.equal(portService(5439), 'Redshift');
    assert.equal(portService(6443), 'Kubernetes API');
    assert.equal(portService(4500, 17), 'IPsec NAT-T');
    assert.equal(portService(27017), 'MongoDB');
  });

  it('uses the protocol: DNS on both, NTP only on UDP', () => {
    assert.equal(portService(53, 6), 'DNS');
    assert.equal(portService(53, 17), 'DNS');
    assert.equal(portService(123, 17), 'NTP');
    assert.equal(portService(123, 6), undefined);
    assert.equal(portService(123), 'NTP');
    assert.equal(portService(443, 17), 'QUIC');
    assert.equal(portService(443), 'HTTPS / QUIC');
  });

  it('has no service for portless protocols or unknown ports', () => {
    assert.equal(portService(22, 1), undefined);
    assert.equal(portService(12345), undefined);
    assert.equal(portService(-1), undefined);
  });

  it('has at least 80 distinct ports', () => {
    const ports = new Set<number>();
    for (let p = 0; p <= 65535; p++) if (portServices(p).length) ports.add(p);
    assert.ok(ports.size >= 80, `only ${ports.size}`);
  });

  it('says which ephemeral range a port is in', () => {
    assert.equal(isEphemeralPort(32767), undefined);
    assert.deepEqual({ ...isEphemeralPort(32768), label: '' }, { linux: true, iana: false, label: '' });
    assert.deepEqual({ ...isEphemeralPort(55000), label: '' }, { linux: true, iana: true, label: '' });
    assert.deepEqual({ ...isEphemeralPort(61000), label: '' }, { linux: false, iana: true, label: '' });
    assert.match(isEphemeralPort(50000)?.label ?? '', /Linux 32768–60999.*IANA\/Windows 49152–65535/);
    assert.equal(isEphemeralPort(65536), undefined);
    assert.equal(isEphemeralPort(443), undefined);
  });

  it('names IANA port ranges', () => {
    assert.equal(portRange(80), 'system');
    assert.equal(portRange(8080), 'registered');
    assert.equal(portRange(49152), 'dynamic');
    assert.equal(portRange(70000), undefined);
  });
});

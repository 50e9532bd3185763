/**
 * Format inference for files without a header line (service/infer.ts), through the document:
 * which known layout is taken and how sure that is, and, when none fits, how each column is
 * named from its values and which names are only guesses. Written against the survivors of a
 * mutation run (RELIABILITY.md, "Mutation testing"): every assertion is about what a user sees —
 * the field names, the ambiguous columns and the confidence shown in the status bar.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowLogDocument } from '../../server/src/service/document';
import type { FlowLogFormat } from '../../server/src/service/formatModel';
import { inferFromSamples } from '../../server/src/service/infer';

const formatOf = (...lines: string[]): FlowLogFormat => new FlowLogDocument(lines.join('\n')).formats.primary;
const fields = (record: string): string[] => record.split(' ');
const dashes = (count: number): string[] => new Array<string>(count).fill('-');

/** A default-format (v2) record whose columns can be replaced one at a time. */
const V2 = fields('2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK');
const v2With = (changes: Record<number, string>): string => V2.map((value, column) => changes[column] ?? value).join(' ');
const COLUMN = { version: 0, account: 1, interface: 2, srcaddr: 3, srcport: 5, bytes: 9, start: 10, end: 11, action: 12, status: 13 };

describe('format inference: known layouts', () => {
  it('takes the default layout for clean v2 records, fully sure', () => {
    const format = formatOf(v2With({}), v2With({ [COLUMN.srcport]: '443' }));
    assert.equal(format.source, 'inferred');
    assert.equal(format.layoutId, 'default');
    assert.equal(format.confidence, 1);
    assert.deepEqual(format.ambiguousColumns, []);
  });

  it('weighs a misfit by what the column tells: ids and enums most, counters least', () => {
    const confidenceWith = (column: number, value: string): number => formatOf(v2With({ [column]: value })).confidence;
    const badInterface = confidenceWith(COLUMN.interface, 'nic-1');
    const badAction = confidenceWith(COLUMN.action, 'ALLOW');
    const badStatus = confidenceWith(COLUMN.status, 'FINE');
    const badAddress = confidenceWith(COLUMN.srcaddr, 'host');
    const badAccount = confidenceWith(COLUMN.account, 'acct');
    const badStart = confidenceWith(COLUMN.start, 'noon');
    const badVersion = confidenceWith(COLUMN.version, 'v2');
    const badPort = confidenceWith(COLUMN.srcport, 'http');
    const badBytes = confidenceWith(COLUMN.bytes, 'many');
    assert.equal(badInterface, badAction);
    assert.equal(badAction, badStatus);
    assert.ok(badInterface < badAddress, `${badInterface} < ${badAddress}`);
    assert.equal(badAddress, badAccount);
    assert.ok(badAddress < badStart, `${badAddress} < ${badStart}`);
    assert.ok(badStart < badPort, `${badStart} < ${badPort}`);
    assert.equal(badPort, badVersion);
    assert.ok(badPort < badBytes, `${badPort} < ${badBytes}`);
    assert.ok(badBytes < 1);
  });

  it('counts a small integer in a time column as a misfit, and epoch seconds or milliseconds as a fit', () => {
    const smallTimes = formatOf(v2With({ [COLUMN.start]: '5', [COLUMN.end]: '6' }));
    const garbageTimes = formatOf(v2With({ [COLUMN.start]: 'noon', [COLUMN.end]: 'midnight' }));
    assert.equal(smallTimes.layoutId, 'default');
    assert.ok(smallTimes.confidence < 1);
    assert.equal(smallTimes.confidence, garbageTimes.confidence);
    assert.equal(formatOf(v2With({ [COLUMN.start]: '1000000000', [COLUMN.end]: '1000000060' })).confidence, 1);
    assert.equal(formatOf(v2With({ [COLUMN.start]: '1418530010000', [COLUMN.end]: '1418530070000' })).confidence, 1);
  });

  it('takes a layout when 60% of the evidence fits, not below', () => {
    // Interface, action and log-status carry 12 of the record's 30 units of evidence.
    const atThreshold = formatOf(v2With({ [COLUMN.interface]: 'nic-1', [COLUMN.action]: 'ALLOW', [COLUMN.status]: 'FINE' }));
    assert.equal(atThreshold.layoutId, 'default');
    assert.ok(Math.abs(atThreshold.confidence - 0.6) < 1e-9, String(atThreshold.confidence));
    const below = formatOf(v2With({ [COLUMN.interface]: 'nic-1', [COLUMN.action]: 'ALLOW', [COLUMN.status]: 'FINE', [COLUMN.bytes]: 'many' }));
    assert.equal(below.layoutId, undefined);
  });

  it('reads two records on one line and a record wrapped over two lines as the layout', () => {
    const record = v2With({});
    const twoOnALine = formatOf(`${record} ${record}`, record);
    assert.equal(twoOnALine.layoutId, 'default');
    assert.equal(twoOnALine.confidence, 1);
    const wrapped = formatOf(V2.slice(0, 8).join(' '), V2.slice(8).join(' '), V2.slice(0, 6).join(' '), V2.slice(6).join(' '));
    assert.equal(wrapped.layoutId, 'default');
    assert.equal(wrapped.confidence, 1);
  });

  it('needs the layout to account for at least half of the lines', () => {
    const half = formatOf(v2With({}), 'a b c');
    assert.equal(half.layoutId, 'default');
    assert.equal(half.confidence, 0.5);
    const third = formatOf(v2With({}), 'a b c', 'd e f');
    assert.equal(third.layoutId, undefined);
  });

  it('is less sure when a second layout fits as well, and picks the better of two', () => {
    // Only the version is filled in: the all-v5 and the service-path layouts (29 fields each,
    // version first) fit equally; the table's order decides and the confidence drops.
    const versionOnly = ['2', ...dashes(28)].join(' ');
    const tie = formatOf(versionOnly, versionOnly);
    assert.equal(tie.layoutId, 'all-v5');
    assert.equal(tie.confidence, 0.6);
    // Column 7 is dstport in all-v5 and start in service-path: 443 is no time, so all-v5 fits
    // better, and by enough that the rival does not lower the confidence.
    const port = ['2', ...dashes(5), '443', ...dashes(22)].join(' ');
    const better = formatOf(versionOnly, versionOnly, versionOnly, versionOnly, port);
    assert.equal(better.layoutId, 'all-v5');
    assert.equal(better.confidence, 1);
  });

  it('weighs ECS ARNs like addresses and ECS names least, and still takes the ECS layout', () => {
    // all-v7: the 29 v5 fields, then ECS cluster ARN (29), cluster name (30), container
    // instance ARN, container instance id, container id, second container id, service name,
    // task definition ARN, task ARN, task id.
    const ecs = (version: string, arn: string): string => [version, ...dashes(28), arn, 'web', ...dashes(8)].join(' ');
    const arn = 'arn:aws:ecs:us-east-1:123456789010:cluster/web';
    const good = formatOf(ecs('2', arn));
    assert.equal(good.layoutId, 'all-v7');
    assert.equal(good.confidence, 1);
    const badArn = formatOf(ecs('2', arn), ecs('2', arn), ecs('2', 'cluster/web'));
    const badVersion = formatOf(ecs('2', arn), ecs('2', arn), ecs('v2', arn));
    assert.equal(badArn.layoutId, 'all-v7');
    assert.ok(badArn.confidence < badVersion.confidence, `${badArn.confidence} < ${badVersion.confidence}`);
  });

  it('counts free-text fields as a little evidence, so a sublocation id does not stop the v5 layout', () => {
    // all-v5 column 24 is sublocation-id (text); the service-path layout has pkt-dstaddr there.
    const row = ['2', ...dashes(23), 'wl-bos-wlz-1', ...dashes(4)].join(' ');
    const format = formatOf(row, row);
    assert.equal(format.layoutId, 'all-v5');
    assert.equal(format.confidence, 1);
  });

  it('prefers the better-fitting layout even when it comes later in the table', () => {
    // Column 6 is dstport in all-v5 and start in service-path: an epoch time fits only the latter.
    const versionOnly = ['2', ...dashes(28)].join(' ');
    const time = ['2', ...dashes(5), '1418530010', ...dashes(22)].join(' ');
    const format = formatOf(versionOnly, versionOnly, versionOnly, versionOnly, time);
    assert.equal(format.layoutId, 'aws-example-service-path');
    assert.equal(format.confidence, 1);
  });

  it('lowers the confidence for a rival exactly 0.05 behind the best layout', () => {
    // 38 rows fit both 29-field layouts by their version; one row's port is no service-path
    // start time: all-v5 scores 39/39, service-path 38/40 = 0.95.
    const versionOnly = ['2', ...dashes(28)].join(' ');
    const port = ['2', ...dashes(5), '443', ...dashes(22)].join(' ');
    const format = formatOf(...new Array<string>(37).fill(versionOnly), port);
    assert.equal(format.layoutId, 'all-v5');
    assert.equal(format.confidence, 0.6);
  });

  it('counts an unknown value of an open enum as half a fit', () => {
    // all-v8 ends with reject-reason, an open enum: a new AWS reason is not an error.
    const allV8 = ['2', ...dashes(38)];
    const unknownReason = formatOf([...allV8, 'NEW_REASON'].join(' '));
    assert.equal(unknownReason.layoutId, 'all-v8');
    assert.equal(unknownReason.confidence, (1 + 0.5) / 2);
  });
});

describe('format inference: naming columns from their values', () => {
  it('names a custom VPC format column by column, sure only where the value pins the field', () => {
    const format = formatOf(
      '5 vpc-0a1b2c3d subnet-0a1b2c3d i-0a1b2c3d eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 1418530010 1418530070 ACCEPT OK egress us-east-1 use1-az1',
      '5 vpc-0a1b2c3d subnet-0a1b2c3d i-0a1b2c3d eni-0a1b2c3d 10.0.0.3 10.0.0.4 22 50000 17 1418530070 1418530130 REJECT OK ingress us-east-1 use1-az1',
    );
    assert.equal(format.layoutId, undefined);
    assert.deepEqual(format.names, [
      'version', 'vpc-id', 'subnet-id', 'instance-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
      'protocol', 'start', 'end', 'action', 'log-status', 'flow-direction', 'region', 'az-id',
    ]);
    assert.equal(format.kind, 'vpc');
    // Guessed: ports, protocol and the AZ (it could be the next hop's).
    assert.deepEqual(format.ambiguousColumns, [7, 8, 9, 16]);
    assert.equal(format.confidence, ((17 - 4) / 17) * 0.8);
  });

  it('names the interface sure when there is one, and both as guesses when there are two', () => {
    const one = formatOf('eni-0a1b2c3d 10.0.0.1 ACCEPT', 'eni-0a1b2c3d 10.0.0.2 REJECT');
    assert.deepEqual(one.names, ['interface-id', 'srcaddr', 'action']);
    assert.deepEqual(one.ambiguousColumns, []);
    const two = formatOf('eni-0a1b2c3d eni-0f0f0f0f ACCEPT', 'eni-0a1b2c3d eni-0f0f0f0f REJECT');
    assert.deepEqual(two.names, ['interface-id', 'next-hop-interface-id', 'action']);
    assert.deepEqual(two.ambiguousColumns, [0, 1]);
  });

  it('in a Transit Gateway file names interfaces, AZs and attachments source first, destination second, never sure', () => {
    const format = formatOf(
      'TransitGateway tgw-0a1b2c3d tgw-attach-0a1b2c3d eni-0a1b2c3d eni-0f0f0f0f use1-az1 use1-az2 10.0.0.1 10.0.0.2',
      'TransitGateway tgw-0a1b2c3d tgw-attach-0a1b2c3d eni-0a1b2c3d eni-0f0f0f0f use1-az1 use1-az2 10.0.0.3 10.0.0.4',
    );
    assert.deepEqual(format.names.slice(0, 7), ['resource-type', 'tgw-id', 'tgw-attachment-id', 'tgw-src-eni', 'tgw-dst-eni', 'tgw-src-az-id', 'tgw-dst-az-id']);
    assert.deepEqual(format.names.slice(7), ['srcaddr', 'dstaddr']);
    assert.equal(format.kind, 'tgw');
    // One attachment column may be tgw-attachment-id or tgw-pair-attachment-id.
    for (const column of [2, 3, 4, 5, 6]) assert.ok(format.ambiguousColumns.includes(column), `column ${column} is a guess`);
    for (const column of [0, 1, 7, 8]) assert.ok(!format.ambiguousColumns.includes(column), `column ${column} is sure`);
  });

  it('each Transit Gateway marker alone makes the file a TGW file', () => {
    for (const marker of ['TransitGatewayAttachment', 'tgw-0a1b2c3d', 'tgw-attach-0a1b2c3d']) {
      const format = formatOf(`${marker} eni-0a1b2c3d 10.0.0.1 ACCEPT`, `${marker} eni-0a1b2c3d 10.0.0.2 ACCEPT`);
      assert.equal(format.names[1], 'tgw-src-eni', marker);
    }
  });

  it('names addresses source, destination, then packet source and destination, sure only for one or two', () => {
    const two = formatOf('10.0.0.1 2001:db8::1 ACCEPT', '10.0.0.3 2001:db8::2 ACCEPT');
    assert.deepEqual(two.names, ['srcaddr', 'dstaddr', 'action']);
    assert.deepEqual(two.ambiguousColumns, []);
    const five = formatOf('10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 OK', '10.0.1.1 10.0.1.2 10.0.1.3 10.0.1.4 10.0.1.5 OK');
    assert.deepEqual(five.names, ['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr', 'column-5', 'log-status']);
    assert.deepEqual(five.ambiguousColumns, [0, 1, 2, 3, 4]);
    assert.equal(five.confidence, (1 / 6) * 0.8);
  });

  it('names epoch columns start and end, sure only when there are exactly two', () => {
    const pair = formatOf('1418530010 1418530070 ACCEPT', '1418530070 1418530130 ACCEPT');
    assert.deepEqual(pair.names, ['start', 'end', 'action']);
    assert.deepEqual(pair.ambiguousColumns, []);
    const one = formatOf('1418530010 ACCEPT', '1418530070 ACCEPT');
    assert.deepEqual(one.names, ['start', 'action']);
    assert.deepEqual(one.ambiguousColumns, [0]);
    const milliseconds = formatOf('1418530010000 1418530070000 OK', '1418530070000 1418530130000 OK');
    assert.deepEqual(milliseconds.names, ['start', 'end', 'log-status']);
  });

  it('reads a column of epochs and small integers as integers, and skips `-` when shaping a column', () => {
    const mixed = formatOf('2 1418530010 ACCEPT', '2 7 ACCEPT', '2 - ACCEPT');
    assert.notEqual(mixed.names[1], 'start');
    const sparse = formatOf('2 - ACCEPT', '2 - ACCEPT', '2 1418530010 ACCEPT', '2 1418530070 ACCEPT');
    assert.equal(sparse.names[1], 'start');
  });

  it('names a second VPC AZ column the next hop’s, both as guesses', () => {
    const format = formatOf('use1-az1 use1-az2 ACCEPT', 'use1-az1 use1-az4 REJECT');
    assert.deepEqual(format.names, ['az-id', 'next-hop-az-id', 'action']);
    assert.deepEqual(format.ambiguousColumns, [0, 1]);
  });

  it('reads a column of `unknown` as account ids (AWS writes it for other accounts’ traffic)', () => {
    assert.deepEqual(formatOf('unknown ACCEPT', 'unknown REJECT').names, ['account-id', 'action']);
  });

  it('names a column by the shape most of its values have, the first row’s on a tie', () => {
    assert.equal(formatOf('eni-0a1b2c3d ACCEPT', 'eni-0f0f0f0f ACCEPT', '10.0.0.1 ACCEPT').names[0], 'interface-id');
    assert.equal(formatOf('eni-0a1b2c3d ACCEPT', '10.0.0.1 ACCEPT').names[0], 'interface-id');
    assert.equal(formatOf('10.0.0.1 ACCEPT', 'eni-0a1b2c3d ACCEPT').names[0], 'srcaddr');
  });

  it('reads epoch seconds from 10^9 up to 5×10^9 and milliseconds from 10^12 up to 5×10^12', () => {
    const nameOf = (value: string): string => formatOf(`ACCEPT ${value}`, `ACCEPT ${value}`).names[1];
    assert.equal(nameOf('1000000000'), 'start');
    assert.equal(nameOf('4999999999'), 'start');
    assert.equal(nameOf('1000000000000'), 'start');
    assert.equal(nameOf('4999999999999'), 'start');
    for (const value of ['999999999', '5000000000', '6000000000', '999999999999', '5000000000000', '6000000000000']) {
      assert.notEqual(nameOf(value), 'start', value);
    }
  });

  it('reads zeros as integers (idle counters, tcp-flags 0)', () => {
    assert.deepEqual(formatOf('ACCEPT 0 0', 'ACCEPT 0 0').names, ['action', 'srcport', 'dstport']);
  });

  it('keeps the version column when one of its values is not a number, and rejects it on a 0', () => {
    assert.equal(formatOf('3 ACCEPT', '3 ACCEPT', 'x ACCEPT').names[0], 'version');
    assert.notEqual(formatOf('3 ACCEPT', '0 ACCEPT').names[0], 'version');
  });

  it('takes a protocol column of only UDP, up to 255, with some other protocols in it', () => {
    assert.equal(formatOf('ACCEPT 17 99', 'ACCEPT 17 99').names[1], 'protocol');
    assert.equal(formatOf('ACCEPT 255 99', 'ACCEPT 6 99').names[1], 'protocol');
    assert.equal(formatOf('ACCEPT 6 99', 'ACCEPT 50 99').names[1], 'protocol');
  });

  it('takes 65535 as a port', () => {
    assert.deepEqual(formatOf('ACCEPT 65535 80', 'ACCEPT 65535 81').names, ['action', 'srcport', 'dstport']);
  });

  it('takes only all-capital words as AWS service names', () => {
    const format = formatOf('Amazon myEC2 AMAZON', 'Amazon myEC2 EC2');
    assert.deepEqual(format.names, ['column-1', 'column-2', 'pkt-src-aws-service']);
  });

  it('names integer columns version, protocol, ports, then counts, all but the version as guesses', () => {
    const format = formatOf('3 6 443 49152 10 840 ACCEPT', '3 17 53 50000 2 120 ACCEPT');
    assert.deepEqual(format.names, ['version', 'protocol', 'srcport', 'dstport', 'packets', 'bytes', 'action']);
    assert.deepEqual(format.ambiguousColumns, [1, 2, 3, 4, 5]);
  });

  it('takes a version only from the first column and only from 2 to 11', () => {
    assert.deepEqual(formatOf('ACCEPT 3 6', 'ACCEPT 3 6').names, ['action', 'srcport', 'protocol']);
    assert.notEqual(formatOf('12 6 ACCEPT', '12 17 ACCEPT').names[0], 'version');
    assert.notEqual(formatOf('1 6 ACCEPT', '1 17 ACCEPT').names[0], 'version');
    assert.equal(formatOf('11 6 ACCEPT', '2 17 ACCEPT').names[0], 'version');
  });

  it('takes a protocol only from values up to 255 that include TCP, UDP or ICMP', () => {
    assert.equal(formatOf('ACCEPT 1 99', 'ACCEPT 1 99').names[1], 'protocol');
    assert.notEqual(formatOf('ACCEPT 6 99', 'ACCEPT 256 99').names[1], 'protocol');
    assert.notEqual(formatOf('ACCEPT 50 99', 'ACCEPT 47 99').names[1], 'protocol');
  });

  it('takes ports only from values up to 65535, and leaves integers past bytes unnamed', () => {
    // Protocol first (the 6s), then the first two columns that fit ports, then counts in order.
    const format = formatOf('ACCEPT 70000 80 443 5 6 7', 'ACCEPT 70001 81 444 5 6 7');
    assert.deepEqual(format.names, ['action', 'packets', 'srcport', 'dstport', 'bytes', 'protocol', 'column-7']);
    assert.deepEqual(format.ambiguousColumns, [1, 2, 3, 4, 5, 6]);
  });

  it('names accounts, regions, enums, services and ARNs from their shape', () => {
    const format = formatOf(
      '123456789010 us-west-2 IPv4 TransitGatewayAttachment AMAZON arn:aws:ecs:us-east-1:123456789010:cluster/a outpost NODATA',
      'unknown us-west-2 IPv6 TransitGatewayAttachment S3 arn:aws:ecs:us-east-1:123456789010:cluster/b outpost SKIPDATA',
    );
    assert.deepEqual(format.names.slice(0, 5), ['account-id', 'region', 'type', 'resource-type', 'pkt-src-aws-service']);
    assert.equal(format.names[6], 'sublocation-type');
    assert.equal(format.names[7], 'log-status');
    // An ARN alone does not say which ECS field it is; in a Transit Gateway record (its
    // resource-type says so) one account column may be any of the three account fields.
    assert.equal(format.names[5], 'column-6');
    assert.deepEqual(format.ambiguousColumns, [0, 4, 5]);
  });

  it('names the second AWS service column the destination, and resource ids that only look like ids', () => {
    const format = formatOf('AMAZON EC2 natgw-0a1b2c3d ACCEPT', 'S3 ROUTE53 natgw-0a1b2c3d ACCEPT');
    assert.deepEqual(format.names, ['pkt-src-aws-service', 'pkt-dst-aws-service', 'resource-id', 'action']);
    assert.deepEqual(format.ambiguousColumns, [0, 1]);
  });

  it('never gives one field to two columns: the second is unnamed and ambiguous', () => {
    const format = formatOf('ACCEPT ACCEPT 10.0.0.1', 'REJECT ACCEPT 10.0.0.2');
    assert.deepEqual(format.names, ['action', 'column-2', 'srcaddr']);
    assert.deepEqual(format.ambiguousColumns, [1]);
    assert.equal(format.confidence, (2 / 3) * 0.8);
  });

  it('leaves text and all-dash columns unnamed, and is at least a little sure', () => {
    const format = formatOf('hello - ACCEPT', 'world - REJECT');
    assert.deepEqual(format.names, ['column-1', 'column-2', 'action']);
    assert.deepEqual(format.ambiguousColumns, [0, 1]);
    assert.equal(format.confidence, (1 / 3) * 0.8);
    const nothingKnown = formatOf('hello there friend', 'hello there friend');
    assert.equal(nothingKnown.confidence, 0.1 * 0.8);
  });

  it('names the columns of the most common width, the first seen on a tie', () => {
    const format = formatOf('10.0.0.1 ACCEPT', 'eni-0a1b2c3d 10.0.0.1 ACCEPT', '10.0.0.2 REJECT', 'eni-0a1b2c3d 10.0.0.2 ACCEPT');
    assert.deepEqual(format.names, ['srcaddr', 'action']);
    const most = formatOf('10.0.0.1 ACCEPT', 'eni-0a1b2c3d 10.0.0.1 ACCEPT', 'eni-0a1b2c3d 10.0.0.2 ACCEPT');
    assert.deepEqual(most.names, ['interface-id', 'srcaddr', 'action']);
  });

  it('names no column of a line wider than any flow log format', () => {
    const wide = (count: number): string => Array.from({ length: count }, (_, i) => `w${i}`).join(' ');
    const tooWide = formatOf(wide(129), wide(129));
    assert.deepEqual(tooWide.names, ['column-1']);
    assert.equal(tooWide.source, 'inferred');
    assert.equal(tooWide.confidence, 0);
    assert.deepEqual(tooWide.ambiguousColumns, [0]);
    assert.equal(formatOf(wide(128), wide(128)).names.length, 128);
  });

  it('falls back to the default format with no sample at all', () => {
    const format = inferFromSamples([]);
    assert.equal(format.source, 'default');
    assert.equal(format.layoutId, 'default');
  });
});

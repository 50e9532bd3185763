/**
 * Export shapes beyond the corpus (test/cli/exportShapes.test.ts): the edges of JSON lines
 * (escapes, control messages, garbage, the writer given a whole envelope), hovers inside an
 * envelope, and a change of layout at a stream's batch boundary reported as the document does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { doHover } from '../../server/src/service/hover';
import { parseLine } from '../../server/src/service/parse';
import { RecordJsonWriter } from '../../server/src/service/recordJson';
import { FlowLogStream } from '../../server/src/service/stream';
import type { Problem } from '../../server/src/service/validate';

const R1 = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const R2 = '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
const TGW =
  '6 TransitGatewayAttachment 196544257217 tgw-0d0244e73d546d32b tgw-attach-0e8ed055060e943e4 196544257217 513252928111 vpc-0bcabccfcb40ad5b5 vpc-0232e2f54ed7e6db4 subnet-0af25bc33e8271e07 subnet-08fa6912ec1488057 eni-087ced54bd79b26a7 eni-0723e976ff55b46e5 use1-az2 use1-az6 tgw-attach-01df2c71abe09822c 54.18.148.238 172.26.196.201 80 57834 6 5 5250 1699261920 1699261980 OK IPv4 0 0 0 0 3 us-east-1 ingress - -';

const envelope = (...messages: string[]): string =>
  JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: 'g', logStream: 's', logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1418530070000 + i, message })) });
const codes = (text: string): string[] => collectProblems(new FlowLogDocument(text)).map((p) => p.code);

describe('JSON lines', () => {
  it('a bad value in the second event of an envelope is reported at that value', () => {
    const line = envelope(R1, R2.replace('REJECT', 'DENY'));
    const problems = collectProblems(new FlowLogDocument(`${line}\n`));
    assert.deepEqual(problems.map((p) => p.code), ['invalid-value']);
    assert.equal(line.slice(problems[0].start, problems[0].end), 'DENY');
  });

  it('a message with escape sequences is reported, not read', () => {
    const text = `{"message":"${R1.replace(' 22 ', ' \\u0032\\u0032 ')}"}\n`;
    assert.deepEqual(codes(text), ['unreadable-json']);
  });

  it('a JSON line without a message is reported', () => {
    assert.deepEqual(codes(`${R1}\n{"level":"info","msg":"started"}\n${R2}\n`), ['unreadable-json']);
  });

  it('a CONTROL_MESSAGE holds no record and no problem', () => {
    const control = JSON.stringify({ messageType: 'CONTROL_MESSAGE', logEvents: [{ id: '', timestamp: 1, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }] });
    assert.deepEqual(codes(`${control}\n${envelope(R1)}\n`), []);
    assert.equal(parseLine(new FlowLogDocument(`${control}\n`), 0).recordCount, 0);
  });

  it('an empty message is a record without fields, not passed over', () => {
    assert.deepEqual(codes(`${envelope(R1, '', R2)}\n`), ['field-count']);
  });

  it('the writer never reads a line of several records as one', () => {
    const doc = new FlowLogDocument(`${envelope(R1, R2)}\n`);
    const line = doc.lines.textOf(0).slice(0, doc.lines.lineEnd(0));
    assert.equal(new RecordJsonWriter().record(line, 0, line.length, doc.formats.primary), undefined);
  });

  it('hover inside an envelope explains the value of the event under the cursor', () => {
    const line = envelope(R1, R2);
    const doc = new FlowLogDocument(`${line}\n`);
    const at = line.indexOf('REJECT') + 2;
    const value = (doHover(doc, { line: 0, character: at })?.contents as { value: string }).value;
    assert.match(value, /REJECT/);
    const stamp = line.indexOf('1418530070001') + 3;
    assert.match((doHover(doc, { line: 0, character: stamp })?.contents as { value: string }).value, /2014-12-14 04:07:50\.001 UTC/);
  });
});

describe('prefixes', () => {
  it('an epoch followed by a space is a record value, not a prefix', () => {
    // A custom format starting with `start`: its first value looks like an epoch.
    const doc = new FlowLogDocument('# fields: start end srcaddr\n1418530010 1418530070 10.0.0.1\n');
    const parsed = parseLine(doc, 1);
    assert.equal(parsed.timestamp, undefined);
    assert.deepEqual(parsed.tokens.map((t) => t.name), ['start', 'end', 'srcaddr']);
  });

  it('the spacing fix leaves the export prefix alone', () => {
    const doc = new FlowLogDocument(`1418530070000,${R1.replace(' 22 ', '  22 ')}\n`);
    const problems = collectProblems(doc);
    assert.deepEqual(problems.map((p) => p.code), ['irregular-spacing']);
  });
});

describe('mixed layouts', () => {
  it('a stream reports a change of layout at a batch boundary as the document does', () => {
    const text = `${Array.from({ length: 40 }, () => R1).join('\n')}\n${Array.from({ length: 40 }, () => TGW).join('\n')}\n`;
    const documentProblems = collectProblems(new FlowLogDocument(text));
    assert.deepEqual(documentProblems.map((p) => [p.code, p.line]), [['multiple-formats', 40]]);
    for (const size of [7, 100, 1000, 3001]) {
      const found: Problem[] = [];
      const stream = new FlowLogStream({ problem: (p) => void found.push(p) }, {});
      for (let at = 0; at < text.length; at += size) stream.push(text.slice(at, at + size));
      stream.end();
      assert.deepEqual(found.map((p) => [p.code, p.line]), [['multiple-formats', 40]], `chunks of ${size}`);
    }
  });

  it('a header keeps its format: a record of another layout there is a field-count problem', () => {
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    assert.deepEqual(codes(`${header}\n${R1}\n${TGW}\n`), ['field-count']);
  });
});

describe('Transit Gateway inference', () => {
  const tgwWithoutVersion = (flags: string): string => TGW.split(' ').slice(1).join(' ').replace(' 0 0 0 0 3 us-east-1', ` 0 0 0 0 ${flags} us-east-1`);

  it('names TGW fields, never VPC ones, and marks what it guesses', () => {
    const doc = new FlowLogDocument(`${tgwWithoutVersion('3')}\n${tgwWithoutVersion('19')}\n${tgwWithoutVersion('2')}\n`);
    const format = doc.formats.primary;
    assert.equal(format.kind, 'tgw');
    for (const name of ['vpc-id', 'subnet-id', 'interface-id']) assert.ok(!format.names.includes(name), `no ${name} in a TGW record`);
    const column = (name: string): number => format.names.indexOf(name);
    for (const name of ['tgw-src-vpc-id', 'tgw-dst-vpc-id', 'tgw-src-subnet-id', 'tgw-dst-subnet-id', 'tcp-flags', 'packets-lost-no-route', 'tgw-pair-attachment-id']) {
      assert.ok(column(name) >= 0, `${name} named`);
      assert.ok(format.ambiguousColumns.includes(column(name)), `${name} is a guess`);
    }
    assert.equal(column('tcp-flags'), 30);
    for (const name of ['resource-type', 'tgw-id', 'srcaddr', 'start', 'log-status', 'region']) assert.ok(!format.ambiguousColumns.includes(column(name)), `${name} is sure`);
  });
});

/**
 * Values AWS cannot write are flagged, and hovers do not describe them as real: tcp-flags
 * outside the ORs of FIN, SYN, RST and SYN-ACK, and IPv4 addresses with zero-padded octets. The
 * fast path of validation must agree with the exact path on every one of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { REACHABLE_TCP_FLAGS } from '../../server/src/catalog/tcpFlags';
import { readSettings } from '../../server/src/lsp/settings';
import { checkDeclarations } from '../../server/src/service/declarations';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { doHover } from '../../server/src/service/hover';
import { severityTable } from '../../server/src/service/rules';
import { FlowLogStream } from '../../server/src/service/stream';
import { Validator, type Problem } from '../../server/src/service/validate';
import { docWithCursor } from './helpers';

const V5_HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';
const V5 =
  '5 123456789010 eni-1235b8ca123456789 10.0.0.71 52.95.128.179 34210 80 6 7 471 1616729292 1616729349 ACCEPT OK vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b 3 IPv4 10.0.0.71 52.95.128.179 ap-southeast-2 apse2-az3 - - - S3 egress 8';
const V2 = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

function v5With(name: string, value: string): string {
  const fields = V5.split(' ');
  fields[V5_HEADER.split(' ').indexOf(name)] = value;
  return fields.join(' ');
}

/** Problems of a text on the exact path or with the fast path allowed. */
function problems(text: string, exactOnly: boolean): Problem[] {
  const document = new FlowLogDocument(text);
  const input = { lines: document.lines, formats: document.formats, severities: severityTable(), exactOnly };
  const found: Problem[] = [];
  const sink = (p: Problem): boolean => found.push(p) > 0;
  checkDeclarations(input, sink);
  new Validator(input).validateLines(0, document.lines.lineCount, sink);
  return found;
}

function bothPaths(text: string): Problem[] {
  const exact = problems(text, true);
  assert.deepEqual(problems(text, false), exact, 'the fast path agrees with the exact path');
  return exact;
}

describe('impossible-tcp-flags', () => {
  it('reachable values are exactly the ORs of 1, 2, 4 and 18', () => {
    assert.deepEqual(REACHABLE_TCP_FLAGS, [0, 1, 2, 3, 4, 5, 6, 7, 18, 19, 22, 23]);
  });

  it('warns on every value AWS cannot write, on both validation paths, and on none it can', () => {
    for (let value = 0; value <= 255; value++) {
      const found = bothPaths(`${V5_HEADER}\n${v5With('tcp-flags', String(value))}`);
      const flagged = found.filter((p) => p.code === 'impossible-tcp-flags');
      if (REACHABLE_TCP_FLAGS.includes(value)) {
        assert.deepEqual(found, [], String(value));
      } else {
        assert.equal(flagged.length, 1, String(value));
        assert.equal(flagged[0].severity, 'warning');
        assert.equal(found.length, 1, `${value}: only this problem`);
      }
    }
  });

  it('says why the value cannot arise and what can', () => {
    const [problem] = bothPaths(`${V5_HEADER}\n${v5With('tcp-flags', '16')}`);
    assert.equal(problem.message, 'tcp-flags 16 cannot come from AWS: ACK (16) is recorded only within SYN-ACK (18). Flow logs record only FIN (1), SYN (2), RST (4) and SYN-ACK (18), OR-ed over the interval, so the possible values are 0–7, 18, 19, 22 and 23.');
    const line = `${V5_HEADER}\n${v5With('tcp-flags', '16')}`.split('\n')[1];
    assert.equal(line.slice(problem.start, problem.end), '16');
  });

  it('still reports tcp-flags on a non-TCP flow', () => {
    const codes = bothPaths(`${V5_HEADER}\n${v5With('tcp-flags', '8').replace(' 6 7 471', ' 17 7 471')}`).map((p) => p.code);
    assert.deepEqual(codes, ['impossible-tcp-flags', 'tcp-flags-non-tcp']);
  });

  it('the hover does not describe an impossible value as a flag combination', () => {
    const { doc, position } = docWithCursor(`${V5_HEADER}\n${v5With('tcp-flags', '2|0')}`);
    const value = (doHover(doc, position)?.contents as MarkupContent).value;
    assert.match(value, /\*\*20\*\* is not a value AWS writes/);
    assert.doesNotMatch(value, /\*\*RST\+ACK\*\*|answered|closing/);
  });
});

describe('zero-padded IPv4 octets', () => {
  it('are flagged with the plain form as a fix, on both validation paths', () => {
    const text = V2.replace('172.31.16.139', '138.000.000.248');
    const found = bothPaths(text);
    assert.equal(found.length, 1);
    assert.equal(found[0].code, 'invalid-address');
    assert.match(found[0].message, /srcaddr '138\.000\.000\.248' has zero-padded octets.* 138\.0\.0\.248\.$/);
    assert.deepEqual(found[0].fix, { kind: 'replace', replacement: '138.0.0.248' });
    assert.equal(text.slice(found[0].start, found[0].end), '138.000.000.248');
  });

  it('in any octet, and in the IPv4 tail of an IPv6 address; plain zeros are fine', () => {
    for (const address of ['10.0.0.01', '01.2.3.4', '10.00.0.1', '::ffff:10.0.0.01']) {
      assert.deepEqual(bothPaths(V2.replace('172.31.16.21', address)).map((p) => p.code), ['invalid-address'], address);
    }
    for (const address of ['10.0.0.0', '0.0.0.0', '::ffff:10.0.0.1', '100.10.0.200']) assert.deepEqual(bothPaths(V2.replace('172.31.16.21', address)), [], address);
  });
});

describe('hover wording', () => {
  it('pkt-src-aws-service and pkt-dst-aws-service in a TGW record refer to srcaddr and dstaddr', () => {
    const header = '# fields: version resource-type account-id tgw-id srcaddr dstaddr protocol pkt-src-aws-service pkt-dst-aws-service';
    for (const [name, cursor] of [['srcaddr', 'S|3 AMAZON'], ['dstaddr', 'S3 AMA|ZON']]) {
      const { doc, position } = docWithCursor(`${header}\n6 TransitGateway 123456789010 tgw-0123456789abcdef0 10.0.0.1 52.95.128.179 6 ${cursor}`);
      const value = (doHover(doc, position)?.contents as MarkupContent).value;
      assert.match(value, new RegExp(`that ${name} belongs to \\(Transit Gateway records have no pkt-${name}\\)`));
    }
    const { doc, position } = docWithCursor(`${V5_HEADER}\n${v5With('pkt-dst-aws-service', 'S|3')}`);
    assert.match((doHover(doc, position)?.contents as MarkupContent).value, /that pkt-dstaddr belongs to/);
  });
});

describe('an explicit format and a header line', () => {
  const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

  it('the header wins over flowlog.format, and a note says the setting was not used', () => {
    const doc = new FlowLogDocument(`${HEADER}\n${V2}`, 'tgw-default');
    assert.equal(doc.formats.primary.source, 'header');
    assert.equal(doc.formats.primary.names.join(' '), HEADER);
    const found = problems(`${HEADER}\n${V2}`, true);
    assert.deepEqual(found, []);
    const withSetting = collectProblems(doc);
    assert.deepEqual(withSetting.map((p) => [p.code, p.severity, p.line]), [['explicit-format-unused', 'info', 0]]);
    assert.equal(withSetting[0].message, "This header line gives the file's format, so flowlog.format was not used: it applies only to files without a header line.");
  });

  it('a directive wins too; a file without either is read with the explicit format', () => {
    const directive = new FlowLogDocument(`# fields: ${HEADER}\n${V2}`, 'tgw-default');
    assert.equal(directive.formats.primary.source, 'directive');
    assert.match(collectProblems(directive)[0].message, /^This directive gives the file's format/);
    const headerless = new FlowLogDocument(V2.split(' ').slice(0, 4).join(' '), 'version account-id interface-id srcaddr');
    assert.equal(headerless.formats.primary.source, 'option');
    assert.equal(headerless.formats.explicitUnused, undefined);
    assert.deepEqual(collectProblems(headerless), []);
  });

  it('the stream (the CLI) reads it the same way and says --fields', () => {
    const found: Problem[] = [];
    const stream = new FlowLogStream({ problem: (p) => void found.push(p) }, { explicitFormat: 'tgw-default', host: 'cli' });
    stream.push(`${HEADER}\n${V2}\n`);
    stream.end();
    assert.equal(stream.format?.source, 'header');
    assert.deepEqual(found.map((p) => p.message), ["This header line gives the file's format, so --fields was not used: it applies only to files without a header line."]);
  });
});

describe('messages in the words of where they are read', () => {
  it('not-flow-log and ambiguous-format say "set flowlog.format" in the editor and "pass --fields" in the CLI', () => {
    const text = 'hello world, this is an application log\nsecond line of it here\n';
    assert.match(collectProblems(new FlowLogDocument(text))[0].message, /or set flowlog\.format\.$/);
    const found: Problem[] = [];
    const stream = new FlowLogStream({ problem: (p) => void found.push(p) }, { host: 'cli' });
    stream.push(text);
    stream.end();
    assert.equal(found[0].code, 'not-flow-log');
    assert.match(found[0].message, /or pass --fields\.$/);
    assert.doesNotMatch(found[0].message, /flowlog\.format/);
  });
});

describe('flowlog.format setting', () => {
  it('a value naming unknown or repeated fields is not applied: the format is detected, with a message', () => {
    const unknown = readSettings({ format: 'version srcadr dstaddr' });
    assert.equal(unknown.settings.format, undefined);
    assert.deepEqual(unknown.problems, ["flowlog.format names a field that does not exist: 'srcadr' (did you mean 'srcaddr'?); the format is detected from the file instead."]);
    const repeated = readSettings({ format: 'version srcaddr srcaddr' });
    assert.equal(repeated.settings.format, undefined);
    assert.deepEqual(repeated.problems, ["flowlog.format names 'srcaddr' more than once; the format is detected from the file instead."]);
    assert.equal(readSettings({ format: 'tgw-default' }).settings.format, 'tgw-default');
    assert.deepEqual(readSettings({ format: 'tgw-default' }).problems, []);
  });
});

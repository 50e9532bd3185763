import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InlayHintKind } from 'vscode-languageserver-types';
import { ALIGNMENT_SAMPLE_LINES, columnLayout, type AlignedLine } from '../../server/src/service/columnLayout';
import { FlowLogDocument } from '../../server/src/service/document';
import { inlayHints } from '../../server/src/service/inlayHints';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const RDP = '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
const PING = '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK';
const V5_HEADER = 'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status';
const V5_RECORD = '5 10.0.1.5 52.95.128.179 10927 443 6 1620140661 1620140721 IPv4 13 5688 123456789012 vpc-0c90c64bde35af4c4 subnet-0d7d3fa7cfb06e9be i-0eab35ddb00a6a8e8 eni-0beadc0bb8bb8de3a us-east-1 use1-az4 - - ACCEPT 19 10.0.1.5 52.95.128.179 - S3 8 egress OK';
const V5_SHORT = '5 10.0.1.50 10.0.2.1 22 55411 6 1620140661 1620140721 IPv4 3 180 123456789012 vpc-0c90c64bde35af4c4 subnet-0d7d3fa7cfb06e9be i-0eab35ddb00a6a8e8 eni-0beadc0bb8bb8de3a us-east-1 use1-az4 - - REJECT 2 10.0.1.50 10.0.2.1 - - - ingress OK';

/** A Transit Gateway flow log record of the default format (AWS's example). */
const TGW = '6 TransitGatewayAttachment 196544257217 tgw-0d0244e73d546d32b tgw-attach-0e8ed055060e943e4 196544257217 513252928111 vpc-0bcabccfcb40ad5b5 vpc-0232e2f54ed7e6db4 subnet-0af25bc33e8271e07 subnet-08fa6912ec1488057 eni-087ced54bd79b26a7 eni-0723e976ff55b46e5 use1-az2 use1-az6 tgw-attach-01df2c71abe09822c 54.18.148.238 172.26.196.201 80 57834 6 5 5250 1699261920 1699261980 OK IPv4 0 0 0 0 3 us-east-1 ingress - -';

const everything = (text: string) => {
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
};
const NO_LABELS = { decodedValues: false };
const LABELS = { decodedValues: true };

function layoutOf(text: string, options = NO_LABELS, range = everything(text)): AlignedLine[] {
  return columnLayout(new FlowLogDocument(text), range, options);
}

/** Where each value of a line starts once drawn: its offset plus the pads and labels drawn before it. */
function drawnStarts(source: string, aligned: AlignedLine | undefined): number[] {
  const starts: number[] = [];
  const re = /\S+/g;
  for (let match = re.exec(source); match; match = re.exec(source)) {
    const at = match.index;
    let shift = 0;
    for (const pad of aligned?.pads ?? []) if (pad.character <= at) shift += pad.width;
    for (const label of aligned?.labels ?? []) if (label.character <= at) shift += label.label.length + 1;
    starts.push(at + shift);
  }
  return starts;
}

/** The drawn starts of the given lines, which must be equal column by column for aligned lines. */
function startsOf(text: string, layout: AlignedLine[], lines: number[]): number[][] {
  const source = text.split('\n');
  return lines.map((line) => drawnStarts(source[line], layout.find((l) => l.line === line)));
}

function assertAligned(text: string, layout: AlignedLine[], lines: number[], columns?: number): void {
  const starts = startsOf(text, layout, lines).map((s) => (columns === undefined ? s : s.slice(0, columns)));
  for (const other of starts.slice(1)) assert.deepEqual(other, starts[0]);
}

describe('aligned columns', () => {
  it('pads each value of a v2 file to the start of its column under the header', () => {
    const text = [V2_HEADER, SSH, RDP, PING].join('\n');
    const layout = layoutOf(text);
    assert.deepEqual(layout.map((l) => l.line), [0, 1, 2, 3]);
    assertAligned(text, layout, [0, 1, 2, 3]);
    // srcaddr is as wide as its widest value (203.0.113.12 / 172.31.16.139) plus the blank after it.
    const [header, ssh] = startsOf(text, layout, [0, 1]);
    assert.equal(header[4] - header[3], '172.31.16.139 '.length);
    assert.equal(ssh[1] - ssh[0], 'version '.length, 'the header name is wider than the value: the value is padded');
    assert.ok(layout.every((l) => l.labels.length === 0), 'no labels unless asked');
  });

  it('never pads after the last value, and not at all where a line already fits', () => {
    const text = [V2_HEADER, SSH].join('\n');
    const layout = layoutOf(text);
    const lastStart = SSH.lastIndexOf(' ') + 1;
    assert.ok(layout.every((l) => l.pads.every((p) => p.width > 0 && p.character <= lastStart)));
  });

  it('reserves room for the decoded label of each value, the same label the inlay hints show', () => {
    const text = [V2_HEADER, SSH, RDP, PING].join('\n');
    const layout = layoutOf(text, LABELS);
    assertAligned(text, layout, [0, 1, 2, 3]);
    const doc = new FlowLogDocument(text);
    const hints = inlayHints(doc, everything(text), { fieldNames: false, decodedValues: true }).filter((h) => h.kind === InlayHintKind.Type);
    const fromHints = hints.map((h) => `${h.position.line}:${h.position.character} ${String(h.label)}`).sort();
    const fromLayout = layout.flatMap((l) => l.labels.map((label) => `${l.line}:${label.character} ${label.label}`)).sort();
    assert.deepEqual(fromLayout, fromHints);
    assert.ok(fromLayout.includes(`2:${RDP.indexOf(' 6 ')} RDP`), 'dstport 3389 is labelled');
  });

  it('aligns v5 records whose values differ in width, with a header', () => {
    const text = [V5_HEADER, V5_RECORD, V5_SHORT, V5_RECORD].join('\n');
    const layout = layoutOf(text, LABELS);
    assertAligned(text, layout, [0, 1, 2, 3]);
  });

  it('aligns each segment of a file with several headers on its own header', () => {
    const text = [V2_HEADER, SSH, PING, '', V5_HEADER, V5_RECORD, V5_SHORT].join('\n');
    const layout = layoutOf(text);
    assertAligned(text, layout, [0, 1, 2]);
    assertAligned(text, layout, [4, 5, 6]);
    assert.notDeepEqual(startsOf(text, layout, [1])[0].slice(0, 3), startsOf(text, layout, [5])[0].slice(0, 3));
  });

  it('aligns headerless records, and Transit Gateway records', () => {
    const text = [SSH, RDP, PING].join('\n');
    assertAligned(text, layoutOf(text, LABELS), [0, 1, 2]);
    const other = TGW.replace('54.18.148.238', '10.1.2.3').replace(' 80 ', ' 8080 ');
    const tgw = [TGW, other, TGW].join('\n');
    assertAligned(tgw, layoutOf(tgw, LABELS), [0, 1, 2]);
  });

  it('aligns each layout of a headerless file that mixes VPC and Transit Gateway records on its own', () => {
    const text = [SSH, TGW, RDP, TGW.replace('54.18.148.238', '10.1.2.3'), PING].join('\n');
    const layout = layoutOf(text, LABELS);
    assertAligned(text, layout, [0, 2, 4]);
    assertAligned(text, layout, [1, 3]);
  });

  it('pads a CloudWatch Logs time prefix as a lead, so the records line up after it', () => {
    const text = ['2015-06-01T10:12:07Z ' + SSH, '2015-06-02T11:12:07.000Z ' + RDP, '2015-06-03T12:12:07.000Z ' + PING].join('\n');
    const layout = layoutOf(text, LABELS);
    assert.equal(layout.length, 3);
    // The prefix itself is the first word: the record's values are compared from the second.
    const starts = startsOf(text, layout, [0, 1, 2]).map((s) => s.slice(1));
    for (const other of starts.slice(1)) assert.deepEqual(other, starts[0]);
    assert.deepEqual(layout[0].pads[0], { character: '2015-06-01T10:12:07Z '.length, width: 4 });
  });

  it('keeps the alignment with irregular spacing, and leaves JSON lines as they are', () => {
    const text = [V2_HEADER, SSH.replace(' 22 ', '   22 '), RDP, '{"message":"' + PING + '"}'].join('\n');
    const layout = layoutOf(text);
    assertAligned(text, layout, [0, 1, 2]);
    assert.equal(layout.find((l) => l.line === 3), undefined);
  });

  it('sizes columns from a bounded sample and the range, not from the whole document', () => {
    const lines = [V2_HEADER];
    for (let i = 0; i < ALIGNMENT_SAMPLE_LINES + 500; i++) lines.push(PING);
    const wide = lines.length;
    lines.push(SSH.replace('20641', '2064100000000'));
    const text = lines.join('\n');
    const doc = new FlowLogDocument(text);
    const top = columnLayout(doc, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, NO_LABELS);
    const bottom = columnLayout(doc, { start: { line: wide - 2, character: 0 }, end: { line: wide, character: 0 } }, NO_LABELS);
    const srcportWidth = (layout: AlignedLine[], line: number): number => {
      const [starts] = startsOf(text, layout, [line]);
      return starts[6] - starts[5];
    };
    assert.equal(srcportWidth(top, 1), 'srcport '.length, 'the wide value far below is not read for the top');
    assert.equal(srcportWidth(bottom, wide), '2064100000000 '.length, 'the wide value in view widens its column');
    assertAligned(text, bottom, [wide - 2, wide - 1, wide]);
  });

  it('follows an edit of a line in view at once, and a new header', () => {
    const text = [V2_HEADER, SSH, RDP, PING].join('\n');
    const doc = new FlowLogDocument(text);
    const all = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
    columnLayout(doc, all, NO_LABELS);
    const at = SSH.indexOf('20641');
    doc.applyEdits([{ range: { start: { line: 1, character: at }, end: { line: 1, character: at + 5 } }, text: '2064199999' }]);
    const edited = doc.getText();
    assertAligned(edited, columnLayout(doc, all, NO_LABELS), [0, 1, 2, 3]);
    doc.applyEdits([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 'version'.length } }, text: 'version-of-the-record' }]);
    assertAligned(doc.getText(), columnLayout(doc, all, NO_LABELS), [0, 1, 2, 3]);
  });

  it('lays out only the lines of the range, header included when in it', () => {
    const text = [V2_HEADER, SSH, RDP, PING].join('\n');
    assert.deepEqual(layoutOf(text, NO_LABELS, { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }).map((l) => l.line), [2, 3]);
    assert.deepEqual(layoutOf('', NO_LABELS), []);
    assert.deepEqual(layoutOf('Dear team,\nthe report is attached.\n'), [], 'prose is not laid out');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { FlowLogDocument } from '../../server/src/service/document';
import { doHover } from '../../server/src/service/hover';
import { parseLine } from '../../server/src/service/parse';
import { conformanceText, docWithCursor } from './helpers';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const NODATA = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';

function hoverAt(fixture: string): { hover: Hover | undefined; text: string } {
  const { doc, position, text } = docWithCursor(fixture);
  return { hover: doHover(doc, position), text };
}

function markdownOf(hover: Hover | undefined): string {
  assert.ok(hover, 'expected a hover');
  const contents = hover.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

/** Markdown as it reads once rendered: the flow summary escapes every punctuation character. */
function rendered(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** The text a hover's range covers. */
function covered(text: string, hover: Hover | undefined): string {
  assert.ok(hover?.range);
  const line = text.split(/\r?\n/)[hover.range.start.line];
  assert.equal(hover.range.end.line, hover.range.start.line);
  return line.slice(hover.range.start.character, hover.range.end.character);
}

describe('hover on record values', () => {
  it('names the field, decodes the port and covers the token', () => {
    const { hover, text } = hoverAt(`${V2_HEADER}\n${SSH.replace(' 22 ', ' 2|2 ')}`);
    const value = markdownOf(hover);
    assert.ok(value.startsWith('**Destination port** · `dstport` · v2'), value);
    assert.match(value, /SSH/);
    assert.match(value, /Destination port of the traffic/);
    assert.equal(covered(text, hover), '22');
  });

  it('decodes with the context of the record: the window between start and end', () => {
    const value = markdownOf(hoverAt(`${V2_HEADER}\n${SSH.replace('1418530070', '14185300|70')}`).hover);
    assert.match(value, /2014-12-14 04:07:50 UTC/);
    assert.match(value, /Window \(start → end\): 60 s/);
  });

  it('summarises the flow on action', () => {
    const value = markdownOf(hoverAt(`${V2_HEADER}\n${SSH.replace('ACCEPT', 'ACC|EPT')}`).hover);
    assert.match(value, /\*\*ACCEPT\*\*: The traffic was accepted/);
    assert.ok(rendered(value).includes('Flow: TCP 172.31.16.139:20641 → 172.31.16.21:22 (SSH), 20 packets, 4.1 KiB, ACCEPT'), value);
  });

  it('does not summarise on fields where it does not help', () => {
    const value = markdownOf(hoverAt(`${V2_HEADER}\n${SSH.replace('4249', '42|49')}`).hover);
    assert.doesNotMatch(value, /Flow:/);
    assert.match(value, /4\.1 KiB/);
  });

  it('writes IPv6 endpoints in brackets', () => {
    const records = conformanceText('awsdocs-amazon-vpc-user-guide', 'v2_default_ipv6.txt');
    const value = markdownOf(hoverAt(records.replace(' OK', ' O|K')).hover);
    assert.match(rendered(value), /TCP \[2001:db8:1234:a100:8d6e:3477:df66:f105\]:34892 → \[2001:db8:1234:a102:3304:8879:34cf:4071\]:22 \(SSH\)/);
  });

  it('explains NODATA records', () => {
    const value = markdownOf(hoverAt(`${V2_HEADER}\n${NODATA.replace('NODATA', 'NO|DATA')}`).hover);
    assert.match(rendered(value), /Flow: NODATA: no traffic in the interval on eni-1235b8ca123456789 from 2015-05-10 18:01:16 to 2015-05-10 18:02:14 UTC/);
  });

  it('decodes tcp-flags in a custom v3 format (AWS TCP flag sequence)', () => {
    const text = conformanceText('awsdocs-amazon-vpc-user-guide', 'v3_custom_tcp_flag_sequence.txt');
    const value = markdownOf(hoverAt(text.replace('ACCEPT 18 OK', 'ACCEPT 1|8 OK')).hover);
    assert.ok(value.startsWith('**TCP flags** · `tcp-flags` · v3'), value);
    assert.match(value, /SYN-ACK/);
    assert.match(rendered(value), /Flow: TCP 10\.0\.0\.62:5001 → 52\.213\.180\.42:43416/);
  });

  it('shows the packet-level addresses when they differ (NAT gateway)', () => {
    const text = `# fields: instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr action\n- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5 ACC|EPT`;
    const value = markdownOf(hoverAt(text).hover);
    assert.match(rendered(value), /Flow: 10\.0\.1\.5 → 10\.0\.0\.220 \(packet 10\.0\.1\.5 → 203\.0\.113\.5\), ACCEPT/);
  });

  it('says the line has too many fields on a value past the format', () => {
    const { hover, text } = hoverAt(`${V2_HEADER}\n${SSH} 4|2`);
    const value = markdownOf(hover);
    assert.match(value, /too many fields: 15, but the format .* has 14/);
    assert.equal(covered(text, hover), '42');
  });

  it('notes a shifted column on a line with too few fields', () => {
    const short = SSH.replace(' 6 20 ', ' 6 ').replace('ACCEPT', 'ACC|EPT');
    const value = markdownOf(hoverAt(`${V2_HEADER}\n${short}`).hover);
    assert.match(value, /This line has 13 fields but the format has 14/);
  });

  it('decodes Transit Gateway records (flowlogs-reader v6 sample)', () => {
    const text = conformanceText('obsrvbl-flowlogs-reader', 's3_v6_file_with_header.log');
    const value = markdownOf(hoverAt(text.replace(' 13 14', ' 1|3 14')).hover);
    assert.ok(value.startsWith('**Packets lost: no route** · `packets-lost-no-route` · v6'), value);
    assert.match(value, /13 packets dropped by the transit gateway because no route matched/);
  });

  it('uses the Transit Gateway wording in a TGW file', () => {
    const text = '# fields: version resource-type account-id tgw-id srcaddr dstaddr protocol tcp-flags log-status\n6 TransitGateway 123456789010 tgw-0123456789abcdef0 10.0.0.1 10.0.1.1 6 |0 OK';
    const value = markdownOf(hoverAt(text).hover);
    assert.match(value, /When a flow consists of only ACK packets the value is 0, not 16/);
    assert.match(rendered(value), /Flow: TCP 10\.0\.0\.1 → 10\.0\.1\.1$/);
  });

  it('explains the CloudWatch timestamp prefix', () => {
    const { hover, text } = hoverAt(`2018-09-22T20:2|8:14.000Z ${SSH}`);
    const value = markdownOf(hover);
    assert.match(value, /CloudWatch Logs timestamp/);
    assert.match(value, /not a flow log field/);
    assert.match(value, /2018-09-22 20:28:14 UTC/);
    assert.equal(covered(text, hover), '2018-09-22T20:28:14.000Z');
  });
});

describe('hover on header and directive names', () => {
  it('shows the catalog entry of a header name with its allowed values', () => {
    const { hover, text } = hoverAt(`${V2_HEADER.replace('action', 'act|ion')}\n${SSH}`);
    const value = markdownOf(hover);
    assert.ok(value.startsWith('**Action** · `action`'), value);
    assert.match(value, /Version 2 · VPC · one of a fixed set of values · column 13 of 14/);
    assert.match(value, /- `ACCEPT`: The traffic was accepted\./);
    assert.match(value, /- `REJECT`: /);
    assert.equal(covered(text, hover), 'action');
  });

  it('names the family of a Transit Gateway field', () => {
    const value = markdownOf(hoverAt('# fields: version tgw-attach|ment-id srcaddr').hover);
    assert.match(value, /\*\*Transit gateway attachment\*\* · `tgw-attachment-id`/);
    assert.match(value, /Version 6 · Transit Gateway/);
  });

  it('suggests a field for an unknown name', () => {
    const value = markdownOf(hoverAt('# fields: version srcaddr prot|ocl').hover);
    assert.equal(value, '`protocl` is not a flow log field. Did you mean `protocol`?');
  });

  it('explains the directive keyword', () => {
    const { hover, text } = hoverAt('# fie|lds: version srcaddr dstaddr');
    assert.match(markdownOf(hover), /Format directive/);
    assert.equal(covered(text, hover), '# fields:');
  });

  it('reads a LogFormat directive', () => {
    const value = markdownOf(hoverAt('# format: ${version} ${src|addr} ${dstaddr}').hover);
    assert.ok(value.startsWith('**Source address** · `srcaddr`'), value);
  });

  // format.ts puts the first segment at line 0 even when its header follows comments, so parseLine
  // sees the declaration line as a comment or record (see the engineering report).
  it('hovers a directive that follows comment lines', () => {
    const text = conformanceText('awsdocs-amazon-vpc-user-guide', 'v2_default_accept_reject.txt');
    const value = markdownOf(hoverAt(text.replace('# format: version account-id', '# format: version acc|ount-id')).hover);
    assert.match(value, /\*\*Account ID\*\*/);
  });
});

describe('hover edge cases', () => {
  it('on a line of 300,000 values, explains the value under the cursor from the format\'s columns and that one token', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => String(i % 1000));
    const line = `${SSH} ${values.join(' ')}`;
    const doc = new FlowLogDocument(`${V2_HEADER}\n${line}\n`);
    const character = line.lastIndexOf(' ') + 1;
    const parsed = parseLine(doc, 1, { focus: character });
    assert.equal(parsed.tokenCount, 300_014);
    assert.equal(parsed.tokens.length, 15, 'the 14 columns of the format and the one under the cursor');
    const text = markdownOf(doHover(doc, { line: 1, character }));
    assert.match(text, /field 300014/);
    assert.match(text, /too many fields: 300014, but the format .* has 14/);
    assert.match(markdownOf(doHover(doc, { line: 1, character: SSH.indexOf(' 22 ') + 1 })), /this value may not be dstport/);
  });

  it('returns undefined outside the text and between values', () => {
    const doc = new FlowLogDocument(`${V2_HEADER}\n${SSH}\n`);
    const spaced = docWithCursor(`${V2_HEADER}\n${SSH.replace('ACCEPT OK', 'ACCEPT  | OK')}`);
    assert.equal(doHover(spaced.doc, spaced.position), undefined);
    assert.equal(doHover(doc, { line: 3, character: 0 }), undefined);
    assert.equal(doHover(doc, { line: 1, character: SSH.length + 1 }), undefined);
    assert.equal(doHover(doc, { line: -1, character: 0 }), undefined);
    assert.equal(doHover(doc, { line: 2, character: 0 }), undefined);
    assert.equal(doHover(doc, { line: 1, character: Number.NaN }), undefined);
  });

  it('says nothing about prose that is not a flow log', () => {
    assert.equal(hoverAt('The following are ex|amples of default flow log records.').hover, undefined);
  });

  it('never throws on any position of messy input', () => {
    const text = `\uFEFF${V2_HEADER}\r\n${SSH} #note\r\n\t2 x y\r\n{"message":"${NODATA}"}\r\n${SSH} ${SSH}\r\n\u0000\u00ff 9999999999999999999999 -1`;
    const doc = new FlowLogDocument(text);
    const lines = text.split(/\r\n/);
    lines.forEach((line, l) => {
      for (let c = 0; c <= line.length + 1; c++) {
        const hover = doHover(doc, { line: l, character: c });
        if (hover?.range) assert.ok(hover.range.start.character <= c && c <= hover.range.end.character, `range at ${l}:${c}`);
      }
    });
  });
});

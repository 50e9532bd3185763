import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnAtPosition } from '../../server/src/service/columnAt';
import { columnValues } from '../../server/src/service/columnValues';
import { FlowLogDocument } from '../../server/src/service/document';
import { docWithCursor } from './helpers';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const HTTPS = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 443 6 20 4249 1418530010 1418530070 ACCEPT OK';
const RDP = '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
const V5_HEADER = 'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status';
const V5_RECORD = '5 10.0.1.5 52.95.128.179 10927 443 6 1620140661 1620140721 IPv4 13 5688 123456789012 vpc-0c90c64bde35af4c4 subnet-0d7d3fa7cfb06e9be i-0eab35ddb00a6a8e8 eni-0beadc0bb8bb8de3a us-east-1 use1-az4 - - ACCEPT 19 10.0.1.5 52.95.128.179 - S3 8 egress OK';

describe('the column under the cursor', () => {
  it('names the column, its 0-based index, the value and its short decoding', () => {
    const { doc, position } = docWithCursor(`${V2_HEADER}\n${HTTPS.replace(' 443 ', ' 4|43 ')}`);
    assert.deepEqual(columnAtPosition(doc, position), { name: 'dstport', column: 6, value: '443', decoded: 'HTTPS' });
  });

  it('decodes with the record as context: tcp-flags, protocol, times', () => {
    const at = (fixture: string) => {
      const { doc, position } = docWithCursor(fixture);
      return columnAtPosition(doc, position);
    };
    assert.equal(at(`${V5_HEADER}\n${V5_RECORD.replace(' ACCEPT 19 ', ' ACCEPT 1|9 ')}`)?.decoded, 'SYN-ACK+FIN');
    assert.equal(at(`${V2_HEADER}\n${HTTPS.replace(' 6 20 ', ' |6 20 ')}`)?.decoded, 'TCP');
    assert.match(at(`${V2_HEADER}\n${HTTPS.replace(' 1418530010 ', ' 141853|0010 ')}`)?.decoded ?? '', /^2014-12-14 04:06:50/);
    assert.equal(at(`${V2_HEADER}\n${HTTPS.replace(' ACCEPT ', ' ACC|EPT ')}`)?.decoded, undefined, 'ACCEPT says it all');
  });

  it('names a header name as its column, and a value past the format as column-N', () => {
    const header = docWithCursor(`${V2_HEADER.replace('dstport', 'dst|port')}\n${HTTPS}`);
    assert.deepEqual(columnAtPosition(header.doc, header.position), { name: 'dstport', column: 6, header: true });
    const extra = docWithCursor(`${V2_HEADER}\n${HTTPS} ext|ra`);
    assert.deepEqual(columnAtPosition(extra.doc, extra.position), { name: 'column-15', column: 14, value: 'extra' });
  });

  it('follows the format of each line: v5 puts dstport at column 5', () => {
    const { doc, position } = docWithCursor(`${V2_HEADER}\n${HTTPS}\n${V5_HEADER}\n${V5_RECORD.replace(' 10927 443 ', ' 10927 44|3 ')}`);
    assert.deepEqual(columnAtPosition(doc, position), { name: 'dstport', column: 4, value: '443', decoded: 'HTTPS' });
  });

  it('is undefined off the columns: a comment, a CloudWatch time prefix, prose, past the line', () => {
    const comment = docWithCursor(`${V2_HEADER}\n# a no|te\n${HTTPS}`);
    assert.equal(columnAtPosition(comment.doc, comment.position), undefined);
    const prefix = docWithCursor(`2015-06-01T10:|12:07.000Z ${HTTPS}`);
    assert.equal(columnAtPosition(prefix.doc, prefix.position), undefined);
    const afterPrefix = docWithCursor(`2015-06-01T10:12:07.000Z 2 12345678|9010 ${HTTPS.slice(16)}`);
    assert.equal(columnAtPosition(afterPrefix.doc, afterPrefix.position)?.name, 'account-id');
    const prose = docWithCursor('Dear team,\nthe re|port is attached.\n');
    assert.equal(columnAtPosition(prose.doc, prose.position), undefined);
    const doc = new FlowLogDocument(HTTPS);
    assert.equal(columnAtPosition(doc, { line: 0, character: HTTPS.length + 5 }), undefined);
    assert.equal(columnAtPosition(doc, { line: 3, character: 0 }), undefined);
  });
});

describe('the values of a column', () => {
  const text = [V2_HEADER, HTTPS, '# note', RDP, '', V5_HEADER, V5_RECORD].join('\n');
  const doc = new FlowLogDocument(text);
  const onDstport = { line: 1, character: HTTPS.indexOf(' 443 ') + 2 };

  it('finds the value of every record, by name across segments, with exact offsets', () => {
    const found = columnValues(doc, onDstport, { limit: 100 });
    assert.ok(found);
    assert.equal(found.name, 'dstport');
    assert.deepEqual(found.values.map((v) => [v.line, v.text]), [[1, '443'], [3, '3389'], [6, '443']]);
    const lines = text.split('\n');
    for (const value of found.values) assert.equal(lines[value.line].slice(value.start, value.end), value.text);
    assert.equal(found.truncated, false);
  });

  it('keeps to the lines of a range, and starts from a header name too', () => {
    const onHeader = { line: 0, character: V2_HEADER.indexOf('srcaddr') + 1 };
    const found = columnValues(doc, onHeader, { limit: 100, range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } } });
    assert.deepEqual(found?.values.map((v) => v.text), ['172.31.9.69']);
  });

  it('stops at the limit and says so', () => {
    const found = columnValues(doc, onDstport, { limit: 2 });
    assert.deepEqual(found?.values.map((v) => v.text), ['443', '3389']);
    assert.equal(found?.truncated, true);
    assert.equal(columnValues(doc, onDstport, { limit: 3 })?.truncated, false, 'exactly the limit is not truncated');
  });

  it('reads every record of a JSON line, and the records of a CloudWatch export after their prefix', () => {
    const json = `{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1418530070000,"message":"${HTTPS}"},{"id":"2","timestamp":1418530071000,"message":"${RDP}"}]}`;
    const cloudwatch = `2015-06-01T10:12:07.000Z ${HTTPS}\n2015-06-02T11:12:07.000Z ${RDP}\n${json}`;
    const found = columnValues(new FlowLogDocument(cloudwatch), { line: 0, character: 25 + HTTPS.indexOf(' ACCEPT ') + 2 }, { limit: 10 });
    assert.equal(found?.name, 'action');
    assert.deepEqual(found?.values.map((v) => [v.line, v.text]), [[0, 'ACCEPT'], [1, 'REJECT'], [2, 'ACCEPT'], [2, 'REJECT']]);
  });

  it('is undefined when the position is not on a column', () => {
    assert.equal(columnValues(doc, { line: 2, character: 3 }, { limit: 10 }), undefined);
  });
});

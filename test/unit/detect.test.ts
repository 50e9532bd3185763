/** Language auto-detection of `.log` and plain text documents (client/src/detect.ts). */
import { CONFORMANCE_DIR } from '../fixtures/paths';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { leadingLines, looksLikeFlowLog } from '../../client/src/detect';

const CONFORMANCE = CONFORMANCE_DIR;
const detect = (text: string): boolean => looksLikeFlowLog(leadingLines(text));

describe('flow log auto-detection', () => {
  it('recognises the conformance flow logs', () => {
    const files = readdirSync(CONFORMANCE, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(txt|log)$/.test(f));
    assert.ok(files.length >= 10);
    for (const file of files) assert.ok(detect(readFileSync(path.join(CONFORMANCE, file), 'utf8')), file);
  });

  it('recognises a header line, records after blank lines, and CloudWatch exports', () => {
    assert.ok(detect('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n'));
    assert.ok(detect('\n\n\n2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n'));
    assert.ok(detect('2018-09-22T20:28:14.000Z 2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443 49152 6 10 840 1537647990 1537648050 ACCEPT OK'));
  });

  it('leaves other logs and text alone', () => {
    for (const text of [
      '',
      'hello world',
      '2024-01-01 12:00:00 INFO Starting server on 10.0.0.1 port 8080\n2024-01-01 12:00:01 INFO ready',
      'Nov 25 19:04:01 host sshd[123]: Accepted publickey for root from 10.0.0.5 port 51234 ssh2',
      '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
      'start end\nrestart',
      '1 2 3 4 5 6 7 8 9 10 11 12 13 14\n1 2 3 4 5 6 7 8 9 10 11 12 13 14',
    ]) assert.ok(!detect(text), JSON.stringify(text));
  });

  it('looks at no more than the first lines, cut to a sane length', () => {
    const lines = leadingLines(`${'x'.repeat(100_000)}\n\n${'line\n'.repeat(100)}`, 20);
    assert.equal(lines.length, 20);
    assert.equal(lines[0].length, 4096);
  });
});

/**
 * The filter requests of the built server over stdio: a filter checked against the document's
 * format, run over a large document while hovers are still answered (the run yields between
 * steps), exports, and the filter for a value under the cursor.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import type { ExportResult, FilterCheckResult, FilterRunResult } from '../../server/src/lsp/protocol';
import { TestClient } from './lspClient';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const record = (i: number) => `2 123456789010 eni-1235b8ca123456789 10.0.${i % 250}.1 172.31.16.21 ${20000 + (i % 40000)} ${i % 10 === 0 ? 22 : 443} 6 20 4249 1418530010 1418530070 ${i % 7 === 0 ? 'REJECT' : 'ACCEPT'} OK`;

describe('flowlog language server: filter requests', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => client.stop());

  it('checks a filter against the document’s format', async () => {
    const uri = 'file:///small.log';
    await client.open(uri, `${HEADER}\n${record(0)}\n`);
    const good = await client.request<FilterCheckResult>('flowlog/filterCheck', { uri, expression: 'dstport = ssh' });
    assert.equal(good.problem, undefined);
    assert.deepEqual(good.fields, HEADER.split(' '));
    const typo = await client.request<FilterCheckResult>('flowlog/filterCheck', { uri, expression: 'dstprot = 22' });
    assert.deepEqual(typo.problem, { message: '`dstprot` is not a field; did you mean `dstport`?', start: 0, end: 7, suggestion: 'dstport' });
    const missing = await client.request<FilterCheckResult>('flowlog/filterCheck', { uri, expression: 'tcp-flags has syn' });
    assert.match(missing.problem?.message ?? '', /has no `tcp-flags`/);
  });

  it('answers hovers while it filters a large document', async () => {
    const uri = 'file:///large.log';
    const lines = [HEADER];
    for (let i = 1; i <= 200_000; i++) lines.push(record(i));
    await client.open(uri, lines.join('\n'));
    const order: string[] = [];
    const run = client.request<FilterRunResult>('flowlog/filterRun', { uri, expression: 'dstport = ssh and action = reject' }).then((result) => (order.push('filter'), result));
    const hover = client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } }).then((result) => (order.push('hover'), result));
    const [result] = await Promise.all([run, hover]);
    assert.deepEqual(order, ['hover', 'filter'], 'the hover did not wait for the whole run');
    const expected = lines.slice(1).filter((_, i) => (i + 1) % 10 === 0 && (i + 1) % 7 === 0);
    assert.equal(result.matched, expected.length);
    assert.equal(result.records, 200_000);
    const text = result.text.split('\n');
    assert.equal(text[0], `# flowlog filter: dstport = ssh and action = reject · ${expected.length.toLocaleString('en-US')} of 200,000 records of large.log match`);
    assert.equal(text[1], HEADER);
    assert.deepEqual(text.slice(2, -1), expected);
    assert.deepEqual(result.sourceLines.slice(0, 3), [-1, 0, 70]);
  });

  it('exports and the filter for a value', async () => {
    const uri = 'file:///data/123456789010_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_20260101T0000Z_abcd1234.log';
    await client.open(uri, `${HEADER}\n${record(0)}\n`);
    const athena = await client.request<ExportResult>('flowlog/export', { uri, target: 'athena', expression: 'action = reject' });
    assert.match(athena.text ?? '', /'projection\.aws_region\.values'='eu-west-1'/);
    assert.match(athena.text ?? '', /WHERE coalesce\(action = 'REJECT', false\)/);
    const duckdb = await client.request<ExportResult>('flowlog/export', { uri, target: 'duckdb' });
    assert.match(duckdb.text ?? '', /read_csv\('\/data\/123456789010_vpcflowlogs_eu-west-1_/);
    const bad = await client.request<ExportResult>('flowlog/export', { uri, target: 'insights', expression: 'action =' });
    assert.match(bad.problem?.message ?? '', /expected a value after `=`/);
    const value = await client.request<{ expression: string } | null>('flowlog/valueFilter', { uri, position: { line: 1, character: 60 } });
    assert.equal(value?.expression, 'srcport = 20000');
  });
});

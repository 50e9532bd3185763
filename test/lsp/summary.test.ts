/**
 * The summary request of the built server over stdio: the numbers against a count made here,
 * conversation verdicts, a large document summarised in slices (a hover is answered meanwhile,
 * with work-done progress), a new version after an edit, and a bad grouping in words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import type { SummaryResult } from '../../server/src/lsp/protocol';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { summarizeText } from '../../server/src/service/summary/summaryStream';
import { TestClient } from './lspClient';

const EXPORT_SHAPES = path.join(__dirname, '..', 'fixtures', 'export-shapes');
const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const record = (i: number) =>
  `2 123456789010 eni-1235b8ca123456789 10.0.${i % 250}.1 172.31.16.21 ${20000 + (i % 40000)} ${i % 10 === 0 ? 22 : 443} 6 20 ${1000 + (i % 5)} ${1418530010 + i} ${1418530070 + i} ${i % 7 === 0 ? 'REJECT' : 'ACCEPT'} OK`;

function lines(count: number): string[] {
  const out = [HEADER];
  for (let i = 1; i <= count; i++) out.push(record(i));
  return out;
}

describe('flowlog language server: summary request', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => client.stop());

  it('summarises a document: totals, top tables with their filters, and verdicts', async () => {
    const uri = 'file:///small.log';
    const text = lines(700);
    await client.open(uri, text.join('\n'));
    const result = await client.request<SummaryResult>('flowlog/summary', { uri, options: {} });
    assert.equal(result.version, 1);
    assert.equal(result.recognised, true);
    const { totals, top, verdicts } = result.report;
    // Counted here from the text: 100 of the 700 records (every 7th) are rejected.
    assert.equal(totals.records, 700);
    assert.deepEqual(totals.recordsByAction, { accept: 600, reject: 100, other: 0 });
    const bytes = text.slice(1).reduce((sum, line) => sum + Number(line.split(' ')[9]), 0);
    assert.equal(Number(totals.bytesByAction.accept) + Number(totals.bytesByAction.reject), bytes);
    const ports = top.find((table) => table.fields.join() === 'dstport');
    assert.ok(ports, `tables: ${top.map((t) => t.fields.join()).join(' | ')}`);
    assert.deepEqual(ports.rows.map((row) => [row.values[0], row.records, row.filter]), [['443', 630, 'dstport = 443'], ['22', 70, 'dstport = 22']]);
    assert.ok(verdicts && verdicts.length > 0, 'verdicts from the paired conversations');
    assert.equal(verdicts.reduce((sum, v) => sum + v.conversations, 0) > 0, true);
  });

  it('counts every record of an export shape as `flowlog report` does (subscription envelopes, time prefixes)', async () => {
    for (const name of ['subscription-envelopes.jsonl', 'iso-prefix.log', 'firehose-message.jsonl']) {
      const text = readFileSync(path.join(EXPORT_SHAPES, name), 'utf8');
      const uri = `file:///shapes/${name}`;
      await client.open(uri, text);
      const result = await client.request<SummaryResult>('flowlog/summary', { uri, options: {} });
      const expectedRecords = readFileSync(path.join(EXPORT_SHAPES, `${name}.expected.jsonl`), 'utf8').split('\n').filter(Boolean).length;
      assert.equal(result.report.totals.records, expectedRecords, name);
      assert.equal(result.report.totals.malformed, 0, name);
      assert.deepEqual(result.report.totals, summarizeText(text).totals, name);
    }
  });

  it('summarises a large document in slices: a hover is answered meanwhile, with progress', async () => {
    const uri = 'file:///large.log';
    await client.open(uri, lines(200_000).join('\n'));
    const order: string[] = [];
    const summary = client.request<SummaryResult>('flowlog/summary', { uri, options: { top: 3 } }).then((result) => (order.push('summary'), result));
    const hover = client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } }).then((result) => (order.push('hover'), result));
    const [result] = await Promise.all([summary, hover]);
    assert.deepEqual(order, ['hover', 'summary'], 'the hover did not wait for the whole summary');
    assert.equal(result.report.totals.records, 200_000);
    assert.ok(result.report.top.every((table) => table.rows.length <= 3));
    const titles = client.progress.map((p) => p.value.title).filter(Boolean);
    assert.ok(titles.includes('flowlog: summarising'), `progress titles: ${titles.join(', ')}`);
  });

  it('follows edits: the next request summarises the new version', async () => {
    const uri = 'file:///edited.log';
    await client.open(uri, lines(20).join('\n'));
    const before = await client.request<SummaryResult>('flowlog/summary', { uri, options: {} });
    assert.deepEqual(before.report.totals.recordsByAction, { accept: 18, reject: 2, other: 0 });
    // Line 1 (record 1) ACCEPT → REJECT.
    const line = record(1);
    const at = line.indexOf('ACCEPT');
    await client.change(uri, 2, [{ range: { start: { line: 1, character: at }, end: { line: 1, character: at + 6 } }, text: 'REJECT' }]);
    const after = await client.request<SummaryResult>('flowlog/summary', { uri, options: {} });
    assert.equal(after.version, 2);
    assert.deepEqual(after.report.totals.recordsByAction, { accept: 17, reject: 3, other: 0 });
  });

  it('says what is wrong with a grouping, and null for a document it does not have', async () => {
    const uri = 'file:///small.log';
    const bad = await client.request<SummaryResult>('flowlog/summary', { uri, options: { groupBy: [['dstprot']] } });
    assert.equal(bad.problem, '`dstprot` is not a field; did you mean `dstport`?');
    const pair = await client.request<SummaryResult>('flowlog/summary', { uri, options: { groupBy: [['srcaddr', 'dstport']], top: 2 } });
    assert.deepEqual(pair.report.top.map((table) => table.fields), [['srcaddr', 'dstport']]);
    assert.equal(pair.report.top[0].rows.length, 2);
    assert.equal(await client.request('flowlog/summary', { uri: 'file:///not-open.log', options: {} }), null);
  });
});

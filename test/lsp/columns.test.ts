/**
 * The column requests of the built server over stdio: the aligned layout of a viewport, the
 * column under each cursor, and the values of a column (Select Column, Copy Column Values),
 * with malformed parameters answered by an empty result rather than an error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ColumnAtInfo, ColumnLayoutResult, ColumnValuesResult } from '../../server/src/lsp/protocol';
import { TestClient } from './lspClient';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const record = (i: number) => `2 123456789010 eni-1235b8ca123456789 10.0.${i % 250}.1 172.31.16.21 ${20000 + (i % 40000)} ${i % 10 === 0 ? 22 : 443} 6 20 4249 1418530010 1418530070 ${i % 7 === 0 ? 'REJECT' : 'ACCEPT'} OK`;

describe('flowlog language server: column requests', () => {
  let client: TestClient;
  const uri = 'file:///columns.log';
  const lines = [HEADER];
  for (let i = 1; i <= 30; i++) lines.push(record(i));
  const text = lines.join('\n');

  before(async () => {
    client = await TestClient.start({ pull: true });
    await client.open(uri, text);
  });
  after(() => client.stop());

  it('lays out a viewport: pads that line the values up under the header, and labels', async () => {
    const layout = await client.request<ColumnLayoutResult>('flowlog/columnLayout', { uri, range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } }, decodedValues: true });
    assert.deepEqual(layout.lines.map((l) => l.line), Array.from({ length: 13 }, (_, i) => i));
    // Where dstport is drawn on each line: its offset plus the pads and labels before it.
    const drawnDstport = (line: number): number => {
      const source = lines[line];
      const at = source.split(' ').slice(0, 6).join(' ').length + 1;
      const { pads, labels } = layout.lines[line];
      return at + pads.filter((p) => p.character <= at).reduce((sum, p) => sum + p.width, 0) + labels.filter((l) => l.character <= at).reduce((sum, l) => sum + l.label.length + 1, 0);
    };
    const header = drawnDstport(0);
    for (let line = 1; line <= 12; line++) assert.equal(drawnDstport(line), header, `line ${line}`);
    assert.ok(layout.lines[10].labels.some((l) => l.label === 'SSH'), 'record 10 goes to port 22');
  });

  it('names the column under each cursor, null off the columns', async () => {
    const at = lines[10].indexOf(' 22 ') + 1;
    const infos = await client.request<(ColumnAtInfo | null)[]>('flowlog/columnAt', { uri, positions: [{ line: 10, character: at }, { line: 0, character: 2 }, { line: 99, character: 0 }, { bad: true }] });
    assert.deepEqual(infos, [{ name: 'dstport', column: 6, value: '22', decoded: 'SSH' }, { name: 'version', column: 0, header: true }, null, null]);
  });

  it('gives the values of a column as spans, with their text when asked, capped by the limit', async () => {
    const at = { line: 1, character: lines[1].indexOf(' ACCEPT') + 2 };
    const spans = await client.request<ColumnValuesResult>('flowlog/columnValues', { uri, position: at, range: { start: { line: 5, character: 0 }, end: { line: 9, character: 0 } }, limit: 100 });
    assert.equal(spans.name, 'action');
    assert.equal(spans.spans.length, 5 * 3);
    assert.equal(spans.texts, undefined);
    assert.equal(lines[spans.spans[0]].slice(spans.spans[1], spans.spans[2]), 'ACCEPT');
    const copied = await client.request<ColumnValuesResult>('flowlog/columnValues', { uri, position: at, limit: 10, withText: true });
    assert.equal(copied.texts?.length, 10);
    assert.equal(copied.texts?.[6], 'REJECT', 'record 7');
    assert.equal(copied.truncated, true);
  });

  it('answers malformed requests with an empty result, not an error', async () => {
    assert.equal(await client.request('flowlog/columnLayout', { uri: 'file:///unknown.log', range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, decodedValues: true }), null);
    assert.deepEqual(await client.request('flowlog/columnLayout', { uri, range: 'everything', decodedValues: true }), { lines: [] });
    assert.deepEqual(await client.request('flowlog/columnAt', { uri, positions: 'here' }), []);
    assert.equal(await client.request('flowlog/columnValues', { uri, position: null, limit: 10 }), null);
    const none = await client.request<ColumnValuesResult>('flowlog/columnValues', { uri, position: { line: 1, character: 0 }, limit: -5 });
    assert.deepEqual(none.spans, []);
  });
});

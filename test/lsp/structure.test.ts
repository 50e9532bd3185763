/**
 * The built language server over stdio: folding ranges, document symbols, the header code lens,
 * Go to Time and the time span requests, on a document with two header segments and on a
 * headerless one, and after edits (the structure follows the text).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, DocumentSymbol, FoldingRange } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const T0 = 1_700_000_000; // 2023-11-14 22:13:20 UTC

function v2(eni: string, start: number, action = 'ACCEPT'): string {
  return `2 123456789010 eni-${eni} 10.0.0.1 10.0.0.2 443 49152 6 10 840 ${start} ${start + 60} ${action} OK`;
}

/** Two S3 objects concatenated: 40 records a minute apart each, two interfaces, every fifth a REJECT. */
function concatenated(): string {
  const segment = (offset: number): string[] => [V2_HEADER, ...Array.from({ length: 40 }, (_, i) => v2(i % 2 ? 'a' : 'b', T0 + (offset + i) * 60, i % 5 ? 'ACCEPT' : 'REJECT'))];
  return [...segment(0), ...segment(40), ''].join('\n');
}

describe('flowlog language server: structure', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => client.stop());

  it('announces folding ranges, document symbols and code lenses', () => {
    const capabilities = client.initializeResult?.capabilities;
    assert.equal(capabilities?.foldingRangeProvider, true);
    assert.deepEqual(capabilities?.documentSymbolProvider, { label: 'Flow log' });
    assert.deepEqual(capabilities?.codeLensProvider, { resolveProvider: false });
  });

  it('folds and outlines each header segment, by interface with record and REJECT counts', async () => {
    const uri = 'file:///structure/concatenated.log';
    await client.open(uri, concatenated());
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(ranges, [
      { startLine: 0, endLine: 40 },
      { startLine: 41, endLine: 81 },
    ]);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.selectionRange.start.line, s.range.end.line]),
      [
        ['VPC default v2 · 14 fields · header', '40 records · 8 REJECT · 2023-11-14 22:13:20–22:53:20 UTC', 0, 40],
        ['VPC default v2 · 14 fields · header', '40 records · 8 REJECT · 2023-11-14 22:53:20–23:33:20 UTC', 41, 81],
      ],
    );
    assert.deepEqual(symbols[0].children?.map((c) => [c.name, c.detail]), [
      ['eni-b', '20 records · 4 REJECT'],
      ['eni-a', '20 records · 4 REJECT'],
    ]);
  });

  it('follows edits: a removed header merges the segments', async () => {
    const uri = 'file:///structure/edited.log';
    await client.open(uri, concatenated());
    await client.request('textDocument/foldingRange', { textDocument: { uri } });
    await client.change(uri, 2, [{ range: { start: { line: 41, character: 0 }, end: { line: 42, character: 0 } }, text: '' }]);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(ranges, [{ startLine: 0, endLine: 80 }]);
  });

  it('offers the header of a headerless file in a code lens that runs Insert Header Line', async () => {
    const uri = 'file:///structure/headerless.log';
    await client.open(uri, ['# exported', v2('a', T0), v2('b', T0 + 60), v2('c', T0 + 120)].join('\n'));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.command, lens.command?.arguments]),
      [
        [1, 'flowlog.insertHeader', [uri]],
        [1, 'flowlog.setFormat', [uri]],
      ],
    );
    assert.ok(lenses[1].command?.title.startsWith(V2_HEADER));
    const withHeader = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: 'file:///structure/concatenated.log' } });
    assert.deepEqual(withHeader, []);
  });

  it('goes to the record of a time, and says why when it cannot', async () => {
    const uri = 'file:///structure/concatenated.log';
    const found = await client.request<unknown>('flowlog/goToTime', { uri, time: '2023-11-14T23:00:00Z' });
    // 23:00:00 is 46 min 40 s after T0: the record that started at 22:59:20, the 47th, in the second segment.
    assert.deepEqual(found, { position: { line: 48, character: 0 }, method: 'bisection' });
    const epochMs = await client.request<unknown>('flowlog/goToTime', { uri, time: String((T0 + 90) * 1000) });
    assert.deepEqual(epochMs, { position: { line: 2, character: 0 }, method: 'bisection' });
    const early = await client.request<{ message: string; position?: unknown }>('flowlog/goToTime', { uri, time: '2023-01-01' });
    assert.equal(early.position, undefined);
    assert.match(early.message, /^2023-01-01 00:00:00 UTC is before the first record/);
    const bad = await client.request<{ message: string }>('flowlog/goToTime', { uri, time: 'noon' });
    assert.match(bad.message, /“noon” is not a time/);
    assert.equal(await client.request('flowlog/goToTime', { uri: 'file:///not/open.log', time: '2023-11-14' }), null);
  });

  it('gives the time span of the file and of the visible lines', async () => {
    const uri = 'file:///structure/concatenated.log';
    const span = await client.request<unknown>('flowlog/timeSpan', { uri, visible: [{ start: 0, end: 3 }] });
    assert.deepEqual(span, { file: { from: T0 * 1000, to: (T0 + 80 * 60) * 1000 }, visible: { from: T0 * 1000, to: (T0 + 2 * 60 + 60) * 1000 }, sortedByStart: true });
  });
});

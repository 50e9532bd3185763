/**
 * The built language server over stdio: capabilities, diagnostics (pull and push), hover,
 * semantic tokens, inlay hints, code actions and completion on fixture files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionItem, Diagnostic, Hover, InlayHint, SemanticTokens } from 'vscode-languageserver-protocol';
import { applyEdits, columnOf } from './edits';
import { fixture, TestClient } from './lspClient';

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code)).sort();

describe('flowlog language server (pull diagnostics)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true, settings: { inlayHints: { fieldNames: true, decodedValues: true } } });
  });
  after(() => client.stop());

  it('announces its capabilities', () => {
    const capabilities = client.initializeResult?.capabilities;
    assert.ok(capabilities);
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.diagnosticProvider, { identifier: 'flowlog', interFileDependencies: false, workspaceDiagnostics: false });
    const tokens = capabilities.semanticTokensProvider;
    assert.ok(tokens && 'legend' in tokens);
    assert.equal(tokens.full, true);
    assert.equal(tokens.range, true);
    assert.ok(tokens.legend.tokenTypes.includes('flowlogFlags'));
    assert.ok(capabilities.inlayHintProvider);
    assert.ok(capabilities.codeActionProvider);
    assert.ok(capabilities.completionProvider);
  });

  it('pulls diagnostics for each kind of mistake, with code, link, severity and fix hint', async () => {
    const { uri, text } = fixture('mistakes.log');
    await client.open(uri, text);
    const diagnostics = await client.pull(uri);
    assert.deepEqual(codes(diagnostics), ['invalid-port', 'invalid-value', 'irregular-spacing', 'two-records', 'wrapped-record']);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'flowlog');
      assert.match(diagnostic.codeDescription?.href ?? '', new RegExp(`README\\.md#rule-${diagnostic.code}$`));
    }
    const wrapped = diagnostics.find((d) => d.code === 'wrapped-record');
    assert.deepEqual(wrapped?.range.start, { line: 3, character: 0 });
    assert.equal(wrapped?.range.end.line, 4, 'a wrapped record spans both lines');
    assert.deepEqual(wrapped?.data, { kind: 'join' });
    const port = diagnostics.find((d) => d.code === 'invalid-port');
    assert.equal(port?.severity, 1);
    assert.equal(text.split('\n')[5].slice(port?.range.start.character, port?.range.end.character), '70641');
    assert.equal(diagnostics.find((d) => d.code === 'irregular-spacing')?.severity, 2);
  });

  it('explains tcp-flags 18 as SYN-ACK on hover', async () => {
    const { uri, text } = fixture('tcp-flags.log');
    await client.open(uri, text);
    const character = columnOf(text, 2, ' 18 ') + 1;
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character } });
    assert.ok(hover, 'a hover');
    const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : JSON.stringify(hover.contents);
    assert.match(value, /SYN-ACK/);
    assert.deepEqual(hover.range, { start: { line: 2, character }, end: { line: 2, character: character + 2 } });
  });

  it('returns semantic tokens for the whole document and for a range', async () => {
    const { uri, text } = fixture('tcp-flags.log');
    const legend = client.initializeResult?.capabilities.semanticTokensProvider?.legend;
    assert.ok(legend);
    const full = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.equal(full.data.length % 5, 0);
    const decoded = decodeTokens(full.data);
    const lines = text.split('\n');
    // Header names on line 0, then every value of the six records.
    assert.equal(decoded.filter((t) => t.line === 0).length, 21);
    assert.equal(legend.tokenTypes[decoded.find((t) => t.line === 0)?.type ?? -1], 'flowlogFieldName');
    const flags = decoded.find((t) => t.line === 2 && lines[2].slice(t.start, t.start + t.length) === '18');
    assert.equal(legend.tokenTypes[flags?.type ?? -1], 'flowlogFlags');
    const range = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
      textDocument: { uri },
      range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } },
    });
    const inRange = decodeTokens(range.data);
    assert.ok(inRange.length > 0);
    assert.deepEqual([...new Set(inRange.map((t) => t.line))], [2, 3]);
    assert.deepEqual(inRange, decoded.filter((t) => t.line === 2 || t.line === 3));
  });

  it('returns inlay hints with field names and decoded values for a viewport', async () => {
    const { uri } = fixture('tcp-flags.log');
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } } });
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    assert.ok(labels.some((l) => l.includes('SYN-ACK')), `labels: ${labels.join(' | ')}`);
    assert.ok(labels.some((l) => l.includes('tcp-flags')), 'field name hints');
    assert.ok(hints.every((h) => h.position.line === 2), 'only the requested line');
  });

  it('offers quick fixes whose edits fix two records on a line and a double space', async () => {
    const { uri, text } = fixture('mistakes.log');
    const first = text.split('\n')[0];
    const second = first.indexOf(' 2 123456789010', 1);
    const split = await fixLine(client, uri, text, 0, 'two-records');
    assert.deepEqual(split.split('\n').slice(0, 2), [first.slice(0, second), first.slice(second + 1)]);
    const spaced = await fixLine(client, uri, text, 1, 'irregular-spacing');
    assert.equal(spaced.split('\n')[1], text.split('\n')[1].replace('  ', ' '));
    // Validated again, the fixed texts no longer have those problems.
    for (const [name, fixedText, code] of [['split', split, 'two-records'], ['spaced', spaced, 'irregular-spacing']]) {
      const check = `file:///fixed/${name}.log`;
      await client.open(check, fixedText);
      assert.ok(!codes(await client.pull(check)).includes(code), `${code} after the fix`);
      await client.close(check);
    }
  });

  it('completes field names in a header line', async () => {
    const { uri } = fixture('tcp-flags.log');
    const items = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 8 } });
    const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
    assert.ok(labels.length > 0);
    assert.ok(labels.every((label) => /^[a-z0-9-]+$/.test(label)), labels.join(' '));
    assert.ok(labels.includes('region'), 'a field not yet in the header');
  });

  it('reports the format and offers a header line for a file without one', async () => {
    const withHeader = fixture('tcp-flags.log');
    const info = await client.request<{ label: string; header: boolean; fields: number }>('flowlog/formatInfo', { uri: withHeader.uri });
    assert.equal(info.header, true);
    assert.equal(info.fields, 21);
    assert.match(info.label, /21 fields · header/);
    assert.deepEqual(await client.request('flowlog/headerEdit', { uri: withHeader.uri }), {});
    const without = fixture('mistakes.log');
    const edit = await client.request<{ edit?: { newText: string } }>('flowlog/headerEdit', { uri: without.uri });
    assert.match(edit.edit?.newText ?? '', /^version account-id interface-id .* log-status\r?\n$/);
  });
});

describe('flowlog language server (push diagnostics)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false });
  });
  after(() => client.stop());

  it('does not announce pull diagnostics to a client without them', () => {
    assert.equal(client.initializeResult?.capabilities.diagnosticProvider, undefined);
  });

  it('pushes diagnostics after open and after each change', async () => {
    const { uri, text } = fixture('mistakes.log');
    await client.open(uri, text, 1);
    assert.deepEqual(codes(await client.pushedDiagnostics(uri, 1)), ['invalid-port', 'invalid-value', 'irregular-spacing', 'two-records', 'wrapped-record']);
    const character = columnOf(text, 5, '70641');
    await client.change(uri, 2, [{ range: { start: { line: 5, character }, end: { line: 5, character: character + 5 } }, text: '50641' }]);
    assert.deepEqual(codes(await client.pushedDiagnostics(uri, 2)), ['invalid-value', 'irregular-spacing', 'two-records', 'wrapped-record']);
  });

  it('clears pushed diagnostics when a document closes', async () => {
    const { uri } = fixture('mistakes.log');
    await client.close(uri);
    await client.waitFor(() => client.published.get(uri)?.diagnostics.length === 0, 'cleared diagnostics');
  });
});

async function fixLine(client: TestClient, uri: string, text: string, line: number, code: string): Promise<string> {
  const diagnostics = await client.pull(uri);
  const diagnostic = diagnostics.find((d) => d.code === code && d.range.start.line === line);
  assert.ok(diagnostic, `a ${code} diagnostic on line ${line}`);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
  const fix = actions.find((a) => a.kind === 'quickfix' && a.diagnostics?.some((d) => d.code === code));
  assert.ok(fix?.edit?.changes?.[uri], `a quick fix for ${code}: ${actions.map((a) => a.title).join(', ')}`);
  return applyEdits(text, fix.edit.changes[uri]);
}

function decodeTokens(data: number[]): { line: number; start: number; length: number; type: number; modifiers: number }[] {
  const tokens = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    start = data[i] === 0 ? start + data[i + 1] : data[i + 1];
    tokens.push({ line, start, length: data[i + 2], type: data[i + 3], modifiers: data[i + 4] });
  }
  return tokens;
}

describe('flowlog language server on documents above flowlog.largeFileThreshold', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true, settings: { largeFileThreshold: 1000 } });
  });
  after(() => client.stop());

  it('declines full semantic tokens (so the editor asks for ranges) and answers range requests', async () => {
    const { uri, text } = fixture('tcp-flags.log');
    assert.ok(text.length > 1000);
    await client.open(uri, text);
    // Settings arrive asynchronously; diagnostics are answered once they have.
    await client.pull(uri);
    await assert.rejects(client.request('textDocument/semanticTokens/full', { textDocument: { uri } }), (error: { code?: number }) => error.code === -32802);
    const range = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
      textDocument: { uri },
      range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } },
    });
    assert.equal(decodeTokens(range.data).length, 21 * 2);
  });
});

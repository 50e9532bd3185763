/**
 * The built server under bad requests: unknown and closed documents, positions past the end,
 * cancelled requests, bursts of edits, invalid settings, text that is not a flow log, and
 * documents too large for full semantic tokens. It answers with empty results, never errors,
 * and keeps running.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { Diagnostic, SemanticTokens } from 'vscode-languageserver-protocol';
import { columnOf } from './edits';
import { fixture, TestClient } from './lspClient';

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code)).sort();

/** Every request a document can receive, at a position. */
function requests(uri: string, line: number, character: number): [string, unknown][] {
  const position = { line, character };
  const range = { start: position, end: { line: line + 5, character: 0 } };
  return [
    ['textDocument/hover', { textDocument: { uri }, position }],
    ['textDocument/completion', { textDocument: { uri }, position }],
    ['textDocument/semanticTokens/range', { textDocument: { uri }, range }],
    ['textDocument/inlayHint', { textDocument: { uri }, range }],
    ['textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }],
  ];
}

function isEmpty(result: unknown): boolean {
  if (result === null || result === undefined) return true;
  if (Array.isArray(result)) return result.length === 0;
  if (typeof result === 'object' && 'data' in result) return (result as SemanticTokens).data.length === 0;
  if (typeof result === 'object' && 'items' in result) return (result as { items: unknown[] }).items.length === 0;
  return false;
}

describe('flowlog language server under faults', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true });
  });
  after(() => client.stop());

  it('answers requests for unknown and closed documents with empty results', async () => {
    const { uri, text } = fixture('tcp-flags.log');
    await client.open(uri, text);
    await client.close(uri);
    for (const target of [uri, 'file:///never/opened.log', 'not a uri']) {
      for (const [method, params] of [...requests(target, 1, 5), ['textDocument/semanticTokens/full', { textDocument: { uri: target } }] as [string, unknown]]) {
        assert.ok(isEmpty(await client.request(method, params)), `${method} on ${target}`);
      }
      assert.deepEqual(await client.request('textDocument/diagnostic', { textDocument: { uri: target } }), { kind: 'full', items: [] });
      assert.equal(await client.request('flowlog/formatInfo', { uri: target }), null);
      assert.deepEqual(await client.request('flowlog/headerEdit', { uri: target }), {});
    }
    assert.equal(await client.request('flowlog/formatInfo', null), null);
  });

  it('answers positions past the end of a line or of the document with empty results', async () => {
    const { uri, text } = fixture('tcp-flags.log');
    await client.open(uri, text);
    const lineCount = text.split('\n').length;
    // Past the end of a line: nothing under the cursor.
    for (const [method, params] of requests(uri, 1, 100_000).slice(0, 2)) {
      assert.ok(isEmpty(await client.request(method, params)), `${method} at 1:100000`);
    }
    // Past the end of the document: nothing at all.
    for (const [line, character] of [[lineCount + 10, 0], [1_000_000, 3]]) {
      for (const [method, params] of requests(uri, line, character)) {
        assert.ok(isEmpty(await client.request(method, params)), `${method} at ${line}:${character}`);
      }
    }
    await client.close(uri);
  });

  it('survives cancelled requests', async () => {
    const { uri, text } = fixture('mistakes.log');
    await client.open(uri, text);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token).then(
      () => 'answered',
      () => 'cancelled',
    );
    source.cancel();
    assert.ok(['answered', 'cancelled'].includes(await pending));
    assert.equal((await client.pull(uri)).length, 5, 'the next request is answered normally');
    await client.close(uri);
  });

  it('ends a burst of hundreds of edits with the diagnostics of the final text', async () => {
    const { uri, text } = fixture('mistakes.log');
    await client.open(uri, text, 1);
    const line = 6;
    let version = 1;
    // Type a record's port digit by digit, deleting and retyping, 300 times.
    const character = columnOf(text, line, '49761');
    for (let i = 0; i < 300; i++) {
      version++;
      const insert = i % 2 === 0;
      await client.change(uri, version, [
        insert
          ? { range: { start: { line, character }, end: { line, character } }, text: String(i % 10) }
          : { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' },
      ]);
    }
    const afterBurst = await client.pull(uri);
    assert.deepEqual(codes(afterBurst), codes(await client.pull(uri)));
    assert.deepEqual(codes(afterBurst), ['invalid-port', 'invalid-value', 'irregular-spacing', 'two-records', 'wrapped-record']);
    // One more edit that breaks the port for good is seen.
    await client.change(uri, version + 1, [{ range: { start: { line, character }, end: { line, character } }, text: '9' }]);
    assert.deepEqual(codes(await client.pull(uri)), ['invalid-port', 'invalid-port', 'invalid-value', 'irregular-spacing', 'two-records', 'wrapped-record']);
    await client.close(uri);
  });

  it('re-validates incrementally: a fixed line loses its diagnostic, lines below keep theirs', async () => {
    const { uri, text } = fixture('mistakes.log');
    await client.open(uri, text, 1);
    const before = await client.pull(uri);
    const character = columnOf(text, 2, '0K');
    // Fix `0K` and insert a comment line above everything in one change event.
    await client.change(uri, 2, [
      { range: { start: { line: 2, character }, end: { line: 2, character: character + 2 } }, text: 'OK' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# pasted from the console\n' },
    ]);
    const afterFix = await client.pull(uri);
    assert.deepEqual(codes(afterFix), ['invalid-port', 'irregular-spacing', 'two-records', 'wrapped-record']);
    const port = (list: Diagnostic[]) => list.find((d) => d.code === 'invalid-port')?.range.start.line;
    assert.equal(port(afterFix), (port(before) ?? -10) + 1, 'shifted by the inserted line');
    await client.close(uri);
  });

  it('gives one helpful diagnostic for text that is not a flow log', async () => {
    const { uri, text } = fixture('prose.log');
    await client.open(uri, text);
    const diagnostics = await client.pull(uri);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0].code, 'not-flow-log');
    await client.close(uri);
  });
});

describe('flowlog language server with invalid settings', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({
      pull: true,
      settings: { format: 42, maxProblems: 'lots', rules: { 'field-count': 'loud', 'no-such-rule': 'error', 'irregular-spacing': 'off' }, inlayHints: 'yes', largeFileThreshold: -1 },
    });
  });
  after(() => client.stop());

  it('warns once per bad value, falls back to defaults and keeps working', async () => {
    const { uri, text } = fixture('mistakes.log');
    await client.open(uri, text);
    const diagnostics = await client.pull(uri);
    assert.deepEqual(codes(diagnostics), ['invalid-port', 'invalid-value', 'two-records', 'wrapped-record'], 'irregular-spacing is off, the rest default');
    const expected = [/flowlog\.format/, /flowlog\.maxProblems/, /field-count.*loud/, /unknown rule "no-such-rule"/, /flowlog\.inlayHints/, /flowlog\.largeFileThreshold/];
    await client.waitFor(() => expected.every((re) => client.warnings.some((w) => re.test(w))), `warnings, got ${JSON.stringify(client.warnings)}`);
    const count = client.warnings.length;
    // Settings re-read (same bad values): no new warnings.
    const refreshes = client.refreshes;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor(() => client.refreshes > refreshes, 'a diagnostics refresh');
    await client.pull(uri);
    assert.equal(client.warnings.length, count);
    assert.ok(client.alive);
  });

  it('applies changed settings: a problem cap, then an explicit format', async () => {
    const { uri } = fixture('mistakes.log');
    client.settings = { maxProblems: 2 };
    const refreshes = client.refreshes;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor(() => client.refreshes > refreshes, 'a diagnostics refresh');
    const capped = await client.pull(uri);
    assert.deepEqual(capped.map((d) => d.code), ['two-records', 'irregular-spacing', 'problem-limit']);
    assert.match(capped[2].message, /first 2 problems/);
    client.settings = { format: 'tgw-default' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const note = await client.waitFor(() => client.formatNotes.find((n) => n.uri === uri && /^TGW/.test(n.label)), 'a format change notification');
    assert.match(note.label, /36 fields · option/);
    assert.ok(client.alive);
  });
});

describe('flowlog language server for a client without workspace/configuration', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: false, configuration: false });
  });
  after(() => client.stop());

  it('takes settings from didChangeConfiguration and re-validates open documents', async () => {
    const { uri, text } = fixture('mistakes.log');
    await client.open(uri, text, 1);
    assert.equal((await client.pushedDiagnostics(uri, 1)).length, 5);
    client.published.delete(uri);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { flowlog: { maxProblems: 1, rules: { 'two-records': 'off' } } } });
    const capped = await client.pushedDiagnostics(uri, 1);
    assert.deepEqual(capped.map((d) => d.code), ['irregular-spacing', 'problem-limit']);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { flowlog: 'nonsense' } });
    await client.waitFor(() => client.warnings.some((w) => /should be an object/.test(w)), 'a warning about the settings');
    assert.ok(client.alive);
  });
});

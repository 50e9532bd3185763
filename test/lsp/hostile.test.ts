/**
 * Issue 16 over the protocol: whole-document code actions offered lazily and resolved on
 * demand, result ids that a reused version cannot make stale, and hostile workspace settings
 * that yield one warning and bounded values. The large documents of the issue are in
 * `bench/hostile.ts` (run by `npm test`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const TABBED = SSH.replace(/ /g, '\t');
const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

type Report = { kind: 'full'; resultId?: string; items: Diagnostic[] } | { kind: 'unchanged'; resultId: string };

describe('hostile documents and settings over LSP (issue 16)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ pull: true, resolveCodeActions: true });
  });
  after(() => client.stop());

  it('offers whole-document actions without edits and resolves them on demand', async () => {
    const uri = 'file:///hostile/tabs.log';
    const text = `${Array(3000).fill(TABBED).join('\n')}\n`;
    await client.open(uri, text);
    const diagnostics = await client.pull(uri);
    assert.ok(diagnostics.length > 1);
    const range = { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } };
    for (const triggerKind of [1, 2]) {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], triggerKind } });
      const whole = actions.find((action) => action.title === 'Normalize spacing in the whole document');
      assert.ok(whole, `offered (trigger ${triggerKind})`);
      assert.equal(whole.edit, undefined, 'no edit until resolved');
      assert.ok(JSON.stringify(actions).length < 10_000, 'a small answer');
      const resolved = await client.request<CodeAction>('codeAction/resolve', whole);
      const edits = resolved.edit?.changes?.[uri];
      // 3000 lines × 13 separators: one edit replacing the lines, not 39,000.
      assert.equal(edits?.length, 1);
      assert.equal(edits[0].newText, Array(3000).fill(SSH).join('\n'));
    }
  });

  it('a version sent again after reopening gets fresh diagnostics, never a stale unchanged', async () => {
    const uri = 'file:///hostile/reused-version.log';
    await client.open(uri, `${HEADER}\n${SSH}\n`, 7);
    const first = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(first.kind, 'full');
    assert.ok(first.resultId);
    await client.close(uri);
    await client.open(uri, `${HEADER}\n${SSH} 99\n`, 7);
    const second = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.equal(second.kind, 'full', 'the text changed: the old result id must not match');
    assert.deepEqual(second.kind === 'full' && second.items.map((d) => d.code), ['field-count']);
  });
});

describe('hostile workspace settings over LSP (issue 16)', () => {
  it('20,000 unknown rule names, a 1 MB format and maxProblems 1e308: one warning, bounded values', async () => {
    const rules = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`no-such-rule-${i}`, 'error']));
    const client = await TestClient.start({ pull: true, settings: { rules, format: 'version '.repeat(131_072), maxProblems: 1e308 } });
    try {
      const uri = 'file:///hostile/settings.log';
      // 30,000 problems: the cap, at most 20,000, must hold.
      let seen = client.refreshes;
      await client.open(uri, `${HEADER}\n${Array(30_000).fill(`${SSH} 99`).join('\n')}\n`);
      let report = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
      // A slow machine may get the problems found so far first; a refresh request announces the rest.
      while (report.kind === 'full' && report.resultId === undefined) {
        const before = seen;
        await client.waitFor(() => client.refreshes > before, 'a diagnostic refresh', 120_000);
        seen = client.refreshes;
        report = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
      }
      const diagnostics = report.kind === 'full' ? report.items : [];
      assert.equal(diagnostics.length, 20_001, 'maxProblems bounded to 20,000 plus the summary');
      assert.equal(client.warnings.length, 1, client.warnings.slice(0, 3).join('\n'));
      assert.ok(client.warnings[0].length < 2000, 'a readable warning');
      assert.match(client.warnings[0], /flowlog\.format/);
      assert.match(client.warnings[0], /flowlog\.rules/);
      assert.match(client.warnings[0], /flowlog\.maxProblems/);
    } finally {
      await client.stop();
    }
  });
});

/**
 * The server's document store: validation runs in chunks that let other work in between,
 * waiting for it honours cancellation and closing, and a bug in validation does not hang waiters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { DocumentStore } from '../../server/src/lsp/documents';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings';

const RECORD = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const big = (lines: number): string => Array.from({ length: lines }, (_, i) => (i % 500 === 3 ? RECORD.replace('22 6', '22 666') : RECORD)).join('\n');

function store(): DocumentStore {
  return new DocumentStore({ progress() {}, validated() {} });
}

describe('document store', () => {
  it('lets other work run while a large document validates', async () => {
    const documents = store();
    const entry = documents.open('file:///big.log', 1, big(100_000), DEFAULT_SETTINGS);
    const seen: boolean[] = [];
    // Work queued after the open (as a hover would be) runs before validation has finished.
    await new Promise<void>((resolve) => setImmediate(() => {
      seen.push(entry.validation.done);
      resolve();
    }));
    assert.deepEqual(seen, [false]);
    assert.equal(await documents.whenValidated(entry), 'validated');
    assert.equal(documents.snapshot(entry).problems.filter((p) => p.code === 'invalid-protocol').length, 200);
  });

  it('lets a waiter out early with what is known so far, and reports when the rest is done', async () => {
    const finished: string[] = [];
    const documents = new DocumentStore({ progress() {}, validated: (entry) => finished.push(entry.uri) });
    const entry = documents.open('file:///big.log', 1, big(100_000), DEFAULT_SETTINGS);
    assert.equal(await documents.whenValidated(entry, undefined, 0), 'partial');
    const early = documents.snapshot(entry).problems.length;
    assert.ok(early < 200, `${early} problems found early`);
    assert.deepEqual(finished, []);
    assert.equal(await documents.whenValidated(entry), 'validated');
    assert.equal(documents.snapshot(entry).problems.length, 200);
    assert.deepEqual(finished, ['file:///big.log']);
  });

  it('a partial answer asked for before the settings came is given after the first step under them, not at the end', async () => {
    // The first diagnostics after didOpen: the configuration request is often still out. Before,
    // such a waiter skipped the partial answer and waited for the whole document.
    const documents = store();
    const entry = documents.open('file:///big.log', 1, big(100_000), undefined);
    const answer = documents.whenValidated(entry, undefined, 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    documents.applySettings(entry, DEFAULT_SETTINGS);
    assert.equal(await answer, 'partial');
    assert.equal(entry.validation.done, false);
    assert.ok(entry.validation.progress > 0);
    assert.equal(await documents.whenValidated(entry), 'validated');
  });

  it('resolves waiters with gone when the request is cancelled or the document closes', async () => {
    const documents = store();
    const entry = documents.open('file:///big.log', 1, big(50_000), DEFAULT_SETTINGS);
    const source = new CancellationTokenSource();
    const cancelled = documents.whenValidated(entry, source.token);
    const closed = documents.whenValidated(entry);
    source.cancel();
    assert.equal(await cancelled, 'gone');
    documents.close(entry.uri);
    assert.equal(await closed, 'gone');
    assert.equal(documents.get(entry.uri), undefined);
  });

  it('waits for settings before validating, then applies them', async () => {
    const documents = store();
    const entry = documents.open('file:///small.log', 1, `${RECORD}\n${RECORD.replace('22 6', '22 666')}`, undefined);
    assert.equal(entry.settingsReady, false);
    const waiting = documents.whenValidated(entry);
    documents.applySettings(entry, { ...DEFAULT_SETTINGS, severities: new Map() });
    assert.equal(await waiting, 'validated');
    assert.deepEqual(documents.snapshot(entry).problems, [], 'every rule off');
  });
});

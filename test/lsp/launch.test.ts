/**
 * The server started the way VS Code desktop starts it: vscode-languageclient forks the module
 * with the client's `execArgv` (SERVER_NODE_FLAGS) and the arguments `--stdio
 * --clientProcessId=<pid>`, and reads stdout. No desktop VS Code runs here, so this is the part
 * of that path that can be run for real.
 */
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Hover, InitializeResult } from 'vscode-languageserver-protocol';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/protocol';
import { SERVER } from './lspClient';

function forkAsVsCode(clientProcessId: number): ChildProcess {
  return fork(SERVER, ['--stdio', `--clientProcessId=${clientProcessId}`], { execArgv: [...SERVER_NODE_FLAGS], silent: true });
}

const RECORD = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

describe('the server launched as the VS Code desktop client launches it', () => {
  it('starts with the client flags, answers a hover over stdio, and exits 0 after shutdown', async () => {
    const server = forkAsVsCode(process.pid);
    assert.ok(server.stdout && server.stdin);
    const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.onRequest('workspace/configuration', () => [{}]);
    connection.listen();
    const result = await connection.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.ok(result.capabilities.hoverProvider);
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///a.log', languageId: 'flowlog', version: 1, text: `${RECORD}\n` } });
    const hover = await connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: 'file:///a.log' }, position: { line: 0, character: RECORD.indexOf(' 6 ') + 1 } });
    assert.match(JSON.stringify(hover.contents), /TCP/);
    await connection.sendRequest('shutdown');
    const exited = once(server, 'exit');
    await connection.sendNotification('exit');
    assert.deepEqual(await exited, [0, null]);
    connection.dispose();
  });

  it('exits on its own when the editor process it was given is gone', async () => {
    const editor = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const server = forkAsVsCode(editor.pid as number);
    assert.ok(server.stdout && server.stdin);
    const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.listen();
    // Running and answering before the editor goes.
    await connection.sendRequest('initialize', { processId: editor.pid, rootUri: null, capabilities: {} });
    const exited = once(server, 'exit');
    editor.kill('SIGKILL');
    // vscode-languageserver checks the client process every 3 s.
    const [code] = await exited;
    assert.equal(code, 1, 'no shutdown request came, so the exit is not orderly');
    connection.dispose();
  });
});

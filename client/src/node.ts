/**
 * Desktop entry of the extension: the server runs as a Node process (dist/server-node.js) that
 * talks to the client over stdio. Not IPC: Node's IPC channel hands each message over parsed
 * whole, while over stdio the server's own reader takes a large document's text in pieces.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { ProcessIdRequest, SERVER_NODE_FLAGS } from '../../server/src/lsp/protocol';
import { activateFlowLog, type FlowLogApi } from './common';

export function activate(context: vscode.ExtensionContext): FlowLogApi {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server-node.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
  };
  return activateFlowLog(context, {
    createClient: (id, name, options) => new LanguageClient(id, name, serverOptions, options),
    killServer: async (supervisor) => {
      const pid = await supervisor.client?.sendRequest(ProcessIdRequest, {});
      if (typeof pid === 'number') process.kill(pid, 'SIGKILL');
    },
  });
}

export function deactivate(): void {
  // The supervisor is disposed with the extension context.
}

/**
 * Web entry of the extension (VS Code for the web, vscode.dev): the server runs in a web worker
 * (dist/server-browser.js); every (re)start creates a fresh worker.
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateFlowLog, type FlowLogApi } from './common';

export function activate(context: vscode.ExtensionContext): FlowLogApi {
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server-browser.js');
  // The server starts its pairing thread (large documents) from this script.
  const pairingWorker = vscode.Uri.joinPath(context.extensionUri, 'dist', 'pairing-worker-browser.js').toString(true);
  let worker: Worker | undefined;
  return activateFlowLog(context, {
    createClient: (id, name, options) => {
      worker = new Worker(serverMain.toString(true));
      return new LanguageClient(id, name, { ...options, initializationOptions: { pairingWorker } }, worker);
    },
    // A terminated worker sends nothing; the supervisor's watchdog notices the silence.
    killServer: async () => worker?.terminate(),
  });
}

export function deactivate(): void {
  // The supervisor is disposed with the extension context.
}

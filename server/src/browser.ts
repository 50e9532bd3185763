/**
 * Browser entry of the language server: runs in a web worker started by the client in VS Code
 * for the web, talking over the worker's message port.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { PairingThread } from './lsp/pairingThread';
import type { PairingReply } from './service/conversations/pairingJob';
import { startServer } from './server';

declare const self: DedicatedWorkerGlobalScope;

const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(self), new BrowserMessageWriter(self));
let pairingThread: PairingThread | undefined;
/**
 * A nested worker running dist/pairing-worker-browser.js, whose URL the client gives
 * (initializationOptions.pairingWorker): started when the first large document is paired. It is
 * loaded by a one-line script of this worker's own origin, since the extension's files may be
 * served from another (vscode.dev's CDN) and a worker's script must be same-origin.
 */
function startPairingThread(script: string | undefined): PairingThread | undefined {
  if (pairingThread || script === undefined) return pairingThread;
  try {
    const loader = URL.createObjectURL(new Blob([`importScripts(${JSON.stringify(script)});`], { type: 'text/javascript' }));
    const worker = new Worker(loader);
    const thread = new PairingThread({ postMessage: (message, transfer) => worker.postMessage(message, transfer) }, (message) => connection.console.error(message));
    worker.onmessage = (event: MessageEvent<PairingReply>) => thread.received(event.data);
    worker.onerror = (event) => thread.failed(event.message || 'its script could not be loaded');
    pairingThread = thread;
  } catch (error) {
    connection.console.error(`flowlog: no pairing thread (${error instanceof Error ? error.message : String(error)}); documents are paired on the server's thread`);
  }
  return pairingThread;
}

startServer(connection, { pairingThread: startPairingThread });

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
/** A nested worker beside this script (dist/pairing-worker-browser.js), started when the first large document is paired. */
function startPairingThread(): PairingThread | undefined {
  if (pairingThread) return pairingThread;
  try {
    const worker = new Worker(new URL('pairing-worker-browser.js', self.location.href));
    const thread = new PairingThread({ postMessage: (message, transfer) => worker.postMessage(message, transfer) });
    worker.onmessage = (event: MessageEvent<PairingReply>) => thread.received(event.data);
    worker.onerror = (event) => thread.failed(event.message || 'the worker could not be loaded');
    pairingThread = thread;
  } catch (error) {
    console.error(`flowlog: no pairing thread (${error instanceof Error ? error.message : String(error)}); documents are paired on the server's thread`);
  }
  return pairingThread;
}

startServer(connection, { pairingThread: startPairingThread });

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
 * (initializationOptions.pairingWorker; this worker's own location may be a blob's): started when
 * the first large document is paired there (`flowlog.pairingThread`). Where the browser will not start it (the extension's files
 * served from another origin than the workbench's), documents are paired on this thread.
 */
function startPairingThread(mode: 'auto' | 'on', script: string | undefined): PairingThread | undefined {
  // `auto`: only with 4 or more cores, as the node server (a browser tells no load).
  if (script === undefined || navigator.hardwareConcurrency < (mode === 'on' ? 2 : 4)) return undefined;
  if (pairingThread) return pairingThread;
  try {
    const worker = new Worker(script);
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

/**
 * Node entry of the server's pairing thread (lsp/pairingThread.ts): jobs arrive from the server
 * as messages, conversations go back as moved arrays.
 */
import { parentPort } from 'node:worker_threads';
import { PairingJobs, type PairingMessage } from './service/conversations/pairingJob';

const port = parentPort;
if (!port) throw new Error('flowlog: the pairing worker runs as a worker thread of the language server');
const jobs = new PairingJobs((reply, transfer) => port.postMessage(reply, transfer));
port.on('message', (message: PairingMessage) => jobs.handle(message));

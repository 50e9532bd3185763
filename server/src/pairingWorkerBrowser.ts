/**
 * Browser entry of the server's pairing thread: a web worker started by the server's own worker
 * (browser.ts), talking over its message port.
 */
import { PairingJobs, type PairingMessage } from './service/conversations/pairingJob';

declare const self: DedicatedWorkerGlobalScope;

const jobs = new PairingJobs((reply, transfer) => self.postMessage(reply, transfer));
self.onmessage = (event: MessageEvent<PairingMessage>) => jobs.handle(event.data);

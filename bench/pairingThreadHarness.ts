/**
 * In-process cost of pairing on the server's pairing thread (dist/pairing-worker.js, built by
 * `npm run build`): a document's first validation alone, then with its records' cells posted to
 * the thread as validation reads them, until the conversations are back; three times each on the
 * first BYTES of FILE. Bundle it as the server is bundled:
 *
 *   npx esbuild bench/pairingThreadHarness.ts --bundle --platform=node --format=esm --outfile=/tmp/pairing-thread.mjs
 *   node /tmp/pairing-thread.mjs bench/data/v2-134mb-seed7.log 50000000 dist/pairing-worker.js
 *
 * With a worker script that answers nothing and `drop` after it, the paired runs stop once
 * validation ends: what writing and posting the cells costs the validating thread alone.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConversationTask } from '../server/src/service/conversations/conversationTask';
import { RemotePairing, type PairingReply } from '../server/src/service/conversations/pairingJob';
import { FlowLogDocument } from '../server/src/service/document';
import { DocumentValidation } from '../server/src/service/documentValidation';
import { severityTable } from '../server/src/service/rules';
import { PairingThread } from '../server/src/lsp/pairingThread';

const [file, size = '50000000', script = 'dist/pairing-worker.js', mode] = process.argv.slice(2);
if (!file) throw new Error('usage: node pairing-thread.mjs FILE [BYTES] [WORKER_SCRIPT [drop]]');
const drop = mode === 'drop';
const head = readFileSync(file, 'latin1').slice(0, Number(size));
const text = Buffer.from(head.slice(0, head.lastIndexOf('\n') + 1), 'latin1').toString('latin1');
const settings = { severities: severityTable({}), maxProblems: 1_000_000 };
const worker = new Worker(resolve(script));
const thread = new PairingThread({ postMessage: (message, transfer) => worker.postMessage(message, transfer) });
worker.on('message', (reply: PairingReply) => thread.received(reply));

async function run(paired: boolean): Promise<string> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const document = new FlowLogDocument(text);
  const validation = new DocumentValidation(document, settings);
  const task = new ConversationTask(document, (lineCount) => new RemotePairing(thread, lineCount));
  if (paired) validation.feed = task.feed();
  while (!validation.step(1e9));
  const validated = performance.now();
  const cpu1 = process.cpuUsage(cpu0);
  if (!paired) return `alone  validated ${(validated - t0).toFixed(0)} ms (main thread CPU ${((cpu1.user + cpu1.system) / 1000).toFixed(0)} ms)`;
  for (;;) {
    if (task.step(1e9)) break;
    // A script that drops the cells (`drop`): what writing and posting them costs this thread alone.
    if (drop) break;
    const waiting = task.waiting;
    if (waiting) await waiting;
  }
  const ready = performance.now();
  return `paired validated ${(validated - t0).toFixed(0)} ms, conversations ready ${(ready - t0).toFixed(0)} ms (process CPU until validated ${((cpu1.user + cpu1.system) / 1000).toFixed(0)} ms)`;
}

for (let i = 0; i < 3; i++) {
  console.log(await run(false));
  console.log(await run(true));
}
await worker.terminate();

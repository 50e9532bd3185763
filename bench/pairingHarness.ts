/**
 * In-process cost of pairing in the editor: a document's first validation alone, then with its
 * records paired as validation reads them (ConversationTask's feed, as the server does), then the
 * task finished (NAT joins, line lookup), three times each on the first BYTES of FILE. Bundle it,
 * so that the code runs as the server's bundle does (tsx's module getters would weigh):
 *
 *   npx esbuild bench/pairingHarness.ts --bundle --platform=node --format=esm --outfile=/tmp/pairing.mjs
 *   node /tmp/pairing.mjs bench/data/v2-134mb-seed7.log 50000000
 */
import { readFileSync } from 'node:fs';
import { ConversationTask } from '../server/src/service/conversations/documentConversations';
import { FlowLogDocument } from '../server/src/service/document';
import { DocumentValidation } from '../server/src/service/documentValidation';
import { severityTable } from '../server/src/service/rules';

const [file, size = '50000000', mode = 'both'] = process.argv.slice(2);
if (!file) throw new Error('usage: node pairing.mjs FILE [BYTES] [alone|paired|both]');
const head = readFileSync(file, 'latin1').slice(0, Number(size));
// A flat string of whole lines, as the server holds a document.
const text = Buffer.from(head.slice(0, head.lastIndexOf('\n') + 1), 'latin1').toString('latin1');
const settings = { severities: severityTable({}), maxProblems: 1_000_000 };

function run(pair: boolean): string {
  const t0 = performance.now();
  const document = new FlowLogDocument(text);
  const validation = new DocumentValidation(document, settings);
  const task = new ConversationTask(document);
  if (pair) validation.feed = task.feed();
  while (!validation.step(1e9));
  const validated = performance.now();
  if (pair) while (!task.step(1e9));
  const ready = performance.now();
  return `${pair ? 'paired' : 'alone '} validated ${(validated - t0).toFixed(0)} ms, conversations ready ${pair ? `${(ready - t0).toFixed(0)} ms` : '—'}`;
}

console.log(`${lineCount(text)} lines, ${(text.length / 1e6).toFixed(1)} MB`);
for (let i = 0; i < 3; i++) {
  if (mode !== 'paired') console.log(run(false));
  if (mode !== 'alone') console.log(run(true));
}

function lineCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

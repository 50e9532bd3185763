/**
 * In-process memory of the editor's work on one generated document, stage by stage: validation
 * with pairing along (ConversationTask's feed, as the server does), the pairing finished (NAT
 * joins, line lookup), the summary's aggregation and verdict counts. After each stage: RSS, its
 * peak in the stage (VmHWM, reset after each line), the JS heap and array buffers, after a full
 * collection. The bench's generated document (bench/lsp.ts), or FILE: write it once with --write
 * (generating takes memory of its own). Bundle it, so the code runs as the server's bundle does:
 *
 *   npx esbuild bench/memoryHarness.ts --bundle --platform=node --format=esm --outfile=/tmp/memory.mjs
 *   node /tmp/memory.mjs v2 50 /tmp/v2-50.log --write
 *   node --expose-gc --max-semi-space-size=4 /tmp/memory.mjs v2 50 /tmp/v2-50.log
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ConversationTask } from '../server/src/service/conversations/documentConversations';
import type { Verdict } from '../server/src/service/conversations/model';
import { FlowLogDocument } from '../server/src/service/document';
import { DocumentValidation } from '../server/src/service/documentValidation';
import { JsonRecords } from '../server/src/service/exportShapes';
import { forEachRecord } from '../server/src/service/recordLines';
import { severityTable } from '../server/src/service/rules';
import { SummaryAggregator } from '../server/src/service/summary/aggregator';
import { generate, type Kind } from './generate';

const [kind = 'v2', megabytes = '50', file] = process.argv.slice(2);
const MB = 1024 * 1024;

function status(field: string): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

function note(stage: string): void {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const f = (n: number): string => `${(n / MB).toFixed(1)}`.padStart(6);
  console.log(`${stage.padEnd(28)} RSS ${f(status('VmRSS'))} peak in stage ${f(status('VmHWM'))} heap ${f(m.heapUsed)} array buffers ${f(m.arrayBuffers)} MB`);
  // Resets VmHWM to the present RSS, so the next line's peak is its stage's.
  writeFileSync('/proc/self/clear_refs', '5');
}

note('start');
const generated = (): string => generate({ kind: kind as Kind, bytes: Number(megabytes) * 1e6, seed: 4242 + Number(megabytes), malformedRate: 0.001 });
if (file && process.argv.includes('--write')) {
  writeFileSync(file, generated(), 'latin1');
  process.exit(0);
}
// Read at once: an external string (the server's is on the heap, which takes as much).
const text = file ? readFileSync(file, 'latin1') : generated();
note('text');
const document = new FlowLogDocument(text);
const validation = new DocumentValidation(document, { severities: severityTable({}), maxProblems: 1_000_000 });
const task = new ConversationTask(document);
validation.feed = task.feed();
while (!validation.step(1e9));
note('validated, paired along');
let done;
while (!(done = task.step(10_000)));
note('conversations ready');
const aggregator = new SummaryAggregator({ verdicts: false });
for (const segment of document.formats.segments) aggregator.noteFormat(segment.format);
forEachRecord(document.lines, document.formats, 0, document.lines.lineCount, new JsonRecords(), (t, start, end, segment, line) => {
  aggregator.addRecord(t, start, end, segment.format, line);
});
aggregator.countFile();
const report = aggregator.report();
note('summary aggregated');
const tally = new Map<Verdict, number>();
for (let from = 0; from < done.groupCount; ) from = done.tallyVerdicts(from, 500, tally);
note('summary verdicts');
console.log(`${document.lines.lineCount} lines, ${done.groupCount} groups, ${report.totals.records} records, ${JSON.stringify([...tally])}`);

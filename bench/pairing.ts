/**
 * `node --import tsx bench/run.ts pairing [--size 50] [--kinds v2,v5,tgw]`: the editor's pairing of
 * a generated document alone, in one process (no server): CPU time of the slices as the server
 * runs them (250 lines a step), the slowest step (the first: code not yet optimised), and what the
 * finished conversations keep (heap and typed arrays after a full GC, against before pairing),
 * next to the document's size. Then, in the same process, the editor's validation in its 4 ms
 * steps alone, and with pairing fed by it (documentValidation.ts `feed`, as the server runs them
 * since session 6), and the rest of that pairing once validation ended (joins, line lookup): CPU
 * time each, so what pairing adds to validation is a same-process difference. One process per document.
 */
import { execFileSync } from 'node:child_process';
import { generate, type Kind } from './generate';
import { option } from './report';
import { ConversationTask } from '../server/src/service/conversations/documentConversations';
import { FlowLogDocument } from '../server/src/service/document';
import { DocumentValidation } from '../server/src/service/documentValidation';
import { severityTable } from '../server/src/service/rules';

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** The editor's first validation in 4 ms steps, with a fresh task's feed when `pair`; CPU ms of validation, then of what pairing has left. */
function validate(document: FlowLogDocument, pair: boolean): { validation: number; rest: number; slowest: number } {
  const validation = new DocumentValidation(document, { severities: severityTable({}), maxProblems: 1000 });
  const task = new ConversationTask(document);
  if (pair) validation.feed = task.feed();
  let cpu = process.cpuUsage();
  let slowest = 0;
  for (let done = false; !done; ) {
    const started = performance.now();
    done = validation.step();
    slowest = Math.max(slowest, performance.now() - started);
  }
  const validated = cpuMs(cpu);
  if (!pair) return { validation: validated, rest: 0, slowest };
  cpu = process.cpuUsage();
  while (!task.step(250));
  return { validation: validated, rest: cpuMs(cpu), slowest };
}

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

function measure(kind: Kind, megabytes: number): string {
  const text = generate({ kind, bytes: megabytes * 1e6, seed: 4242 + megabytes, malformedRate: 0.001 });
  const document = new FlowLogDocument(text);
  gc();
  const before = process.memoryUsage();
  const task = new ConversationTask(document);
  const cpu = process.cpuUsage();
  let steps = 0;
  let slowest = 0;
  let result;
  do {
    const started = performance.now();
    result = task.step(250);
    slowest = Math.max(slowest, performance.now() - started);
    steps++;
  } while (!result);
  const used = process.cpuUsage(cpu);
  gc();
  const after = process.memoryUsage();
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
  const heap = after.heapUsed - before.heapUsed;
  const arrays = after.arrayBuffers - before.arrayBuffers;
  const alone = validate(document, false);
  const along = validate(document, true);
  const pairingCpu = (used.user + used.system) / 1000;
  const fedLine = `  validation alone ${alone.validation.toFixed(0)} ms CPU (slowest step ${alone.slowest.toFixed(1)} ms); with pairing fed ${along.validation.toFixed(0)} ms (${(along.validation / alone.validation).toFixed(2)}×, slowest step ${along.slowest.toFixed(1)} ms) + ${along.rest.toFixed(0)} ms after it; pairing's added CPU ${(along.validation + along.rest - alone.validation).toFixed(0)} ms against ${pairingCpu.toFixed(0)} ms alone`;
  return `${kind} ${mb(text.length)}: ${document.lines.lineCount.toLocaleString('en-US')} lines, ${result.count.toLocaleString('en-US')} conversations; pairing ${((used.user + used.system) / 1000).toFixed(0)} ms CPU in ${steps} steps, slowest ${slowest.toFixed(1)} ms; kept: heap +${mb(heap)}, typed arrays ${mb(arrays)} allocated (${((heap + arrays) / text.length).toFixed(2)}× the document; pages no row reached are not resident), RSS ${after.rss > before.rss ? '+' : ''}${mb(after.rss - before.rss)}\n${fedLine}`;
}

const argv = process.argv.slice(2);
const size = option(argv, '--size', '50');
const kinds = option(argv, '--kinds', 'v2,v5,tgw').split(',') as Kind[];
// One process per document, so that memory freed by the last one does not count against the next.
if (kinds.length === 1) process.stdout.write(`${measure(kinds[0], Number(size))}\n`);
else for (const kind of kinds) process.stdout.write(execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--kinds', kind, '--size', size], { encoding: 'utf8' }));

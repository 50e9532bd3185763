/**
 * `node --import tsx bench/run.ts pairing [--size 50] [--kinds v2,v5,tgw]`: the editor's pairing of
 * a generated document alone, in one process (no server, no validation): CPU time of the slices as
 * the server runs them (250 lines a step), the slowest step (the first: code not yet optimised),
 * and what the finished conversations keep (heap and typed arrays after a full GC, against before
 * pairing), next to the document's size. One process per document.
 */
import { execFileSync } from 'node:child_process';
import { generate, type Kind } from './generate';
import { option } from './report';
import { ConversationTask } from '../server/src/service/conversations/documentConversations';
import { FlowLogDocument } from '../server/src/service/document';

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
  return `${kind} ${mb(text.length)}: ${document.lines.lineCount.toLocaleString('en-US')} lines, ${result.count.toLocaleString('en-US')} conversations; pairing ${((used.user + used.system) / 1000).toFixed(0)} ms CPU in ${steps} steps, slowest ${slowest.toFixed(1)} ms; kept: heap +${mb(heap)}, typed arrays ${mb(arrays)} allocated (${((heap + arrays) / text.length).toFixed(2)}× the document; pages no row reached are not resident), RSS ${after.rss > before.rss ? '+' : ''}${mb(after.rss - before.rss)}`;
}

const argv = process.argv.slice(2);
const size = option(argv, '--size', '50');
const kinds = option(argv, '--kinds', 'v2,v5,tgw').split(',') as Kind[];
// One process per document, so that memory freed by the last one does not count against the next.
if (kinds.length === 1) process.stdout.write(`${measure(kinds[0], Number(size))}\n`);
else for (const kind of kinds) process.stdout.write(execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--kinds', kind, '--size', size], { encoding: 'utf8' }));

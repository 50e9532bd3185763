/**
 * `node --import tsx bench/run.ts kernel [--size 50]`: the fast path's clean-line check alone
 * (fastPath.ts provenClean), over every record line of generated v2, v5 and TGW documents already
 * encoded to bytes: the part of validation a faster kernel would replace. Best of 5 rounds.
 */
import { generate, KINDS, type Kind } from './generate';
import { option } from './report';
import { FlowLogDocument } from '../server/src/service/document';
import { fastPlan, provenClean } from '../server/src/service/fastPath';
import { recordColumns } from '../server/src/service/recordColumns';
import { MAX_WINDOW_SECONDS } from '../server/src/service/crossFields';
import { cleanLineKernel, KERNEL_ASK_JS, KERNEL_CLEAN } from '../server/src/service/kernel/cleanLineKernel';

function measure(kind: Kind, megabytes: number): string {
  const text = generate({ kind, bytes: megabytes * 1e6, seed: 4242 + megabytes, malformedRate: 0.001 });
  const document = new FlowLogDocument(text);
  const format = document.formats.segments[document.formats.segments.length - 1].format;
  const plan = fastPlan(format.fields, recordColumns(format), MAX_WINDOW_SECONDS);
  if (!plan) return `${kind}: no fast plan`;
  const bytes = new TextEncoder().encode(text);
  const starts: number[] = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10 && i + 1 < bytes.length) starts.push(i + 1);
  const lineStarts = Int32Array.from(starts);
  const lineEnds = new Int32Array(lineStarts.length);
  for (let k = 0; k < lineStarts.length; k++) lineEnds[k] = (k + 1 < lineStarts.length ? lineStarts[k + 1] : bytes.length + 1) - 1;
  const kernel = cleanLineKernel();
  if (!kernel) throw new Error('no WebAssembly kernel');
  // Windows of whole lines, each copied into the kernel's memory (as the validator encodes its text there).
  const windows: [number, number][] = [];
  for (let k = 0; k < lineStarts.length; ) {
    let last = k;
    while (last + 1 < lineStarts.length && lineEnds[last + 1] - lineStarts[k] <= kernel.window.length) last++;
    windows.push([k, last + 1]);
    k = last + 1;
  }
  const best = { js: Infinity, wasm: Infinity };
  const clean = { js: 0, wasm: 0 };
  let askedJs = 0;
  for (let round = 0; round < 5; round++) {
    for (const path of ['js', 'wasm'] as const) {
      let spent = 0;
      let proven = 0;
      askedJs = 0;
      for (const [from, to] of windows) {
        const offset = lineStarts[from];
        kernel.window.set(bytes.subarray(offset, lineEnds[to - 1]));
        const window = kernel.window;
        const started = performance.now();
        if (path === 'js') {
          for (let k = from; k < to; k++) if (provenClean(window, lineStarts[k] - offset, lineEnds[k] - offset, plan, text, offset)) proven++;
        } else {
          for (let k = from; k < to; k++) {
            const answer = kernel.check(plan, lineStarts[k] - offset, lineEnds[k] - offset);
            if (answer === KERNEL_CLEAN) proven++;
            else if (answer === KERNEL_ASK_JS) {
              askedJs++;
              if (provenClean(window, lineStarts[k] - offset, lineEnds[k] - offset, plan, text, offset)) proven++;
            }
          }
        }
        spent += performance.now() - started;
      }
      best[path] = Math.min(best[path], spent);
      clean[path] = proven;
    }
  }
  const rate = (ms: number): string => `${ms.toFixed(0)} ms (${(bytes.length / 1e3 / ms).toFixed(0)} MB/s)`;
  return `${kind} ${(bytes.length / 1e6).toFixed(0)} MB: ${lineStarts.length} lines, proven clean JS ${clean.js} / WebAssembly ${clean.wasm} (${askedJs} lines handed back to JS); JS ${rate(best.js)}, WebAssembly ${rate(best.wasm)}: ${(best.js / best.wasm).toFixed(2)}×`;
}

const megabytes = Number(option(process.argv.slice(2), '--size', '50'));
for (const kind of KINDS) console.log(measure(kind, megabytes));

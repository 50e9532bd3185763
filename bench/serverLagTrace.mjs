// A language server wrapped in a lag trace: every gap of its event loop over 12 ms, every garbage
// collection over 5 ms (its kind and length), and the methods of the messages in and out, with times, appended to FLOWLOG_LAG_TRACE (default
// /tmp/lag-trace.txt). Run in place of the server:
//   node --import tsx bench/run.ts lsp --sizes 50 --kinds v5 --no-write --server bench/serverLagTrace.mjs
// FLOWLOG_LAG_SERVER names the server to wrap (default dist/server-node.js).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance, PerformanceObserver } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));

const out = fs.openSync(process.env.FLOWLOG_LAG_TRACE || '/tmp/lag-trace.txt', 'a');
const note = (line) => fs.writeSync(out, `${performance.now().toFixed(0)} ${line}\n`);
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - last > 12) fs.writeSync(out, `${last.toFixed(0)} blocked ${(now - last).toFixed(1)} ms\n`);
  last = now;
}, 2).unref();
const GC_KINDS = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental marking', 8: 'weak callbacks' };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.duration > 5) fs.writeSync(out, `${entry.startTime.toFixed(0)} gc ${GC_KINDS[entry.detail?.kind] ?? entry.detail?.kind} ${entry.duration.toFixed(1)} ms\n`);
  }
}).observe({ entryTypes: ['gc'] });
const methods = (text) => [...new Set(text.match(/"method":"([^"]+)"/g) || [])].join(',');
process.stdin.on('data', (chunk) => {
  const found = methods(chunk.subarray(0, 2000).toString('latin1'));
  if (found) note(`in ${found}`);
});
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (data, ...rest) => {
  const found = methods((typeof data === 'string' ? data : Buffer.from(data).toString('latin1', 0, 400)).slice(0, 400));
  if (found) note(`out ${found}`);
  return write(data, ...rest);
};
// The server bundle is CommonJS.
createRequire(import.meta.url)(path.resolve(process.env.FLOWLOG_LAG_SERVER || path.join(here, '..', 'dist', 'server-node.js')));

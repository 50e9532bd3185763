/**
 * Preloaded into the language server by `bench/receive.ts` (`node --import bench/receiveProbe.mjs
 * dist/server-node.js --stdio`): notes when the chunks of one large message arrive on stdin (the
 * body of $FLOWLOG_RECEIVE_BODY bytes), the process's CPU time then, the garbage collections, and
 * when the answer to the first `flowlog/ping` after it leaves on stdout; writes them as JSON to
 * $FLOWLOG_RECEIVE_OUT. Times are epoch milliseconds, comparable with the client's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const out = process.env.FLOWLOG_RECEIVE_OUT;
const body = Number(process.env.FLOWLOG_RECEIVE_BODY ?? 0);
const header = Buffer.from(`Content-Length: ${body}\r\n\r\n`, 'ascii');
const now = () => performance.timeOrigin + performance.now();
const trace = { firstByte: 0, lastByte: 0, answered: 0, chunks: 0, cpuAtFirst: null, cpuAtLast: null, cpuAtAnswer: null, rssMB: 0, gcs: [] };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) trace.gcs.push([performance.timeOrigin + entry.startTime, entry.duration, entry.detail?.kind]);
}).observe({ entryTypes: ['gc'] });

let seen = 0;
let bodyStart = -1;
const emit = process.stdin.emit.bind(process.stdin);
process.stdin.emit = (event, ...args) => {
  if (event === 'data' && trace.lastByte === 0) onChunk(args[0]);
  return emit(event, ...args);
};
function onChunk(chunk) {
  if (bodyStart < 0) {
    const at = chunk.indexOf(header);
    if (at >= 0) bodyStart = seen + at + header.length;
  }
  seen += chunk.length;
  if (bodyStart < 0 || seen <= bodyStart) return;
  trace.chunks++;
  if (trace.firstByte === 0) {
    trace.firstByte = now();
    trace.cpuAtFirst = process.cpuUsage();
  }
  if (seen >= bodyStart + body) {
    trace.lastByte = now();
    trace.cpuAtLast = process.cpuUsage();
  }
}

const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (trace.lastByte > 0 && trace.answered === 0) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8', 0, Math.min(chunk.length, 200));
    if (text.includes('"result":{"recordCheck"')) {
      trace.answered = now();
      trace.cpuAtAnswer = process.cpuUsage();
      trace.rssMB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;
      if (out) setTimeout(() => writeFileSync(out, JSON.stringify(trace)), 200);
    }
  }
  return write(chunk, ...rest);
};

/**
 * The server's share of receiving a large document: a `didOpen` of a generated document sent by
 * vscode-jsonrpc's writer (as VS Code sends it), then `flowlog/ping`. A probe preloaded into the
 * server (bench/receiveProbe.mjs) notes the first and last byte of the body on stdin, the ping's
 * answer, the server's CPU time at each and its garbage collections. Builds given together are
 * run alternately, one fresh server per run; medians per build at the end.
 *
 *   node --import tsx bench/run.ts receive [--kinds v2,v5,tgw] [--size 50] [--runs 6]
 *     [--servers dist/server-node.js,/tmp/base/server-node.js]
 *
 * transfer: first to last body byte on the server's stdin; last byte→answer: the rest of the
 * decoding and opening the document (wall, and the server's CPU); CPU: the server's user+system
 * time from the first byte to the answer (all its threads); GC: main-thread pauses during the
 * transfer. The client's own encoding (`Buffer.from(JSON.stringify(didOpen))`) is not counted.
 */
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generate, type Kind } from './generate';
import { BenchClient } from './lspClient';
import { DATA_DIR, machineLine, option, percentile, ROOT, textTable } from './report';
import { SERVER_NODE_FLAGS } from '../server/src/lsp/protocol';

interface Trace {
  firstByte: number;
  lastByte: number;
  answered: number;
  chunks: number;
  cpuAtFirst: NodeJS.CpuUsage;
  cpuAtLast: NodeJS.CpuUsage;
  cpuAtAnswer: NodeJS.CpuUsage;
  rssMB: number;
  gcs: [number, number, number][];
}

interface Run {
  transfer: number;
  afterWall: number;
  afterCpu: number;
  cpu: number;
  user: number;
  system: number;
  gcCount: number;
  gcMs: number;
  rss: number;
}

const cpuMs = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number => (to.user - from.user + to.system - from.system) / 1000;

async function measure(server: string, uri: string, text: string, bodyBytes: number): Promise<Run> {
  const out = join(DATA_DIR, `receive-${process.pid}.json`);
  rmSync(out, { force: true });
  const client = new BenchClient(server, [...SERVER_NODE_FLAGS, '--import', join(ROOT, 'bench', 'receiveProbe.mjs')], { FLOWLOG_RECEIVE_OUT: out, FLOWLOG_RECEIVE_BODY: String(bodyBytes) });
  await client.initialize();
  void client.open(uri, text);
  await client.request('flowlog/ping', {});
  await client.diagnostics(uri, 1);
  await new Promise((resolve) => setTimeout(resolve, 400));
  await client.stop();
  const t = JSON.parse(readFileSync(out, 'utf8')) as Trace;
  rmSync(out, { force: true });
  const gcs = t.gcs.filter(([at]) => at >= t.firstByte && at <= t.lastByte);
  return {
    transfer: t.lastByte - t.firstByte,
    afterWall: t.answered - t.lastByte,
    afterCpu: cpuMs(t.cpuAtLast, t.cpuAtAnswer),
    cpu: cpuMs(t.cpuAtFirst, t.cpuAtAnswer),
    user: (t.cpuAtAnswer.user - t.cpuAtFirst.user) / 1000,
    system: (t.cpuAtAnswer.system - t.cpuAtFirst.system) / 1000,
    gcCount: gcs.length,
    gcMs: gcs.reduce((sum, [, ms]) => sum + ms, 0),
    rss: t.rssMB,
  };
}

async function main(argv: string[]): Promise<void> {
  const kinds = option(argv, '--kinds', 'v2,v5,tgw').split(',') as Kind[];
  const megabytes = Number(option(argv, '--size', '50'));
  const runs = Number(option(argv, '--runs', '6'));
  const servers = option(argv, '--servers', join(ROOT, 'dist', 'server-node.js')).split(',');
  const rows: string[][] = [];
  const loads: number[] = [];
  for (const kind of kinds) {
    // The document bench:lsp opens.
    const text = generate({ kind, bytes: megabytes * 1e6, seed: 4242 + megabytes, malformedRate: 0.001 });
    const uri = `file:///bench/${kind}-${megabytes}mb.log`;
    const bodyBytes = Buffer.byteLength(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'flowlog', version: 1, text } } }));
    const results = new Map<string, Run[]>(servers.map((server) => [server, []]));
    for (let run = 0; run < runs; run++) {
      for (const server of servers) {
        loads.push(loadavg()[0]);
        const result = await measure(server, uri, text, bodyBytes);
        results.get(server)?.push(result);
        process.stderr.write(`${kind} ${server}: transfer ${result.transfer.toFixed(0)} ms, last byte→answer ${result.afterWall.toFixed(0)} ms, CPU ${result.cpu.toFixed(0)} ms (load ${loadavg()[0].toFixed(1)})\n`);
      }
    }
    for (const [server, list] of results) {
      const median = (pick: (r: Run) => number): string => percentile(list.map(pick), 50).toFixed(0);
      rows.push([`${kind} ${megabytes} MB`, server, median((r) => r.transfer), `${median((r) => r.afterWall)} (CPU ${median((r) => r.afterCpu)})`, `${median((r) => r.cpu)} (${median((r) => r.user)} + ${median((r) => r.system)})`, `${median((r) => r.gcCount)}, ${median((r) => r.gcMs)} ms`, median((r) => r.rss)]);
    }
  }
  const header = ['document', 'server', 'transfer ms', 'last byte→answer ms', 'CPU first byte→answer ms (user + system)', 'GC pauses in transfer', 'RSS at answer MB'];
  process.stdout.write(`\n${textTable(header, rows)}\n\nMedians of ${runs} runs per build, alternating; load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}. ${machineLine()}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench receive: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

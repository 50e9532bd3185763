/**
 * `npm run bench:peers`: flowlog beside its peers on the same files in the same run — `cat` and
 * `gzip -dc` (reading the bytes: the machine's limit), a naive split parser, DuckDB's read_csv
 * (count, the aggregates `flowlog stats` gives, writing JSON; skipped with a message when
 * @duckdb/node-api is absent) and `flowlog lint`, `parse` and `stats` with one thread and with
 * the default threads, and `filter`. Each command runs once with its output to /dev/null; the table
 * gives wall time, CPU time (user + system, all threads), cores used (CPU / wall), the ratio to
 * the floor (`cat` for the file, `gzip -dc` for the .gz) and peak memory, with the load average
 * before each command, since the machine may be shared.
 *
 *   node --import tsx bench/run.ts peers [--size 128m] [--kind v2] [--cli dist/cli.js] [--no-write]
 *   (internal) bench/data/build/peers.mjs --naive FILE | --duckdb count|aggregates|json FILE
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FORMAT } from '../server/src/service/formatModel';
import { duckdbQuery } from '../server/src/service/exports';
import { KINDS, parseSize, writeFile, type Kind } from './generate';
import { naiveParseFile } from './naive';
import { DATA_DIR, formatMB, machineLine, markdownTable, nowMs, option, ROOT, textTable, updateSection } from './report';

const SEED = 7;
const MALFORMED = 0.001;
const FILTER = 'protocol = tcp and dstport in (22, 3389, 1024..2048) and not srcaddr in 10.0.0.0/8';
const TWO_COPIES = 'flowlog lint, reply-rejected off, 1 thread, ×2 at once';

interface Run {
  label: string;
  input: 'file' | '.gz';
  seconds: number;
  cpuSeconds: number;
  peakBytes: number;
  load: number;
  note: string;
}

/** Runs a command with stdout to /dev/null under /usr/bin/time: wall, CPU (user + sys) and peak RSS. */
async function measure(label: string, input: 'file' | '.gz', command: string[]): Promise<Run> {
  const tmp = mkdtempSync(join(tmpdir(), 'flowlog-peers-'));
  const timeFile = join(tmp, 'time');
  const load = loadavg()[0];
  const started = nowMs();
  const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, ...command], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
  const seconds = (nowMs() - started) / 1000;
  const [user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  rmSync(tmp, { recursive: true, force: true });
  const note = code !== 0 && code !== 1 ? `exit ${code}: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}` : '';
  const run = { label, input, seconds, cpuSeconds: user + sys, peakBytes: kb * 1024, load, note };
  process.stderr.write(`  ${label} (${input}): ${seconds.toFixed(2)} s, CPU ${run.cpuSeconds.toFixed(2)} s, ${formatMB(run.peakBytes)} peak, load ${load.toFixed(1)}${note ? ` — ${note}` : ''}\n`);
  return run;
}

/**
 * Several copies of a command at once (each under /usr/bin/time): wall until the last ends, CPU
 * summed, the largest peak. Two one-thread copies show what the machine gives two independent
 * threads of this work, the most a split of one run across its cores could reach.
 */
async function measureTogether(label: string, input: 'file' | '.gz', command: string[], copies: number): Promise<Run> {
  const load = loadavg()[0];
  const started = nowMs();
  const quiet = { stdio: 'ignore' as const };
  const runs = await Promise.all(Array.from({ length: copies }, () => measureQuietly(command, quiet)));
  const seconds = (nowMs() - started) / 1000;
  const run = { label, input, seconds, cpuSeconds: runs.reduce((sum, r) => sum + r.cpu, 0), peakBytes: Math.max(...runs.map((r) => r.peak)), load, note: runs.some((r) => r.failed) ? 'a copy failed' : '' };
  process.stderr.write(`  ${label} (${input}): ${seconds.toFixed(2)} s, CPU ${run.cpuSeconds.toFixed(2)} s, load ${load.toFixed(1)}\n`);
  return run;
}

async function measureQuietly(command: string[], options: { stdio: 'ignore' }): Promise<{ cpu: number; peak: number; failed: boolean }> {
  const tmp = mkdtempSync(join(tmpdir(), 'flowlog-peers-'));
  const timeFile = join(tmp, 'time');
  const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, ...command], options);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
  const [user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  rmSync(tmp, { recursive: true, force: true });
  return { cpu: user + sys, peak: kb * 1024, failed: code !== 0 && code !== 1 };
}

/**
 * What the first write to fresh memory costs here, in ms per MB: a new 256 MB typed array written
 * once a page, then again (a page already mapped). On some virtual machines the first write costs
 * more than the work a command does with the page, which weighs on every command that grows.
 */
async function freshMemoryCost(): Promise<{ first: number; again: number }> {
  const script = `const n = 256 << 20; let t = process.hrtime.bigint(); const a = new Uint8Array(n); for (let i = 0; i < n; i += 4096) a[i] = 1;
const first = Number(process.hrtime.bigint() - t) / 1e6; t = process.hrtime.bigint(); for (let i = 0; i < n; i += 4096) a[i] = 2;
console.log(JSON.stringify({ first: first / 256, again: Number(process.hrtime.bigint() - t) / 1e6 / 256 }));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  return JSON.parse(out) as { first: number; again: number };
}

/** The DuckDB statements run against the file: the same columns `flowlog export duckdb` reads. */
function duckdbStatement(mode: string, path: string): string {
  const select = duckdbQuery(DEFAULT_FORMAT, { path, header: false }).trim().replace(/;$/, '').replace('auto_detect = false,', 'auto_detect = false, ignore_errors = true,');
  const from = select.slice(select.indexOf('FROM'));
  switch (mode) {
    case 'count':
      return `SELECT count(*) ${from}`;
    case 'aggregates':
      // What `flowlog stats` reports: by status and action, totals, span, top talkers and rejected ports.
      return `WITH r AS (SELECT * ${from}) SELECT
        (SELECT list(x) FROM (SELECT log_status, count(*) AS n FROM r GROUP BY ALL) x),
        (SELECT list(x) FROM (SELECT action, count(*) AS n FROM r GROUP BY ALL) x),
        (SELECT sum(bytes) FROM r), (SELECT sum(packets) FROM r), (SELECT min("start") FROM r), (SELECT max("end") FROM r),
        (SELECT list(x) FROM (SELECT srcaddr, dstaddr, sum(bytes) AS b FROM r GROUP BY ALL ORDER BY b DESC LIMIT 10) x),
        (SELECT list(x) FROM (SELECT protocol, dstport, count(*) AS n FROM r WHERE action = 'REJECT' GROUP BY ALL ORDER BY n DESC LIMIT 10) x)`;
    case 'json':
      return `COPY (${select}) TO '/dev/null' (FORMAT JSON)`;
    default:
      throw new Error(`unknown DuckDB mode ${mode}`);
  }
}

async function runDuckdb(mode: string, path: string): Promise<void> {
  // Loaded by name at run time: a native module the benchmark bundle must not include.
  const moduleName = '@duckdb/node-api';
  const { DuckDBInstance } = (await import(moduleName)) as typeof import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(duckdbStatement(mode, path));
  connection.closeSync();
}

async function duckdbAvailable(): Promise<boolean> {
  try {
    const moduleName = '@duckdb/node-api';
    await import(moduleName);
    return true;
  } catch {
    return false;
  }
}

async function ensureInput(kind: Kind, bytes: number): Promise<{ plain: string; gzip: string }> {
  const base = join(DATA_DIR, `${kind}-${Math.round(bytes / 1e6)}mb-seed${SEED}`);
  const plain = `${base}.log`;
  const gzip = `${base}.log.gz`;
  const options = { kind, bytes, seed: SEED, malformedRate: MALFORMED };
  if (!existsSync(plain)) await writeFile(plain, options);
  if (!existsSync(gzip)) await writeFile(gzip, { ...options, gzip: true });
  return { plain, gzip };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--naive') {
    await naiveParseFile(argv[1]);
    return;
  }
  if (argv[0] === '--duckdb') {
    await runDuckdb(argv[1], argv[2]);
    return;
  }
  const cli = option(argv, '--cli', join(ROOT, 'dist', 'cli.js'));
  if (!existsSync(cli)) throw new Error(`${cli} not found: run npm run build first`);
  const kind = option(argv, '--kind', 'v2') as Kind;
  if (!KINDS.includes(kind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
  const bytes = parseSize(option(argv, '--size', '128m'));
  const { plain, gzip } = await ensureInput(kind, bytes);
  const size = statSync(plain).size;
  const self = process.argv[1];
  const node = process.execPath;
  const flowlog = (...args: string[]): string[] => [node, cli, ...args];
  const withDuckdb = kind === 'v2' && (await duckdbAvailable());
  if (!withDuckdb) process.stderr.write(kind === 'v2' ? 'DuckDB skipped: @duckdb/node-api is not installed\n' : 'DuckDB skipped: its query here reads the v2 default format\n');
  const runs: Run[] = [];
  for (const [input, path] of [['file', plain], ['.gz', gzip]] as const) {
    runs.push(await measure(input === 'file' ? 'cat' : 'gzip -dc', input, input === 'file' ? ['cat', path] : ['gzip', '-dc', path]));
    runs.push(await measure('naive split parser', input, [node, self, '--naive', path]));
    if (withDuckdb && input === 'file') {
      runs.push(await measure('DuckDB count(*)', input, [node, self, '--duckdb', 'count', path]));
      runs.push(await measure('DuckDB aggregates (as stats)', input, [node, self, '--duckdb', 'aggregates', path]));
      runs.push(await measure('DuckDB to JSON', input, [node, self, '--duckdb', 'json', path]));
    }
    for (const threads of ['1', 'default']) {
      const option = threads === '1' ? ['--threads', '1'] : [];
      const suffix = threads === '1' ? ', 1 thread' : '';
      runs.push(await measure(`flowlog lint${suffix}`, input, flowlog('lint', '--no-progress', ...option, path)));
      // reply-rejected pairs the whole file, so lint keeps one thread while it is on: without it, lint runs on the workers.
      runs.push(await measure(`flowlog lint, reply-rejected off${suffix}`, input, flowlog('lint', '--no-progress', '--rule', 'reply-rejected=off', ...option, path)));
      runs.push(await measure(`flowlog parse${suffix}`, input, flowlog('parse', '--no-progress', ...option, path)));
      // stats reads on one thread unless --threads asks for workers: the default case names the CPU count.
      const statsOption = threads === '1' ? option : ['--threads', String(Math.min(8, availableParallelism()))];
      runs.push(await measure(`flowlog stats${threads === '1' ? suffix : ` --threads ${statsOption[1]}`}`, input, flowlog('stats', '--no-progress', ...statsOption, path)));
    }
    runs.push(await measure('flowlog filter', input, flowlog('filter', '--no-progress', FILTER, path)));
    if (input === 'file') runs.push(await measureTogether(TWO_COPIES, input, flowlog('lint', '--no-progress', '--rule', 'reply-rejected=off', '--threads', '1', path), 2));
  }
  const memory = await freshMemoryCost();
  const one = runs.find((r) => r.input === 'file' && r.label === 'flowlog lint, reply-rejected off, 1 thread');
  const two = runs.find((r) => r.label === TWO_COPIES);
  const scaling = one && two ? (2 * one.seconds) / two.seconds : NaN;
  const machineNotes = [
    `Two one-thread copies of \`lint --rule reply-rejected=off\` at once took ${two?.seconds.toFixed(2)} s where one took ${one?.seconds.toFixed(2)} s: the two cores gave this work ${scaling.toFixed(2)}× one core (2.00× at best), the most any split of one run across them could reach.`,
    `First write to fresh memory: ${memory.first.toFixed(2)} ms per MB (a new 256 MB array, one write a page; written again: ${memory.again.toFixed(2)} ms per MB).`,
  ];
  const header = ['command', 'input', 'load before', 'wall s', 'MB/s', 'CPU s', 'cores used', 'vs floor (speed)', 'peak RSS'];
  const floor = (input: string): Run | undefined => runs.find((r) => r.input === input && (r.label === 'cat' || r.label === 'gzip -dc'));
  const rows = runs.map((r) => [
    r.label + (r.note ? ` (${r.note})` : ''),
    r.input === 'file' ? formatMB(size) : `${formatMB(statSync(gzip).size)} .gz`,
    r.load.toFixed(1),
    r.seconds.toFixed(2),
    (((r.label === TWO_COPIES ? 2 : 1) * size) / 1e6 / r.seconds).toFixed(0),
    r.cpuSeconds.toFixed(2),
    (r.cpuSeconds / r.seconds).toFixed(2),
    `${((floor(r.input)?.seconds ?? NaN) / r.seconds).toFixed(2)}×`,
    formatMB(r.peakBytes),
  ]);
  process.stdout.write(`\n${textTable(header, rows)}\n\nMB/s are of the uncompressed ${formatMB(size)}. ${machineLine()}\n${machineNotes.join('\n')}\n`);
  if (argv.includes('--no-write')) return;
  updateSection('peers', [
    '## Peers side by side (`npm run bench:peers`)',
    '',
    `${machineLine()} Input: ${formatMB(size)} of generated ${kind} records (seed ${SEED}, ${MALFORMED * 100}% malformed lines) and the same bytes gzip-compressed (${formatMB(statSync(gzip).size)}); each command ran once, in this order, with its output to /dev/null.`,
    '',
    markdownTable(header, rows),
    '',
    '- **floor**: `cat` for the file (reading the bytes), `gzip -dc` for the .gz (decompressing them on one core); "vs floor" is the floor\'s wall time over the command\'s (1.00× = as fast as reading the input).',
    '- **CPU s**: user + system time of the process and all its threads; **cores used** = CPU / wall (2.00 = both cores busy the whole time).',
    '- **load before**: the 1-minute load average when the command started; above 2 (the CPU count) other work shared the CPUs and wall times are inflated.',
    '- **DuckDB**: `@duckdb/node-api` in a Node process, `read_csv` of the same file with the columns `flowlog export duckdb` gives (`ignore_errors` for the malformed lines): `count(*)`; the aggregates `flowlog stats` prints (by log-status and action, totals, time span, top 10 talkers, top 10 rejected ports); `COPY … TO \'/dev/null\' (FORMAT JSON)`.',
    `- **flowlog filter**: \`${FILTER}\`, matching records written as text.`,
    `- **×2 at once**: two copies started together, wall until both ended, CPU of both, the larger peak; MB/s counts both copies' bytes.`,
    '',
    ...machineNotes.map((note) => `**The machine.** ${note}`),
  ].join('\n'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench:peers: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

/**
 * `npm run bench:cli`: `flowlog lint`, `flowlog parse` and `flowlog stats` (the built dist/cli.js) over a 1 GB
 * generated VPC v2 file and its .gz, next to `wc -l` on the same input (the floor: reading the
 * bytes and finding line breaks) and the naive split(' ') parser streaming the same file (the
 * baseline). Peak memory of each child comes from `/usr/bin/time` (or /proc when it is missing).
 *
 *   node --import tsx bench/run.ts cli [--size 1g] [--kind v2] [--only lint,parse,stats[,lint-unpaired,stats-threads,conversations]] [--cli dist/cli.js] [--no-write]
 *   (lint-unpaired: `flowlog lint --rule reply-rejected=off`, lint without the pairing of its reply-rejected rule;
 *   stats-threads: stats with workers too, `--threads` the CPU count; stats reads on one thread unless asked)
 *   (internal) bench/data/build/cli.mjs --naive FILE
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KINDS, parseSize, writeFile, type Kind } from './generate';
import { naiveParseFile } from './naive';
import { DATA_DIR, formatMB, machineLine, markdownTable, nowMs, option, ROOT, textTable, updateSection } from './report';

const MEMORY_TARGET = 150 * 1024 * 1024;
const SEED = 7;
const MALFORMED = 0.001;

interface Run {
  label: string;
  input: string;
  seconds: number;
  /** User + system CPU seconds (NaN without /usr/bin/time): on a loaded machine a steadier measure than wall time. */
  cpuSeconds: number;
  peakBytes: number;
  exitCode: number | null;
  note: string;
}

/** Runs a command with stdout to /dev/null; wall time and peak RSS of the process (tree for sh). */
async function measure(label: string, input: string, command: string[]): Promise<Run> {
  const tmp = mkdtempSync(join(tmpdir(), 'flowlog-bench-'));
  const timeFile = join(tmp, 'time');
  const useTime = existsSync('/usr/bin/time');
  const argv = useTime ? ['/usr/bin/time', '-f', '%M %U %S', '-o', timeFile, ...command] : command;
  const started = nowMs();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  let polledPeak = 0;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        try {
          const kb = /^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
          if (kb) polledPeak = Math.max(polledPeak, Number(kb) * 1024);
        } catch {
          // Exited between polls.
        }
      }, 20);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const seconds = (nowMs() - started) / 1000;
  if (poll) clearInterval(poll);
  let peakBytes = polledPeak;
  let cpuSeconds = NaN;
  if (useTime) {
    const [kb, user, system] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    peakBytes = Number.isFinite(kb) ? kb * 1024 : NaN;
    cpuSeconds = user + system;
  }
  rmSync(tmp, { recursive: true, force: true });
  const note = stderr.trim().split('\n').filter((line) => line && !line.startsWith('Command exited')).slice(-1)[0] ?? '';
  process.stderr.write(`  ${label} ${input}: ${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} s CPU, ${formatMB(peakBytes)} peak${note ? ` (${note})` : ''}\n`);
  return { label, input, seconds, cpuSeconds, peakBytes, exitCode, note };
}

async function ensureInput(kind: Kind, bytes: number): Promise<{ plain: string; gzip: string }> {
  const base = join(DATA_DIR, `${kind}-${Math.round(bytes / 1e6)}mb-seed${SEED}`);
  const plain = `${base}.log`;
  const gzip = `${base}.log.gz`;
  const options = { kind, bytes, seed: SEED, malformedRate: MALFORMED };
  if (!existsSync(plain)) {
    process.stderr.write(`generating ${plain}…\n`);
    await writeFile(plain, options);
  }
  if (!existsSync(gzip)) {
    process.stderr.write(`generating ${gzip}…\n`);
    await writeFile(gzip, { ...options, gzip: true });
  }
  return { plain, gzip };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--naive') {
    await naiveParseFile(argv[1]);
    return;
  }
  const cli = option(argv, '--cli', join(ROOT, 'dist', 'cli.js'));
  if (!existsSync(cli)) throw new Error(`${cli} not found: run npm run build first`);
  const kind = option(argv, '--kind', 'v2') as Kind;
  if (!KINDS.includes(kind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
  const bytes = parseSize(option(argv, '--size', '1g'));
  const only = option(argv, '--only', 'lint,parse,stats').split(',');
  const { plain, gzip } = await ensureInput(kind, bytes);
  const size = statSync(plain).size;
  const self = process.argv[1];
  const runs: Run[] = [];
  for (const [input, path] of [['file', plain], ['.gz', gzip]] as const) {
    const cat = path.endsWith('.gz') ? `gzip -dc '${path}'` : `cat '${path}'`;
    runs.push(await measure('wc -l (floor)', input, path.endsWith('.gz') ? ['sh', '-c', `${cat} | wc -l`] : ['wc', '-l', path]));
    runs.push(await measure('naive split parser', input, [process.execPath, self, '--naive', path]));
    if (only.includes('lint')) runs.push(await measure('flowlog lint', input, [process.execPath, cli, 'lint', '--no-progress', path]));
    if (only.includes('lint-unpaired')) runs.push(await measure('flowlog lint, reply-rejected off', input, [process.execPath, cli, 'lint', '--no-progress', '--rule', 'reply-rejected=off', path]));
    if (only.includes('parse')) runs.push(await measure('flowlog parse', input, [process.execPath, cli, 'parse', path]));
    if (only.includes('stats') || only.includes('stats-threads')) runs.push(await measure('flowlog stats', input, [process.execPath, cli, 'stats', '--no-progress', path]));
    const workers = String(Math.min(8, availableParallelism()));
    if (only.includes('stats-threads')) runs.push(await measure(`flowlog stats --threads ${workers}`, input, [process.execPath, cli, 'stats', '--no-progress', '--threads', workers, path]));
    if (only.includes('conversations')) runs.push(await measure('flowlog conversations', input, [process.execPath, cli, 'conversations', '--format', 'json', '--no-progress', path]));
  }
  // Beside lint without its pairing too: what reading and checking cost, without the rule that pairs the whole file.
  const unpairedRatios = only.includes('lint-unpaired');
  const header = ['command', 'input', 'time s', 'MB/s', 'vs wc -l', 'vs naive', 'time vs lint', 'CPU s', 'CPU vs lint', ...(unpairedRatios ? ['time vs unpaired', 'CPU vs unpaired'] : []), 'peak RSS', 'memory target'];
  const floor = (input: string): Run | undefined => runs.find((r) => r.input === input && r.label.startsWith('wc'));
  const naive = (input: string): Run | undefined => runs.find((r) => r.input === input && r.label.startsWith('naive'));
  const lint = (input: string): Run | undefined => runs.find((r) => r.input === input && r.label === 'flowlog lint');
  const unpaired = (input: string): Run | undefined => runs.find((r) => r.input === input && r.label === 'flowlog lint, reply-rejected off');
  const rows = runs.map((r) => {
    const rate = size / 1e6 / r.seconds;
    const isFlowlog = r.label.startsWith('flowlog');
    return [
      r.label, r.input === 'file' ? formatMB(size) : `${formatMB(statSync(gzip).size)} .gz`, r.seconds.toFixed(1), rate.toFixed(0),
      `${((floor(r.input)?.seconds ?? NaN) / r.seconds).toFixed(2)}×`, `${((naive(r.input)?.seconds ?? NaN) / r.seconds).toFixed(2)}×`,
      isFlowlog ? `${(r.seconds / (lint(r.input)?.seconds ?? NaN)).toFixed(2)}×` : '',
      r.cpuSeconds.toFixed(1), isFlowlog ? `${(r.cpuSeconds / (lint(r.input)?.cpuSeconds ?? NaN)).toFixed(2)}×` : '',
      ...(unpairedRatios
        ? [isFlowlog ? `${(r.seconds / (unpaired(r.input)?.seconds ?? NaN)).toFixed(2)}×` : '', isFlowlog ? `${(r.cpuSeconds / (unpaired(r.input)?.cpuSeconds ?? NaN)).toFixed(2)}×` : '']
        : []),
      formatMB(r.peakBytes), isFlowlog ? (r.peakBytes < MEMORY_TARGET ? 'met (< 150 MB)' : 'missed (≥ 150 MB)') : '',
    ];
  });
  process.stdout.write(`\n${textTable(header, rows)}\n\nMB/s are of the uncompressed ${formatMB(size)}. ${machineLine()}\n`);
  if (argv.includes('--no-write')) return;
  updateSection('cli', [
    '## CLI at scale (`npm run bench:cli`)',
    '',
    `${machineLine()} Input: ${formatMB(size)} of generated ${kind} records (seed ${SEED}, ${MALFORMED * 100}% malformed lines) and the same bytes gzip-compressed; each command ran once with its output to /dev/null.`,
    '',
    markdownTable(header, rows),
    '',
    'Targets: `flowlog lint` and `flowlog parse` stream a 1 GB file and its .gz in under 150 MB of memory (issues 2 and 4); `flowlog stats` takes at most 1.5× the time of `flowlog lint` on the same input in the same run (issues 14 and 15).',
    '',
    '- **wc -l**: the floor, reading the bytes and counting line breaks (`gzip -dc | wc -l` for the .gz).',
    '- **naive split parser**: `bench/naive.ts` streaming the file with `readline`, one object per record; it checks nothing and prints nothing.',
    '- MB/s divide the uncompressed size by the wall time; "vs wc -l" and "vs naive" are speed ratios (higher is faster); "time vs lint" is the command\'s time over `flowlog lint`\'s on the same input (lower is faster); "CPU s" is user + system time of the process (all its threads), "CPU vs lint" the same ratio by CPU time, steadier than wall time when other work shares the machine.',
  ].join('\n'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench:cli: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

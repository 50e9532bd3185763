/**
 * What every benchmark shares: statistics over repeated runs, the machine description, plain
 * tables for the terminal and Markdown, and rewriting one marked section of BENCHMARKS.md so
 * that re-running a benchmark keeps the file true without touching the other sections.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file with package.json (bundles live deeper). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const ROOT = findRoot();
export const DATA_DIR = join(ROOT, 'bench', 'data');
const BENCHMARKS_FILE = join(ROOT, 'BENCHMARKS.md');

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile; p99 of fewer than 100 samples is the maximum. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function nowMs(): number {
  return performance.now();
}

/** MB here is 10^6 bytes, the unit disk and network figures use. */
export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

export function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;
}

export function machine(): { cpus: number; cpu: string; memory: string; node: string; date: string } {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpu = match[1].trim();
  } catch {
    // Not Linux: the os module's model name stands.
  }
  let count = cpus().length;
  try {
    count = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || count;
  } catch {
    // nproc missing: os.cpus() stands.
  }
  return {
    cpus: count,
    cpu,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

export function machineLine(): string {
  const m = machine();
  // The load average says whether other work shared the CPUs during the run.
  return `Measured ${m.date} on ${m.cpus} CPUs (${m.cpu}), ${m.memory} RAM, Node ${m.node}; load average ${loadavg()[0].toFixed(1)}.`;
}

export type Row = readonly string[];

/** Fixed-width table for the terminal. */
export function textTable(header: Row, rows: readonly Row[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: Row): string => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(header: Row, rows: readonly Row[]): string {
  const line = (r: Row): string => `| ${r.join(' | ')} |`;
  const rule = `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const SKELETON = `# Benchmarks

Figures measured by the benchmark scripts, which rewrite their own section below each time they
run. Benchmarks are not tests: nothing here runs in \`npm test\`.

## Reproduce

\`\`\`sh
npm install
npm run bench        # parse+validate throughput vs a naive split(' ') parser (~1 min)
npm run bench:cli    # flowlog lint / parse over a 1 GB file and its .gz vs wc -l (builds first; ~10 min)
npm run bench:lsp    # the built language server over stdio with 5, 20 and 50 MB documents (~5 min)
\`\`\`

Inputs come from \`bench/generate.ts\`, a seeded generator of realistic VPC v2, VPC v5 (S3 header)
and Transit Gateway files; the same seed gives the same bytes on every machine. Large files are
written to \`bench/data/\` (git-ignored).

`;

/** Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`. */
export function updateSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : SKELETON;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) text = text.slice(0, from) + block + text.slice(to + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_FILE, text);
}

/** `--name value` from argv, or the fallback. */
export function option(argv: readonly string[], name: string, fallback: string): string {
  const at = argv.indexOf(name);
  return at >= 0 && at + 1 < argv.length ? argv[at + 1] : fallback;
}

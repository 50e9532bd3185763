/**
 * Runs `flowlog` as a real process: `node --import tsx server/src/cli/main.ts` so that no build is
 * needed, or the file named by FLOWLOG_CLI (e.g. dist/cli.js) to test a bundle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.join(__dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');
const MAIN = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');
/** tsx's loader by URL, so that the CLI can run from any working directory. */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to stdin, then stdin is closed; without it stdin is an empty pipe. */
  input?: string | Buffer;
  cwd?: string;
}

export function spawnCli(args: readonly string[], cwd = ROOT): ChildProcess {
  const bundle = process.env.FLOWLOG_CLI;
  const argv = bundle ? [path.resolve(ROOT, bundle), ...args] : ['--import', TSX, MAIN, ...args];
  return spawn(process.execPath, argv, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options.cwd);
  return collect(child, options.input);
}

export function collect(child: ChildProcess, input?: string | Buffer): Promise<CliResult> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** A fresh temporary directory for files a test makes. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'flowlog-cli-'));
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A default-format record with distinct values per index. */
export function record(i: number, overrides: { action?: string; dstport?: number; bytes?: number } = {}): string {
  return `2 123456789010 eni-1235b8ca123456789 10.0.${i % 250}.1 10.1.0.2 ${20000 + (i % 40000)} ${overrides.dstport ?? 443} 6 10 ${overrides.bytes ?? 840} ${1418530010 + i} ${1418530070 + i} ${overrides.action ?? 'ACCEPT'} OK`;
}

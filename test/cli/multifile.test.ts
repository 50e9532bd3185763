/**
 * Several input files on both cores (server/src/cli/parallelFiles.ts): each small file is read
 * whole by a worker thread and the main thread writes the files' output in file order. The output
 * must be byte for byte what one thread writes: every command below runs with `--threads 1` and
 * with workers, and stdout, stderr and the exit status are compared.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { generate } from '../../bench/generate';
import { ROOT, runCli, tempDir, type CliOptions, type CliResult } from './helpers';

const dir = tempDir();

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

const v2 = generate({ kind: 'v2', bytes: 150_000, seed: 31, malformedRate: 0.03 });
const v5 = generate({ kind: 'v5', bytes: 120_000, seed: 32, malformedRate: 0.02 });
const tgw = generate({ kind: 'tgw', bytes: 100_000, seed: 33, malformedRate: 0.02 });
const clean = generate({ kind: 'v2', bytes: 80_000, seed: 34, malformedRate: 0 });
const docs = readFileSync(path.join(ROOT, 'test', 'fixtures', 'seeds', 'vpc-flow-logs-docs-excerpt.txt'), 'utf8');
const v5Gzip = gzipSync(v5);
mkdirSync(path.join(dir, 'a-directory'));

/** In order: files of every kind, and files that cannot be read (the message and status must stay). */
const files = [
  write('v2.log', v2),
  write('empty.log', ''),
  write('v5.log.gz', v5Gzip),
  path.join(dir, 'no-such-file.log'),
  write('tgw.log', tgw),
  // Cut short: the gzip data ends part-way (a failure after some output).
  write('truncated.log.gz', v5Gzip.subarray(0, Math.floor(v5Gzip.length / 2))),
  write('clean.log', clean),
  write('docs-excerpt.log', `${docs}\n`),
  write('not-gzip.log.gz', 'plain text in a .gz name\n'),
  path.join(dir, 'a-directory'),
  write('v2-crlf.log', v2.replace(/\n/g, '\r\n')),
  write('v2-again.log', v2),
];
/** The names as a one-thread run prints them: some files are read by workers, the others are not. */
const READ_BY_WORKERS = /^flowlog-trace: .*: read whole by a worker thread$/gm;

async function both(args: string[], options: CliOptions = {}, env: Record<string, string> = {}): Promise<[CliResult, CliResult]> {
  const saved = { ...process.env };
  // Small files spread over workers as well (by default only inputs of 64 MiB in all do).
  Object.assign(process.env, { FLOWLOG_SEGMENT_TRACE: '1', FLOWLOG_PARALLEL_FILES_MIN_BYTES: '0' }, env);
  delete process.env.FLOWLOG_THREADS;
  try {
    const one = await runCli([...args, '--threads', '1'], options);
    const many = await runCli([...args, '--threads', '3'], options);
    return [one, many];
  } finally {
    process.env = saved;
  }
}

function assertSame(one: CliResult, many: CliResult): void {
  assert.equal(one.stderr.match(READ_BY_WORKERS), null, 'one thread reads every file itself');
  // stderr first: when the exit status differs, it says why.
  assert.equal(many.stderr.replace(/^flowlog-trace: .*\n/gm, ''), one.stderr);
  assert.equal(many.code, one.code);
  assert.equal(many.stdout.length, one.stdout.length);
  assert.ok(many.stdout === one.stdout, 'outputs differ');
}

/** How many files workers read whole (from FLOWLOG_SEGMENT_TRACE). */
function readByWorkers(result: CliResult): number {
  return result.stderr.match(READ_BY_WORKERS)?.length ?? 0;
}

test('parse and stats read several files one after the other (segments for a large one)', async () => {
  // parse: its output is too large to hold while workers read ahead; stats: merging whole files'
  // summaries costs more than it saves, and equals one thread's only while the tables are exact.
  for (const args of [['parse'], ['stats'], ['stats', '--format', 'json', '--group-by', 'srcaddr,dstport', '--top', '15']]) {
    const [one, many] = await both([...args, '--no-progress', ...files]);
    assertSame(one, many);
    assert.equal(readByWorkers(many), 0);
  }
});

describe('several files on workers give what one thread gives', () => {
  const cases: [string, string[]][] = [
    ['lint, text', ['lint']],
    ['lint, JSON', ['lint', '--format', 'json']],
    ['lint, SARIF', ['lint', '--format', 'sarif']],
    ['lint, --max-problems (per file)', ['lint', '--max-problems', '25']],
    ['lint, JSON, --max-problems', ['lint', '--format', 'json', '--max-problems', '7']],
    ['lint without reply-rejected', ['lint', '--rule', 'reply-rejected=off']],
    ['filter, text', ['filter', 'protocol = tcp and dstport in (22, 80, 443, 1024..4096)']],
    ['filter, jsonl', ['filter', '--output', 'jsonl', 'action = REJECT']],
    ['filter, csv', ['filter', '--output', 'csv', 'action = ACCEPT']],
    ['filter, --count', ['filter', '--count', 'dstport = 443']],
  ];
  for (const [name, args] of cases) {
    test(name, async () => {
      const [one, many] = await both([...args, '--no-progress', ...files]);
      assert.ok(one.stdout.length > 0, 'output to compare');
      assertSame(one, many);
      // Every file went to a worker, those that cannot be read too (the worker says why).
      assert.equal(readByWorkers(many), files.length);
    });
  }
  test('the output is in file order whatever file ends first', async () => {
    // A large file second: the small ones after it end first, and wait for it.
    const medium = write('medium.log', generate({ kind: 'v2', bytes: 400_000, seed: 37, malformedRate: 0.01 }));
    const large = write('large.log', generate({ kind: 'v2', bytes: 2_000_000, seed: 35, malformedRate: 0.01 }));
    const args = ['lint', '--no-progress', medium, large, files[0], files[4]];
    const [one, many] = await both(args);
    assertSame(one, many);
    assert.equal(readByWorkers(many), 4);
    const order = [...one.stdout.matchAll(/^(.*?):\d+:\d+: /gm)].map((m) => path.basename(m[1])).filter((name, i, all) => name !== all[i - 1]);
    assert.deepEqual(order, ['medium.log', 'large.log', 'v2.log', 'tgw.log']);
  });
  test('standard input and a file large enough for segments are read by the main thread, between files read by workers', async () => {
    const large = write('segmented.log', generate({ kind: 'v5', bytes: 400_000, seed: 36, malformedRate: 0.02 }));
    const args = ['lint', '--no-progress', '--rule', 'reply-rejected=off', files[0], large, files[2], '-', files[4]];
    const env = { FLOWLOG_PARALLEL_MIN_BYTES: '300000', FLOWLOG_SEGMENT_BYTES: '50000' };
    const [one, many] = await both(args, { input: tgw }, env);
    assertSame(one, many);
    assert.equal(readByWorkers(many), 3);
    assert.match(many.stderr, /^flowlog-trace: .*segmented\.log: \d+ segments, /m);
  });
});

test('small files in all are read by one thread: starting workers would cost more than they save', async () => {
  const [, many] = await both(['lint', '--no-progress', files[0], files[4]], {}, { FLOWLOG_PARALLEL_FILES_MIN_BYTES: String(2 * v2.length) });
  assert.equal(readByWorkers(many), 0);
  const [, spread] = await both(['lint', '--no-progress', files[0], files[4]], {}, { FLOWLOG_PARALLEL_FILES_MIN_BYTES: String(v2.length) });
  assert.equal(readByWorkers(spread), 2);
});

test('a worker thread that dies names the file; the run ends with status 2 and the other files are read', { timeout: 120_000 }, async () => {
  for (const [fault, how] of [
    ['exit@file2', 'stopped \\(exit status 7\\)'],
    ['throw@file2', 'failed \\(Error: test fault on file job 2\\)'],
  ]) {
    const [one, many] = await both(['lint', '--no-progress', files[0], files[4], files[6]], {}, { FLOWLOG_TEST_WORKER_FAULT: fault });
    assert.notEqual(one.code, 2);
    assert.match(many.stderr, new RegExp(`tgw\\.log: internal error: the worker thread reading it ${how}\n`));
    assert.equal(many.code, 2);
    // The files before and after it are written as one thread writes them.
    const [without] = await both(['lint', '--no-progress', files[0], files[6]]);
    assert.ok(many.stdout === without.stdout, 'the other files are written whole');
  }
});

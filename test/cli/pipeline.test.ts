/**
 * `flowlog lint` with reply-rejected on (the default) on worker threads: the workers validate
 * segments and read each record's pairing cells, the main thread pairs them in line order
 * (server/src/cli/lint.ts, cellBuffer.ts). Its output must be byte for byte what one thread
 * writes, and one thread's output must not depend on how the input arrives: pairing problems are
 * placed by line windows (pairingWindows.ts), not by reads. Small segments and small windows
 * (test hooks) put many cuts and window ends in small files.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { generate, mulberry32 } from '../../bench/generate';
import { runCli, spawnCli, tempDir, type CliResult } from './helpers';

const dir = tempDir();

/**
 * After a share of the ACCEPT lines of a v2 log, the reply (addresses and ports swapped) rejected;
 * times move on 3 s a line, so that conversations close all along (pairing's clock passes them),
 * not only at the end.
 */
function withRejectedReplies(text: string, seed: number, share: number): string {
  const random = mulberry32(seed);
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const f = line.split(' ');
    if (f.length !== 14) {
      out.push(line);
      return;
    }
    f[10] = String(1700000000 + 3 * i);
    f[11] = String(1700000060 + 3 * i);
    out.push(f.join(' '));
    if (f[12] === 'ACCEPT' && random() < share) out.push([f[0], f[1], f[2], f[4], f[3], f[6], f[5], f[7], f[8], f[9], f[10], f[11], 'REJECT', f[13]].join(' '));
  });
  return out.join('\n');
}

/**
 * Runs of records as CloudWatch Logs subscription envelopes (three messages a line) between runs
 * of plain record lines (segments are cut only after a plain record line).
 */
function someAsEnvelopes(text: string): string {
  const records = text.split('\n').filter((line) => line.length > 0);
  const lines: string[] = [];
  for (let i = 0; i < records.length; i += 30) {
    lines.push(...records.slice(i, i + 15));
    for (let k = i + 15; k < Math.min(i + 30, records.length); k += 3) {
      const events = records.slice(k, Math.min(k + 3, i + 30)).map((message, n) => ({ id: String(k + n), timestamp: 1418530070000, message }));
      lines.push(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '123456789010', logGroup: 'vpc', logStream: 'eni', subscriptionFilters: ['f'], logEvents: events }));
    }
  }
  return `${lines.join('\n')}\n`;
}

const replies = withRejectedReplies(generate({ kind: 'v2', bytes: 700_000, seed: 31, malformedRate: 0.01 }), 32, 0.6);
const tgw = generate({ kind: 'tgw', bytes: 150_000, seed: 33, malformedRate: 0.02 });
const FILES: Record<string, string | Buffer> = {
  'replies.log': replies,
  'replies.log.gz': gzipSync(replies),
  // A header line of another format mid-file, and the v2 records again after it (read as TGW records).
  'replies-concatenated.log': `${replies}${tgw}${replies.slice(0, 200_000).replace(/[^\n]*$/, '')}`,
  'replies-envelopes.log': someAsEnvelopes(replies),
};
const files = Object.entries(FILES).map(([name, content]) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
});

async function both(args: string[], segmentBytes: number, windowLines: number): Promise<[CliResult, CliResult]> {
  process.env.FLOWLOG_PARALLEL_MIN_BYTES = '0';
  process.env.FLOWLOG_SEGMENT_BYTES = String(segmentBytes);
  process.env.FLOWLOG_PAIRING_WINDOW_LINES = String(windowLines);
  process.env.FLOWLOG_SEGMENT_TRACE = '1';
  try {
    return [await runCli([...args, '--threads', '1']), await runCli([...args, '--threads', '3'])];
  } finally {
    delete process.env.FLOWLOG_PAIRING_WINDOW_LINES;
  }
}

function assertSame(one: CliResult, many: CliResult): void {
  assert.equal(many.stderr.replace(/^flowlog-trace: .*\n/gm, ''), one.stderr);
  assert.equal(many.code, one.code);
  assert.equal(many.stdout.length, one.stdout.length);
  assert.ok(many.stdout === one.stdout, 'outputs differ');
}

function segmentedInputs(result: CliResult): number {
  return [...result.stderr.matchAll(/^flowlog-trace: .*: (\d+) segments, \d+ run again$/gm)].filter((m) => Number(m[1]) > 1).length;
}

function count(text: string, code: string): number {
  return text.split(code).length - 1;
}

describe('lint with reply-rejected on: the pipeline gives what one thread gives', () => {
  for (const [segmentBytes, windowLines] of [
    [9_000, 97],
    [40_000, 1000],
    [70_000, 8192],
  ]) {
    test(`text (segments of ${segmentBytes} bytes, windows of ${windowLines} lines)`, async () => {
      const [one, many] = await both(['lint', '--no-progress', ...files], segmentBytes, windowLines);
      assert.ok(count(one.stdout, 'reply-rejected') > 1500, 'rejected replies to compare');
      assert.ok(count(one.stdout, 'error') > 100, 'validation problems between them');
      assertSame(one, many);
      assert.equal(segmentedInputs(many), files.length);
    });
  }
  test('JSON with --max-problems stopping among validation problems and among rejected replies', async () => {
    for (const limit of ['40', '333', '1200']) {
      const [one, many] = await both(['lint', '--format', 'json', '--max-problems', limit, ...files], 20_011, 61);
      assert.match(one.stdout, /problem-limit/);
      assertSame(one, many);
    }
  });
});

/** Lint of standard input written in pieces of `size` bytes, each after the previous was read. */
async function lintStdin(text: string, size: number): Promise<CliResult> {
  const child = spawnCli(['lint', '--no-progress', '-']);
  const stdout: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) {
    const more = child.stdin?.write(bytes.subarray(at, at + size));
    await new Promise((resolve) => (more ? setImmediate(resolve) : child.stdin?.once('drain', resolve)));
  }
  child.stdin?.end();
  return { code: await done, stdout: Buffer.concat(stdout).toString('utf8'), stderr: '' };
}

test('one thread: standard input in pieces of any size gives the output of the file', async () => {
  process.env.FLOWLOG_PAIRING_WINDOW_LINES = '97';
  try {
    const text = FILES['replies-concatenated.log'] as string;
    const file = await runCli(['lint', '--no-progress', path.join(dir, 'replies-concatenated.log')]);
    const expected = file.stdout.split(path.join(dir, 'replies-concatenated.log')).join('<stdin>');
    assert.ok(count(expected, 'reply-rejected') > 1000);
    for (const size of [997, 7_919, 100_003]) {
      const piecewise = await lintStdin(text, size);
      assert.equal(piecewise.code, file.code);
      assert.ok(piecewise.stdout === expected, `pieces of ${size} bytes: outputs differ`);
    }
  } finally {
    delete process.env.FLOWLOG_PAIRING_WINDOW_LINES;
  }
});

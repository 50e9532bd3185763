/**
 * Large inputs are checked and parsed in segments on worker threads (server/src/cli/segments.ts).
 * The output must be byte for byte what one thread writes, whatever the cuts: the inputs below
 * are run with tiny segments (so that every file is cut many times, at many chunk positions)
 * with `--threads 1` and with workers, and stdout, stderr and the exit status compared.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { generate, mulberry32 } from '../../bench/generate';
import { collect, ROOT, runCli, spawnCli, tempDir, type CliResult } from './helpers';

const dir = tempDir();
const SHAPES = path.join(ROOT, 'test', 'fixtures', 'export-shapes');
const SEEDS = path.join(ROOT, 'test', 'fixtures', 'seeds', 'vpc-flow-logs-docs-excerpt.txt');

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Records wrapped over two lines here and there, as in copies out of PDFs. */
function wrapSome(text: string, seed: number, share: number): string {
  const random = mulberry32(seed);
  return text
    .split('\n')
    .map((line) => {
      if (random() >= share) return line;
      const space = line.indexOf(' ', Math.floor(random() * line.length));
      return space < 0 ? line : `${line.slice(0, space)}\n${line.slice(space + 1)}`;
    })
    .join('\n');
}

const v2 = generate({ kind: 'v2', bytes: 300_000, seed: 11, malformedRate: 0.02 });
const v5 = generate({ kind: 'v5', bytes: 200_000, seed: 12, malformedRate: 0.02 });
const tgw = generate({ kind: 'tgw', bytes: 200_000, seed: 13, malformedRate: 0.02 });
const shapes = readdirSync(SHAPES)
  .filter((name) => /\.(log|jsonl|json)$/.test(name) && !name.includes('expected') && name !== 'manifest.json')
  .map((name) => readFileSync(path.join(SHAPES, name), 'utf8'));
/**
 * Lines over 1 MiB: the stream drops one when it has buffered more than 1 MiB of it, but checks
 * one that arrives whole within a read; which happens depends on where the 64 KiB reads fall,
 * so these lengths tell apart a worker that reads other pieces than one thread does.
 */
const overlong = Array.from({ length: 9 }, (_, k) => `2 123456789012 eni-0 ${'1 '.repeat((1024 * 1024 + k * 7001) / 2)}\n${v2.slice(0, 3000 + k * 1000).replace(/[^\n]*$/, '')}`).join('');

const FILES: Record<string, string | Buffer> = {
  'v2.log': v2,
  'v5.log': v5,
  'tgw.log': tgw,
  'v2-crlf.log': v2.replace(/\n/g, '\r\n'),
  'v2-bom.log': `\ufeff${v2}`,
  'v2-wrapped.log': wrapSome(v2, 21, 0.03),
  // Header lines of other formats mid-file: segments after them start on a wrong guess.
  'concatenated.log': `${v5}${tgw}${v5.split('\n').slice(0, 2000).join('\n')}\n${tgw}`,
  // No header: the format is inferred from the first lines; a later layout change is reported.
  'headerless-mixed.log': `${v2}${tgw.split('\n').slice(1, 400).join('\n')}\n${v2}`,
  'long-lines.log': `${v2.slice(0, 100_000 + v2.slice(100_000).indexOf('\n') + 1)}${overlong}${v2.slice(100_000)}`,
  'export-shapes.log': shapes.join('\n').repeat(30),
  'docs-excerpt.log': `${readFileSync(SEEDS, 'utf8')}\n`.repeat(60),
  'v5.log.gz': gzipSync(v5),
  // Two gzip members, as `cat a.gz b.gz` makes.
  'multi-member.log.gz': Buffer.concat([gzipSync(v2), gzipSync(v2.split('\n').slice(1000).join('\n'))]),
};
const files = Object.entries(FILES).map(([name, content]) => write(name, content));

async function both(args: string[], segmentBytes: number): Promise<[CliResult, CliResult]> {
  process.env.FLOWLOG_PARALLEL_MIN_BYTES = '0';
  process.env.FLOWLOG_SEGMENT_BYTES = String(segmentBytes);
  process.env.FLOWLOG_SEGMENT_TRACE = '1';
  const one = await runCli([...args, '--threads', '1']);
  const many = await runCli([...args, '--threads', '3']);
  return [one, many];
}

/** Segments and segments run again over all inputs of a run with workers (from FLOWLOG_SEGMENT_TRACE). */
function traced(result: CliResult): { inputs: number; segments: number; reruns: number } {
  const lines = [...result.stderr.matchAll(/^flowlog-trace: .*: (\d+) segments, (\d+) run again$/gm)];
  return { inputs: lines.length, segments: lines.reduce((sum, m) => sum + Number(m[1]), 0), reruns: lines.reduce((sum, m) => sum + Number(m[2]), 0) };
}

function assertSame(one: CliResult, many: CliResult): void {
  // stderr first: when the exit status differs, it says why.
  assert.equal(many.stderr.replace(/^flowlog-trace: .*\n/gm, ''), one.stderr);
  assert.equal(many.code, one.code);
  // Compared by length first: a diff of megabytes is unreadable.
  assert.equal(many.stdout.length, one.stdout.length);
  assert.ok(many.stdout === one.stdout, 'outputs differ');
}

describe('workers give what one thread gives', () => {
  // Segment sizes cut at many positions relative to the 64 KiB reads.
  for (const segmentBytes of [3_000, 20_011, 70_000]) {
    test(`lint, text (segments of ${segmentBytes} bytes)`, async () => {
      // Without pairing: validation alone (with reply-rejected on, see below).
      const [one, many] = await both(['lint', '--no-progress', '--rule', 'reply-rejected=off', ...files], segmentBytes);
      assert.ok(one.stdout.split('\n').length > 1000, 'the inputs have problems to compare');
      assertSame(one, many);
      // Every input was cut, and some segments started on a wrong guess and were run again.
      const trace = traced(many);
      assert.equal(trace.inputs, files.length);
      assert.ok(trace.segments >= 3 * files.length, `${trace.segments} segments`);
      assert.ok(trace.reruns > 0);
    });
    test(`parse (segments of ${segmentBytes} bytes)`, async () => {
      const [one, many] = await both(['parse', '--no-progress', ...files], segmentBytes);
      assert.ok(one.stdout.length > 1_000_000);
      assertSame(one, many);
    });
  }
  test('lint, JSON with --max-problems, and --fields for a headerless file', async () => {
    const [one, many] = await both(['lint', '--format', 'json', '--max-problems', '700', '--rule', 'reply-rejected=off', ...files], 10_000);
    assertSame(one, many);
    assert.ok(traced(many).segments > 0);
    const fields = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const [oneFields, manyFields] = await both(['parse', '--fields', fields, path.join(dir, 'v2-wrapped.log')], 9_000);
    assertSame(oneFields, manyFields);
  });
});

describe('stats on workers gives what one thread gives', () => {
  // Each segment is summarised by a worker's aggregator; the states are merged in input order.
  for (const segmentBytes of [3_000, 20_011, 70_000]) {
    test(`text, json and csv (segments of ${segmentBytes} bytes)`, async () => {
      for (const format of ['text', 'json', 'csv']) {
        const [one, many] = await both(['stats', '--no-progress', '--format', format, ...files], segmentBytes);
        assert.ok(one.stdout.length > 2_000, 'a summary to compare');
        assertSame(one, many);
        // The PDF excerpt does not open like a flow log: it is read (and left out) by one thread.
        assert.equal(traced(many).inputs, files.length - 1);
      }
    });
  }
  test('--group-by (two fields), --top and a listed --interval', async () => {
    const args = ['stats', '--no-progress', '--group-by', 'srcaddr,dstaddr', '--group-by', 'dstport,protocol', '--by', 'bytes', '--top', '25', '--interval', '5m', '--format', 'json'];
    const [one, many] = await both([...args, ...files], 9_000);
    assertSame(one, many);
    const report = JSON.parse(one.stdout) as { top: { exact: boolean; rows: unknown[] }[] };
    assert.ok(report.top.every((table) => table.exact && table.rows.length === 25));
  });
});

test('lint with reply-rejected on (the default): workers validate, the main thread pairs (more in pipeline.test.ts)', async () => {
  for (const segmentBytes of [3_000, 20_011]) {
    const [one, many] = await both(['lint', '--no-progress', ...files], segmentBytes);
    assertSame(one, many);
    assert.equal(traced(many).inputs, files.length);
  }
});

test('parse and filter on workers, read slowly: output buffers are filled again only once written out', async () => {
  // A worker copies a segment's output into a buffer the main thread gave back (no fresh memory);
  // one handed back while its write still waits in the pipe would be overwritten in flight.
  const input = write('v2-large.log', generate({ kind: 'v2', bytes: 3_000_000, seed: 21, malformedRate: 0.01 }));
  process.env.FLOWLOG_PARALLEL_MIN_BYTES = '0';
  // parse writes more than the pipe holds (the join then waits for it to drain); filter's outputs
  // of about 13 KB are written without a wait, and their writes queue while the reader pauses.
  for (const [segmentBytes, args] of [
    ['150000', ['parse', '--no-progress']],
    ['20000', ['filter', '--no-progress', 'protocol = tcp']],
  ] as const) {
    process.env.FLOWLOG_SEGMENT_BYTES = segmentBytes;
    const one = await runCli([...args, '--threads', '1', input]);
    const child = spawnCli([...args, '--threads', '2', input]);
    child.stdout?.on('data', () => {
      child.stdout?.pause();
      setTimeout(() => child.stdout?.resume(), 15);
    });
    const many = await collect(child);
    assert.ok(one.stdout.length > 1_000_000, 'megabytes of output');
    assert.equal(many.code, one.code);
    assert.equal(many.stdout.length, one.stdout.length);
    assert.ok(many.stdout === one.stdout, `${args[0]}: outputs differ`);
  }
});

test('a worker thread that dies names its segment; the run ends with status 2 and reads the next input', { timeout: 120_000 }, async () => {
  // Before: the dead worker went back to the idle list, its next segment was never answered, and
  // once no thread was left the process ended silently with status 0 and the output cut short.
  process.env.FLOWLOG_PARALLEL_MIN_BYTES = '0';
  process.env.FLOWLOG_SEGMENT_BYTES = '3000';
  const v2File = path.join(dir, 'v2.log');
  const v5File = path.join(dir, 'v5.log');
  for (const [fault, how] of [
    ['exit@4', 'stopped \\(exit status 7\\)'],
    ['throw@4', 'failed \\(Error: test fault on segment 4\\)'],
  ]) {
    process.env.FLOWLOG_TEST_WORKER_FAULT = fault;
    try {
      const result = await runCli(['parse', '--no-progress', '--threads', '2', v2File, v5File]);
      assert.match(result.stderr, new RegExp(`v2\\.log: internal error: segment 4 \\(bytes \\d+–\\d+\\): the worker thread reading it ${how}\n`));
      // Every segment of the next input dies at segment 4 as well: each says so.
      assert.match(result.stderr, /v5\.log: internal error: segment 4 /);
      assert.equal(result.code, 2);
    } finally {
      delete process.env.FLOWLOG_TEST_WORKER_FAULT;
    }
  }
});

test('--threads takes a positive integer', async () => {
  const bad = await runCli(['lint', '--threads', '0', files[0]]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--threads: expected a positive integer, got '0'/);
});

describe('filter on workers gives what one thread gives', () => {
  const FILTER = 'protocol = tcp and dstport in (22, 3389, 1024..2048)';
  for (const output of ['text', 'jsonl', 'csv']) {
    test(`--output ${output}`, async () => {
      const [one, many] = await both(['filter', '--no-progress', '--output', output, FILTER, ...files], 20_011);
      assert.ok(one.stdout.length > 10_000, 'records matched');
      assertSame(one, many);
      // The PDF excerpt does not open like a flow log: filter reads it with one thread, which says so.
      assert.equal(traced(many).inputs, files.length - 1);
    });
  }
  test('text output: header lines held back go before the next match, many segments later', async () => {
    const [header, ...records] = v5.trimEnd().split('\n');
    const fields = header.split(' ');
    const cells = records[5].split(' ');
    cells[fields.indexOf('srcaddr')] = '203.0.113.99';
    // The only match lies far past both header lines, which one thread writes just before it.
    const file = write('held-headers.log', `${header}\n${records.slice(0, 800).join('\n')}\n${header}\n${records.slice(800).join('\n')}\n${cells.join(' ')}\n`);
    const [one, many] = await both(['filter', 'srcaddr = 203.0.113.99', file], 5_000);
    assert.equal(one.stdout, `${header}\n${header}\n${cells.join(' ')}\n`);
    assertSame(one, many);
  });
  test('--count, a rare match (CSV headers and held-back header lines far from the records), and a filter a later format lacks', async () => {
    const [one, many] = await both(['filter', '--count', FILTER, ...files], 9_000);
    assertSame(one, many);
    // Matches a handful of records: most segments write nothing, header lines wait for the next match.
    const rare = 'dstport = 22 and packets > 15';
    for (const output of ['text', 'csv']) {
      const [oneRare, manyRare] = await both(['filter', '--output', output, rare, ...files], 7_000);
      assert.ok(oneRare.stdout.length > 0);
      assertSame(oneRare, manyRare);
    }
    // Transit Gateway records have no action: the TGW part of the file stops the filter.
    const [oneLacking, manyLacking] = await both(['filter', 'action = REJECT', path.join(dir, 'concatenated.log')], 9_000);
    assert.equal(oneLacking.code, 2);
    assertSame(oneLacking, manyLacking);
  });
});

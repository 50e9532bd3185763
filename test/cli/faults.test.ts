/**
 * `flowlog` under bad conditions: gzip by magic bytes, stdin, missing and unreadable inputs,
 * corrupt and truncated gzip, stdin closed early, a reader that stops early (`| head`). Each
 * fault is one line on stderr naming the file, exit 2, and the other files are still processed.
 * Inputs are never modified.
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { collect, fixture, jsonLines, record, runCli, sha256, spawnCli, tempDir } from './helpers';

const BOGUS_LINE = fixture('flowlogs-reader', 's3_v5_file_with_header.log');
const CLOUDWATCH = fixture('flowlogs-reader', 'cwl_v2_records.txt');

describe('flowlog: gzip and stdin', () => {
  it('gzip is recognised by its magic bytes, with or without the .gz name', async () => {
    const dir = tempDir();
    const gz = gzipSync(readFileSync(BOGUS_LINE));
    writeFileSync(path.join(dir, 'objects.log.gz'), gz);
    writeFileSync(path.join(dir, 'no-extension'), gz);
    const plain = await runCli(['lint', BOGUS_LINE]);
    const result = await runCli(['lint', 'objects.log.gz', 'no-extension'], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    const problem = plain.stdout.slice(BOGUS_LINE.length);
    assert.equal(result.stdout, `objects.log.gz${problem}no-extension${problem}`);
    const parsed = await runCli(['parse', 'objects.log.gz'], { cwd: dir });
    assert.deepEqual(jsonLines(parsed.stdout), jsonLines((await runCli(['parse', BOGUS_LINE])).stdout));
  });

  it('concatenated gzip members (S3 objects joined) read as one text', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'joined.gz');
    writeFileSync(file, Buffer.concat([gzipSync(`${record(1)}\n`), gzipSync(`${record(2)}\n`)]));
    const result = await runCli(['parse', file]);
    assert.deepEqual(jsonLines(result.stdout).map((r) => r.srcaddr), ['10.0.1.1', '10.0.2.1']);
  });

  it('- reads stdin, plain or gzip; with no FILE and piped input, stdin is read too', async () => {
    const text = readFileSync(BOGUS_LINE);
    const plain = await runCli(['lint', '-'], { input: text });
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, /^<stdin>:4:1: error field-count /);
    const gz = await runCli(['parse'], { input: gzipSync(text) });
    assert.equal(gz.code, 0);
    assert.equal(jsonLines(gz.stdout).length, 2);
    assert.equal(gz.stderr, 'flowlog: <stdin>: 1 malformed line skipped (run flowlog lint)\n');
  });

  it('a BOM and CRLF line ends change no positions', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bom.log');
    const [first, second] = [record(1, { dstport: 70000 }), record(2, { dstport: 70000 })];
    writeFileSync(file, `\ufeff${first}\r\n${second}\r\n`);
    const result = await runCli(['lint', file]);
    const column = (text: string): number => text.indexOf(' 70000 ') + 2;
    assert.deepEqual(result.stdout.trim().split('\n').map((line) => line.slice(file.length).split(' ')[0]), [`:1:${column(first)}:`, `:2:${column(second)}:`]);
  });
});

describe('flowlog: faults', () => {
  it('missing file, directory, corrupt, truncated and mislabelled gzip: one line each, exit 2, the rest still linted', async () => {
    const dir = tempDir();
    const gz = gzipSync(readFileSync(CLOUDWATCH));
    const corrupt = Buffer.from(gz);
    for (let i = 12; i < 24; i++) corrupt[i] ^= 0x5a;
    writeFileSync(path.join(dir, 'corrupt.log.gz'), corrupt);
    writeFileSync(path.join(dir, 'truncated.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    writeFileSync(path.join(dir, 'plain.log.gz'), 'not compressed\n');
    mkdirSync(path.join(dir, 'folder'));
    copyFileSync(BOGUS_LINE, path.join(dir, 'good.log'));
    const result = await runCli(['lint', 'missing.log', 'folder', 'corrupt.log.gz', 'truncated.log.gz', 'plain.log.gz', 'good.log'], { cwd: dir });
    assert.equal(result.code, 2);
    const messages = result.stderr.trim().split('\n');
    assert.equal(messages.length, 5, result.stderr);
    assert.equal(messages[0], 'flowlog: missing.log: no such file or directory');
    assert.equal(messages[1], 'flowlog: folder: is a directory');
    assert.match(messages[2], /^flowlog: corrupt\.log\.gz: corrupt gzip data \(.+\)$/);
    assert.equal(messages[3], 'flowlog: truncated.log.gz: truncated gzip data (unexpected end of file)');
    assert.match(messages[4], /^flowlog: plain\.log\.gz: not gzip data/);
    // The file after the faults was linted; no problem is invented for the cut-off gzip.
    assert.match(result.stdout, /^good\.log:4:1: error field-count /m);
    assert.doesNotMatch(result.stdout, /truncated/);
  });

  it('an unreadable file is reported and skipped', { skip: process.getuid?.() === 0 ? 'running as root: permissions do not stop reads' : false }, async () => {
    const dir = tempDir();
    const file = path.join(dir, 'secret.log');
    writeFileSync(file, `${record(1)}\n`);
    chmodSync(file, 0o000);
    const result = await runCli(['lint', 'secret.log', CLOUDWATCH], { cwd: dir });
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'flowlog: secret.log: permission denied\n');
  });

  it('a read that fails after the file opened is reported and skipped', { skip: process.platform !== 'linux' ? 'needs /proc' : false }, async () => {
    // Reading a process's own memory at offset 0 fails with EIO, even for root.
    const result = await runCli(['lint', '/proc/self/mem', CLOUDWATCH]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'flowlog: /proc/self/mem: input/output error\n');
  });

  it('stdin closed early: a cut gzip stream is an error; a cut text stream is linted as far as it goes', async () => {
    const gz = gzipSync(readFileSync(CLOUDWATCH));
    const cutGzip = await runCli(['lint', '-'], { input: gz.subarray(0, gz.length - 9) });
    assert.equal(cutGzip.code, 2);
    assert.equal(cutGzip.stderr, 'flowlog: <stdin>: truncated gzip data (unexpected end of file)\n');
    const text = `${record(1)}\n${record(2)}\n`;
    const cutText = await runCli(['lint', '-'], { input: text.slice(0, text.length - 20) });
    assert.equal(cutText.code, 1);
    assert.match(cutText.stdout, /^<stdin>:2:1: error field-count Expected 14 fields but found 12; the record ends before action, log-status\./);
  });

  it('a reader that stops early (| head -1): first line intact, no EPIPE noise, and the status of what was found (1 for errors)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'many.log');
    writeFileSync(file, `${Array.from({ length: 40000 }, (_, i) => record(i, { dstport: 70000 })).join('\n')}\n`);
    for (const args of [['parse', file], ['lint', file], ['lint', '--format', 'sarif', file]]) {
      const child = spawnCli(args);
      let first = '';
      const closed = new Promise<void>((resolve) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          if (first.includes('\n')) return;
          first += chunk.toString('utf8');
          // Like `head -1`: take one line, then close the pipe.
          if (first.includes('\n')) {
            child.stdout?.destroy();
            resolve();
          }
        });
      });
      const result = collect(child);
      await closed;
      const { code, stderr } = await result;
      // Every record has an invalid port: lint found errors before the pipe closed; parse found none.
      assert.equal(code, args[0] === 'parse' ? 0 : 1, `${args.join(' ')}: ${stderr}`);
      assert.equal(stderr, '', args.join(' '));
      const line = first.split('\n')[0];
      if (args[0] === 'parse') assert.equal(JSON.parse(line).srcaddr, '10.0.0.1');
      else if (args.length === 2) assert.match(line, /:1:\d+: error invalid-port /);
      else assert.match(line, /^\{"\$schema":/);
    }
  });

  it('never modifies its inputs', async () => {
    const dir = tempDir();
    const files = [BOGUS_LINE, CLOUDWATCH, fixture('awsdocs', 'v3_custom_tcp_flag_sequence.txt')].map((source) => {
      const copy = path.join(dir, path.basename(source));
      copyFileSync(source, copy);
      return copy;
    });
    const gz = path.join(dir, 'copy.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(CLOUDWATCH)));
    files.push(gz);
    const before = files.map((file) => [sha256(file), statSync(file).mtimeMs, statSync(file).mode]);
    for (const command of [['lint'], ['lint', '--format', 'sarif'], ['parse'], ['detect'], ['stats']]) await runCli([...command, ...files]);
    assert.deepEqual(files.map((file) => [sha256(file), statSync(file).mtimeMs, statSync(file).mode]), before);
  });
});

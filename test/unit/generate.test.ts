/**
 * The benchmark input generator (bench/generate.ts): the same seed gives the same bytes, clean
 * output is a valid flow log to flowlog, and every line it damages on purpose — and only those —
 * draws a problem. Benchmarks are only as good as their input.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { FIELD_NAMES, FlowLogGenerator, generate, KINDS, MALFORMATIONS, parseSize, writeFile, type Kind } from '../../bench/generate';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';

const problemsOf = (text: string) => collectProblems(new FlowLogDocument(text), { maxProblems: 1_000_000 });

describe('benchmark generator', () => {
  it('gives the same text for the same seed and another text for another seed', () => {
    for (const kind of KINDS) {
      const options = { kind, bytes: 50_000, seed: 99, malformedRate: 0.01 };
      assert.equal(generate(options), generate(options), kind);
      assert.notEqual(generate(options), generate({ ...options, seed: 100 }), kind);
    }
  });

  it('stops at the first line end past the requested size', () => {
    const text = generate({ kind: 'v5', bytes: 20_000, seed: 1, malformedRate: 0 });
    assert.ok(text.length >= 20_000 && text.length < 21_000, String(text.length));
    assert.ok(text.endsWith('\n'));
  });

  it('writes clean records that flowlog reads in the intended format without a single problem', () => {
    const expected: Record<Kind, { source: string; fields: number }> = {
      v2: { source: 'inferred', fields: 14 },
      v5: { source: 'header', fields: 29 },
      tgw: { source: 'header', fields: 36 },
    };
    for (const kind of KINDS) {
      const text = generate({ kind, bytes: 400_000, seed: 3, malformedRate: 0 });
      const document = new FlowLogDocument(text);
      const format = document.formats.primary;
      assert.equal(format.source, expected[kind].source, kind);
      assert.deepEqual(format.names, FIELD_NAMES[kind], kind);
      assert.equal(format.names.length, expected[kind].fields, kind);
      assert.deepEqual(problemsOf(text), [], kind);
    }
  });

  it('varies what matters: statuses, actions, protocols, tcp-flags and address families', () => {
    const rows = generate({ kind: 'v5', bytes: 600_000, seed: 5, malformedRate: 0 }).trim().split('\n').slice(1).map((line) => line.split(' '));
    const at = (name: string): Set<string> => new Set(rows.map((row) => row[FIELD_NAMES.v5.indexOf(name)]));
    for (const status of ['OK', 'NODATA', 'SKIPDATA']) assert.ok(at('log-status').has(status), status);
    for (const action of ['ACCEPT', 'REJECT']) assert.ok(at('action').has(action), action);
    for (const protocol of ['6', '17', '1']) assert.ok(at('protocol').has(protocol), protocol);
    for (const flags of ['0', '1', '2', '3', '18', '19']) assert.ok(at('tcp-flags').has(flags), flags);
    for (const type of ['IPv4', 'IPv6']) assert.ok(at('type').has(type), type);
    const accepted = rows.filter((row) => row[FIELD_NAMES.v5.indexOf('action')] === 'ACCEPT').length / rows.length;
    assert.ok(accepted > 0.75 && accepted < 0.9, String(accepted));
  });

  it('damages exactly the lines it says, each in a way flowlog reports', () => {
    for (const kind of KINDS) {
      const generator = new FlowLogGenerator({ kind, bytes: 0, seed: 11, malformedRate: 0.03 }, true);
      const lines = Array.from({ length: 3000 }, () => generator.nextLine());
      const problemLines = new Set(problemsOf(lines.join('\n') + '\n').map((problem) => problem.line));
      assert.deepEqual([...problemLines].sort((a, b) => a - b), generator.damagedLines, kind);
      for (const how of MALFORMATIONS) assert.ok(generator.damaged[how] > 0, `${kind}: no ${how} line`);
    }
  });

  it('streams the same bytes to a file, gzip-compressed when asked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowlog-generate-'));
    try {
      const options = { kind: 'tgw' as const, bytes: 100_000, seed: 8, malformedRate: 0.01 };
      await writeFile(path.join(dir, 'a.log'), options);
      await writeFile(path.join(dir, 'a.log.gz'), { ...options, gzip: true });
      const expected = generate(options);
      assert.equal(readFileSync(path.join(dir, 'a.log'), 'utf8'), expected);
      assert.equal(gunzipSync(readFileSync(path.join(dir, 'a.log.gz'))).toString('utf8'), expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads sizes with binary units', () => {
    assert.equal(parseSize('1g'), 1024 ** 3);
    assert.equal(parseSize('50m'), 50 * 1024 ** 2);
    assert.equal(parseSize('512K'), 512 * 1024);
    assert.equal(parseSize('1000'), 1000);
    assert.throws(() => parseSize('lots'), /not a size/);
  });
});

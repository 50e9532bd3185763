/** The CLI's pure parts on plain values: arguments, progress, top-k, SARIF URIs, JSON values. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseArgs } from '../../server/src/cli/args';
import { progressLine, PROGRESS_MIN_BYTES, wantsProgress } from '../../server/src/cli/progress';
import { artifactUri } from '../../server/src/cli/sarif';
import { statsJson } from '../../server/src/cli/statsCommand';
import { FlowStats } from '../../server/src/cli/stats';
import { TopK } from '../../server/src/cli/topk';
import { FlowLogStream } from '../../server/src/service/stream';

describe('arguments', () => {
  it('options with = or a separate value, repeatable --rule, - and -- for files', () => {
    const result = parseArgs(['lint', '--format=json', '--rule', 'a=off', '--rule=b=hint', '-', '--', '--odd-name.log', 'x.log']);
    assert.equal(result.kind, 'run');
    if (result.kind !== 'run') return;
    assert.equal(result.args.values.get('format'), 'json');
    assert.deepEqual(result.args.lists.get('rule'), ['a=off', 'b=hint']);
    assert.deepEqual(result.args.files, ['-', '--odd-name.log', 'x.log']);
  });

  it('help, version and usage errors', () => {
    assert.deepEqual(parseArgs([]), { kind: 'help' });
    assert.deepEqual(parseArgs(['stats', '-h']), { kind: 'help', command: 'stats' });
    assert.deepEqual(parseArgs(['help', 'parse']), { kind: 'help', command: 'parse' });
    assert.deepEqual(parseArgs(['-v']), { kind: 'version' });
    assert.equal(parseArgs(['parse', '--format', 'json']).kind, 'usage');
    assert.equal(parseArgs(['lint', '--no-progress=1']).kind, 'usage');
  });
});

describe('progress', () => {
  it('only on a terminal, only for large inputs, never when turned off', () => {
    assert.equal(wantsProgress(true, PROGRESS_MIN_BYTES, false), true);
    assert.equal(wantsProgress(false, PROGRESS_MIN_BYTES * 10, false), false);
    assert.equal(wantsProgress(undefined, PROGRESS_MIN_BYTES * 10, false), false);
    assert.equal(wantsProgress(true, PROGRESS_MIN_BYTES - 1, false), false);
    assert.equal(wantsProgress(true, undefined, false), false);
    assert.equal(wantsProgress(true, PROGRESS_MIN_BYTES, true), false);
  });

  it('a bar with share, amounts and rate that fits the terminal', () => {
    const line = progressLine('flowlog lint big.log', 512 * 1024 * 1024, 1024 * 1024 * 1024, 2000, 100);
    assert.match(line, /^flowlog lint big\.log \[#+-+\] 50% 512 MiB \/ 1 GiB 256 MiB\/s$/);
    assert.ok(line.length < 100);
    assert.ok(progressLine('x'.repeat(200), 1, 2, 1, 60).length < 60);
  });
});

describe('top talkers (Space-Saving)', () => {
  it('exact while the keys fit', () => {
    const top = new TopK(4);
    for (const [key, weight] of [['a', 5], ['b', 1], ['a', 5], ['c', 7], ['d', 2]] as const) top.add(key, weight);
    assert.equal(top.approximate, false);
    assert.deepEqual(top.top(2), [{ key: 'a', weight: 10, error: 0 }, { key: 'c', weight: 7, error: 0 }]);
  });

  it('keeps every heavy key among many light ones, with a bounded over-estimate', () => {
    const top = new TopK(50);
    const truth = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < 20000; i++) {
      const heavy = i % 10 === 0;
      const key = heavy ? `heavy${i % 30}` : `light${i}`;
      const weight = heavy ? 100 : 1;
      top.add(key, weight);
      truth.set(key, (truth.get(key) ?? 0) + weight);
      total += weight;
    }
    assert.equal(top.approximate, true);
    const found = top.top(3);
    assert.deepEqual(found.map((e) => e.key).sort(), ['heavy0', 'heavy10', 'heavy20']);
    for (const entry of found) {
      const actual = truth.get(entry.key) as number;
      assert.ok(entry.weight >= actual && entry.weight - entry.error <= actual, JSON.stringify(entry));
      assert.ok(entry.error <= total / 50);
    }
  });
});

describe('output details', () => {
  it('SARIF artifact URIs: relative, forward slashes, percent-encoded', () => {
    const cwd = path.join(path.sep, 'repo');
    assert.equal(artifactUri(path.join(cwd, 'logs', 'a b#1.log'), cwd), 'logs/a%20b%231.log');
    assert.equal(artifactUri('logs/x.log', cwd), 'logs/x.log');
    assert.equal(artifactUri('-', cwd), 'stdin');
  });

  it('stats JSON writes totals past 2^53 exactly', () => {
    const stats = new FlowStats();
    const stream = new FlowLogStream({ record: (r, wellFormed) => wellFormed && stats.add(r) }, { parse: true, validate: false, explicitFormat: 'default' });
    for (const bytes of ['9007199254740993', '9007199254740993', '10']) stream.push(`2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443 80 6 1 ${bytes} 1418530010 1418530070 ACCEPT OK\n`);
    stream.end();
    assert.match(statsJson(stats.summary()), /"bytes": 18014398509481996,/);
  });
});

/** The CLI's pure parts on plain values: arguments, progress, top-k, SARIF URIs, JSON values. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseArgs } from '../../server/src/cli/args';
import { progressLine, PROGRESS_MIN_BYTES, wantsProgress } from '../../server/src/cli/progress';
import { artifactUri } from '../../server/src/cli/sarif';
import { durationSeconds } from '../../server/src/cli/statsCommand';
import { summarizeText } from '../../server/src/service/summary/summaryStream';

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

describe('output details', () => {
  it('SARIF artifact URIs: relative, forward slashes, percent-encoded', () => {
    const cwd = path.join(path.sep, 'repo');
    assert.equal(artifactUri(path.join(cwd, 'logs', 'a b#1.log'), cwd), 'logs/a%20b%231.log');
    assert.equal(artifactUri('logs/x.log', cwd), 'logs/x.log');
    assert.equal(artifactUri('-', cwd), 'stdin');
  });

  it('stats totals stay exact past 2^53 (written as decimal strings)', () => {
    const text = ['9007199254740993', '9007199254740993', '10'].map((bytes) => `2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443 80 6 1 ${bytes} 1418530010 1418530070 ACCEPT OK\n`).join('');
    const report = summarizeText(text, {}, 'default');
    assert.equal(report.totals.bytesByAction.accept, '18014398509481996');
    assert.equal(report.totals.records, 3);
  });

  it('stats --interval durations', () => {
    assert.deepEqual(['30s', '5m', '1h', '2d', '90'].map(durationSeconds), [30, 300, 3600, 172800, 90]);
    for (const bad of ['0', '5x', '-1m', '1.5h', '']) assert.throws(() => durationSeconds(bad), /--interval: expected a duration/);
  });
});

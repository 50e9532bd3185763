/**
 * `npm test`'s closing line counts tests only: set-up, build, typecheck and lint are checks, and a
 * suite that skipped itself (desktop e2e without VS Code) is reported as skipped, not passed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations.
import { summarise } from '../../scripts/test-summary.mjs';

type Result = { step: { name: string; counter?: string }; ok: boolean; seconds: number; passed: number; failed: number; skipped?: number };

const check = (name: string, ok = true): Result => ({ step: { name }, ok, seconds: 1, passed: 0, failed: 0 });
const suite = (name: string, passed: number, failed = 0, skipped = 0, ok = failed === 0): Result => ({ step: { name, counter: 'node' }, ok, seconds: 1, passed, failed, skipped });

describe('npm test summary', () => {
  it('counts the tests of suites, not the set-up, build, typecheck and lint steps', () => {
    const results = [check('set-up'), check('build'), check('typecheck'), check('lint'), suite('unit', 300), suite('cli', 40)];
    const summary = summarise(results, results.length);
    assert.equal(summary.lines.at(-1), 'tests: 340 passed, 0 failed');
    assert.equal(summary.exitCode, 0);
  });

  it('reports a suite that skipped itself as skipped, not passed', () => {
    const results = [check('build'), suite('unit', 10), { ...suite('e2e (VS Code desktop)', 0, 0, 13), step: { name: 'e2e (VS Code desktop)', counter: 'mocha' } }];
    const summary = summarise(results, results.length);
    assert.equal(summary.lines.at(-1), 'tests: 10 passed, 0 failed, 13 skipped');
    assert.match(summary.lines[2], /^ok {3}e2e \(VS Code desktop\) +1\.0 s {2}13 skipped$/);
    assert.equal(summary.exitCode, 0);
  });

  it('a failing check is named, not counted as a test, and fails the run', () => {
    const results = [check('build'), check('lint', false), suite('unit', 10)];
    const summary = summarise(results, results.length);
    assert.deepEqual(summary.lines.slice(-2), ['checks failed (not tests): lint', 'tests: 10 passed, 0 failed']);
    assert.equal(summary.exitCode, 1);
  });

  it('a suite that crashed without a count is one failure; steps not run fail the run', () => {
    const summary = summarise([check('build'), suite('lsp', 0, 0, 0, false)], 5);
    assert.deepEqual(summary.lines.slice(-2), ['(3 steps not run after a required step failed)', 'tests: 0 passed, 1 failed']);
    assert.equal(summary.exitCode, 1);
  });
});

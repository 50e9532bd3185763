#!/usr/bin/env node
/**
 * `npm test`: set-up, build, static checks and every test suite, in order from fastest to
 * slowest. Every step runs even when an earlier one failed, so one run shows all failures; the
 * closing line adds up the tests of all suites as `tests: N passed, N failed`.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
/** Node 20's test runner does not expand globs, and no shell runs here: list the files. */
const testFiles = (folder) => readdirSync(join(root, folder)).filter((name) => name.endsWith('.test.ts')).map((name) => join(folder, name));
const nodeTest = (folder) => [node, '--import', 'tsx', '--test', '--test-reporter=spec', ...testFiles(folder)];

/** Steps: name, command, and whether the rest can run without it. */
const STEPS = [
  { name: 'set-up', command: [node, 'scripts/setup.mjs', '--browser'], required: true },
  { name: 'build', command: [node, 'scripts/build.mjs'], required: true },
  { name: 'typecheck', command: [node, 'node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'] },
  { name: 'lint', command: [node, 'node_modules/eslint/bin/eslint.js', '.'] },
  { name: 'unit', command: nodeTest('test/unit') },
  { name: 'property', command: nodeTest('test/property') },
  { name: 'grammar', command: [node, 'scripts/test-grammar.mjs'] },
  { name: 'cli', command: nodeTest('test/cli'), env: { FLOWLOG_CLI: 'dist/cli.js' } },
  { name: 'lsp', command: nodeTest('test/lsp') },
  { name: 'e2e (VS Code web)', command: ['npm', 'run', '--silent', 'test:e2e'] },
  { name: 'e2e (VS Code desktop)', command: ['npm', 'run', '--silent', 'test:e2e:desktop'] },
];

/** Test counts a step printed: node's spec reporter, mocha, the grammar runner. */
function countTests(output) {
  const number = (pattern) => [...output.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
  const passed = number(/^ℹ pass (\d+)$/gm) + number(/^\s*(\d+) passing/gm) + (output.match(/^✓ .* run successfuly\.$/gm) ?? []).length;
  const failed = number(/^ℹ fail (\d+)$/gm) + number(/^\s*(\d+) failing/gm) + (output.match(/^✖ /gm) ?? []).length;
  return { passed, failed };
}

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    const child = spawn(step.command[0], step.command.slice(1), {
      cwd: root,
      env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ...step.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const relay = (target) => (chunk) => {
      output += chunk;
      target.write(chunk);
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('close', (code) => resolve({ ok: code === 0, seconds: (Date.now() - started) / 1000, ...countTests(output) }));
  });
}

const results = [];
for (const step of STEPS) {
  console.log(`\n=== ${step.name} ===`);
  const result = await run(step);
  results.push({ step, ...result });
  if (!result.ok && step.required) break;
}

console.log('\n=== summary ===');
let passed = 0;
let failed = 0;
for (const { step, ok, seconds, passed: p, failed: f } of results) {
  const counts = p + f > 0 ? `${p} passed, ${f} failed` : '';
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${step.name.padEnd(24)} ${seconds.toFixed(1).padStart(6)} s  ${counts}`);
  passed += p > 0 || f > 0 ? p : ok ? 1 : 0;
  failed += p > 0 || f > 0 ? (ok ? f : Math.max(1, f)) : ok ? 0 : 1;
}
const skipped = STEPS.length - results.length;
if (skipped > 0) console.log(`(${skipped} steps not run after a required step failed)`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || skipped > 0 ? 1 : 0);

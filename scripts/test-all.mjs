#!/usr/bin/env node
/**
 * `npm test`: set-up, build, static checks and every test suite, in order from fastest to
 * slowest. Every step runs even when an earlier one failed, so one run shows all failures; the
 * closing line adds up the tests of all suites as `tests: N passed, N failed` (`, N skipped` when
 * some were skipped). Set-up, build, typecheck and lint are checks, not tests: they are not
 * counted, and a failing one is named on its own line above (the exit status is then 1). A suite
 * that skips itself (desktop e2e without VS Code) counts its tests as skipped, not passed.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarise } from './test-summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
/** Node 20's test runner does not expand globs, and no shell runs here: list the files. */
const testFiles = (folder) => readdirSync(join(root, folder)).filter((name) => name.endsWith('.test.ts')).map((name) => join(folder, name));
const nodeTest = (folder) => [node, '--import', 'tsx', '--test', '--test-reporter=spec', ...testFiles(folder)];

/** Steps: name, command, and whether the rest can run without it. */
const PROPERTY_TALLY = join(tmpdir(), `flowlog-property-cases-${process.pid}.tsv`);

/** Total property cases run, from the tally file the property step wrote. */
function propertyCases() {
  try {
    const rows = readFileSync(PROPERTY_TALLY, 'utf8').trim().split('\n').filter(Boolean);
    rmSync(PROPERTY_TALLY, { force: true });
    return { properties: rows.length, cases: rows.reduce((total, row) => total + Number(row.split('\t')[1] ?? 0), 0) };
  } catch {
    return undefined;
  }
}

const STEPS = [
  { name: 'set-up', command: [node, 'scripts/setup.mjs', '--browser'], required: true },
  { name: 'build', command: [node, 'scripts/build.mjs'], required: true },
  { name: 'typecheck', command: [node, 'node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'] },
  // The summary renderer runs in a page: its own project with the DOM library.
  { name: 'typecheck (summary view)', command: [node, 'node_modules/typescript/bin/tsc', '--noEmit', '-p', 'client/summary'] },
  { name: 'lint', command: [node, 'node_modules/eslint/bin/eslint.js', '.'] },
  { name: 'unit', command: nodeTest('test/unit'), counter: 'node' },
  // The cases each property ran are tallied in a file, and their total is printed in the summary.
  { name: 'property', command: nodeTest('test/property'), counter: 'node', env: { FLOWLOG_FUZZ_TALLY: PROPERTY_TALLY } },
  { name: 'grammar', command: [node, 'scripts/test-grammar.mjs'], counter: 'grammar' },
  { name: 'cli', command: nodeTest('test/cli'), env: { FLOWLOG_CLI: 'dist/cli.js' }, counter: 'node' },
  { name: 'lsp', command: nodeTest('test/lsp'), counter: 'node' },
  // The large hostile documents of issue 16, too large for unit tests, against the built server.
  { name: 'hostile documents', command: [node, '--import', 'tsx', 'bench/run.ts', 'hostile'] },
  { name: 'e2e (VS Code web)', command: ['npm', 'run', '--silent', 'test:e2e'], counter: 'mocha' },
  { name: 'e2e (VS Code desktop)', command: ['npm', 'run', '--silent', 'test:e2e:desktop'], counter: 'mocha', skippedWhen: /^desktop VS Code e2e: skipped/m, plannedTests: () => countTests('test/e2e/suite') },
];

/** Tests a mocha suite declares (`test(…)` calls), for a suite that skipped itself. */
function countTests(folder) {
  return testFiles(folder).reduce((total, file) => total + (readFileSync(join(root, file), 'utf8').match(/^\s*test\(/gm) ?? []).length, 0);
}

/** Test counts a step printed, read the way its runner reports them. */
const COUNTERS = {
  // node --test with the spec reporter; its `✖` lines also list todo tests, so only the totals count.
  node: (output) => ({ passed: sum(output, /^ℹ pass (\d+)$/gm), failed: sum(output, /^ℹ fail (\d+)$/gm), skipped: sum(output, /^ℹ skipped (\d+)$/gm) }),
  mocha: (output) => ({ passed: sum(output, /^\s*(\d+) passing/gm), failed: sum(output, /^\s*(\d+) failing/gm) }),
  grammar: (output) => ({ passed: (output.match(/^✓ .* run successfuly\.$/gm) ?? []).length, failed: (output.match(/^✖ /gm) ?? []).length }),
  none: () => ({ passed: 0, failed: 0 }),
};

function sum(output, pattern) {
  return [...output.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
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
    child.on('close', (code) => {
      const counts = { skipped: 0, ...COUNTERS[step.counter ?? 'none'](output) };
      if (step.skippedWhen?.test(output)) counts.skipped += step.plannedTests();
      resolve({ ok: code === 0, seconds: (Date.now() - started) / 1000, ...counts });
    });
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
const summary = summarise(results, STEPS.length);
for (const line of summary.lines) console.log(line);
const tally = propertyCases();
if (tally) console.log(`property cases: ${tally.cases.toLocaleString('en-US')} in ${tally.properties} properties`);
process.exit(summary.exitCode);

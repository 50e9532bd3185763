#!/usr/bin/env node
// The long fuzz run: the property tests of test/property with many more cases and a random seed.
//
//   node scripts/fuzz.mjs [--runs N] [--seed S] [test/property/x.test.ts ...]
//
// Prints the seed first; a failure is replayed with the same --seed and --runs (or with
// FLOWLOG_FUZZ_SEED and FLOWLOG_FUZZ_RUNS set for `npm run test:property`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/fuzz.mjs [--runs N] [--seed S] [test/property/x.test.ts ...]';

let runs = 10000;
let seed = Math.floor(Math.random() * 0x7fffffff);
const files = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--runs' || arg === '--seed') {
    const value = Number(args[++i]);
    if (!Number.isSafeInteger(value) || (arg === '--runs' && value < 1)) {
      console.error(`fuzz: ${arg} needs an integer${arg === '--runs' ? ' of at least 1' : ''}\n${usage}`);
      process.exit(2);
    }
    if (arg === '--runs') runs = value;
    else seed = value;
  } else if (arg === '--help' || arg === '-h') {
    console.log(usage);
    process.exit(0);
  } else if (arg.startsWith('-')) {
    console.error(`fuzz: unknown option ${arg}\n${usage}`);
    process.exit(2);
  } else {
    files.push(arg);
  }
}
if (files.length === 0) {
  const dir = path.join(root, 'test', 'property');
  for (const file of readdirSync(dir).sort()) if (file.endsWith('.test.ts')) files.push(path.join('test', 'property', file));
}

console.log(`fuzz: seed ${seed}, ${runs} cases per property, ${files.length} files`);
console.log(`fuzz: replay with  node scripts/fuzz.mjs --seed ${seed} --runs ${runs}`);
const started = Date.now();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FLOWLOG_FUZZ_SEED: String(seed), FLOWLOG_FUZZ_RUNS: String(runs) },
});
const minutes = ((Date.now() - started) / 60000).toFixed(1);
if (result.error) {
  console.error(`fuzz: could not start node: ${result.error.message}`);
  process.exit(2);
}
console.log(`fuzz: ${result.status === 0 ? 'passed' : 'FAILED'} in ${minutes} min (seed ${seed}, ${runs} cases per property)`);
process.exit(result.status ?? 1);

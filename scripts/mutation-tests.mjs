#!/usr/bin/env node
/**
 * The test command Stryker runs for every mutant (`npm run mutate`, see stryker.config.mjs).
 * Runs with `node --import tsx --test-reporter=./scripts/mutation-bail-reporter.mjs`.
 *
 * Stryker's command runner starts one process per mutant and only reads its exit status, so
 * the cost of a mutant is the cost of this command. Three things keep it low:
 * - every test file is imported into this one process (`node --test` would start a process and
 *   a TypeScript loader per file);
 * - the bail reporter exits at the first failing test, so a killed mutant stops early;
 * - the test files that import a mutated module directly run first. Stryker writes its mutants
 *   into the sandbox's copy of the sources, marked with its `stryMutAct_` helper, so the
 *   mutated modules are found by reading them.
 *
 * Test files: the unit and property suites (property tests with FLOWLOG_FUZZ_RUNS cases, 25 by
 * default here), without check-security.test.ts, which scans the source text and tests the
 * scanner, not the catalog or service. FLOWLOG_MUTATION_TESTS=a.test.ts,b.test.ts (paths from
 * the repository root) runs only those files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = ['test/unit', 'test/property'];
const EXCLUDED = new Set(['test/unit/check-security.test.ts']);
const MUTATED_FOLDERS = ['server/src/catalog', 'server/src/service'];
const STRYKER_MARKER = 'stryMutAct_9fa48';

process.env.FLOWLOG_FUZZ_RUNS ??= '25';

function testFiles() {
  const chosen = process.env.FLOWLOG_MUTATION_TESTS;
  if (chosen) return chosen.split(',').map((file) => file.trim()).filter(Boolean);
  return SUITES.flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((name) => name.endsWith('.test.ts'))
      .sort()
      .map((name) => `${folder}/${name}`),
  ).filter((file) => !EXCLUDED.has(file));
}

/** Module names (`service/infer`) of the sandbox's sources that hold Stryker's mutants. */
function mutatedModules() {
  const modules = [];
  for (const folder of MUTATED_FOLDERS) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.ts') && readFileSync(join(dir, name), 'utf8').includes(STRYKER_MARKER)) {
        modules.push(`${basename(folder)}/${name.slice(0, -3)}`);
      }
    }
  }
  return modules;
}

/** Files that import a mutated module directly come first; otherwise the order is kept. */
function byRelevance(files, modules) {
  if (modules.length === 0) return files;
  const relevant = (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    return modules.some((module) => source.includes(`/${module}'`) || source.includes(`/${module}"`));
  };
  const first = files.filter(relevant);
  return [...first, ...files.filter((file) => !first.includes(file))];
}

const files = byRelevance(testFiles(), mutatedModules());
if (process.env.FLOWLOG_MUTATION_VERBOSE) console.error(`mutation tests: ${files.map((file) => relative(root, join(root, file))).join(' ')}`);
for (const file of files) await import(pathToFileURL(join(root, file)).href);

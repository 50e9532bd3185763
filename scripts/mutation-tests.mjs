#!/usr/bin/env node
/**
 * Builds the test program Stryker runs for every mutant (`npm run mutate`, stryker.config.mjs):
 * Stryker calls it as its build command in the sandbox, after writing the mutants into the
 * sandbox's sources, and then runs
 *   node --test-reporter=./scripts/mutation-bail-reporter.mjs .mutation/tests.cjs
 * once per mutant (the mutant is chosen by an environment variable, so one build serves all).
 *
 * Stryker's command runner starts one process per mutant and only reads its exit status, so
 * the cost of a mutant is the cost of that command. Three things keep it low:
 * - every test file is bundled with esbuild into one CommonJS file: no TypeScript loader and no
 *   process per test file (on the loaded 2-core machine: 0.7 s instead of 2.3 s for one file);
 * - the bail reporter exits at the first failing test, so a killed mutant stops early;
 * - the test files that import a mutated module directly run first. Stryker marks its mutants
 *   with its `stryMutAct_` helper, so the mutated modules are found by reading the sources.
 *
 * Test files: the unit and property suites (property tests with FLOWLOG_FUZZ_RUNS cases, 25 by
 * default here), without check-security.test.ts, which scans the source text and tests the
 * scanner, not the catalog or service. FLOWLOG_MUTATION_TESTS=a.test.ts,b.test.ts (paths from
 * the repository root) builds only those files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(root, '.mutation');
const SUITES = ['test/unit', 'test/property'];
const EXCLUDED = new Set(['test/unit/check-security.test.ts']);
const MUTATED_FOLDERS = ['server/src/catalog', 'server/src/service'];
const STRYKER_MARKER = 'stryMutAct_9fa48';
const FUZZ_RUNS = process.env.FLOWLOG_FUZZ_RUNS ?? '25';

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

/** Module names (`service/infer`) of the sources that hold Stryker's mutants. */
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

/** Tests find their fixtures from `__dirname`; in one bundle it must stay each file's own folder. */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8').replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path)));
      return { contents: source, loader: 'ts' };
    });
  },
};

const modules = mutatedModules();
const files = byRelevance(testFiles(), modules);
mkdirSync(OUT_DIR, { recursive: true });
const entry = join(OUT_DIR, 'entry.cjs');
writeFileSync(entry, [
  `process.env.FLOWLOG_FUZZ_RUNS ??= ${JSON.stringify(FUZZ_RUNS)};`,
  ...files.map((file) => `require(${JSON.stringify(join(root, file))});`),
].join('\n'));
await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outfile: join(OUT_DIR, 'tests.cjs'),
  plugins: [ownDirname],
  logLevel: 'error',
});
console.log(`mutation tests: ${files.length} files in .mutation/tests.cjs${modules.length > 0 ? `, first those importing ${modules.join(', ')}` : ''}`);

#!/usr/bin/env node
/**
 * `npm run mutate`: Stryker mutation testing of server/src/catalog and server/src/service with
 * the settings in stryker.config.mjs. Options are Stryker's own, e.g.
 *   npm run mutate -- --mutate server/src/service/infer.ts
 *   npm run mutate -- --mutate server/src/service/infer.ts,server/src/service/format.ts --concurrency 2
 *   npm run mutate -- --incremental
 * FLOWLOG_MUTATION_TESTS (scripts/mutation-tests.mjs) narrows the tests run for each mutant.
 *
 * Why not the `stryker` command: StrykerJS 10 refuses to start on Node.js < 22 (a check in its
 * command-line entry only), and this project's engines and CI are Node 20. Its programmatic
 * entry has no such check and runs the same mutation test here; RELIABILITY.md says so.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Options that take a list (comma-separated, or repeated). */
const LIST_OPTIONS = new Set(['mutate', 'reporters', 'ignorePatterns']);

/** `--name value`, `--flag`, and `--group.name value` for nested options such as jsonReporter.fileName. */
function parseOptions(args) {
  const options = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new Error(`mutate: unexpected argument '${arg}' (options look like --mutate <files>)`);
    const path = arg.slice(2).split('.');
    const name = path.pop();
    let target = options;
    for (const key of path) target = target[key] ??= {};
    const next = args[i + 1];
    if (next === undefined || next.startsWith('--')) {
      target[name] = true;
      continue;
    }
    i++;
    if (LIST_OPTIONS.has(name)) target[name] = [...(target[name] ?? []), ...next.split(',').filter(Boolean)];
    else if (/^\d+(\.\d+)?$/.test(next)) target[name] = Number(next);
    else if (next === 'true' || next === 'false') target[name] = next === 'true';
    else target[name] = next;
  }
  return options;
}

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const manifest = fileURLToPath(import.meta.resolve('@stryker-mutator/core/package.json'));
const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
const { Stryker } = await import(pathToFileURL(join(dirname(manifest), 'dist/src/stryker.js')).href);
console.log(`mutate: StrykerJS ${version} on Node.js ${process.version}`);
const results = await new Stryker(options).runMutationTest();
console.log(`mutate: ${results.length} mutants`);

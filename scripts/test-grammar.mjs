#!/usr/bin/env node
// Runs the TextMate grammar tests: vscode-tmgrammar-test over test/grammar/*.flowlog with
// syntaxes/flowlog.tmLanguage.json. Exits non-zero when any assertion fails.
//
// The grammar is passed with -g and --config points at an empty temporary file, so the test does
// not depend on what package.json contributes (other grammars, paths) at the time it runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const grammar = join('syntaxes', 'flowlog.tmLanguage.json');
const cases = 'test/grammar/*.flowlog';

if (!readdirSync(join(root, 'test', 'grammar')).some((f) => f.endsWith('.flowlog'))) {
  console.error(`test-grammar: no test cases match ${cases}`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('vscode-tmgrammar-test/package.json'));
const cli = join(pkgDir, require('vscode-tmgrammar-test/package.json').bin['vscode-tmgrammar-test']);

const tmp = mkdtempSync(join(tmpdir(), 'flowlog-grammar-'));
const config = join(tmp, 'package.json');
writeFileSync(config, '{}\n');

let status = 1;
try {
  const args = [cli, '--config', config, '-g', grammar, ...process.argv.slice(2), cases];
  const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (res.error) console.error(res.error);
  status = res.status ?? 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(status === 0 ? 0 : 1);

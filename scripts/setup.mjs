#!/usr/bin/env node
/**
 * One-step set-up for `npm start` and `npm test` on a fresh clone: installs npm packages when
 * node_modules is missing or older than package-lock.json, and with --browser makes sure
 * Debian's Chromium is there for the VS Code web build (apt-get, as root or through sudo).
 * Never downloads a browser from anywhere else.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', DEBIAN_FRONTEND: 'noninteractive' };

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`setup: '${command} ${args.join(' ')}' failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

function packagesStale() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  return statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs;
}

/** `npm ci` empties node_modules first: through a symlink that would wipe a tree other checkouts share. */
function packagesLinked() {
  const modules = join(root, 'node_modules');
  return existsSync(modules) && lstatSync(modules).isSymbolicLink();
}

if (packagesStale()) {
  if (packagesLinked()) {
    console.log('setup: node_modules is a link to a shared install; not reinstalling it (run npm ci where it lives if packages changed)');
  } else {
    console.log('setup: installing npm packages…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (process.argv.includes('--browser') && !existsSync(chromium)) {
  const isRoot = process.getuid?.() === 0;
  let sudo = false;
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    sudo = true;
  } catch {
    // No password-less sudo.
  }
  if (!isRoot && !sudo) {
    console.error("setup: Debian's chromium is needed for the end-to-end tests: run 'sudo apt-get install -y chromium'");
    process.exit(1);
  }
  const aptGet = (args) => (isRoot ? run('apt-get', args) : run('sudo', ['apt-get', ...args]));
  console.log("setup: installing Debian's chromium…");
  aptGet(['update', '-qq']);
  aptGet(['install', '-y', '-qq', 'chromium']);
}

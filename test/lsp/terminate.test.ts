/**
 * Killing a hung server (issue 16, item 8). When a server does not exit after the stop request,
 * vscode-languageclient/node runs `terminateProcess.sh <pid>` from the directory of its own code,
 * which in the bundle is dist/ (next to dist/client-node.js). These tests run that kill path for
 * real: the library's own `terminate` function, loaded as if it were bundled in dist/, against a
 * process tree that ignores SIGTERM; and they check the script goes into the .vsix.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

type Terminate = (child: { pid: number }) => boolean;

/** vscode-languageclient's `terminate`, compiled with `__dirname` = dist/ as the bundled client has it. */
function bundledTerminate(): Terminate {
  const source = readFileSync(require.resolve('vscode-languageclient/lib/node/processes.js'), 'utf8');
  const filename = join(dist, 'processes-as-bundled.js');
  const Module = require('node:module') as { new (id: string): { filename: string; paths: string[]; exports: { terminate: Terminate }; _compile(code: string, file: string): void } };
  const module = new Module(filename);
  module.filename = filename;
  module.paths = [join(root, 'node_modules')];
  module._compile(source, filename);
  return module.exports.terminate;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A "hung server": ignores SIGTERM, busy, and has a child of its own; resolves with both pids. */
async function hungTree(): Promise<{ parent: number; child: number }> {
  const script = `
    process.on('SIGTERM', () => {});
    const child = require('node:child_process').spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
    process.stdout.write(String(child.pid) + '\\n');
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const childPid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    parent.once('error', reject);
  });
  parent.stdout.destroy();
  parent.unref();
  return { parent: parent.pid as number, child: childPid };
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100 && alive(pid); attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
  return !alive(pid);
}

describe('killing a hung server the way the bundled client does', { skip: process.platform === 'win32' ? 'taskkill is used on Windows' : false }, () => {
  it('the bundled client looks for terminateProcess.sh next to itself, and the build puts it there, executable', () => {
    assert.match(readFileSync(join(dist, 'client-node.js'), 'utf8'), /join\)\(__dirname, "terminateProcess\.sh"\)/);
    accessSync(join(dist, 'terminateProcess.sh'), constants.X_OK);
  });

  it('terminate() from dist/ kills a process tree that ignores SIGTERM', async () => {
    const { parent, child } = await hungTree();
    try {
      process.kill(parent, 'SIGTERM');
      assert.ok(alive(parent) && alive(child), 'the tree ignores SIGTERM, like a hung server');
      assert.equal(bundledTerminate()({ pid: parent }), true, 'terminate() ran the script');
      assert.ok(await waitUntilGone(parent), 'the server process is gone');
      assert.ok(await waitUntilGone(child), 'and so is its child');
    } finally {
      for (const pid of [parent, child]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('the script is packaged in the .vsix', () => {
    const files = execFileSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
    assert.ok(files.split('\n').includes('dist/terminateProcess.sh'), files);
  });
});

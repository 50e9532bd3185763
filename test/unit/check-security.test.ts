/**
 * scripts/check-security.mjs: passes on this repository, and fails on small trees that each
 * break one rule (eval, network, child_process outside the CLI, eval in a bundle, a webview
 * without a strict CSP, missing or untruthful capabilities), without tripping on comments.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'check-security.mjs');

interface Finding {
  severity: 'error' | 'warning';
  rule: string;
  at: string;
  message: string;
}

function run(root: string): { status: number | null; findings: Finding[] } {
  const result = spawnSync(process.execPath, [SCRIPT, '--root', root, '--json'], { encoding: 'utf8' });
  assert.equal(result.stderr, '');
  return { status: result.status, findings: (JSON.parse(result.stdout) as { findings: Finding[] }).findings };
}

const MANIFEST = {
  name: 'fixture',
  capabilities: { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true },
  contributes: { configuration: { properties: { 'fixture.maxProblems': { type: 'number' } } } },
};

const temporary: string[] = [];
after(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A tree with a clean manifest and sources, plus `files` (path → content; a manifest object replaces package.json). */
function tree(files: Record<string, string | object> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'flowlog-security-'));
  temporary.push(root);
  const all: Record<string, string | object> = {
    'package.json': MANIFEST,
    'server/src/service/ok.ts': "export const ok = (text: string): number => text.split(' ').length;\n",
    'client/src/ok.ts': "import * as vscode from 'vscode';\nexport const read = (uri: vscode.Uri) => vscode.workspace.fs.readFile(uri);\n",
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

function errors(root: string): string[] {
  const { status, findings } = run(root);
  const found = findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.at}`);
  assert.equal(status, found.length > 0 ? 1 : 0, 'exit code follows the errors');
  return found;
}

describe('check-security', () => {
  it('passes on this repository', () => {
    const { status, findings } = run(ROOT);
    assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
    assert.equal(status, 0);
  });

  it('passes on a clean tree, and comments that mention eval or fetch do not count', () => {
    const root = tree({
      'server/src/service/notes.ts': "// never eval( or fetch( here\n/* new Function( is banned\n   and so is fetch( */\n/**\n * eval(x)\n */\nexport const url = 'http://example.com/a//b'; // fetch(url) would be wrong\n",
    });
    assert.deepEqual(errors(root), []);
  });

  it('finds eval, new Function and string timers in our sources', () => {
    const root = tree({
      'server/src/service/bad.ts': 'export const run = (code: string): unknown => eval(code);\n',
      'client/src/bad.ts': "export const make = new Function('a', 'return a');\nsetTimeout('go()', 1);\n",
    });
    assert.deepEqual(errors(root).sort(), ['dynamic-code client/src/bad.ts:1', 'dynamic-code client/src/bad.ts:2', 'dynamic-code server/src/service/bad.ts:1']);
  });

  it('finds network access: fetch, XMLHttpRequest, http.request, net.connect, WebSocket, Node networking modules', () => {
    const root = tree({
      'client/src/net.ts': [
        "await fetch('https://example.com');",
        'const x = new XMLHttpRequest();',
        "https.request('https://example.com');",
        'net.connect(80);',
        "const ws = new WebSocket('wss://x');",
        "import * as http from 'node:http';",
      ].join('\n'),
    });
    assert.deepEqual(errors(root), [1, 2, 3, 4, 5, 6].map((line) => `network client/src/net.ts:${line}`));
  });

  it('allows node:net in the server entry only (LSP socket and pipe transports), and nothing else there', () => {
    const root = tree({
      'server/src/node.ts': "import { connect, type Socket } from 'node:net';\nimport { request } from 'node:https';\n",
      'server/src/lsp/peer.ts': "import { connect } from 'node:net';\n",
    });
    assert.deepEqual(errors(root), ['network server/src/lsp/peer.ts:1', 'network server/src/node.ts:2']);
  });

  it('allows child_process in the CLI only', () => {
    const root = tree({
      'server/src/cli/pager.ts': "import { spawn } from 'node:child_process';\n",
      'server/src/service/spawn.ts': "import { spawn } from 'child_process';\n",
    });
    assert.deepEqual(errors(root), ['child-process server/src/service/spawn.ts:1']);
  });

  it('reports eval in a bundle with the module it comes from', () => {
    const bundle = ['"use strict";', '', '// node_modules/some-lib/index.js', 'var a = 1;', 'var f = new Function("return this");', '', '// server/src/node.ts', 'var b = 2;'].join('\n');
    const { findings } = run(tree({ 'dist/server-node.js': bundle }));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.at, f.message]),
      [['bundle-dynamic-code', 'dist/server-node.js:5', 'new Function() in node_modules/some-lib/index.js']],
    );
  });

  it('fails on a webview without a Content-Security-Policy, and on a loose one', () => {
    const panel = "const panel = vscode.window.createWebviewPanel('x', 'X', 1, {});\n";
    assert.deepEqual(errors(tree({ 'client/src/view.ts': `${panel}panel.webview.html = '<html><body>hi</body></html>';\n` })), ['webview-csp client/src/view.ts']);
    const loose = `${panel}panel.webview.html = \`<meta http-equiv="Content-Security-Policy" content="default-src *; script-src 'unsafe-inline' 'unsafe-eval'">\`;\n`;
    assert.ok(errors(tree({ 'client/src/view.ts': loose })).length >= 2);
    const scripts = `${panel}panel.webview.options = { enableScripts: true };\npanel.webview.html = \`<meta http-equiv="Content-Security-Policy" content="default-src 'none';">\`;\n`;
    assert.deepEqual(errors(tree({ 'client/src/view.ts': scripts })), ['webview-csp client/src/view.ts']);
  });

  it('passes a webview with a strict policy', () => {
    const strict = `panel.webview.html = \`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src \${panel.webview.cspSource}; script-src 'nonce-\${nonce}';">\`;\n`;
    assert.deepEqual(errors(tree({ 'client/src/view.ts': strict })), []);
  });

  it('fails when package.json does not declare untrusted and virtual workspace support', () => {
    assert.deepEqual(errors(tree({ 'package.json': { name: 'fixture' } })).sort(), ['untrusted-workspaces package.json', 'virtual-workspaces package.json']);
    const limitedWithout = { ...MANIFEST, capabilities: { untrustedWorkspaces: { supported: 'limited' }, virtualWorkspaces: { supported: false } } };
    assert.deepEqual(errors(tree({ 'package.json': limitedWithout })).sort(), ['untrusted-workspaces package.json', 'virtual-workspaces package.json']);
  });

  it('fails when full untrusted support is claimed with a setting that names a program', () => {
    const manifest = { ...MANIFEST, contributes: { configuration: { properties: { 'fixture.server.path': { type: 'string' } } } } };
    assert.deepEqual(errors(tree({ 'package.json': manifest })), ['untrusted-workspaces package.json']);
    const limited = { ...manifest, capabilities: { ...MANIFEST.capabilities, untrustedWorkspaces: { supported: 'limited', description: 'x', restrictedConfigurations: ['fixture.server.path'] } } };
    assert.deepEqual(errors(tree({ 'package.json': limited })), []);
  });

  it('fails when virtual workspace support is claimed but the client reads files with Node fs', () => {
    const root = tree({ 'client/src/files.ts': "import { readFileSync } from 'node:fs';\n" });
    assert.deepEqual(errors(root), ['virtual-workspaces client/src/files.ts:1']);
  });
});

/**
 * The extension as a Marketplace reviewer sees it: a real 128×128 icon, a CHANGELOG, repository,
 * bugs and homepage links, commands offered only where they apply, and a .vsix that holds what
 * the extension runs (both bundles of client and server) and nothing else (no sources, no CLI).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('Marketplace listing', () => {
  it('has a 128×128 PNG icon', () => {
    assert.equal(manifest.icon, 'images/icon.png');
    const png = readFileSync(path.join(ROOT, manifest.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(png.toString('ascii', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  it('has a CHANGELOG with the manifest version, and repository, bugs and homepage links', () => {
    assert.match(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}\\b`, 'm'));
    assert.match(manifest.repository.url, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
    const base = manifest.repository.url.replace(/\.git$/, '');
    assert.equal(manifest.bugs.url, `${base}/issues`);
    assert.equal(manifest.homepage, `${base}#readme`);
    assert.ok(manifest.publisher);
    // The README tells whoever publishes to set them.
    assert.match(readFileSync(path.join(ROOT, 'README.md'), 'utf8'), /set `publisher` in package\.json to your publisher ID, and\s+`repository`, `bugs` and `homepage`/);
  });

  it('offers Set Record Format… and Insert Header Line in the command palette only for a flow log', () => {
    const palette = manifest.contributes.menus.commandPalette as { command: string; when: string }[];
    for (const command of ['flowlog.setFormat', 'flowlog.insertHeader']) {
      assert.equal(palette.find((entry) => entry.command === command)?.when, 'editorLangId == flowlog', command);
    }
  });
});

describe('the .vsix', () => {
  it('holds the bundles, grammar, icon and documents, and no sources or CLI (vsce ls)', () => {
    const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const listed = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const files = listed.stdout.split('\n').filter(Boolean).sort();
    const always = ['CHANGELOG.md', 'LICENSE', 'README.md', 'images/icon.png', 'language-configuration.json', 'package.json', 'syntaxes/flowlog.tmLanguage.json'];
    // terminateProcess.sh: vscode-languageclient runs it from dist/ to kill a hung server. The
    // servers start their pairing threads from dist/ too.
    const bundles = ['dist/client-browser.js', 'dist/client-node.js', 'dist/pairing-worker-browser.js', 'dist/pairing-worker.js', 'dist/server-browser.js', 'dist/server-node.js', 'dist/terminateProcess.sh'];
    // The bundles are there once built (npm test builds before the unit tests).
    const built = bundles.filter((file) => existsSync(path.join(ROOT, file)));
    assert.deepEqual(files, [...always, ...built].sort());
    // The manifest's entries are among them.
    for (const entry of [manifest.main, manifest.browser]) if (existsSync(path.join(ROOT, entry))) assert.ok(files.includes(entry.replace(/^\.\//, '')), entry);
  });
});

describe('the repository stands alone', () => {
  it('its engineering brief and README point at nothing outside it (no /work paths, no issues command)', () => {
    for (const file of ['docs/ENGINEERING-BRIEF.md', 'README.md']) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      assert.doesNotMatch(text, /\/work\/|\.\.\/shared|`issues show/, file);
    }
  });
});

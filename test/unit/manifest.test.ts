/**
 * package.json stays in step with the service: one setting per rule, the semantic token legend
 * and scopes, the firstLine pattern (scripts/gen-manifest.mjs --check), and the entries it names
 * exist.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES_DOCUMENTATION } from '../../server/src/lsp/convert';
import { RULES } from '../../server/src/service/rules';
import { SEMANTIC_TOKEN_TYPES } from '../../server/src/service/semanticTokens';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function check(file: string): number | null {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts/gen-manifest.mjs'), '--check', '--manifest', file], { encoding: 'utf8' }).status;
}

describe('package.json', () => {
  it('is in sync with the rules, layouts and semantic tokens', () => {
    assert.equal(check(path.join(ROOT, 'package.json')), 0, 'run: npm run gen:manifest');
  });

  it('fails the check when a rule setting is missing', () => {
    const copy = structuredClone(manifest);
    delete copy.contributes.configuration.properties['flowlog.rules.field-count'];
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'flowlog-manifest-')), 'package.json');
    writeFileSync(file, JSON.stringify(copy, null, 2) + '\n');
    assert.equal(check(file), 1);
  });

  it('has a setting for every rule with its default severity', () => {
    for (const rule of RULES) assert.equal(manifest.contributes.configuration.properties[`flowlog.rules.${rule.code}`]?.default, rule.severity, rule.code);
    assert.deepEqual(manifest.contributes.semanticTokenTypes.map((t: { id: string }) => t.id), [...SEMANTIC_TOKEN_TYPES]);
  });

  it('links diagnostics to the README of the repository it names', () => {
    assert.equal(RULES_DOCUMENTATION, `${manifest.repository.url.replace(/\.git$/, '')}/blob/main/README.md`);
  });

  it('names files that exist', () => {
    for (const file of [manifest.contributes.grammars[0].path, manifest.contributes.languages[0].configuration]) assert.ok(existsSync(path.join(ROOT, file)), file);
    assert.equal(manifest.main, './dist/client-node.js');
    assert.equal(manifest.browser, './dist/client-browser.js');
    assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
  });

  it('recognises header lines and default-format records by their first line, not prose', () => {
    const firstLine = new RegExp(manifest.contributes.languages[0].firstLine);
    for (const line of [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      'account-id action az-id bytes dstaddr dstport end flow-direction',
      'version resource-type account-id tgw-id tgw-attachment-id',
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
      '2018-09-22T20:28:14.000Z 2 123456789010 eni-1235b8ca123456789 - - - - - - - 1537647990 1537648050 - NODATA',
    ]) assert.ok(firstLine.test(line), line);
    for (const line of ['version control matters', 'start end', '2024-01-01 12:00:00 INFO started', '{"message": "x"}']) assert.ok(!firstLine.test(line), line);
  });
});

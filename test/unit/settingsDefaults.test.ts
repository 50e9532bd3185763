/**
 * The recipe "add a setting" (CONTRIBUTING.md): a non-rule setting the server reads is declared in
 * package.json with the same default the server uses, and package.json declares no server setting
 * the server ignores. (Rule settings are generated from the rules table and checked by
 * manifest.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, readSettings, type FlowLogSettings } from '../../server/src/lsp/settings';

const ROOT = path.resolve(__dirname, '../..');
const properties: Record<string, { default?: unknown }> = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties;
/**
 * Settings only the VS Code client reads (gzip.maxDecompressedMB: client/src/gzip.ts, before the
 * server sees the text; columns.*: client/src/columnAlignment.ts and columnStatus.ts, which ask
 * the server per request).
 */
const CLIENT_ONLY = ['flowlog.autoDetect', 'flowlog.trace.server', 'flowlog.gzip.maxDecompressedMB', 'flowlog.columns.align', 'flowlog.columns.statusBar'];

/** The server's settings as `flowlog.<key>` paths with their values (rules are the severities, checked elsewhere). */
function serverKeys(settings: FlowLogSettings): Map<string, unknown> {
  const keys = new Map<string, unknown>();
  const walk = (value: unknown, prefix: string): void => {
    if (typeof value === 'object' && value !== null && !(value instanceof Map)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, `${prefix}.${key}`);
    } else keys.set(prefix, value);
  };
  const { severities: _severities, ...rest } = settings;
  walk(rest, 'flowlog');
  return keys;
}

describe('setting defaults', () => {
  const declared = Object.keys(properties).filter((key) => !key.startsWith('flowlog.rules.') && !CLIENT_ONLY.includes(key));

  it('package.json declares exactly the settings the server reads', () => {
    assert.deepEqual(declared.sort(), [...serverKeys(DEFAULT_SETTINGS).keys()].sort());
  });

  it("package.json's defaults are the server's defaults", () => {
    const section: Record<string, unknown> = {};
    for (const key of declared) {
      const parts = key.split('.').slice(1);
      let at = section;
      for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
      at[parts[parts.length - 1]] = properties[key].default;
    }
    const { settings, problems } = readSettings(section);
    assert.deepEqual(problems, []);
    assert.deepEqual(serverKeys(settings), serverKeys(DEFAULT_SETTINGS));
  });
});

/**
 * The built server publishes the problem-limit summary with the severity `flowlog.rules` gives it
 * (it used to be always Information), and none when the rule is off.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

const RECORD = '2 123456789012 eni-0123456789abcdef0 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK';
const TEXT = ['x', 'y', 'z'].map((port) => RECORD.replace('443', port)).join('\n');

describe('problem-limit severity in the language server', () => {
  for (const [setting, expected] of [['error', [DiagnosticSeverity.Error]], ['off', []]] as const) {
    it(`with flowlog.rules problem-limit = ${setting}`, async () => {
      const client = await TestClient.start({ pull: true, settings: { maxProblems: 1, rules: { 'problem-limit': setting } } });
      try {
        const uri = 'file:///limit.log';
        await client.open(uri, TEXT);
        const diagnostics = await client.pull(uri);
        assert.equal(diagnostics[0]?.code, 'invalid-port');
        assert.deepEqual(diagnostics.filter((d) => d.code === 'problem-limit').map((d) => d.severity), expected);
      } finally {
        await client.stop();
      }
    });
  }
});

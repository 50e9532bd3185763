/**
 * Issue 16 in the language service: quick fixes that keep a `{"message"}` wrapper valid JSON,
 * whole-document fixes as one replacement edit, the first record line kept across edits, and
 * settings with bounds and one warning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeActions, normalizeSpacingEdits, wholeDocumentEdits } from '../../server/src/service/codeActions';
import { complete } from '../../server/src/service/completion';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { readSettings, settingsWarning, SETTING_LIMITS } from '../../server/src/lsp/settings';
import { applyEdits } from './helpers';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });

describe('quick fixes on hostile lines (issue 16)', () => {
  it('splitting records inside a {"message"} wrapper gives one valid JSON object per record', () => {
    const text = `${HEADER}\n{"timestamp":1,"message":"${SSH} ${SSH} ${SSH}"}\n`;
    const doc = new FlowLogDocument(text);
    const problems = collectProblems(doc);
    assert.deepEqual(problems.map((p) => p.code), ['two-records']);
    const split = codeActions(doc, at(1), problems).find((action) => action.title.startsWith('Split'));
    assert.ok(split);
    const fixed = applyEdits(text, split.edits);
    const lines = fixed.split('\n').slice(1, -1);
    assert.equal(lines.length, 3);
    for (const line of lines) assert.deepEqual(JSON.parse(line), { timestamp: 1, message: SSH });
    assert.deepEqual(collectProblems(new FlowLogDocument(fixed)), []);
  });

  it('normalizing spacing in a document of many records is one edit replacing the changed lines', () => {
    const lines = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? SSH.replace(/ /g, '\t') : SSH));
    const text = `${HEADER}\r\n${lines.join('\r\n')}\r\n`;
    const doc = new FlowLogDocument(text);
    const edits = normalizeSpacingEdits(doc);
    assert.equal(edits.length, 1);
    assert.equal(applyEdits(text, edits), `${HEADER}\r\n${Array(500).fill(SSH).join('\r\n')}\r\n`);
    // Below the limit, one edit per separator as before.
    const few = new FlowLogDocument(`${HEADER}\n${SSH.replace(' ', '\t')}\n`);
    assert.equal(normalizeSpacingEdits(few).length, 1);
    assert.equal(normalizeSpacingEdits(few)[0].range.start.line, 1);
  });

  it('whole-document actions offered lazily carry no edits; resolving makes them', () => {
    const text = `${SSH.replace(/ /g, '\t')}\n${SSH.replace(/ /g, '  ')}\n`;
    const doc = new FlowLogDocument(text);
    const problems = collectProblems(doc);
    const lazy = codeActions(doc, at(0), problems, { wholeDocument: 'lazy' }).filter((action) => action.kind === 'source');
    assert.deepEqual(lazy.map((action) => [action.resolve, action.edits.length]), [['normalize-spacing', 0], ['insert-header', 0]]);
    const eager = codeActions(doc, at(0), problems).filter((action) => action.kind === 'source');
    assert.deepEqual(wholeDocumentEdits(doc, 'normalize-spacing'), eager[0].edits);
    assert.deepEqual(wholeDocumentEdits(doc, 'insert-header'), eager[1].edits);
    assert.deepEqual(codeActions(doc, at(0), problems, { wholeDocument: 'none' }).filter((action) => action.kind === 'source'), []);
  });
});

describe('the first record line across edits (issue 16)', () => {
  it('is kept, moved or found again as edits add and remove blank lines and records', () => {
    const doc = new FlowLogDocument(`${'\n'.repeat(5000)}${SSH}\n`);
    assert.equal(doc.firstRecordLine(), 5000);
    const steps: [number, number, number, number, string][] = [
      [10, 0, 10, 0, '\n\n'],
      [0, 0, 0, 0, '# comment\n'],
      [100, 0, 100, 0, SSH],
      [100, 0, 100, SSH.length, ''],
      [5003, 0, 5003, SSH.length, ''],
      [7, 0, 7, 0, `${SSH}\n`],
    ];
    let text = doc.getText();
    for (const [line, character, endLine, endCharacter, newText] of steps) {
      const range = { start: { line, character }, end: { line: endLine, character: endCharacter } };
      doc.applyEdits([{ range, text: newText }]);
      text = applyEdits(text, [{ range, newText }]);
      assert.equal(doc.firstRecordLine(), new FlowLogDocument(text).firstRecordLine(), JSON.stringify(range));
    }
  });

  it('completion on a record line reads only the columns up to the cursor', () => {
    const doc = new FlowLogDocument(`${HEADER}\n${SSH}\n`);
    const labels = (character: number) => complete(doc, { line: 1, character }).map((item) => item.label);
    assert.ok(labels(SSH.indexOf('ACCEPT') + 2).includes('REJECT'));
    assert.ok(labels(SSH.length).includes('NODATA'));
    assert.deepEqual(labels(SSH.indexOf(' 6 ') + 2).slice(0, 2), ['6', '17']);
    // Past the format's last column nothing is offered, however long the line.
    const long = new FlowLogDocument(`${HEADER}\n${SSH}${' x'.repeat(200_000)}\n`);
    assert.deepEqual(complete(long, { line: 1, character: SSH.length + 400_000 }), []);
    assert.ok(complete(long, { line: 1, character: SSH.indexOf('ACCEPT') }).some((item) => item.label === 'REJECT'));
  });
});

describe('settings from a hostile workspace (issue 16)', () => {
  it('20,000 unknown rule names make one sentence naming a few', () => {
    const rules = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`rule-${i}`.repeat(1 + (i % 3)), 'error']));
    const { problems } = readSettings({ rules });
    assert.equal(problems.length, 1);
    assert.ok(problems[0].length < 1000, problems[0]);
    assert.match(problems[0], /and \d+ more/);
  });

  it('pairingThread takes auto, on or off; anything else is auto, with a clipped message', () => {
    assert.equal(readSettings({ pairingThread: 'off' }).settings.pairingThread, 'off');
    const { settings, problems } = readSettings({ pairingThread: 'x'.repeat(10_000) });
    assert.equal(settings.pairingThread, 'auto');
    assert.equal(problems.length, 1);
    assert.ok(problems[0].length < 200, problems[0]);
  });

  it('maxProblems, largeFileThreshold and format are bounded', () => {
    const { settings, problems } = readSettings({ maxProblems: 1e308, largeFileThreshold: Infinity, format: 'version '.repeat(100_000) });
    assert.equal(settings.maxProblems, SETTING_LIMITS.maxProblems);
    assert.equal(settings.largeFileThreshold, SETTING_LIMITS.largeFileThreshold);
    assert.equal(settings.format, undefined);
    assert.equal(problems.length, 3);
    assert.ok(problems.every((problem) => problem.length < 400), problems.join('\n'));
    const warning = settingsWarning(problems);
    assert.ok(warning && warning.startsWith('flowlog settings: 3 values could not be used.'));
    assert.equal(settingsWarning([]), undefined);
  });

  it('a format naming thousands of unknown fields names a few of them', () => {
    const { problems } = readSettings({ format: Array.from({ length: 400 }, (_, i) => `field${i}`).join(' ') });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /and 395 more/);
  });
});

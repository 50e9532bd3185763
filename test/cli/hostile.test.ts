/**
 * `flowlog` on hostile input (issue 16, item 9): log content and file names carrying terminal
 * escape sequences, bidi and other control characters are shown as visible escapes in text
 * output and messages; option names that are Object.prototype keys are unknown options.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { record, runCli, tempDir } from './helpers';

/** What a terminal acts on: C0 controls other than the line break, DEL, C1 controls, bidi controls. */
const ACTS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const TITLE = '\x1b]0;owned\x07';
const RED = '\x1b[31m';

describe('flowlog: terminal injection', () => {
  const dir = tempDir();
  // A record whose address and action carry escape sequences, a header name with a bidi override,
  // and a file name with an escape sequence and a line break in it.
  const name = `evil${RED}\n.log`;
  const file = path.join(dir, name);
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  writeFileSync(file, `${header}\n${record(1).replace('10.0.1.1', `10.0.1.1${TITLE}`).replace('ACCEPT', `ACC\u202eEPT`)}\n${record(2)}\n`);
  writeFileSync(path.join(dir, 'names.log'), `${header.replace('srcport', `src\u202eport${RED}`)}\n${record(3)}\n`);

  for (const command of [['lint'], ['detect'], ['stats'], ['parse']]) {
    it(`${command.join(' ')}: no raw control or escape sequences on stdout or stderr`, async () => {
      const result = await runCli([...command, name, 'names.log', `missing${TITLE}`], { cwd: dir });
      for (const [stream, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
        const found = ACTS.exec(text);
        assert.equal(found, null, `${command[0]} ${stream} holds U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(text.slice(0, 400))}`);
      }
      assert.match(result.stderr, /missing\\x1B\]0;owned\\x07: no such file or directory/);
    });
  }

  it('lint text shows the escapes where the characters were', async () => {
    const result = await runCli(['lint', name], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(line.startsWith('evil\\x1B[31m\\x0A.log:'), line);
    assert.match(result.stdout, /10\.0\.1\.1\\x1B\]0;owned\\x07/);
    assert.match(result.stdout, /ACC\\u202EEPT/);
  });

  it('detect text escapes header names from the file', async () => {
    const result = await runCli(['detect', 'names.log'], { cwd: dir });
    assert.match(result.stdout, /src\\u202Eport\\x1B\[31m/);
  });
});

describe('flowlog: option names are looked up without a prototype', () => {
  for (const option of ['--__proto__', '--constructor', '--hasOwnProperty', '--toString', '--valueOf', '--__defineGetter__']) {
    it(`${option} is an unknown option (exit 2) and swallows no file`, async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'a.log'), `${record(1, { dstport: 70000 })}\n`);
      const result = await runCli(['lint', option, 'a.log'], { cwd: dir });
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, new RegExp(`^flowlog: unknown option '${option}' for 'lint'\\n`));
    });
  }

  it('--rule __proto__=error is an unknown rule, not silently ignored', async () => {
    const result = await runCli(['lint', '--rule', '__proto__=error', '-'], { input: `${record(1)}\n` });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown rule "__proto__"/);
  });
});

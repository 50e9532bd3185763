/**
 * The extension inside a real VS Code (web build in Chromium, or desktop): language and format
 * detection, diagnostics, hover, semantic tokens, code actions applied to the document,
 * auto-detection of `.log` files, `.log.gz` files, the header command, and a server that is
 * brought back after it dies.
 */
import * as vscode from 'vscode';
import { codesOf, columnOf, diagnosticsWhere, equal, flowlogApi, hoverText, ok, openFile, waitFor, workspaceFile } from './helpers';

const S3_FILE = '123456789010_vpcflowlogs_us-east-1_fl-0aaaaaaaaaaaaaaaa_20260101T0000Z_e2e00001.log';
const MISTAKES = ['invalid-port', 'invalid-value', 'irregular-spacing', 'two-records', 'wrapped-record'];

async function readWorkspaceText(name: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile(name)));
}

suite('flowlog extension', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await flowlogApi();
  });

  test('runs in this VS Code', () => {
    console.log(`    VS Code ${vscode.version} (${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  });

  // First of all: no flow log document has been open yet.
  test('plain-text and .log documents do not start the language server; the first flow log does', async () => {
    const api = await flowlogApi();
    const untitled = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'shopping list\nmilk\n' });
    await vscode.window.showTextDocument(untitled);
    const notes = await openFile('notes.log');
    equal(notes.languageId, 'log', 'notes.log stays a log');
    equal(api.serverStarted(), false, 'server started for plain text');
    const document = await openFile('mistakes.flowlog');
    equal(document.languageId, 'flowlog', 'language');
    equal(api.serverStarted(), true, 'server started for a flow log');
    await api.ready();
    await diagnosticsWhere(document.uri, (d) => d.length > 0, 'diagnostics from the started server');
  });

  test('the language server checks records with its WebAssembly kernel', async () => {
    // The JavaScript proof is only the fallback: a host that could not compile the kernel would be slower, not wrong.
    equal(await (await flowlogApi()).recordCheck(), 'webassembly', 'record check');
  });

  test('an S3-named file opens as a flow log and its format is detected from the header', async () => {
    const api = await flowlogApi();
    const document = await openFile(S3_FILE);
    equal(document.languageId, 'flowlog', 'language of an S3-named file');
    const info = await waitFor(api.onDidChangeFormat, () => api.formatInfo(document.uri), 'the server to report the format');
    equal(info.label, 'VPC v3 · 21 fields · header', 'format label');
  });

  test('diagnostics appear for each kind of mistake', async () => {
    const document = await openFile('mistakes.flowlog');
    const diagnostics = await diagnosticsWhere(document.uri, (d) => d.length >= MISTAKES.length, 'flowlog diagnostics');
    equal(codesOf(diagnostics).join(' '), MISTAKES.join(' '), 'diagnostic codes');
    const port = diagnostics.find((d) => codesOf([d])[0] === 'invalid-port');
    ok(port && document.getText(port.range) === '70641', 'the port squiggle covers the value');
  });

  test('hover on tcp-flags 18 says SYN-ACK', async () => {
    const document = await openFile(S3_FILE);
    const position = new vscode.Position(2, columnOf(document, 2, ' 18 ') + 1);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
    const text = hoverText(hovers);
    ok(/SYN-ACK/.test(text), `hover: ${JSON.stringify(text)}`);
  });

  test('semantic tokens colour each value by its field', async () => {
    const document = await openFile(S3_FILE);
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', document.uri);
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', document.uri);
    ok(legend && tokens, 'a legend and tokens');
    const data = tokens.data;
    let line = 0;
    let start = 0;
    const found: string[] = [];
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      start = data[i] === 0 ? start + data[i + 1] : data[i + 1];
      if (line === 2) found.push(`${document.lineAt(2).text.slice(start, start + data[i + 2])}=${legend.tokenTypes[data[i + 3]]}`);
    }
    ok(found.includes('18=flowlogFlags'), `tokens on line 2: ${found.join(' ')}`);
    ok(found.includes('ACCEPT=flowlogAccept'), 'ACCEPT has its own type');
    equal(found.length, 21, 'one token per value');
  });

  test('quick fixes split two records and normalise spacing, and the diagnostics follow', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'flowlog', content: await readWorkspaceText('mistakes.flowlog') });
    await vscode.window.showTextDocument(document);
    const original = document.getText().split('\n');
    for (const code of ['two-records', 'irregular-spacing']) {
      const diagnostics = await diagnosticsWhere(document.uri, (d) => codesOf(d).includes(code), `a ${code} diagnostic`);
      const target = diagnostics.find((d) => codesOf([d])[0] === code);
      ok(target, code);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, target.range)) ?? [];
      // The range holds only this problem, so its quick fix is the one (the command result carries no diagnostics).
      const fix = actions.find((a) => a.kind?.value === 'quickfix');
      ok(fix?.edit, `a quick fix for ${code} among ${actions.map((a) => a.title).join(', ')}`);
      ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
      await diagnosticsWhere(document.uri, (d) => !codesOf(d).includes(code), `${code} to go away`);
    }
    const second = original[0].indexOf(' 2 123456789010', 1);
    equal(document.lineAt(0).text, original[0].slice(0, second), 'first record of the split line');
    equal(document.lineAt(1).text, original[0].slice(second + 1), 'second record of the split line');
    equal(document.lineAt(2).text, original[1].replace('  ', ' '), 'the double space is gone');
  });

  test('Insert Header Line adds the detected format as a header', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'flowlog', content: await readWorkspaceText('plain-records.log') });
    await vscode.window.showTextDocument(document);
    ok(await vscode.commands.executeCommand<boolean>('flowlog.insertHeader'), 'the command inserted a header');
    equal(document.lineAt(0).text, 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status', 'header line');
  });

  test('a .log file whose first lines are flow log records switches to flowlog; other logs do not', async () => {
    const notes = await openFile('notes.log');
    const uri = workspaceFile('plain-records.log');
    const switched = waitFor(
      vscode.workspace.onDidOpenTextDocument,
      () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'flowlog'),
      'plain-records.log to become flowlog',
    );
    await vscode.workspace.openTextDocument(uri);
    await switched;
    equal(notes.languageId, 'log', 'notes.log keeps its language');
  });

  test('a .log.gz file opens decompressed and read-only, with diagnostics and hovers', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('flowlog.openGzip', workspaceFile('compressed.log.gz'));
    ok(editor, 'an editor');
    const document = editor.document;
    equal(document.languageId, 'flowlog', 'language');
    equal(document.uri.scheme, 'flowlog-gz', 'scheme');
    ok(document.lineAt(0).text.startsWith('version vpc-id subnet-id'), `first line: ${document.lineAt(0).text}`);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, columnOf(document, 2, ' 18 ') + 1))) ?? [];
    ok(/SYN-ACK/.test(hoverText(hovers)), 'hover in the decompressed document');
  });

  test('opening an S3-named .log.gz file shows it decompressed (custom editor redirect)', async () => {
    const source = workspaceFile(S3_FILE.replace('T0000Z_e2e00001.log', 'T0005Z_e2e00002.log.gz'));
    const shown = waitFor(
      vscode.window.onDidChangeActiveTextEditor,
      () => {
        const document = vscode.window.activeTextEditor?.document;
        return document?.uri.scheme === 'flowlog-gz' && document.uri.query === source.toString() ? document : undefined;
      },
      'the decompressed document to be shown',
    );
    await vscode.commands.executeCommand('vscode.open', source);
    const document = await shown;
    equal(document.languageId, 'flowlog', 'language');
    ok(document.lineAt(0).text.startsWith('version vpc-id'), 'decompressed text');
  });

  test('a .log.gz that expands past flowlog.gzip.maxDecompressedMB is refused with the limit, the setting and the CLI command', async () => {
    // 25,000 records (2.7 MiB) from a 10 KB file, against a limit lowered to 1 MiB.
    const source = workspaceFile('expands-past-1-mib.log.gz');
    const uri = vscode.Uri.from({ scheme: 'flowlog-gz', path: source.path.replace(/\.gz$/, ''), query: source.toString() });
    const configuration = vscode.workspace.getConfiguration('flowlog');
    await configuration.update('gzip.maxDecompressedMB', 1, vscode.ConfigurationTarget.Global);
    try {
      let message = '';
      try {
        const document = await vscode.workspace.openTextDocument(uri);
        message = `opened, ${document.getText().length} characters`;
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      ok(/expands to more than 1 MiB/.test(message), `refused for its size: ${message}`);
      ok(/flowlog\.gzip\.maxDecompressedMB/.test(message) && /flowlog lint /.test(message), `names the setting and the CLI: ${message}`);
    } finally {
      await configuration.update('gzip.maxDecompressedMB', undefined, vscode.ConfigurationTarget.Global);
    }
    const document = await vscode.workspace.openTextDocument(uri.with({ fragment: 'default-limit' }));
    equal(document.lineCount, 25_001, 'opens whole under the default limit');
  });

  test('a rule turned off in the settings leaves the diagnostics, and comes back when turned on', async () => {
    const document = await openFile('mistakes.flowlog');
    await diagnosticsWhere(document.uri, (d) => codesOf(d).includes('irregular-spacing'), 'the spacing diagnostic');
    const configuration = vscode.workspace.getConfiguration('flowlog');
    await configuration.update('rules.irregular-spacing', 'off', vscode.ConfigurationTarget.Global);
    try {
      const without = await diagnosticsWhere(document.uri, (d) => d.length > 0 && !codesOf(d).includes('irregular-spacing'), 'the spacing diagnostic to go');
      equal(codesOf(without).join(' '), MISTAKES.filter((c) => c !== 'irregular-spacing').join(' '), 'other rules unaffected');
    } finally {
      await configuration.update('rules.irregular-spacing', undefined, vscode.ConfigurationTarget.Global);
    }
    await diagnosticsWhere(document.uri, (d) => codesOf(d).includes('irregular-spacing'), 'the spacing diagnostic to return');
  });

  test('a server that dies is started again and diagnostics come back', async function () {
    this.timeout(90_000);
    const api = await flowlogApi();
    const document = await openFile('mistakes.flowlog');
    await diagnosticsWhere(document.uri, (d) => d.length >= MISTAKES.length, 'diagnostics before');
    const before = api.restarts();
    const restarted = new Promise<void>((resolve) => {
      const subscription = api.onDidRestart(() => {
        subscription.dispose();
        resolve();
      });
    });
    await api.killServer();
    await restarted;
    equal(api.restarts(), before + 1, 'restarts');
    // The new server gets the open documents again and validates them.
    const diagnostics = await diagnosticsWhere(document.uri, (d) => d.length >= MISTAKES.length, 'diagnostics after the restart', 30_000);
    equal(codesOf(diagnostics).join(' '), MISTAKES.join(' '), 'diagnostic codes after the restart');
  });
});

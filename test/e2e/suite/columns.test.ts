/**
 * Wide records in a real VS Code (issue 13): Toggle Aligned Columns draws the columns aligned
 * without changing the file, the status item names the column under the cursor (and counts
 * several cursors), Select Column puts a selection on each value of the column in view, and Copy
 * Column Values copies them.
 */
import * as vscode from 'vscode';
import { columnOf, equal, flowlogApi, ok, openFile, waitFor } from './helpers';

const FILE = 'columns.flowlog';

suite('flowlog columns', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await flowlogApi();
  });

  test('Toggle Aligned Columns draws the columns aligned, and back, without changing the file', async () => {
    const api = await flowlogApi();
    const document = await openFile(FILE);
    const before = document.getText();
    await waitFor(api.onDidChangeFormat, () => api.formatInfo(document.uri), 'the format of the document');
    equal(api.columns.isAligned(document.uri), false, 'not aligned by default');
    const aligned = await vscode.commands.executeCommand<boolean>('flowlog.toggleAlignedColumns');
    equal(aligned, true, 'the toggle aligns');
    const lines = await waitFor(api.columns.onDidRender, () => api.columns.alignedLines(document.uri) || undefined, 'the aligned layout');
    equal(lines, document.lineCount - 1, 'the header and every record are laid out');
    equal(document.getText(), before, 'the text is unchanged');
    equal(document.isDirty, false, 'the document is not modified');
    equal(await vscode.commands.executeCommand<boolean>('flowlog.toggleAlignedColumns'), false, 'the toggle switches back');
    await waitFor(api.columns.onDidRender, () => (api.columns.alignedLines(document.uri) === 0 ? true : undefined), 'the layout removed');
  });

  test('the status item names the column under the cursor, with the decoded value, and counts cursors', async () => {
    const api = await flowlogApi();
    const document = await openFile(FILE);
    const editor = vscode.window.activeTextEditor;
    ok(editor, 'an editor');
    await waitFor(api.onDidChangeFormat, () => api.formatInfo(document.uri), 'the format of the document');
    const at = columnOf(document, 1, ' 443 ') + 2;
    editor.selection = new vscode.Selection(1, at, 1, at);
    const text = await waitFor(api.columns.onDidChangeStatus, () => (api.columns.statusText().includes('dstport') ? api.columns.statusText() : undefined), 'the column status');
    ok(text.endsWith('dstport · col 5 · 443 HTTPS'), `status text: ${text}`);
    const srcport = columnOf(document, 2, ' 60642 ') + 2;
    editor.selections = [new vscode.Selection(1, at, 1, at), new vscode.Selection(2, at - 1, 2, at - 1), new vscode.Selection(2, srcport, 2, srcport)];
    const several = await waitFor(api.columns.onDidChangeStatus, () => (api.columns.statusText().includes('cursors') ? api.columns.statusText() : undefined), 'the status of several cursors');
    ok(several.endsWith('dstport · col 5 · 443 HTTPS · 3 cursors in 2 columns'), `status text: ${several}`);
  });

  test('Select Column puts a selection on every value of the column in view; Copy Column Values copies them', async () => {
    const document = await openFile(FILE);
    const editor = vscode.window.activeTextEditor;
    ok(editor, 'an editor');
    const at = columnOf(document, 3, ' REJECT ') + 2;
    editor.selection = new vscode.Selection(3, at, 3, at);
    const selected = await vscode.commands.executeCommand<number>('flowlog.selectColumn');
    const records = document.lineCount - 2;
    equal(selected, records, 'one value per record (the whole file is in view)');
    equal(editor.selections.length, records, 'cursors');
    equal(editor.selection.start.line, 3, 'the value on the cursor line leads');
    const texts = editor.selections.map((selection) => document.getText(selection));
    ok(texts.every((text) => text === 'ACCEPT' || text === 'REJECT'), `the action values: ${texts.join(' ')}`);
    // A selection over lines 1–3 ending on the action column copies the actions of those lines.
    editor.selection = new vscode.Selection(1, 0, 3, at);
    const copied = await vscode.commands.executeCommand<string>('flowlog.copyColumn');
    equal(copied, 'ACCEPT\nACCEPT\nREJECT', 'the values of the selected lines, one per line');
    equal(await vscode.env.clipboard.readText(), copied, 'on the clipboard');
  });

  test('inlay hints: uncut by default in flow logs, trimmed whole to a limit, left out where aligned columns draw them', async () => {
    const api = await flowlogApi();
    const document = await openFile(FILE);
    await waitFor(api.onDidChangeFormat, () => api.formatInfo(document.uri), 'the format of the document');
    const editor = vscode.workspace.getConfiguration('editor', { languageId: 'flowlog' });
    equal(editor.get<number>('inlayHints.maximumLength'), 0, 'no limit for the flowlog language by default');
    const line1 = new vscode.Range(1, 0, 1, document.lineAt(1).text.length);
    const labels = async (): Promise<string[]> => {
      const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, line1)) ?? [];
      return hints.map((hint) => (typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('')));
    };
    const all = await labels();
    ok(all.includes('HTTPS') && all.includes('SYN-ACK+FIN') && all.includes('2021-05-04 15:04:21Z'), `every decoding: ${all.join(' | ')}`);
    await editor.update('inlayHints.maximumLength', 29, vscode.ConfigurationTarget.Global, true);
    try {
      const trimmed = await labels();
      equal(trimmed.join(' | '), '2021-05-04 15:04:21Z | 15:05:21Z', 'the times kept whole, the rest left out');
    } finally {
      await editor.update('inlayHints.maximumLength', undefined, vscode.ConfigurationTarget.Global, true);
    }
    await vscode.commands.executeCommand('flowlog.toggleAlignedColumns');
    try {
      const aligned = await labels();
      equal(aligned.length, 0, `no decoded hints while the columns draw them: ${aligned.join(' | ')}`);
    } finally {
      await vscode.commands.executeCommand('flowlog.toggleAlignedColumns');
    }
    equal((await labels()).length, all.length, 'the hints come back');
  });
});

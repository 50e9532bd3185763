/**
 * Flow Log: Filter Records… in a real VS Code: the result document (read-only, flow log
 * language, header kept, summary line), Go to Definition back to the source line, hovers in the
 * result, refresh after an edit of the source, "Filter by this value" from the hover and the code
 * actions, and the export code lenses.
 */
import * as vscode from 'vscode';
import { columnOf, equal, flowlogApi, hoverText, ok, openFile, waitFor } from './helpers';

const S3_FILE = '123456789010_vpcflowlogs_us-east-1_fl-0aaaaaaaaaaaaaaaa_20260101T0000Z_e2e00001.log';

suite('flowlog filter', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await flowlogApi();
  });

  test('Filter Records opens the matching records as a read-only flow log that leads back to its source', async () => {
    const source = await openFile(S3_FILE);
    const result = await vscode.commands.executeCommand<vscode.TextDocument>('flowlog.filterRecords', source.uri.toString(), 'tcp-flags = syn-ack and dstport > 40000');
    ok(result, 'the command returns the result document');
    equal(result.uri.scheme, 'flowlog-filter', 'a virtual document (read-only)');
    equal(result.languageId, 'flowlog', 'language of the result');
    equal(result.lineAt(0).text, `# flowlog filter: tcp-flags = syn-ack and dstport > 40000 · 2 of 6 records of ${S3_FILE} match`, 'summary line');
    equal(result.lineAt(1).text, source.lineAt(0).text, 'the header line is kept');
    equal(result.lineAt(2).text, source.lineAt(2).text, 'first match');
    equal(result.lineAt(3).text, source.lineAt(4).text, 'second match');
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', result.uri, new vscode.Position(3, 5));
    const target = locations?.[0];
    ok(target && 'uri' in target, 'Go to Definition gives a location');
    equal(target.uri.toString(), source.uri.toString(), 'definition in the source');
    equal(target.range.start.line, 4, 'definition at the source line');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', result.uri, new vscode.Position(2, columnOf(result, 2, ' 18 ') + 1));
    ok(/SYN-ACK/.test(hoverText(hovers ?? [])), 'the language server hovers in the result');
  });

  test('the result follows edits of its source', async () => {
    const source = await openFile(S3_FILE);
    const result = await vscode.commands.executeCommand<vscode.TextDocument>('flowlog.filterRecords', source.uri.toString(), 'tcp-flags = syn-ack');
    ok(result.lineAt(0).text.includes(' 2 of 6 records'), `two matches before the edit: ${result.lineAt(0).text}`);
    const line = 1;
    const at = columnOf(source, line, ' 2 OK');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(source.uri, new vscode.Range(line, at + 1, line, at + 2), '18');
    ok(await vscode.workspace.applyEdit(edit), 'edit applied');
    try {
      const refreshed = await waitFor(vscode.workspace.onDidChangeTextDocument, () => (result.lineAt(0).text.includes('3 of 6') ? result : undefined), 'the result to refresh');
      equal(refreshed.lineAt(2).text, source.lineAt(1).text, 'the edited record now matches');
    } finally {
      const undo = new vscode.WorkspaceEdit();
      undo.replace(source.uri, new vscode.Range(line, at + 1, line, at + 3), '2');
      await vscode.workspace.applyEdit(undo);
    }
  });

  test('Filter by this value: in the hover and as a code action', async () => {
    const source = await openFile(S3_FILE);
    const position = new vscode.Position(1, columnOf(source, 1, ' 5001 ') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', source.uri, position);
    ok(hoverText(hovers ?? []).includes('Filter by `dstport = 5001`'), `hover offers the filter: ${hoverText(hovers ?? [])}`);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', source.uri, new vscode.Range(position, position));
    const action = actions?.find((a) => a.title === 'Filter by dstport = 5001');
    ok(action?.command, 'code action with the filter command');
    const result = await vscode.commands.executeCommand<vscode.TextDocument>(action.command.command, ...(action.command.arguments ?? []));
    ok(result.lineAt(0).text.startsWith('# flowlog filter: dstport = 5001 · 3 of 6 records'), `summary: ${result.lineAt(0).text}`);
  });

  test('code lenses on the first line copy the Athena, Logs Insights and DuckDB exports', async () => {
    const source = await openFile(S3_FILE);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', source.uri);
    const titles = (lenses ?? []).filter((lens) => lens.range.start.line === 0).map((lens) => lens.command?.title);
    equal(titles.join(', '), 'Copy Athena table, Copy Logs Insights query, Copy DuckDB query', 'lenses');
  });
});

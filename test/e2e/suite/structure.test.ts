/**
 * The document's structure inside VS Code: the Outline's segments (one per header line, by
 * interface), folding ranges, the header code lens of a headerless file, and Go to Time moving
 * the cursor to the first record whose window contains the time.
 */
import * as vscode from 'vscode';
import { equal, flowlogApi, ok, openFile } from './helpers';

const TWO_OBJECTS = 'two-objects.flowlog';

/** The first record line whose [start, end] contains `seconds`, read from the text (what Go to Time must find). */
function expectedLine(document: vscode.TextDocument, seconds: number): number {
  let columns = { start: -1, end: -1 };
  for (let line = 0; line < document.lineCount; line++) {
    const values = document.lineAt(line).text.split(' ');
    if (values[0] === 'version') {
      columns = { start: values.indexOf('start'), end: values.indexOf('end') };
      continue;
    }
    if (Number(values[columns.start]) <= seconds && Number(values[columns.end]) >= seconds) return line;
  }
  return -1;
}

/** The client asks for the spans a moment after the editor settles, with no event to wait for: look again every 100 ms. */
async function eventually<T>(check: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

suite('flowlog structure', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await flowlogApi();
  });

  test('the Outline lists one segment per header line, named by its format, with its interfaces', async () => {
    const document = await openFile(TWO_OBJECTS);
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri)) ?? [];
    equal(symbols.map((s) => `${s.range.start.line}:${s.name}`).join(' | '), '0:VPC v5 · 29 fields · header | 236:VPC v5 · 29 fields · header', 'segments');
    ok(/^235 records · \d+ REJECT · /.test(symbols[0].detail), `detail: ${symbols[0].detail}`);
    const interfaces = symbols[0].children.filter((child) => child.name.startsWith('eni-'));
    ok(interfaces.length >= 2, `interfaces: ${symbols[0].children.map((c) => c.name).join(', ')}`);
    const folds = (await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri)) ?? [];
    ok(folds.some((f) => f.start === 0 && f.end === 235) && folds.some((f) => f.start === 236), `folding ranges: ${JSON.stringify(folds)}`);
  });

  test('Go to Time moves the cursor to the first record whose window contains the time', async () => {
    const document = await openFile(TWO_OBJECTS);
    const editor = vscode.window.activeTextEditor;
    ok(editor && editor.document === document, 'the file is in the active editor');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    // A time inside the second object's records.
    const values = document.lineAt(300).text.split(' ');
    const seconds = Number(values[10]) + 1;
    const expected = expectedLine(document, seconds);
    ok(expected > 0, 'a record contains the time');
    await vscode.commands.executeCommand('flowlog.goToTime', new Date(seconds * 1000).toISOString());
    equal(editor.selection.active.line, expected, 'cursor line after Go to Time (ISO)');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('flowlog.goToTime', String(seconds * 1000));
    equal(editor.selection.active.line, expected, 'cursor line after Go to Time (epoch milliseconds)');
  });

  test('the format status tooltip gives the time span of the file and of the visible lines', async () => {
    const api = await flowlogApi();
    const document = await openFile(TWO_OBJECTS);
    const span = await eventually(() => api.timeSpan(document.uri), 'the time span in the status tooltip');
    ok(/^Records span \d{4}-\d\d-\d\d \d\d:\d\d:\d\d – \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC( \(sorted by start\))?\.\n\nVisible: \d{4}-/.test(span), `tooltip span: ${JSON.stringify(span)}`);
  });

  test('a headerless file gets a code lens with its field names and Insert Header Line', async () => {
    const document = await openFile('plain-records.log');
    if (document.languageId !== 'flowlog') await vscode.languages.setTextDocumentLanguage(document, 'flowlog');
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
    const titles = lenses.map((lens) => `${lens.range.start.line}:${lens.command?.command}:${lens.command?.title ?? ''}`);
    ok(titles.some((t) => t.startsWith('0:flowlog.setFormat:version account-id interface-id')), `lenses: ${titles.join(' | ')}`);
    ok(titles.some((t) => t === '0:flowlog.insertHeader:Insert as header line'), `lenses: ${titles.join(' | ')}`);
  });
});

/**
 * Select Column and Copy Column Values (issue 13), and the Toggle Aligned Columns command.
 * Select Column puts a selection on every value of the column under the cursor, within the
 * selected lines or else the visible ones (Rainbow CSV's column edit): typing then edits them all.
 * Copy Column Values copies the values, one per line, of the selected lines or else the whole
 * document, up to a cap it names when reached. The server finds the values (`flowlog/columnValues`).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { ColumnValuesRequest, type ColumnValuesResult } from '../../server/src/lsp/protocol';
import type { ColumnAlignment } from './columnAlignment';

/** Most cursors Select Column makes: more slows VS Code's editing down to a crawl. */
export const MAX_SELECTED_VALUES = 10_000;
/** Most values Copy Column Values copies (about 8 MB of addresses). */
export const MAX_COPIED_VALUES = 500_000;

const count = (n: number): string => n.toLocaleString('en-US');

function activeFlowLog(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === 'flowlog' ? editor : undefined;
}

/** The lines the selections cover when one spans more than a position; undefined otherwise. */
function selectedLines(editor: vscode.TextEditor): vscode.Range | undefined {
  const spans = editor.selections.filter((selection) => !selection.isEmpty);
  if (spans.length === 0) return undefined;
  const first = Math.min(...spans.map((s) => s.start.line));
  const last = Math.max(...spans.map((s) => s.end.line));
  return new vscode.Range(first, 0, last, 0);
}

function visibleLines(editor: vscode.TextEditor): vscode.Range {
  const ranges = editor.visibleRanges;
  if (ranges.length === 0) return new vscode.Range(editor.selection.active.line, 0, editor.selection.active.line, 0);
  return new vscode.Range(Math.min(...ranges.map((r) => r.start.line)), 0, Math.max(...ranges.map((r) => r.end.line)), 0);
}

function asParams(range: vscode.Range | undefined): { start: { line: number; character: number }; end: { line: number; character: number } } | undefined {
  return range ? { start: { line: range.start.line, character: 0 }, end: { line: range.end.line, character: 0 } } : undefined;
}

async function columnValues(client: BaseLanguageClient | undefined, editor: vscode.TextEditor, range: vscode.Range | undefined, limit: number, withText: boolean): Promise<ColumnValuesResult | undefined> {
  if (!client) {
    void vscode.window.showInformationMessage('The flow log language server is not running yet.');
    return undefined;
  }
  const { active } = editor.selection;
  const result = await client.sendRequest(ColumnValuesRequest, { uri: editor.document.uri.toString(), position: { line: active.line, character: active.character }, range: asParams(range), limit, withText });
  if (!result) {
    void vscode.window.showInformationMessage('Put the cursor on a value or a header name of the column.');
    return undefined;
  }
  return result;
}

/** Selects the values of the column under the cursor; returns how many were selected. */
async function selectColumn(client: BaseLanguageClient | undefined): Promise<number> {
  const editor = activeFlowLog();
  if (!editor) return 0;
  const lines = selectedLines(editor);
  const found = await columnValues(client, editor, lines ?? visibleLines(editor), MAX_SELECTED_VALUES, false);
  if (!found) return 0;
  const selections: vscode.Selection[] = [];
  const { spans } = found;
  for (let i = 0; i + 2 < spans.length; i += 3) selections.push(new vscode.Selection(spans[i], spans[i + 1], spans[i], spans[i + 2]));
  if (selections.length === 0) {
    void vscode.window.showInformationMessage(`No values of ${found.name} in the ${lines ? 'selected' : 'visible'} lines.`);
    return 0;
  }
  // The value on the cursor's line leads, so the view stays where it is.
  const cursorLine = editor.selection.active.line;
  const lead = selections.findIndex((selection) => selection.start.line === cursorLine);
  if (lead > 0) selections.unshift(...selections.splice(lead, 1));
  editor.selections = selections;
  if (found.truncated) void vscode.window.showInformationMessage(`Selected the first ${count(selections.length)} values of ${found.name}; select fewer lines for the rest.`);
  return selections.length;
}

/** Copies the values of the column under the cursor; returns the copied text. */
async function copyColumn(client: BaseLanguageClient | undefined): Promise<string | undefined> {
  const editor = activeFlowLog();
  if (!editor) return undefined;
  const lines = selectedLines(editor);
  const found = await columnValues(client, editor, lines, MAX_COPIED_VALUES, true);
  if (!found) return undefined;
  const texts = found.texts ?? [];
  const text = texts.join('\n');
  await vscode.env.clipboard.writeText(text);
  const where = lines ? 'the selected lines' : 'the file';
  const message = found.truncated
    ? `Copied the first ${count(texts.length)} values of ${found.name} from ${where} (the most copied at once); select lines to copy the rest.`
    : `Copied ${count(texts.length)} value${texts.length === 1 ? '' : 's'} of ${found.name} from ${where}.`;
  void vscode.window.setStatusBarMessage(message, 5000);
  if (found.truncated) void vscode.window.showInformationMessage(message);
  return text;
}

export function registerColumnCommands(context: vscode.ExtensionContext, client: () => BaseLanguageClient | undefined, alignment: ColumnAlignment): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('flowlog.selectColumn', () => selectColumn(client())),
    vscode.commands.registerCommand('flowlog.copyColumn', () => copyColumn(client())),
    vscode.commands.registerCommand('flowlog.toggleAlignedColumns', () => {
      const editor = activeFlowLog();
      return editor ? alignment.toggle(editor.document) : undefined;
    }),
  );
}

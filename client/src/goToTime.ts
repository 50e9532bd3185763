/**
 * Go to Time…: asks for a UTC time (ISO 8601 or epoch seconds/milliseconds, checked as it is
 * typed), asks the server for the first record whose window contains it, and moves the cursor
 * there. Also keeps the status bar tooltip's time spans (of the file and of the visible lines)
 * up to date as the editor scrolls.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { GoToTimeRequest, TimeSpanRequest, type TimeSpanResult } from '../../server/src/lsp/protocol';
import { formatUtcSpan, parseUtcTime } from '../../server/src/service/timeQuery';
import type { FormatStatus } from './statusBar';

/** Quiet time after scrolling before the viewport's time span is asked for. */
const SPAN_DEBOUNCE_MS = 250;

function describeSpans(result: TimeSpanResult): string | undefined {
  if (!result.file) return undefined;
  const lines = [`Records span ${formatUtcSpan(result.file.from, result.file.to, true)}${result.sortedByStart ? ' (sorted by start)' : ''}.`];
  if (result.visible) lines.push(`Visible: ${formatUtcSpan(result.visible.from, result.visible.to, true)}.`);
  return lines.join('\n\n');
}

/** `time`, when given (a keybinding's or another extension's argument), is used without asking. */
async function goToTime(client: () => Promise<BaseLanguageClient | undefined>, status: FormatStatus, time?: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'flowlog') {
    void vscode.window.showInformationMessage('Open a flow log file to go to a time in it.');
    return;
  }
  const uri = editor.document.uri.toString();
  const span = status.timeSpan(uri);
  const input = typeof time === 'string' ? time : await vscode.window.showInputBox({
    title: 'Go to Time (UTC)',
    prompt: span ? span.replace(/\n\n/g, ' ') : 'The first record whose start–end window contains this time.',
    placeHolder: '2019-12-13T05:00:00Z, 2019-12-13 05:00 or 1576213200',
    validateInput: (value) => {
      const parsed = parseUtcTime(value);
      return parsed.ok || value.trim() === '' ? undefined : parsed.message;
    },
  });
  if (input === undefined || input.trim() === '') return;
  const connection = await client();
  if (!connection) return;
  const result = await connection.sendRequest(GoToTimeRequest, { uri, time: input });
  if (!result) return;
  if (result.position) {
    const target = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri) ?? editor;
    const position = new vscode.Position(result.position.line, result.position.character);
    target.selection = new vscode.Selection(position, position);
    target.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  if (result.message) void vscode.window.showInformationMessage(result.message);
}

/** Registers Go to Time and keeps the time spans of the active flow log editor in the status bar. */
export function registerGoToTime(context: vscode.ExtensionContext, client: () => Promise<BaseLanguageClient | undefined>, status: FormatStatus): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = (editor: vscode.TextEditor | undefined): void => {
    clearTimeout(timer);
    if (!editor || editor.document.languageId !== 'flowlog') return;
    timer = setTimeout(() => {
      void (async () => {
        const connection = await client();
        if (!connection) return;
        const uri = editor.document.uri.toString();
        const visible = editor.visibleRanges.map((range) => ({ start: range.start.line, end: range.end.line }));
        const result = await connection.sendRequest(TimeSpanRequest, { uri, visible });
        status.setTimeSpan(uri, result ? describeSpans(result) : undefined);
      })().catch(() => undefined);
    }, SPAN_DEBOUNCE_MS);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('flowlog.goToTime', (time?: unknown) => goToTime(client, status, time)),
    vscode.window.onDidChangeTextEditorVisibleRanges((event) => refresh(event.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === vscode.window.activeTextEditor?.document) refresh(vscode.window.activeTextEditor);
    }),
    { dispose: () => clearTimeout(timer) },
  );
  refresh(vscode.window.activeTextEditor);
}

/**
 * The status bar item naming the column under the cursor (issue 13): `dstport · col 7 · 443 HTTPS`
 * as the cursor moves, from the server's `flowlog/columnAt`. With several cursors it names the
 * primary one and counts the others (and the columns they are in). Clicking it selects the column.
 * Separate from the format item (statusBar.ts), which says what the whole file is.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { ColumnAtRequest, type ColumnAtInfo } from '../../server/src/lsp/protocol';

/** Waits after a cursor move before asking: holding an arrow key sends one request, not forty. */
const MOVE_DELAY_MS = 60;
/** Cursors sent; the item summarises the rest by count. */
const MAX_CURSORS = 100;

/** The item's text for the column under the primary cursor and the others'. */
export function columnStatusText(primary: ColumnAtInfo, others: (ColumnAtInfo | null)[], cursors: number): string {
  const parts = [primary.name, `col ${primary.column + 1}`];
  if (primary.header) parts.push('header');
  else if (primary.value !== undefined) parts.push(primary.decoded ? `${clip(primary.value)} ${primary.decoded}` : clip(primary.value));
  if (cursors > 1) {
    const columns = new Set([primary.name, ...others.filter((info): info is ColumnAtInfo => info !== null).map((info) => info.name)]);
    parts.push(columns.size > 1 ? `${cursors} cursors in ${columns.size} columns` : `${cursors} cursors`);
  }
  return parts.join(' · ');
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}

export class ColumnStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('flowlog.column', vscode.StatusBarAlignment.Right, 99);
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;
  /** Fires with the item's text after each update ('' when hidden). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => BaseLanguageClient | undefined) {
    this.item.name = 'Flow Log Column';
    this.item.command = 'flowlog.selectColumn';
    this.subscriptions.push(
      this.item,
      this.changed,
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        if (document === vscode.window.activeTextEditor?.document) this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('flowlog.columns.statusBar')) this.schedule();
      }),
    );
    this.schedule();
  }

  /** The item's text, '' when it is hidden. */
  get text(): string {
    return this.visible ? this.item.text : '';
  }

  private visible = false;

  schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, MOVE_DELAY_MS);
  }

  private hide(): void {
    this.item.hide();
    if (this.visible) {
      this.visible = false;
      this.changed.fire('');
    }
  }

  private async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const client = this.client();
    if (!editor || editor.document.languageId !== 'flowlog' || !client || !vscode.workspace.getConfiguration('flowlog', editor.document).get<boolean>('columns.statusBar', true)) {
      this.hide();
      return;
    }
    const ask = ++this.asked;
    const selections = editor.selections;
    const positions = selections.slice(0, MAX_CURSORS).map(({ active }) => ({ line: active.line, character: active.character }));
    let infos: (ColumnAtInfo | null)[] | null;
    try {
      infos = await client.sendRequest(ColumnAtRequest, { uri: editor.document.uri.toString(), positions });
    } catch {
      return;
    }
    // A later move asked meanwhile: its answer is the one to show.
    if (ask !== this.asked) return;
    const primary = infos?.[0];
    if (!infos || !primary) {
      this.hide();
      return;
    }
    this.item.text = `$(symbol-field) ${columnStatusText(primary, infos.slice(1), selections.length)}`;
    this.item.tooltip = this.tooltip(primary, infos, selections.length);
    this.item.show();
    this.visible = true;
    this.changed.fire(this.item.text);
  }

  /** Names and values are the file's text: appended as text, never read as markdown. */
  private tooltip(primary: ColumnAtInfo, infos: (ColumnAtInfo | null)[], cursors: number): vscode.MarkdownString {
    const markdown = new vscode.MarkdownString();
    markdown.appendText(`${primary.name} — column ${primary.column + 1} of the record format`);
    if (primary.value !== undefined) markdown.appendMarkdown('\n\n').appendText(`Value ${primary.value}${primary.decoded ? `: ${primary.decoded}` : ''}`);
    if (cursors > 1) {
      const counts = new Map<string, number>();
      for (const info of infos) if (info) counts.set(info.name, (counts.get(info.name) ?? 0) + 1);
      const read = cursors > infos.length ? ` (the first ${infos.length} read)` : '';
      markdown.appendMarkdown('\n\n').appendText(`${cursors} cursors: ${[...counts].map(([name, count]) => `${name} ×${count}`).join(', ')}${read}`);
    }
    markdown.appendMarkdown('\n\nClick to select the column (*Flow Log: Select Column*).');
    return markdown;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

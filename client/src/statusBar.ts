/**
 * The status bar item of the active flowlog document: the detected format as the server
 * describes it (`VPC v5 · 29 fields · header`). An inferred format links to "insert header
 * line"; a declared one to "set format".
 */
import * as vscode from 'vscode';
import type { FormatInfo } from '../../server/src/lsp/protocol';

export class FormatStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly formats = new Map<string, FormatInfo>();
  /** Time spans of the file and of its visible lines, per document (goToTime.ts keeps them). */
  private readonly timeSpans = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<FormatInfo>();
  /** Fires when the server reports a document's format. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly request: (uri: string) => Promise<FormatInfo | null | undefined>) {
    this.item = vscode.window.createStatusBarItem('flowlog.format', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Flow Log Format';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.formats.delete(document.uri.toString());
        this.timeSpans.delete(document.uri.toString());
      }),
      vscode.workspace.onDidOpenTextDocument(() => this.refresh()),
    );
  }

  /** Latest format info of a document, if the server has sent it. */
  get(uri: string): FormatInfo | undefined {
    return this.formats.get(uri);
  }

  update(info: FormatInfo): void {
    this.formats.set(info.uri, info);
    this.refresh();
    this.changed.fire(info);
  }

  /** Sets (or clears) the time span text shown at the end of a document's tooltip. */
  setTimeSpan(uri: string, text: string | undefined): void {
    if (text === this.timeSpans.get(uri)) return;
    if (text) this.timeSpans.set(uri, text);
    else this.timeSpans.delete(uri);
    if (vscode.window.activeTextEditor?.document.uri.toString() === uri) this.refresh();
  }

  timeSpan(uri: string): string | undefined {
    return this.timeSpans.get(uri);
  }

  clear(): void {
    this.formats.clear();
    this.refresh();
  }

  refresh(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'flowlog') {
      this.item.hide();
      return;
    }
    const uri = document.uri.toString();
    const info = this.formats.get(uri);
    if (!info) {
      this.item.text = '$(loading~spin) Flow log';
      this.item.tooltip = 'Detecting the record format…';
      this.item.command = undefined;
      this.item.show();
      void this.request(uri).then(
        (fetched) => {
          if (fetched && !this.formats.has(uri)) this.update(fetched);
        },
        () => undefined,
      );
      return;
    }
    this.render(info);
    this.appendTimeSpan(uri);
    this.item.show();
  }

  private render(info: FormatInfo): void {
    const ambiguous = info.ambiguousColumns.length > 0 ? `\n\nColumns ${info.ambiguousColumns.map((c) => c + 1).join(', ')} are guesses.` : '';
    if (!info.recognised) {
      this.item.text = '$(warning) Not a flow log?';
      this.item.tooltip = 'The record format could not be recognised. Click to set it.';
      this.item.command = 'flowlog.setFormat';
    } else if (info.source === 'inferred' || info.source === 'default') {
      this.item.text = `$(question) ${info.label}`;
      this.item.tooltip = new vscode.MarkdownString(`The format was inferred from the values.${ambiguous}\n\nClick to insert a header line that declares it.`);
      this.item.command = 'flowlog.insertHeader';
    } else if (info.source === 'option') {
      this.item.text = `$(list-flat) ${info.label}`;
      this.item.tooltip = 'Record format from the flowlog.format setting. Click to choose another.';
      this.item.command = 'flowlog.setFormat';
    } else {
      // The file's own header line or directive: flowlog.format would not change it.
      this.item.text = `$(list-flat) ${info.label}`;
      this.item.tooltip = `Record format from the file's ${info.source === 'directive' ? 'directive' : 'header line'}, which wins over the flowlog.format setting.`;
      this.item.command = undefined;
    }
  }

  private appendTimeSpan(uri: string): void {
    const span = this.timeSpans.get(uri);
    if (!span) return;
    const tooltip = this.item.tooltip;
    const text = typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
    this.item.tooltip = new vscode.MarkdownString(`${text}\n\n---\n\n${span}`);
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

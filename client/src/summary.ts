/**
 * Flow Log: Show Summary (issue 14): a webview beside the log with the traffic summary the
 * language server computes (SummaryRequest), drawn by the same renderer as `flowlog report`
 * (dist/summary-view.js). Strict CSP: nothing but the extension's own script (with a nonce) and
 * stylesheet. A chosen bar or row opens its records through Filter Records (links back to the
 * lines), a verdict opens Explain Rejections; the numbers follow edits once they pause.
 * Works the same on the desktop and on the web.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { FromView, ToView } from '../summary/src/messages';
import { summaryPageHtml } from '../summary/src/page';
import { SummaryRequest, type SummaryResult } from '../../server/src/lsp/protocol';
import type { SummaryOptions, SummaryReport } from '../../server/src/service/summary/model';
import type { FilterApi } from './filter';

const VIEW_TYPE = 'flowlog.summary';
/** Edits pause this long before the summary is computed again. */
const REFRESH_DELAY_MS = 600;

export type Rendered = Extract<FromView, { type: 'rendered' }>;

export interface SummaryApi {
  /** Opens (or shows) the summary of a source document; resolves once its first drawing is done. */
  open(source: vscode.Uri): Promise<Rendered>;
  /** Clicks a mark in an open summary as a user would (see ToView 'click'). */
  click(source: vscode.Uri, target: string): void;
  /** The last drawing of a source's summary, once there is one. */
  rendered(source: vscode.Uri): Rendered | undefined;
  /** The report a source's summary shows. */
  report(source: vscode.Uri): SummaryReport | undefined;
  /**
   * Brings back a summary panel VS Code kept over a reload (the panel serializer's work): its
   * source comes from the state the view saved; a panel without one is closed. Tests call it on a
   * panel they create, as VS Code does after a reload.
   */
  restore(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  onDidRender: vscode.Event<{ source: string; rendered: Rendered }>;
  /** Fires when a chosen mark opened its records (Filter Records' result document). */
  onDidOpenRecords: vscode.Event<{ source: string; filter: string; document: vscode.TextDocument }>;
}

function nonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1) || 'flow log';
}

class SummaryPanel {
  private top = 10;
  /** A grouping asked for in the view, computed beside the built-in ones. */
  private extraGrouping: string[] | undefined;
  report: SummaryReport | undefined;
  private pending: vscode.CancellationTokenSource | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  lastRendered: Rendered | undefined;
  readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly source: vscode.Uri,
    extension: vscode.ExtensionContext,
    private readonly client: () => Promise<BaseLanguageClient | undefined>,
    private readonly filter: FilterApi,
    private readonly rendered: (panel: SummaryPanel, rendered: Rendered) => void,
    private readonly openedRecords: (panel: SummaryPanel, filter: string, document: vscode.TextDocument) => void,
  ) {
    const dist = vscode.Uri.joinPath(extension.extensionUri, 'dist');
    const { webview } = panel;
    const scriptNonce = nonce();
    panel.webview.html = summaryPageHtml({
      title: `Traffic summary: ${baseName(source)}`,
      heading: 'Traffic summary',
      cspMeta: `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; font-src ${webview.cspSource}; script-src 'nonce-${scriptNonce}'">`,
      head: `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(dist, 'summary-view.css')).toString()}">`,
      scripts: `<script nonce="${scriptNonce}" src="${webview.asWebviewUri(vscode.Uri.joinPath(dist, 'summary-view.js')).toString()}"></script>`,
      // The path as the user knows it: a local path for a file, else the whole URI (web, remote).
      subtitle: source.scheme === 'file' ? source.path : source.toString(true),
      selection: false,
    });
    this.disposables.push(webview.onDidReceiveMessage((message: FromView) => void this.receive(message)));
  }

  /** What a webview needs to show a summary, for a new panel and for one VS Code restores. */
  static options(extension: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extension.extensionUri, 'dist')],
      // Kept while hidden: the view keeps its choices and a filter result opening beside it costs no redraw.
      retainContextWhenHidden: true,
    };
  }

  post(message: ToView): void {
    void this.panel.webview.postMessage(message);
  }

  /** The source was edited: compute again once the edits pause. */
  changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending?.cancel();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async receive(message: FromView): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The view saves its source with its state, so that VS Code can restore it after a reload.
        this.post({ type: 'source', uri: this.source.toString() });
        // A webview shown again starts afresh: give it what it had.
        if (this.report) this.post({ type: 'report', report: this.report });
        else await this.refresh();
        return;
      case 'pick':
        this.openedRecords(this, message.filter, await this.filter.open(this.source, message.filter));
        return;
      case 'verdict':
        await vscode.window.showTextDocument(this.source, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
        await vscode.commands.executeCommand('flowlog.explainRejections', this.source);
        return;
      case 'ask':
        this.top = Math.max(1, Math.min(1000, Math.floor(message.top)));
        if (message.groupBy) this.extraGrouping = message.groupBy;
        await this.refresh();
        return;
      case 'rendered':
        this.lastRendered = message;
        this.rendered(this, message);
        return;
    }
  }

  async refresh(): Promise<void> {
    this.pending?.cancel();
    const pending = new vscode.CancellationTokenSource();
    this.pending = pending;
    this.post({ type: 'status', text: 'Summarising…', busy: true });
    const client = await this.client();
    if (!client) return this.post({ type: 'status', text: 'The flowlog language server is not running.', busy: false });
    const ask = (options: SummaryOptions) => client.sendRequest(SummaryRequest, { uri: this.source.toString(), options }, pending.token).catch(() => null);
    const extra = this.extraGrouping;
    const [main, asked] = await Promise.all([ask({ top: this.top }), extra ? ask({ groupBy: [extra], top: this.top }) : Promise.resolve(undefined)]);
    if (pending.token.isCancellationRequested) return;
    if (!main) return this.post({ type: 'status', text: `${baseName(this.source)} is not open: open it to see its summary.`, busy: false });
    if (asked?.problem) this.extraGrouping = undefined;
    this.report = { ...main.report, top: [...main.report.top, ...(asked && !asked.problem ? asked.report.top : [])] };
    this.post({ type: 'report', report: this.report });
    this.post({ type: 'status', text: statusText(main, asked?.problem), busy: false });
  }
}

function statusText(result: SummaryResult, groupingProblem: string | undefined): string {
  const notes = [];
  if (!result.recognised) notes.push('This file does not look like a flow log: its lines are counted as malformed.');
  if (groupingProblem) notes.push(`Grouping: ${groupingProblem}.`);
  return notes.join(' ');
}

function sourceOf(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target;
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === 'flowlog' ? document.uri : undefined;
}

export function registerSummary(extension: vscode.ExtensionContext, client: () => Promise<BaseLanguageClient | undefined>, filter: FilterApi): SummaryApi {
  const panels = new Map<string, SummaryPanel>();
  const renderedEvent = new vscode.EventEmitter<{ source: string; rendered: Rendered }>();
  const onRendered = (panel: SummaryPanel, rendered: Rendered) => renderedEvent.fire({ source: panel.source.toString(), rendered });
  const recordsEvent = new vscode.EventEmitter<{ source: string; filter: string; document: vscode.TextDocument }>();
  const onRecords = (panel: SummaryPanel, filter: string, document: vscode.TextDocument) => recordsEvent.fire({ source: panel.source.toString(), filter, document });

  function show(target?: unknown): SummaryPanel | undefined {
    const source = sourceOf(target);
    if (!source) {
      void vscode.window.showInformationMessage('Open a flow log file to see its summary.');
      return undefined;
    }
    const key = source.toString();
    const open = panels.get(key);
    if (open) {
      open.panel.reveal(vscode.ViewColumn.Beside);
      return open;
    }
    const webview = vscode.window.createWebviewPanel(VIEW_TYPE, `Summary: ${baseName(source)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, SummaryPanel.options(extension));
    return adopt(webview, source);
  }

  function adopt(webview: vscode.WebviewPanel, source: vscode.Uri): SummaryPanel {
    const key = source.toString();
    panels.get(key)?.panel.dispose();
    const panel = new SummaryPanel(webview, source, extension, client, filter, onRendered, onRecords);
    panels.set(key, panel);
    webview.onDidDispose(() => {
      panel.dispose();
      if (panels.get(key) === panel) panels.delete(key);
    });
    return panel;
  }

  async function restore(webview: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = typeof state === 'object' && state !== null ? (state as { source?: unknown }).source : undefined;
    let source: vscode.Uri | undefined;
    try {
      source = typeof saved === 'string' ? vscode.Uri.parse(saved, true) : undefined;
    } catch {
      source = undefined;
    }
    if (!source) {
      webview.dispose();
      return;
    }
    webview.webview.options = SummaryPanel.options(extension);
    webview.title = `Summary: ${baseName(source)}`;
    // The language server summarises open documents only: open the log (without showing it) so the numbers come back.
    await Promise.resolve(vscode.workspace.openTextDocument(source)).catch(() => undefined);
    adopt(webview, source);
  }

  extension.subscriptions.push(
    renderedEvent,
    recordsEvent,
    vscode.commands.registerCommand('flowlog.showSummary', (target?: unknown) => void show(target)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, { deserializeWebviewPanel: restore }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) panels.get(event.document.uri.toString())?.changed();
    }),
    { dispose: () => panels.forEach((panel) => panel.panel.dispose()) },
  );

  return {
    open(source) {
      return new Promise((resolve) => {
        const panel = show(source);
        if (!panel) return;
        if (panel.lastRendered) return resolve(panel.lastRendered);
        const listening = renderedEvent.event((event) => {
          if (event.source !== source.toString()) return;
          listening.dispose();
          resolve(event.rendered);
        });
      });
    },
    click: (source, target) => panels.get(source.toString())?.post({ type: 'click', target }),
    rendered: (source) => panels.get(source.toString())?.lastRendered,
    restore,
    report: (source) => panels.get(source.toString())?.report,
    onDidRender: renderedEvent.event,
    onDidOpenRecords: recordsEvent.event,
  };
}

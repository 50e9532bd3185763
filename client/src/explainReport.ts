/**
 * Flow Log: Explain Rejections. The server pairs the document's records and writes the report
 * (markdown, conversations with a REJECT grouped by verdict, links to the lines); it opens as a
 * read-only virtual document, so it works the same in VS Code for the web.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { ExplainRejectionsRequest } from '../../server/src/lsp/protocol';

export const REPORT_SCHEME = 'flowlog-report';

/** Reports by their URI; a report is replaced when the command runs again for the same log. */
class ReportProvider implements vscode.TextDocumentContentProvider {
  readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? 'This report is no longer available: run Flow Log: Explain Rejections again.';
  }

  set(uri: vscode.Uri, markdown: string): void {
    this.reports.set(uri.toString(), markdown);
    this.changed.fire(uri);
  }
}

function logDocument(target?: unknown): vscode.TextDocument | undefined {
  if (target instanceof vscode.Uri) return vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === 'flowlog' ? document : undefined;
}

/** Runs the report for a flow log document; resolves to the report's URI (undefined when there was nothing to report on). */
async function explainRejections(provider: ReportProvider, client: BaseLanguageClient | undefined, target?: unknown): Promise<vscode.Uri | undefined> {
  const document = logDocument(target);
  if (!document || !client) {
    void vscode.window.showInformationMessage('Open a flow log file to explain its rejections.');
    return undefined;
  }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'flowlog: pairing records' }, () =>
    client.sendRequest(ExplainRejectionsRequest, { uri: document.uri.toString() }),
  );
  if (!result) return undefined;
  const name = document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1) || 'flow log';
  const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name} — rejections.md`, query: document.uri.toString() });
  provider.set(uri, result.markdown);
  const report = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(report, 'markdown');
  await vscode.window.showTextDocument(report, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return uri;
}

export function registerExplainReport(extension: vscode.ExtensionContext, client: () => BaseLanguageClient | undefined): void {
  const provider = new ReportProvider();
  extension.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, provider),
    vscode.commands.registerCommand('flowlog.explainRejections', (target?: unknown) => explainRejections(provider, client(), target)),
  );
}

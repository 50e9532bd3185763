/**
 * `.log.gz` flow logs (how S3 delivers them) open decompressed and read-only, with every
 * language feature. A `flowlog-gz:` document's path is the original path without `.gz` and its
 * query is the original URI; a TextDocumentContentProvider reads and decompresses the original
 * (zlib on the desktop, DecompressionStream on the web). Opening a `*.log.gz` file in the editor
 * goes through a custom editor that only redirects to that document.
 */
import * as vscode from 'vscode';

export const GZIP_SCHEME = 'flowlog-gz';
export const REDIRECT_EDITOR = 'flowlog.gzipRedirect';

export type Gunzip = (data: Uint8Array) => Promise<Uint8Array>;

export function toGzipUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: GZIP_SCHEME, path: source.path.replace(/\.gz$/i, ''), query: source.toString() });
}

export function fromGzipUri(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(uri.query, true);
}

const isGzip = (data: Uint8Array): boolean => data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;

class GzipContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly gunzip: Gunzip) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = fromGzipUri(uri);
    const name = source.path.slice(source.path.lastIndexOf('/') + 1);
    let data: Uint8Array;
    try {
      data = await vscode.workspace.fs.readFile(source);
    } catch (error) {
      throw new Error(`Cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A file named .gz that is not compressed is shown as it is.
    if (!isGzip(data)) return new TextDecoder('utf-8').decode(data);
    try {
      return new TextDecoder('utf-8').decode(await this.gunzip(data));
    } catch (error) {
      throw new Error(`Cannot decompress ${name}: it is not a complete gzip file (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
}

/** Opens a `.gz` file decompressed, as a read-only flow log. */
export async function openGzip(source: vscode.Uri, viewColumn?: vscode.ViewColumn): Promise<vscode.TextEditor | undefined> {
  try {
    let document = await vscode.workspace.openTextDocument(toGzipUri(source));
    if (document.languageId !== 'flowlog') document = await vscode.languages.setTextDocumentLanguage(document, 'flowlog');
    return await vscode.window.showTextDocument(document, { viewColumn, preview: false });
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** The custom editor of `*.log.gz`: shows the decompressed document in its place and closes itself. */
class GzipRedirectEditor implements vscode.CustomReadonlyEditorProvider {
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose() {} };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: false, enableCommandUris: false };
    // Shown only for the moment before the redirect; nothing is loaded or run.
    panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none';"></head><body><p>Opening the decompressed flow log…</p></body></html>`;
    const editor = await openGzip(document.uri, panel.viewColumn);
    if (editor) panel.dispose();
  }
}

export function registerGzip(context: vscode.ExtensionContext, gunzip: Gunzip): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(GZIP_SCHEME, new GzipContentProvider(gunzip)),
    vscode.window.registerCustomEditorProvider(REDIRECT_EDITOR, new GzipRedirectEditor(), { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand('flowlog.openGzip', async (target?: vscode.Uri) => {
      let source = target instanceof vscode.Uri ? target : undefined;
      if (!source) {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Open Flow Log', filters: { 'Gzip-compressed flow logs': ['gz'], 'All files': ['*'] } });
        source = picked?.[0];
      }
      return source ? openGzip(source) : undefined;
    }),
  );
}

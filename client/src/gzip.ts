/**
 * `.log.gz` flow logs (how S3 delivers them) open decompressed and read-only, with every
 * language feature. A `flowlog-gz:` document's path is the original path without `.gz` and its
 * query is the original URI; a TextDocumentContentProvider reads and decompresses the original
 * (DecompressionStream, on the web and the desktop alike) up to `flowlog.gzip.maxDecompressedMB`:
 * past it the document is refused with a message that says how to raise the limit and which CLI
 * command reads any size. Opening a `*.log.gz` file in the editor goes through a custom editor
 * that only redirects to that document.
 */
import * as vscode from 'vscode';
import { DecompressedTooLarge, formatMiB, gunzipText } from './gunzipText';

export const GZIP_SCHEME = 'flowlog-gz';
export const REDIRECT_EDITOR = 'flowlog.gzipRedirect';

/** `flowlog.gzip.maxDecompressedMB`: default and bounds (a JS string holds at most ~512 Mi characters). */
export const GZIP_LIMIT_SETTING = 'gzip.maxDecompressedMB';
export const GZIP_LIMIT_DEFAULT_MB = 200;
export const GZIP_LIMIT_MAX_MB = 500;

/** The decompressed size limit in bytes, from the setting; out-of-range values fall back to the default. */
export function gzipLimitBytes(): number {
  const value = vscode.workspace.getConfiguration('flowlog').get<unknown>(GZIP_LIMIT_SETTING);
  const mb = typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= GZIP_LIMIT_MAX_MB ? value : GZIP_LIMIT_DEFAULT_MB;
  return mb * 1024 * 1024;
}

/** A `.gz` file too large to open in the editor; the message says what to do instead. */
class GzipTooLarge extends Error {}

function tooLargeMessage(source: vscode.Uri, name: string, why: string, limitBytes: number): string {
  const path = source.scheme === 'file' ? source.fsPath : name;
  return (
    `Cannot open ${name}: ${why}, the limit for compressed flow logs in the editor (flowlog.gzip.maxDecompressedMB = ${formatMiB(limitBytes)}). ` +
    `Raise that setting (up to ${GZIP_LIMIT_MAX_MB}) to open it here, or check the whole file with the command-line tool, which streams any size: flowlog lint "${path}"`
  );
}

export function toGzipUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: GZIP_SCHEME, path: source.path.replace(/\.gz$/i, ''), query: source.toString() });
}

export function fromGzipUri(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(uri.query, true);
}

const isGzip = (data: Uint8Array): boolean => data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;

class GzipContentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = fromGzipUri(uri);
    const name = source.path.slice(source.path.lastIndexOf('/') + 1);
    const limit = gzipLimitBytes();
    let data: Uint8Array;
    try {
      // Larger than the limit even compressed: not read at all.
      const { size } = await vscode.workspace.fs.stat(source);
      if (size > limit) throw new GzipTooLarge(tooLargeMessage(source, name, `it is ${formatMiB(size)} even compressed, more than ${formatMiB(limit)}`, limit));
      data = await vscode.workspace.fs.readFile(source);
    } catch (error) {
      if (error instanceof GzipTooLarge) throw error;
      throw new Error(`Cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A file named .gz that is not compressed is shown as it is.
    if (!isGzip(data)) return new TextDecoder('utf-8').decode(data);
    try {
      return await gunzipText(data, limit);
    } catch (error) {
      if (error instanceof DecompressedTooLarge) throw new GzipTooLarge(tooLargeMessage(source, name, error.message, limit));
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
    const message = error instanceof Error ? error.message : String(error);
    if (/flowlog\.gzip\.maxDecompressedMB/.test(message)) {
      // The error crossed from the content provider as a plain Error: recognised by its text.
      void vscode.window.showErrorMessage(message, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `flowlog.${GZIP_LIMIT_SETTING}`);
      });
    } else {
      void vscode.window.showErrorMessage(message);
    }
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
    else panel.webview.html = panel.webview.html.replace('Opening the decompressed flow log…', 'This file could not be opened as a flow log; the notification says why.');
  }
}

export function registerGzip(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(GZIP_SCHEME, new GzipContentProvider()),
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

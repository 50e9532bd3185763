/**
 * Most flow logs arrive as plain `.log` files (or untitled text pasted from a console). When such
 * a document opens and its first lines are a header line or flow log records, it is switched to
 * the flowlog language. Each document is judged once, so a user who switches it back keeps
 * their choice. `flowlog.autoDetect: false` turns this off.
 */
import * as vscode from 'vscode';
import { DETECTION_LINES, leadingLines, looksLikeFlowLog } from './detect';
import { GZIP_SCHEME } from './gzip';

const CANDIDATE_LANGUAGES = new Set(['log', 'plaintext']);
/** Lines read to find DETECTION_LINES non-blank ones. */
const LINES_READ = DETECTION_LINES * 5;

function firstLines(document: vscode.TextDocument): string[] {
  const last = Math.min(document.lineCount, LINES_READ);
  return leadingLines(document.getText(new vscode.Range(0, 0, last, 0)), DETECTION_LINES);
}

export function registerAutoDetect(context: vscode.ExtensionContext): void {
  const judged = new Set<string>();

  const consider = async (document: vscode.TextDocument): Promise<void> => {
    const key = document.uri.toString();
    if (document.uri.scheme === GZIP_SCHEME && document.languageId !== 'flowlog') {
      await vscode.languages.setTextDocumentLanguage(document, 'flowlog');
      return;
    }
    if (!CANDIDATE_LANGUAGES.has(document.languageId) || judged.has(key)) return;
    if (!vscode.workspace.getConfiguration('flowlog', document.uri).get<boolean>('autoDetect', true)) return;
    // Untitled documents start empty: judge them once there is text.
    if (document.isUntitled && document.getText().trim() === '') return;
    judged.add(key);
    if (looksLikeFlowLog(firstLines(document))) {
      try {
        await vscode.languages.setTextDocumentLanguage(document, 'flowlog');
      } catch {
        // The document was closed meanwhile.
      }
    }
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => void consider(document)),
    vscode.workspace.onDidCloseTextDocument((document) => judged.delete(document.uri.toString())),
    // Text pasted into an empty untitled editor.
    vscode.workspace.onDidChangeTextDocument(({ document }) => {
      if (document.isUntitled && !judged.has(document.uri.toString())) void consider(document);
    }),
  );
  for (const document of vscode.workspace.textDocuments) void consider(document);
}

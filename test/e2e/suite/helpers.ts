/**
 * Helpers for the end-to-end suite. It runs in the web extension host too, where there is no
 * Node `assert`: failures are thrown as plain errors. Waiting is on VS Code events, with a
 * timeout that turns a missing event into a readable failure.
 */
import * as vscode from 'vscode';
import type { FlowLogApi } from '../../../client/src/common';

export const EXTENSION_ID = 'flowlog.flowlog';

export function ok(value: unknown, message: string): asserts value {
  if (!value) throw new Error(message);
}

export function equal<T>(actual: T, expected: T, message: string): void {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export async function flowlogApi(): Promise<FlowLogApi> {
  const extension = vscode.extensions.getExtension<FlowLogApi>(EXTENSION_ID);
  ok(extension, `extension ${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  await api.ready();
  return api;
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  ok(folder, 'a workspace folder (run with --folder test/e2e/workspace)');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openFile(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(document);
  return document;
}

/** Resolves with the first value `check` returns once an event fires (or at once); rejects after `ms`. */
export function waitFor<T>(event: vscode.Event<unknown>, check: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = check();
    if (first !== undefined) return resolve(first);
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const subscription = event(() => {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/** flowlog diagnostics of a document once `accept` approves them. */
export function diagnosticsWhere(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string, ms?: number): Promise<vscode.Diagnostic[]> {
  return waitFor(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'flowlog');
      return accept(diagnostics) ? diagnostics : undefined;
    },
    what,
    ms,
  );
}

export function codesOf(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code)).sort();
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

export function columnOf(document: vscode.TextDocument, line: number, needle: string): number {
  const at = document.lineAt(line).text.indexOf(needle);
  ok(at >= 0, `'${needle}' on line ${line}`);
  return at;
}

/**
 * Commands: insert a header line (the server builds it from the detected format), choose the
 * record format (a known layout or a typed field list, written to `flowlog.format`), restart the
 * language server.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { KNOWN_LAYOUTS } from '../../server/src/catalog/layouts';
import { parseFieldList } from '../../server/src/service/fieldList';
import { HeaderEditRequest } from '../../server/src/lsp/protocol';

export interface CommandContext {
  client(): BaseLanguageClient | undefined;
  restart(): Promise<void>;
}

function flowLogDocument(target?: unknown): vscode.TextDocument | undefined {
  // A code lens passes the document's URI as a string.
  if (typeof target === 'string') return vscode.workspace.textDocuments.find((d) => d.uri.toString() === target);
  if (target instanceof vscode.Uri) return vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === 'flowlog' ? document : undefined;
}

async function insertHeader(context: CommandContext, target?: unknown): Promise<boolean> {
  const document = flowLogDocument(target);
  const client = context.client();
  if (!document || !client) {
    void vscode.window.showInformationMessage('Open a flow log file to insert a header line.');
    return false;
  }
  const result = await client.sendRequest(HeaderEditRequest, { uri: document.uri.toString() });
  if (!result.edit) {
    void vscode.window.showInformationMessage('This file already declares its format in a header line or directive.');
    return false;
  }
  const { start, end } = result.edit.range;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(start.line, start.character, end.line, end.character), result.edit.newText);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) void vscode.window.showWarningMessage('The header line could not be inserted (is the file read-only?).');
  return applied;
}

interface FormatItem extends vscode.QuickPickItem {
  value?: string;
  custom?: boolean;
}

function validateFieldList(value: string): string | vscode.InputBoxValidationMessage | undefined {
  if (value.trim() === '') return undefined;
  const list = parseFieldList(value);
  if (list.names.length === 0) return 'Type field names separated by spaces, a ${…} LogFormat string or a layout id.';
  // The server does not apply such a format (it detects the format instead), so it is not accepted here.
  if (list.unknown.length > 0) {
    const names = list.unknown.map((u) => `'${u.written}'${u.suggestion ? ` (did you mean '${u.suggestion}'?)` : ''}`).join(', ');
    return { message: `Not flow log fields: ${names}`, severity: vscode.InputBoxValidationSeverity.Error };
  }
  if (list.duplicates.length > 0) return { message: `'${list.duplicates[0].name}' appears more than once`, severity: vscode.InputBoxValidationSeverity.Error };
  return undefined;
}

async function setFormat(target?: unknown): Promise<void> {
  const document = flowLogDocument(target);
  const configuration = vscode.workspace.getConfiguration('flowlog', document?.uri);
  const current = configuration.get<string>('format', '');
  const items: FormatItem[] = [
    { label: '$(search) Detect from the file', description: 'header line, directive or inference', value: '' },
    { label: '$(edit) Type a field list…', description: 'names, ${…} LogFormat or underscores', custom: true },
    { label: 'Known layouts', kind: vscode.QuickPickItemKind.Separator },
    ...KNOWN_LAYOUTS.map((layout) => ({
      label: layout.label,
      description: `${layout.id} · ${layout.fields.length} fields${layout.id === current ? ' · current' : ''}`,
      detail: layout.source,
      value: layout.id,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Flow log record format', placeHolder: 'Choose the format of records without a header line' });
  if (!picked) return;
  let value = picked.value;
  if (picked.custom) {
    value = await vscode.window.showInputBox({
      title: 'Flow log record format',
      prompt: 'Field names in record order, e.g. version account-id interface-id srcaddr dstaddr …',
      value: current,
      validateInput: validateFieldList,
    });
    if (value === undefined) return;
  }
  const scope = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await configuration.update('format', value?.trim() ? value.trim() : undefined, scope);
}

export function registerCommands(extension: vscode.ExtensionContext, context: CommandContext): void {
  extension.subscriptions.push(
    vscode.commands.registerCommand('flowlog.insertHeader', (target?: unknown) => insertHeader(context, target)),
    vscode.commands.registerCommand('flowlog.setFormat', (target?: unknown) => setFormat(target)),
    vscode.commands.registerCommand('flowlog.restartServer', () => context.restart()),
  );
}

/**
 * Flow Log: Filter Records… (issue 11). An input with completion of fields and values, live
 * validation by the server and a history; the result opens as a read-only flow log document
 * (a virtual document: header lines kept, a first line saying what was filtered) whose lines
 * lead back to their source lines with Go to Definition, refreshed when the source is edited.
 * Also "Filter by this value" (hover link and code action) and a code lens on the first line
 * that copies the Athena, Logs Insights or DuckDB export. Works on the desktop and on the web.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { filterCompletions } from './filterCompletions';
import { ExportRequest, FilterCheckRequest, FilterRunRequest, ValueFilterRequest, type ExportTargetName } from '../../server/src/lsp/protocol';

export const FILTER_SCHEME = 'flowlog-filter';
const HISTORY_KEY = 'flowlog.filterHistory';
const HISTORY_SIZE = 20;
const REFRESH_DELAY_MS = 500;

interface ResultQuery {
  source: string;
  expression: string;
}

interface ResultState {
  sourceLines: number[];
}

/** The source document and filter of a result document's URI. */
export function resultQuery(uri: vscode.Uri): ResultQuery | undefined {
  if (uri.scheme !== FILTER_SCHEME) return undefined;
  try {
    const query = JSON.parse(uri.query) as Partial<ResultQuery>;
    return typeof query.source === 'string' && typeof query.expression === 'string' ? { source: query.source, expression: query.expression } : undefined;
  } catch {
    return undefined;
  }
}

export function resultUri(source: vscode.Uri, expression: string): vscode.Uri {
  const name = source.path.slice(source.path.lastIndexOf('/') + 1) || 'flow log';
  return vscode.Uri.from({ scheme: FILTER_SCHEME, path: `/${name} (filtered).flowlog`, query: JSON.stringify({ source: source.toString(), expression }) });
}

class FilterResults implements vscode.TextDocumentContentProvider, vscode.DefinitionProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly states = new Map<string, ResultState>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly client: () => Promise<BaseLanguageClient | undefined>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = resultQuery(uri);
    if (!query) return '# flowlog filter: this link is not a filter result\n';
    const source = vscode.Uri.parse(query.source);
    // The server filters what it has open: open the source (it may be a closed tab of a session).
    await vscode.workspace.openTextDocument(source);
    const client = await this.client();
    if (!client) return `# flowlog filter: ${query.expression} · the language server is not running\n`;
    const result = await client.sendRequest(FilterRunRequest, { uri: query.source, expression: query.expression });
    if (!result) return `# flowlog filter: ${query.expression} · the source is not a flow log document\n`;
    if (result.problem) return `# flowlog filter: ${query.expression}\n# bad filter at column ${result.problem.start + 1}: ${result.problem.message}\n`;
    this.states.set(uri.toString(), { sourceLines: result.sourceLines });
    return result.text;
  }

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const query = resultQuery(document.uri);
    const line = this.states.get(document.uri.toString())?.sourceLines[position.line];
    if (!query || line === undefined || line < 0) return undefined;
    return new vscode.Location(vscode.Uri.parse(query.source), new vscode.Position(line, 0));
  }

  /** The source line of a result line, for tests and the link provider. */
  sourceLineOf(uri: vscode.Uri, line: number): number | undefined {
    return this.states.get(uri.toString())?.sourceLines[line];
  }

  /** Results of an edited source are filtered again once the edits pause. */
  sourceChanged(source: vscode.Uri): void {
    for (const document of vscode.workspace.textDocuments) {
      const query = resultQuery(document.uri);
      if (query?.source !== source.toString()) continue;
      const key = document.uri.toString();
      clearTimeout(this.timers.get(key));
      this.timers.set(key, setTimeout(() => {
        this.timers.delete(key);
        this.changed.fire(document.uri);
      }, REFRESH_DELAY_MS));
    }
  }

  forget(uri: vscode.Uri): void {
    this.states.delete(uri.toString());
  }
}

// ---- the filter input --------------------------------------------------------------------------

interface FilterItem extends vscode.QuickPickItem {
  /** Run the filter as typed. */
  run?: boolean;
  /** Replace the input with this text. */
  value?: string;
}

function sourceOf(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return resultQuery(target) ? vscode.Uri.parse((resultQuery(target) as ResultQuery).source) : target;
  const document = vscode.window.activeTextEditor?.document;
  if (!document) return undefined;
  const query = resultQuery(document.uri);
  if (query) return vscode.Uri.parse(query.source);
  return document.languageId === 'flowlog' ? document.uri : undefined;
}

export interface FilterApi {
  /** Opens the result of a filter over a source document; resolves with the result document. */
  open(source: vscode.Uri, expression: string): Promise<vscode.TextDocument>;
  sourceLineOf(result: vscode.Uri, line: number): number | undefined;
}

/** `client` resolves once a starting server runs (a restored result tab may come first). */
export function registerFilter(extension: vscode.ExtensionContext, client: () => Promise<BaseLanguageClient | undefined>): FilterApi {
  const results = new FilterResults(client);
  const history = (): string[] => extension.globalState.get<string[]>(HISTORY_KEY, []);
  const remember = (expression: string) => extension.globalState.update(HISTORY_KEY, [expression, ...history().filter((e) => e !== expression)].slice(0, HISTORY_SIZE));
  /** The last filter used on each source, for the export lenses. */
  const lastFilter = new Map<string, string>();

  async function open(source: vscode.Uri, expression: string): Promise<vscode.TextDocument> {
    lastFilter.set(source.toString(), expression);
    void remember(expression);
    const uri = resultUri(source, expression);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'flowlog') await vscode.languages.setTextDocumentLanguage(document, 'flowlog');
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return document;
  }

  async function ask(source: vscode.Uri, initial: string): Promise<string | undefined> {
    const input = vscode.window.createQuickPick<FilterItem>();
    input.title = 'Flow Log: Filter Records';
    input.placeholder = 'e.g. action = reject and dstport = ssh and not srcaddr in 10.0.0.0/8';
    input.value = initial;
    input.matchOnDescription = false;
    let fields: string[] = [];
    let valid = false;
    let generation = 0;
    const refresh = async () => {
      const mine = ++generation;
      const value = input.value;
      const check = value.trim() ? await (await client())?.sendRequest(FilterCheckRequest, { uri: source.toString(), expression: value }) : undefined;
      if (mine !== generation) return;
      if (check) fields = check.fields;
      valid = !!check && !check.problem;
      const items: FilterItem[] = [];
      if (check?.problem) items.push({ label: `$(error) column ${check.problem.start + 1}: ${check.problem.message}`, alwaysShow: true, value: check.problem.suggestion ? value.slice(0, check.problem.start) + check.problem.suggestion + value.slice(check.problem.end) : undefined, description: check.problem.suggestion ? 'Enter to correct' : undefined });
      else if (value.trim()) items.push({ label: `$(filter) Filter: ${value}`, description: 'Enter to run', alwaysShow: true, run: true });
      for (const completion of filterCompletions(value, fields)) items.push({ label: completion.label, description: completion.detail, alwaysShow: true, value: completion.value });
      const past = history().filter((e) => e !== value);
      if (past.length > 0) {
        items.push({ label: 'recent filters', kind: vscode.QuickPickItemKind.Separator });
        for (const expression of past) items.push({ label: `$(history) ${expression}`, alwaysShow: true, value: expression });
      }
      input.items = items;
    };
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (value: string | undefined) => {
        if (done) return;
        done = true;
        resolve(value);
        input.dispose();
      };
      input.onDidChangeValue(() => void refresh());
      input.onDidAccept(() => {
        const item = input.activeItems[0];
        if (item?.run || (!item && valid)) return finish(input.value.trim());
        if (item?.value !== undefined) {
          input.value = item.value;
          void refresh();
        }
      });
      input.onDidHide(() => finish(undefined));
      input.show();
      void refresh();
    });
  }

  async function filterRecords(target?: unknown, expression?: string): Promise<vscode.TextDocument | undefined> {
    // From a hover link or code action: (source URI string, expression); from the palette: nothing.
    const source = typeof target === 'string' ? vscode.Uri.parse(target) : sourceOf(target);
    if (!source) {
      void vscode.window.showInformationMessage('Open a flow log file to filter its records.');
      return undefined;
    }
    const chosen = expression ?? (await ask(source, lastFilter.get(source.toString()) ?? ''));
    return chosen ? open(source, chosen) : undefined;
  }

  async function copyExport(target: unknown, kind: ExportTargetName): Promise<void> {
    const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return;
    const query = resultQuery(uri);
    const source = query ? query.source : uri.toString();
    const expression = query ? query.expression : lastFilter.get(source);
    const result = await (await client())?.sendRequest(ExportRequest, { uri: source, target: kind, expression });
    if (!result?.text) {
      void vscode.window.showWarningMessage(result?.problem ? `Filter: ${result.problem.message}` : 'No export for this document.');
      return;
    }
    await vscode.env.clipboard.writeText(result.text);
    void vscode.window.showInformationMessage(`Copied the ${EXPORT_LABELS[kind]}${expression ? ` for “${expression}”` : ''}.`);
  }

  const selector: vscode.DocumentSelector = [{ language: 'flowlog' }];
  extension.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(FILTER_SCHEME, results),
    vscode.languages.registerDefinitionProvider({ scheme: FILTER_SCHEME }, results),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.scheme !== FILTER_SCHEME && event.contentChanges.length > 0) results.sourceChanged(event.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => results.forget(document.uri)),
    vscode.commands.registerCommand('flowlog.filterRecords', filterRecords),
    vscode.commands.registerCommand('flowlog.copyExport', copyExport),
    vscode.languages.registerHoverProvider(selector, {
      async provideHover(document, position) {
        const expression = await valueFilter(await client(), document, position);
        if (!expression) return undefined;
        const args = encodeURIComponent(JSON.stringify([sourceOf(document.uri)?.toString() ?? document.uri.toString(), expression]));
        const markdown = new vscode.MarkdownString(`[$(filter) Filter by \`${expression}\`](command:flowlog.filterRecords?${args})`, true);
        markdown.isTrusted = { enabledCommands: ['flowlog.filterRecords'] };
        return new vscode.Hover(markdown);
      },
    }),
    vscode.languages.registerCodeActionsProvider(selector, {
      async provideCodeActions(document, range) {
        const expression = await valueFilter(await client(), document, range.start);
        if (!expression) return [];
        const action = new vscode.CodeAction(`Filter by ${expression}`, vscode.CodeActionKind.Empty);
        action.command = { title: action.title, command: 'flowlog.filterRecords', arguments: [sourceOf(document.uri)?.toString() ?? document.uri.toString(), expression] };
        return [action];
      },
    }),
    vscode.languages.registerCodeLensProvider(selector, {
      provideCodeLenses(document) {
        const line = resultQuery(document.uri) ? 0 : firstContentLine(document);
        const range = new vscode.Range(line, 0, line, 0);
        return (Object.keys(EXPORT_LABELS) as ExportTargetName[]).map((kind) => new vscode.CodeLens(range, { title: `Copy ${EXPORT_LABELS[kind]}`, command: 'flowlog.copyExport', arguments: [document.uri, kind] }));
      },
    }),
  );
  return { open, sourceLineOf: (uri, line) => results.sourceLineOf(uri, line) };
}

const EXPORT_LABELS: Record<ExportTargetName, string> = { athena: 'Athena table', insights: 'Logs Insights query', duckdb: 'DuckDB query' };

function firstContentLine(document: vscode.TextDocument): number {
  for (let line = 0; line < Math.min(document.lineCount, 50); line++) if (document.lineAt(line).text.trim() !== '') return line;
  return 0;
}

async function valueFilter(client: BaseLanguageClient | undefined, document: vscode.TextDocument, position: vscode.Position): Promise<string | undefined> {
  if (!client) return undefined;
  const result = await client.sendRequest(ValueFilterRequest, { uri: document.uri.toString(), position: { line: position.line, character: position.character } });
  return result?.expression;
}

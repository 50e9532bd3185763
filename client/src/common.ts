/**
 * What the desktop and web extensions share: the language client (through a supervisor that
 * restarts the server), the status bar, the commands, language auto-detection and `.log.gz`
 * support. The two entries only supply how to start and how to kill the server.
 */
import * as vscode from 'vscode';
import { FormatInfoRequest, PingRequest, type FormatInfo } from '../../server/src/lsp/protocol';
import { registerAutoDetect } from './autoDetect';
import { ColumnAlignment, type AlignmentApi } from './columnAlignment';
import { registerColumnCommands } from './columnCommands';
import { ColumnStatus } from './columnStatus';
import { registerCommands } from './commands';
import { registerExplainReport } from './explainReport';
import { registerFilter, type FilterApi } from './filter';
import { registerGoToTime } from './goToTime';
import { registerGzip } from './gzip';
import { FormatStatus } from './statusBar';
import { registerSummary, type SummaryApi } from './summary';
import { ServerSupervisor, type ClientFactory } from './supervisor';

export interface Platform {
  createClient: ClientFactory;
  /** Ends the running server abruptly, as a crash would (used by the restart tests). */
  killServer(supervisor: ServerSupervisor): Promise<void>;
}

/** The extension's exports, for tests and other extensions. */
export interface FlowLogApi {
  /** Resolves once the language server runs; at once while no flow log document asked for it. */
  ready(): Promise<void>;
  /** Whether the language server was started (it starts with the first flow log document). */
  serverStarted(): boolean;
  /** The format the server reported for a document. */
  formatInfo(uri: vscode.Uri): FormatInfo | undefined;
  /** Fires when the server reports a document's format. */
  onDidChangeFormat: vscode.Event<FormatInfo>;
  /** How many times the server was started again. */
  restarts(): number;
  /** How the running server checks records: its WebAssembly kernel, or JavaScript where that could not load. */
  recordCheck(): Promise<'webassembly' | 'javascript' | undefined>;
  /** Where the running server paired its last large document: on its pairing thread, or on its own thread (none could be started). */
  pairing(): Promise<'thread' | 'server' | undefined>;
  /** Fires when a server started again is running. */
  onDidRestart: vscode.Event<void>;
  killServer(): Promise<void>;
  /** The filter result documents (issue 11). */
  filter: FilterApi;
  /** The time spans shown in the format status tooltip for a document (file and visible lines), once known. */
  timeSpan(uri: vscode.Uri): string | undefined;
  /** Aligned columns and the column under the cursor (issue 13). */
  columns: AlignmentApi & {
    /** The text of the column status item, '' while hidden. */
    statusText(): string;
    /** Fires with the status item's text after each update. */
    onDidChangeStatus: vscode.Event<string>;
  };
  /** The Show Summary views (issue 14). */
  summary: SummaryApi;
}

/**
 * The extension activates for plain-text and `.log` documents so that auto-detection (client
 * side, no server) can look at them; the language server starts only once a document is in the
 * flowlog language — opened as one, or switched to it by auto-detection or by the user.
 */
function startServerWithFirstFlowLog(context: vscode.ExtensionContext, supervisor: ServerSupervisor): void {
  const isFlowLog = (document: vscode.TextDocument): boolean => document.languageId === 'flowlog';
  if (vscode.workspace.textDocuments.some(isFlowLog)) {
    void supervisor.start();
    return;
  }
  const waiting = vscode.workspace.onDidOpenTextDocument((document) => {
    if (!isFlowLog(document)) return;
    waiting.dispose();
    if (!supervisor.started) void supervisor.start();
  });
  context.subscriptions.push(waiting);
}

export function activateFlowLog(context: vscode.ExtensionContext, platform: Platform): FlowLogApi {
  const status: FormatStatus = new FormatStatus(async (uri) => {
    const client = supervisor.client;
    return client ? client.sendRequest(FormatInfoRequest, { uri }) : undefined;
  });
  const alignment: ColumnAlignment = new ColumnAlignment(() => supervisor.client);
  const supervisor: ServerSupervisor = new ServerSupervisor(platform.createClient, (info) => status.update(info), alignment.middleware());
  const columnStatus = new ColumnStatus(() => supervisor.client);
  context.subscriptions.push(status, alignment, columnStatus, { dispose: () => void supervisor.dispose() });
  // A new server or a new format lays the columns out again.
  context.subscriptions.push(
    supervisor.onDidRestart(() => alignment.refreshAll()),
    status.onDidChange(() => {
      alignment.refreshAll();
      columnStatus.schedule();
    }),
  );

  registerCommands(context, {
    client: () => supervisor.client,
    restart: async () => {
      status.clear();
      await supervisor.restart('restart requested', true);
    },
  });
  registerColumnCommands(context, () => supervisor.client, alignment);
  registerExplainReport(context, () => supervisor.client);
  const filter = registerFilter(context, async () => {
    await supervisor.ready();
    return supervisor.client;
  });
  registerGoToTime(
    context,
    async () => {
      await supervisor.ready();
      return supervisor.client;
    },
    status,
  );
  const summary = registerSummary(context, async () => {
    await supervisor.ready();
    return supervisor.client;
  }, filter);
  registerGzip(context);
  registerAutoDetect(context);
  startServerWithFirstFlowLog(context, supervisor);

  return {
    ready: () => supervisor.ready(),
    serverStarted: () => supervisor.started,
    formatInfo: (uri) => status.get(uri.toString()),
    timeSpan: (uri) => status.timeSpan(uri.toString()),
    onDidChangeFormat: status.onDidChange,
    restarts: () => supervisor.restarts,
    recordCheck: async () => (await supervisor.client?.sendRequest(PingRequest, {}))?.recordCheck,
    pairing: async () => (await supervisor.client?.sendRequest(PingRequest, {}))?.pairing,
    onDidRestart: supervisor.onDidRestart,
    killServer: () => platform.killServer(supervisor),
    filter,
    columns: {
      isAligned: (uri) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        return document ? alignment.isAligned(document) : false;
      },
      alignedLines: (uri) => alignment.alignedLines(uri),
      onDidRender: alignment.onDidRender,
      statusText: () => columnStatus.text,
      onDidChangeStatus: columnStatus.onDidChange,
    },
    summary,
  };
}

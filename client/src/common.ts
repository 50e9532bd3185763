/**
 * What the desktop and web extensions share: the language client (through a supervisor that
 * restarts the server), the status bar, the commands, language auto-detection and `.log.gz`
 * support. The two entries only supply how to start the server and how to decompress.
 */
import * as vscode from 'vscode';
import { FormatInfoRequest, type FormatInfo } from '../../server/src/lsp/protocol';
import { registerAutoDetect } from './autoDetect';
import { registerCommands } from './commands';
import { registerGzip, type Gunzip } from './gzip';
import { FormatStatus } from './statusBar';
import { ServerSupervisor, type ClientFactory } from './supervisor';

export interface Platform {
  createClient: ClientFactory;
  gunzip: Gunzip;
  /** Ends the running server abruptly, as a crash would (used by the restart tests). */
  killServer(supervisor: ServerSupervisor): Promise<void>;
}

/** The extension's exports, for tests and other extensions. */
export interface FlowLogApi {
  /** Resolves once the language server runs. */
  ready(): Promise<void>;
  /** The format the server reported for a document. */
  formatInfo(uri: vscode.Uri): FormatInfo | undefined;
  /** Fires when the server reports a document's format. */
  onDidChangeFormat: vscode.Event<FormatInfo>;
  /** How many times the server was started again. */
  restarts(): number;
  /** Fires when a server started again is running. */
  onDidRestart: vscode.Event<void>;
  killServer(): Promise<void>;
}

export function activateFlowLog(context: vscode.ExtensionContext, platform: Platform): FlowLogApi {
  const status: FormatStatus = new FormatStatus(async (uri) => {
    const client = supervisor.client;
    return client ? client.sendRequest(FormatInfoRequest, { uri }) : undefined;
  });
  const supervisor: ServerSupervisor = new ServerSupervisor(platform.createClient, (info) => status.update(info));
  context.subscriptions.push(status, { dispose: () => void supervisor.dispose() });

  registerCommands(context, {
    client: () => supervisor.client,
    restart: async () => {
      status.clear();
      await supervisor.restart('restart requested', true);
    },
  });
  registerGzip(context, platform.gunzip);
  registerAutoDetect(context);
  void supervisor.start();

  return {
    ready: () => supervisor.ready(),
    formatInfo: (uri) => status.get(uri.toString()),
    onDidChangeFormat: status.onDidChange,
    restarts: () => supervisor.restarts,
    onDidRestart: supervisor.onDidRestart,
    killServer: () => platform.killServer(supervisor),
  };
}

/**
 * Starts the language client and keeps a server running: a server that exits or crashes is
 * started again (a fresh client, so a fresh process or web worker), at most MAX_RESTARTS times in
 * RESTART_WINDOW_MS; a server that stops answering the watchdog's ping is treated as dead too (a
 * terminated web worker sends no close event).
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, RevealOutputChannelOn, State, type BaseLanguageClient, type LanguageClientOptions, type Middleware } from 'vscode-languageclient';
import { FormatChangedNotification, PingRequest, type FormatInfo } from '../../server/src/lsp/protocol';

export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;
const PING_INTERVAL_MS = 5_000;
/** Generous: the server yields every few milliseconds, but parsing a 50 MB didOpen takes a moment. */
const PING_TIMEOUT_MS = 10_000;

export type ClientFactory = (id: string, name: string, options: LanguageClientOptions) => BaseLanguageClient;

export class ServerSupervisor implements vscode.Disposable {
  private current: BaseLanguageClient | undefined;
  private readonly restartTimes: number[] = [];
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private pinging = false;
  private disposed = false;
  private starting: Promise<void> | undefined;
  /** Servers started after the first (for tests and the output channel). */
  restarts = 0;
  readonly output: vscode.OutputChannel;
  private readonly restarted = new vscode.EventEmitter<void>();
  /** Fires when a server started again is running. */
  readonly onDidRestart = this.restarted.event;

  constructor(
    private readonly factory: ClientFactory,
    private readonly onFormat: (info: FormatInfo) => void,
    /** Client-side middleware (the inlay hint filter of aligned columns). */
    private readonly middleware: Middleware = {},
  ) {
    this.output = vscode.window.createOutputChannel('Flow Log Language Server');
  }

  get client(): BaseLanguageClient | undefined {
    return this.current?.state === State.Running ? this.current : undefined;
  }

  /** Resolves when a server is running (or failed to start); at once when none was started. */
  ready(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  /** Whether a server was started (it may have stopped since). */
  get started(): boolean {
    return this.starting !== undefined;
  }

  start(): Promise<void> {
    this.starting = this.startClient().catch((error: unknown) => {
      this.output.appendLine(`flowlog: the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.starting;
  }

  private async startClient(): Promise<void> {
    const options: LanguageClientOptions = {
      documentSelector: [{ language: 'flowlog' }],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      diagnosticPullOptions: { onChange: true, onSave: false },
      initializationFailedHandler: () => false,
      middleware: this.middleware,
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
        // Restarting is ours to do (a new client), so the library's own restart is declined.
        closed: () => {
          void this.restart('the language server stopped');
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
    };
    const client = this.factory('flowlog', 'Flow Log Language Server', options);
    this.current = client;
    client.onNotification(FormatChangedNotification, (info) => this.onFormat(info));
    await client.start();
    this.startWatchdog();
  }

  /** Starts a fresh server, unless it has been restarted too often lately. */
  async restart(reason: string, manual = false): Promise<void> {
    if (this.disposed) return;
    const now = Date.now();
    while (this.restartTimes.length > 0 && now - this.restartTimes[0] > RESTART_WINDOW_MS) this.restartTimes.shift();
    if (!manual && this.restartTimes.length >= MAX_RESTARTS) {
      this.stopWatchdog();
      const message = `The flowlog language server stopped ${MAX_RESTARTS} times in ${RESTART_WINDOW_MS / 60000} minutes and was not restarted. Run "Flow Log: Restart Language Server" to try again.`;
      this.output.appendLine(message);
      void vscode.window.showErrorMessage(message, 'Restart').then((choice) => (choice ? this.restart('restart requested', true) : undefined));
      return;
    }
    this.restartTimes.push(now);
    this.output.appendLine(`flowlog: restarting the language server (${reason}).`);
    this.stopWatchdog();
    const old = this.current;
    this.current = undefined;
    if (old) {
      try {
        await old.dispose(2000);
      } catch {
        // A dead server cannot shut down cleanly; the new one is started regardless.
      }
    }
    this.restarts++;
    await this.start();
    this.restarted.fire();
  }

  private startWatchdog(): void {
    this.stopWatchdog();
    this.watchdog = setInterval(() => {
      const client = this.current;
      if (this.pinging || !client || client.state !== State.Running) return;
      this.pinging = true;
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), PING_TIMEOUT_MS));
      void Promise.race([client.sendRequest(PingRequest, {}).then(() => 'ok' as const, () => 'failed' as const), timeout]).then((result) => {
        this.pinging = false;
        if (client !== this.current) return;
        if (result !== 'ok') void this.restart('the language server stopped answering');
      });
    }, PING_INTERVAL_MS);
  }

  private stopWatchdog(): void {
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
    this.pinging = false;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopWatchdog();
    const client = this.current;
    this.current = undefined;
    try {
      await client?.dispose(2000);
    } catch {
      // Shutting down: nothing left to do.
    }
    this.output.dispose();
    this.restarted.dispose();
  }
}

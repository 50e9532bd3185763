/**
 * A minimal LSP client for tests: spawns the BUILT server (`node dist/server-node.js --stdio`),
 * speaks JSON-RPC over its stdio, answers `workspace/configuration` from `settings`, and records
 * pushed diagnostics, format notifications and warnings so that tests can wait for them.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { ClientCapabilities, Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'dist/server-node.js');
export const FIXTURES = path.join(ROOT, 'test/fixtures/lsp');

export function fixture(name: string): { uri: string; text: string } {
  const file = path.join(FIXTURES, name);
  return { uri: pathToFileURL(file).href, text: readFileSync(file, 'utf8') };
}

export interface ClientOptions {
  /** Advertise pull diagnostics (`textDocument/diagnostic`); push otherwise. */
  pull?: boolean;
  /** The `flowlog` section returned for `workspace/configuration`; changeable later. */
  settings?: unknown;
  /** Advertise `workspace/configuration` (default true); without it settings come by notification. */
  configuration?: boolean;
  /** Advertise `codeAction/resolve` for edits, as VS Code does (default false). */
  resolveCodeActions?: boolean;
  /** Variables added to the server's environment. */
  env?: Record<string, string>;
}

function capabilities(pull: boolean, configuration: boolean, resolveCodeActions = false): ClientCapabilities {
  return {
    workspace: { configuration, didChangeConfiguration: { dynamicRegistration: false }, diagnostics: { refreshSupport: pull } },
    textDocument: {
      synchronization: { dynamicRegistration: false },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      semanticTokens: {
        requests: { full: true, range: true },
        tokenTypes: [],
        tokenModifiers: [],
        formats: ['relative'],
        serverCancelSupport: true,
      },
      inlayHint: {},
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } }, ...(resolveCodeActions ? { dataSupport: true, resolveSupport: { properties: ['edit'] } } : {}) },
      completion: { completionItem: { snippetSupport: false } },
      publishDiagnostics: { versionSupport: true },
      ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
    window: { workDoneProgress: true },
  };
}

export class TestClient {
  readonly connection: MessageConnection;
  readonly warnings: string[] = [];
  readonly published = new Map<string, PublishDiagnosticsParams>();
  readonly formatNotes: { uri: string; label: string }[] = [];
  /** Work-done progress reports, in order. */
  readonly progress: { token: string | number; value: { kind: string; title?: string; percentage?: number } }[] = [];
  settings: unknown;
  /** How many times the server asked to pull diagnostics again. */
  refreshes = 0;
  initializeResult?: InitializeResult;
  private readonly listeners: (() => void)[] = [];
  private readonly stderr: string[] = [];

  private constructor(readonly process: ChildProcessWithoutNullStreams, settings: unknown) {
    this.settings = settings;
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout), new StreamMessageWriter(process.stdin));
    process.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      this.changed();
      return null;
    });
    this.connection.onNotification('window/showMessage', (params: { message: string }) => {
      this.warnings.push(params.message);
      this.changed();
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.set(params.uri, params);
      this.changed();
    });
    this.connection.onNotification('flowlog/formatChanged', (params: { uri: string; label: string }) => {
      this.formatNotes.push(params);
      this.changed();
    });
    this.connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string; title?: string; percentage?: number } }) => {
      this.progress.push(params);
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run 'npm run build' first`);
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...options.env } });
    const client = new TestClient(child, options.settings ?? {});
    client.initializeResult = await client.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: capabilities(options.pull ?? true, options.configuration ?? true, options.resolveCodeActions),
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  private changed(): void {
    for (const listener of this.listeners.splice(0)) listener();
  }

  /** Resolves once `predicate` holds, re-checked after each notification (no polling, no sleeps). */
  waitFor<T>(predicate: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('')}`)), timeoutMs);
      const check = (): void => {
        const value = predicate();
        if (value) {
          clearTimeout(timer);
          resolve(value);
        } else {
          this.listeners.push(check);
        }
      };
      check();
    });
  }

  /** Pushed diagnostics of a document at `version`. */
  pushedDiagnostics(uri: string, version: number): Promise<Diagnostic[]> {
    return this.waitFor(() => {
      const found = this.published.get(uri);
      return found && found.version === version ? found.diagnostics : undefined;
    }, `diagnostics of ${uri} v${version}`);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'flowlog', version, text } });
  }

  change(uri: string, version: number, contentChanges: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  /** Pulled diagnostics (`textDocument/diagnostic`). */
  async pull(uri: string): Promise<Diagnostic[]> {
    const report = await this.request<{ kind: string; items?: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    return report.items ?? [];
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.alive) {
      try {
        await this.request('shutdown', null);
        await this.connection.sendNotification('exit');
      } catch {
        // The server may already be gone; it is killed below.
      }
    }
    const exited = new Promise((resolve) => (this.alive ? this.process.once('exit', resolve) : resolve(undefined)));
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

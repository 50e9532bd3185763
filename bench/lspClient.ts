/**
 * A minimal editor for benchmarks: starts the built language server over stdio, speaks JSON-RPC
 * with vscode-jsonrpc, announces what VS Code announces (pull diagnostics, semantic token ranges,
 * inlay hints, work-done progress, configuration), answers the server's requests, and reads the
 * server's memory from /proc. Settings start as VS Code's defaults; `setInlayHints` changes them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { WorkDoneProgress } from 'vscode-languageserver-protocol';
import { nowMs } from './report';

export interface Position {
  line: number;
  character: number;
}

export interface Diagnostic {
  range: { start: Position; end: Position };
  code?: string | number;
  message: string;
}

export type DiagnosticReport = { kind: 'full'; resultId?: string; items: Diagnostic[] } | { kind: 'unchanged'; resultId: string };

export interface InlayHintSettings {
  fieldNames: boolean;
  decodedValues: boolean;
}

export interface ProbeMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** One answer of bench/memoryProbe.mjs: memory as found, and after a full collection. */
export interface ProbeLine {
  stage: number;
  before: ProbeMemory;
  after: ProbeMemory;
  /** The highest of each figure, sampled every 10 ms during the stage. */
  peak: ProbeMemory;
  snapshot?: string;
}

export class BenchClient {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  pullDiagnostics = false;
  private readonly published = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  private readonly publishWaiters: (() => void)[] = [];
  /** `workspace/diagnostic/refresh` requests received: the server has more than it answered. */
  refreshes = 0;
  private readonly refreshWaiters: (() => void)[] = [];
  /** `workspace/inlayHint/refresh` requests received: the server applied new settings. */
  private inlayRefreshes = 0;
  private readonly inlayRefreshWaiters: (() => void)[] = [];
  /** The `flowlog` section answered to `workspace/configuration`; empty = the server's defaults (VS Code's too). */
  private settings: { inlayHints?: InlayHintSettings } = {};

  /** Titles of the work-done progress the server began, by token; when each title last ended (nowMs). */
  private readonly progressTitles = new Map<string | number, string>();
  readonly progressEnded = new Map<string, number>();

  /** `env`: variables added to the server's environment. */
  constructor(serverPath: string, nodeFlags: string[] = [], env: Record<string, string> = {}) {
    this.process = spawn(process.execPath, [...nodeFlags, serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    const { stdout, stdin } = this.process;
    if (!stdout || !stdin) throw new Error('language server started without stdio pipes');
    this.connection = createMessageConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    this.connection.onRequest((method: string, params: unknown) => {
      if (method === 'window/workDoneProgress/create') this.watchProgress((params as { token: string | number }).token);
      if (method === 'workspace/configuration') return ((params as { items?: unknown[] })?.items ?? []).map(() => this.settings);
      if (method === 'workspace/diagnostic/refresh') {
        this.refreshes++;
        for (const wake of this.refreshWaiters.splice(0)) wake();
      }
      if (method === 'workspace/inlayHint/refresh') {
        this.inlayRefreshes++;
        for (const wake of this.inlayRefreshWaiters.splice(0)) wake();
      }
      // window/workDoneProgress/create, client/registerCapability, the refresh requests: accept.
      return null;
    });
    this.connection.onNotification((method: string, params: unknown) => {
      if (method !== 'textDocument/publishDiagnostics') return;
      const { uri, version, diagnostics } = params as { uri: string; version?: number; diagnostics: Diagnostic[] };
      this.published.set(uri, { version, diagnostics });
      for (const wake of this.publishWaiters.splice(0)) wake();
    });
    this.connection.listen();
  }

  /** Notes when the progress of `token` ends, under the title it began with. */
  private watchProgress(token: string | number): void {
    this.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'begin') this.progressTitles.set(token, value.title);
      else if (value.kind === 'end') this.progressEnded.set(this.progressTitles.get(token) ?? '', nowMs());
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  async initialize(): Promise<void> {
    const result = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, diagnostics: { refreshSupport: true }, inlayHint: { refreshSupport: true }, semanticTokens: { refreshSupport: true } },
        window: { workDoneProgress: true },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
          publishDiagnostics: { relatedInformation: false, versionSupport: true },
          semanticTokens: {
            dynamicRegistration: false,
            requests: { range: true, full: { delta: false } },
            tokenTypes: ['namespace', 'type', 'class', 'enum', 'interface', 'struct', 'typeParameter', 'parameter', 'variable', 'property', 'enumMember', 'event', 'function', 'method', 'macro', 'keyword', 'modifier', 'comment', 'string', 'number', 'regexp', 'operator', 'decorator'],
            tokenModifiers: ['declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification', 'documentation', 'defaultLibrary'],
            formats: ['relative'],
            overlappingTokenSupport: false,
            multilineTokenSupport: false,
            serverCancelSupport: true,
            augmentsSyntaxTokens: true,
          },
          inlayHint: { dynamicRegistration: false },
          // As VS Code: edits of a code action may be filled in by `codeAction/resolve`.
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } }, dataSupport: true, resolveSupport: { properties: ['edit'] } },
          completion: { completionItem: { snippetSupport: false } },
        },
      },
    })) as { capabilities: { diagnosticProvider?: unknown } };
    this.pullDiagnostics = result.capabilities.diagnosticProvider !== undefined;
    await this.connection.sendNotification('initialized', {});
  }

  open(uri: string, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'flowlog', version: 1, text } });
  }

  change(uri: string, version: number, range: { start: Position; end: Position }, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Diagnostics for the document: pulled when the server offers it, else the next push for `version`. */
  async diagnostics(uri: string, version: number, previousResultId?: string): Promise<DiagnosticReport> {
    if (this.pullDiagnostics) {
      return (await this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId })) as DiagnosticReport;
    }
    for (;;) {
      const pushed = this.published.get(uri);
      if (pushed && (pushed.version === undefined || pushed.version >= version)) {
        this.published.delete(uri);
        return { kind: 'full', items: pushed.diagnostics };
      }
      await new Promise<void>((resolve) => this.publishWaiters.push(resolve));
    }
  }

  /** Resolves once more than `seen` diagnostic refresh requests have arrived. */
  async refreshAfter(seen: number): Promise<void> {
    while (this.refreshes <= seen) await new Promise<void>((resolve) => this.refreshWaiters.push(resolve));
  }

  /**
   * Changes the inlay hint settings as a user would in settings.json: `didChangeConfiguration`, then
   * the server pulls the section again and asks the editor to refresh its inlay hints.
   */
  async setInlayHints(inlayHints: InlayHintSettings): Promise<void> {
    const seen = this.inlayRefreshes;
    this.settings = { ...this.settings, inlayHints };
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    while (this.inlayRefreshes <= seen) await new Promise<void>((resolve) => this.inlayRefreshWaiters.push(resolve));
  }

  /** The Explain Rejections report; answered once the document's conversations are paired. */
  explainRejections(uri: string): Promise<unknown> {
    return this.connection.sendRequest('flowlog/explainRejections', { uri });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  hover(uri: string, position: Position): Promise<unknown> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  semanticTokensRange(uri: string, startLine: number, endLine: number): Promise<{ data: number[] } | null> {
    return this.connection.sendRequest('textDocument/semanticTokens/range', { textDocument: { uri }, range: { start: { line: startLine, character: 0 }, end: { line: endLine, character: 0 } } });
  }

  inlayHints(uri: string, startLine: number, endLine: number): Promise<unknown[] | null> {
    return this.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: startLine, character: 0 }, end: { line: endLine, character: 0 } } });
  }

  /** Peak and current resident memory of the server process, in bytes (Linux /proc). */
  memory(): { peak: number; current: number } {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
      return { peak: kb('VmHWM'), current: kb('VmRSS') };
    } catch {
      return { peak: NaN, current: NaN };
    }
  }

  /**
   * Starts the next peak (VmHWM) from the current RSS (Linux: `5` into /proc/PID/clear_refs), so
   * that `memory().peak` is the peak since this call; false when the kernel refused.
   */
  resetPeak(): boolean {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * With bench/memoryProbe.mjs preloaded (writing to `probeOut`): asks it for process.memoryUsage()
   * before and after a full collection, and waits for its answer (the line it appends).
   */
  async probe(probeOut: string): Promise<ProbeLine> {
    const count = (): string[] => (existsSync(probeOut) ? readFileSync(probeOut, 'utf8').split('\n').filter(Boolean) : []);
    const before = count().length;
    this.process.kill('SIGUSR2');
    for (;;) {
      const lines = count();
      if (lines.length > before) return JSON.parse(lines[lines.length - 1]) as ProbeLine;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ends the server as an editor does (shutdown, exit) so that a CPU profile gets written. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 5000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server is gone already.
    }
    const timer = setTimeout(() => this.process.kill(), 10_000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

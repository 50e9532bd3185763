/**
 * The flowlog language server: a thin LSP adapter over the language service, shared by the Node
 * entry (IPC or stdio) and the browser entry (web worker); they differ only in the connection.
 * Documents are kept as FlowLogDocuments updated from incremental changes; diagnostics are
 * pulled when the client can, pushed (debounced) otherwise; settings come from
 * `workspace/configuration`, and bad settings fall back to defaults with one warning.
 */
import {
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  InlayHintRefreshRequest,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  SemanticTokensRefreshRequest,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type DocumentDiagnosticReport,
  type InitializeResult,
} from 'vscode-languageserver';
import { toDiagnostic, toFormatInfo } from './lsp/convert';
import { ConversationIndex, registerConversationFeatures, replyRejectedDiagnostics, withConversation } from './lsp/conversations';
import { DocumentStore, type OpenDocument } from './lsp/documents';
import type { PairingThread } from './lsp/pairingThread';
import { registerFeatures, SEMANTIC_TOKENS_LEGEND } from './lsp/features';
import { registerFilterRequests } from './lsp/filterRequests';
import { registerStructureFeatures } from './lsp/structure';
import { registerColumnRequests } from './lsp/columns';
import { DocumentSummaries, registerSummaryRequest, type ProgressReporter } from './lsp/summary';
import { FormatChangedNotification, FormatInfoRequest, PingRequest, type DocumentParams, type FormatInfo, type PiecewiseText, type PingResult } from './lsp/protocol';
import { DEFAULT_SETTINGS, readSettings, settingsWarning, type FlowLogSettings } from './lsp/settings';
import { version } from '../../package.json';
import { cleanLineKernel, kernelStatus } from './service/kernel/cleanLineKernel';

/** A text as the transport delivered it: whole, or in pieces (see `PiecewiseText`). */
function textOrPieces(item: PiecewiseText): string | readonly string[] {
  return item.textPieces ?? item.text;
}

/** Quiet time after the last edit before diagnostics are pushed. */
const PUSH_DEBOUNCE_MS = 150;
/**
 * How long diagnostics wait for a large document's validation before the problems found so far
 * are delivered; the complete list follows (pushed, or pulled again after a refresh request).
 */
const FIRST_RESULTS_MS = 400;
/**
 * The first answer after a document opens does not wait: the problems of its first validation
 * step (the top of the document) are shown at once, the rest follow after the refresh. It would
 * be partial anyway until conversations are paired, which ends shortly after validation does.
 */
const OPENING_RESULTS_MS = 0;

interface ClientSupport {
  configuration: boolean;
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  configurationChange: boolean;
  serverCancelsTokens: boolean;
  semanticTokensRefresh: boolean;
  inlayHintRefresh: boolean;
  codeActionResolve: boolean;
  foldingRangeLimit: number | undefined;
}

function clientSupport(capabilities: ClientCapabilities): ClientSupport {
  return {
    configuration: capabilities.workspace?.configuration === true,
    pullDiagnostics: capabilities.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: capabilities.workspace?.diagnostics?.refreshSupport === true,
    configurationChange: capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    serverCancelsTokens: capabilities.textDocument?.semanticTokens?.serverCancelSupport === true,
    semanticTokensRefresh: capabilities.workspace?.semanticTokens?.refreshSupport === true,
    inlayHintRefresh: capabilities.workspace?.inlayHint?.refreshSupport === true,
    codeActionResolve: capabilities.textDocument?.codeAction?.dataSupport === true && (capabilities.textDocument.codeAction.resolveSupport?.properties ?? []).includes('edit'),
    foldingRangeLimit: capabilities.textDocument?.foldingRange?.rangeLimit,
  };
}

/** What the node and browser entries give the server beyond the connection. */
export interface ServerOptions {
  /**
   * The thread large documents are paired on, started when first asked for; none: paired on the
   * server's thread. `mode` is the `flowlog.pairingThread` setting (`auto`: the entry decides
   * whether the machine has cores to spare); `pairingWorker` is what the client said of the
   * thread's script (initializationOptions).
   */
  pairingThread?: (mode: 'auto' | 'on', pairingWorker: string | undefined) => PairingThread | undefined;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  let support = clientSupport({});
  /** Tells result ids of this server process from those of an earlier one (after a restart). */
  const serverRun = Date.now().toString(36);
  /** Where the client said the pairing thread's script is (VS Code for the web: a URL of the extension's). */
  let pairingWorker: string | undefined;
  /** Settings for clients without `workspace/configuration` (from initializationOptions or didChangeConfiguration). */
  let globalSettings: FlowLogSettings = DEFAULT_SETTINGS;
  const warned = new Set<string>();
  const pushTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const progress = new Map<string, { report(percentage: number, message?: string): void; done(): void }>();

  const store = new DocumentStore({
    validationMade(entry) {
      // After the first validation step (it runs as the document opens): the first diagnostics
      // do not wait for the pairing index to be allocated; the task catches up on those lines.
      queueMicrotask(() => conversations.attach(entry));
    },
    validated(entry) {
      // Pairing rode along validation (ConversationIndex.attach); what is left (joining, the line lookup, or the rest of a capped validation) runs now.
      conversations.schedule(entry);
      if (!entry.partialDelivered) return;
      entry.partialDelivered = false;
      if (!support.pullDiagnostics) publish(entry);
      else if (support.diagnosticRefresh) connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
    },
    progress(entry, share) {
      const reporter = progress.get(entry.uri);
      if (share === 'done') {
        reporter?.done();
        progress.delete(entry.uri);
      } else if (reporter) {
        reporter.report(Math.round(share * 100));
      } else {
        progress.set(entry.uri, { report() {}, done() {} });
        void connection.window.createWorkDoneProgress().then(
          (created) => {
            if (!progress.has(entry.uri)) return created.done();
            created.begin('flowlog: validating', Math.round(share * 100), fileName(entry.uri));
            progress.set(entry.uri, { report: (p) => created.report(p), done: () => created.done() });
          },
          () => undefined,
        );
      }
    },
  });

  // Conversations finished in the background bring reply-rejected diagnostics: have them fetched again.
  const conversations = new ConversationIndex(
    (entry) => {
      if (!support.pullDiagnostics) schedulePush(entry, 0);
      else if (support.diagnosticRefresh) connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
    },
    // Only bench:lsp turns pairing off, to time validation alone in the same run.
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.FLOWLOG_BENCH_PAIRING !== 'off',
    options.pairingThread && ((mode) => options.pairingThread?.(mode, pairingWorker)),
  );

  /** The Show Summary view's numbers; a large document's pass shows its progress in the status bar. */
  const summaries = new DocumentSummaries(conversations, (entry): ProgressReporter => {
    let finished = false;
    let reporter: ProgressReporter | undefined;
    void connection.window.createWorkDoneProgress().then(
      (created) => {
        if (finished) return created.done();
        created.begin('flowlog: summarising', 0, fileName(entry.uri));
        reporter = { report: (p) => created.report(p), done: () => created.done() };
      },
      () => undefined,
    );
    return {
      report: (percentage) => reporter?.report(percentage),
      done: () => {
        finished = true;
        reporter?.done();
      },
    };
  });

  /** Validation problems and the conversations' reply-rejected diagnostics. */
  function diagnosticsOf(entry: OpenDocument) {
    return [...store.snapshot(entry).problems.map(toDiagnostic), ...replyRejectedDiagnostics(entry, conversations.get(entry))];
  }

  /** Turns raw settings into usable ones, with one warning (once) about the values that cannot be used. */
  function useSettings(section: unknown): FlowLogSettings {
    const { settings, problems } = readSettings(section);
    const message = settingsWarning(problems.filter((problem) => !warned.has(problem)));
    for (const problem of problems) warned.add(problem);
    // Settings that change again and again must not grow the set without end.
    if (warned.size > 1000) warned.clear();
    // A notification, not `window/showMessageRequest`: nothing to answer, and every client has it.
    if (message) connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }).catch(() => undefined);
    return settings;
  }

  async function fetchSettings(uri: string): Promise<FlowLogSettings> {
    if (!support.configuration) return globalSettings;
    try {
      const section: unknown = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'flowlog' });
      return useSettings(section);
    } catch {
      return globalSettings;
    }
  }

  async function refreshSettings(entry: OpenDocument): Promise<void> {
    const settings = await fetchSettings(entry.uri);
    if (!entry.closed) applySettings(entry, settings);
  }

  /** New settings for a document: problems, format and the pushed diagnostics follow them. */
  function applySettings(entry: OpenDocument, settings: FlowLogSettings): void {
    try {
      store.applySettings(entry, settings);
      notifyFormat(entry);
      schedulePush(entry, 0);
    } catch (error) {
      logError(`applying settings to ${entry.uri}`, error);
    }
  }

  function notifyFormat(entry: OpenDocument): void {
    if (!entry.settingsReady) return;
    const info = toFormatInfo(entry.uri, entry.document.formats);
    const key = `${info.label}|${info.recognised}|${info.ambiguousColumns.join(',')}`;
    if (key === entry.formatLabel) return;
    entry.formatLabel = key;
    connection.sendNotification(FormatChangedNotification, info).catch(() => undefined);
  }

  function publish(entry: OpenDocument): void {
    const diagnostics = diagnosticsOf(entry);
    connection.sendDiagnostics({ uri: entry.uri, version: entry.version, diagnostics }).catch(() => undefined);
  }

  function schedulePush(entry: OpenDocument, delay: number): void {
    if (support.pullDiagnostics) return;
    clearTimeout(pushTimers.get(entry.uri));
    pushTimers.set(
      entry.uri,
      setTimeout(() => {
        pushTimers.delete(entry.uri);
        void store.whenValidated(entry, undefined, FIRST_RESULTS_MS).then((state) => {
          if (state === 'gone' || store.get(entry.uri) !== entry || pushTimers.has(entry.uri)) return;
          if (state === 'partial') entry.partialDelivered = true;
          publish(entry);
        });
      }, delay),
    );
  }

  connection.onInitialize((params): InitializeResult => {
    support = clientSupport(params.capabilities);
    const options = params.initializationOptions as { settings?: unknown; pairingWorker?: unknown } | undefined;
    if (options?.settings !== undefined) globalSettings = useSettings(options.settings);
    if (typeof options?.pairingWorker === 'string') pairingWorker = options.pairingWorker;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
        inlayHintProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: ['quickfix'], resolveProvider: support.codeActionResolve },
        completionProvider: { triggerCharacters: [' ', '$', '{'], resolveProvider: false },
        foldingRangeProvider: true,
        documentSymbolProvider: { label: 'Flow log' },
        codeLensProvider: { resolveProvider: false },
        ...(support.pullDiagnostics ? { diagnosticProvider: { identifier: 'flowlog', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'flowlog-language-server', version },
    };
  });

  connection.onInitialized(() => {
    connection.console.info(`flowlog ${version}: ${kernelStatus()}`);
    if (support.configurationChange) connection.client.register(DidChangeConfigurationNotification.type, { section: 'flowlog' }).catch(() => undefined);
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    try {
      const entry = store.open(textDocument.uri, textDocument.version, textOrPieces(textDocument), support.configuration ? undefined : globalSettings);
      if (support.configuration) void refreshSettings(entry);
      else {
        notifyFormat(entry);
        schedulePush(entry, 0);
      }
    } catch (error) {
      logError(`opening ${textDocument.uri}`, error);
    }
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    try {
      const formatsChanged = store.change(textDocument.uri, textDocument.version, contentChanges);
      const entry = store.get(textDocument.uri);
      if (!entry) return;
      if (formatsChanged) notifyFormat(entry);
      schedulePush(entry, PUSH_DEBOUNCE_MS);
    } catch (error) {
      logError(`editing ${textDocument.uri}`, error);
      // The text may now disagree with the client's: ask for a clean copy by closing our view of it.
      store.close(textDocument.uri);
    }
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    store.close(textDocument.uri);
    conversations.forget(textDocument.uri);
    structures.forget(textDocument.uri);
    summaries.forget(textDocument.uri);
    clearTimeout(pushTimers.get(textDocument.uri));
    pushTimers.delete(textDocument.uri);
    if (!support.pullDiagnostics) connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] }).catch(() => undefined);
  });

  /** Asks the client to request again what settings may have changed (colours follow the format). */
  function refreshViews(): void {
    if (support.pullDiagnostics && support.diagnosticRefresh) connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
    if (support.semanticTokensRefresh) connection.sendRequest(SemanticTokensRefreshRequest.type).catch(() => undefined);
    if (support.inlayHintRefresh) connection.sendRequest(InlayHintRefreshRequest.type).catch(() => undefined);
  }

  connection.onDidChangeConfiguration((params) => {
    if (!support.configuration) {
      const settings = (params.settings as { flowlog?: unknown } | null | undefined)?.flowlog;
      globalSettings = useSettings(settings);
      for (const entry of store.all()) applySettings(entry, globalSettings);
      refreshViews();
    } else {
      void Promise.all(store.all().map(refreshSettings)).then(refreshViews);
    }
  });

  const answered = new WeakSet<OpenDocument>();
  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const entry = store.get(params.textDocument.uri);
    if (!entry) return { kind: 'full', items: [] };
    // Without refresh support a partial answer could not be completed later, so it waits.
    const patience = answered.has(entry) ? FIRST_RESULTS_MS : OPENING_RESULTS_MS;
    answered.add(entry);
    const state = await store.whenValidated(entry, token, support.diagnosticRefresh ? patience : undefined);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (state === 'gone' || entry.closed) return { kind: 'full', items: [] };
    const items = diagnosticsOf(entry);
    // Until the conversations are paired their reply-rejected diagnostics are missing: a partial answer, completed after the refresh.
    if (state === 'partial' || (support.diagnosticRefresh && conversations.enabled && !conversations.get(entry))) {
      entry.partialDelivered = true;
      return { kind: 'full', items };
    }
    // Not the version: a client may send a version again (after reopening, or a buggy one), and an
    // 'unchanged' answer would then keep problems of a different text.
    const resultId = `${serverRun}.${entry.generation}.${conversations.get(entry) ? 'paired' : 'pairing'}`;
    if (params.previousResultId === resultId) return { kind: 'unchanged', resultId };
    return { kind: 'full', resultId, items };
  });

  connection.onRequest(FormatInfoRequest, (params: DocumentParams | undefined): FormatInfo | null => {
    const entry = typeof params?.uri === 'string' ? store.get(params.uri) : undefined;
    return entry ? toFormatInfo(entry.uri, entry.document.formats) : null;
  });

  // The client's watchdog: a server that answers this is alive and not stuck.
  connection.onRequest(PingRequest, (): PingResult => ({ recordCheck: cleanLineKernel() ? 'webassembly' : 'javascript', pairing: conversations.lastLargePairing }));

  registerFeatures(connection, store, {
    serverCancelsTokens: () => support.serverCancelsTokens,
    resolvesCodeActions: () => support.codeActionResolve,
    extendHover: (hover, entry, position) => withConversation(hover, entry, conversations, position),
  });
  registerConversationFeatures(connection, store, conversations);
  registerFilterRequests(connection, store);
  const structures = registerStructureFeatures(connection, store, { foldingRangeLimit: () => support.foldingRangeLimit });
  registerColumnRequests(connection, store);
  registerSummaryRequest(connection, store, summaries);

  function logError(what: string, error: unknown): void {
    connection.console.error(`flowlog: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  connection.listen();
}

function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    return path.slice(path.lastIndexOf('/') + 1);
  }
}

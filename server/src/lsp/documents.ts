/**
 * Open flow log documents: the text with its line index (updated from incremental changes), the
 * settings that apply to it, and its validation state. Validation runs as one background job per
 * document, in chunks that yield to the event loop, so it never blocks a hover; callers wait for
 * it with `whenValidated`, which honours cancellation and document closing.
 */
import type { CancellationToken, Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { DocumentValidation, FlowLogDocument, type ProblemSnapshot, type TextEdit } from '../service/languageService';
import type { PiecewiseText } from './protocol';
import { DEFAULT_SETTINGS, sameValidation, type FlowLogSettings } from './settings';

export interface OpenDocument {
  readonly uri: string;
  version: number;
  readonly document: FlowLogDocument;
  settings: FlowLogSettings;
  validation: DocumentValidation;
  /**
   * Changes whenever the problems may change (open, edits, settings), and is never the same for
   * two states of any documents of this store: diagnostic result ids are made from it.
   */
  generation: number;
  /** False until the document's own settings arrived; validation waits for them. */
  settingsReady: boolean;
  closed: boolean;
  running: boolean;
  /** Validation threw (a bug); it is not retried until the document or settings change. */
  failed: boolean;
  waiters: (() => void)[];
  /** Called after each validation step (a partial answer that waited for its settings). */
  stepWaiters: (() => void)[];
  /** Diagnostics of an unfinished validation were delivered; the complete ones must follow. */
  partialDelivered: boolean;
  /** Last format label sent to the client. */
  formatLabel?: string;
}

export interface DocumentStoreEvents {
  /** Validation of the document finished. */
  validated(entry: OpenDocument): void;
  /** The document has a new DocumentValidation (opened, settings changed), before its first step: pairing attaches its feed. */
  validationMade?(entry: OpenDocument): void;
  /** Validation of a large document started, advanced or ended. */
  progress(entry: OpenDocument, share: number | 'done'): void;
}

/** One turn of the event loop (setImmediate in Node, a message port in a web worker). */
function nextTurn(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(undefined);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Lets queued messages (hovers, edits, cancellations) run between validation chunks. Three
 * turns: a request read during a chunk is handled on the next turn, and the JSON-RPC writer
 * sends its response on the turn after that; the response should not wait for another chunk.
 */
export async function yieldToEventLoop(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await nextTurn();
}

export class DocumentStore {
  private readonly entries = new Map<string, OpenDocument>();
  /** Last generation handed out (see OpenDocument.generation). */
  private generations = 0;

  constructor(private readonly events: DocumentStoreEvents) {}

  get(uri: string): OpenDocument | undefined {
    return this.entries.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.entries.values()];
  }

  /** `text` whole, or in pieces as the node transport decodes a large text. */
  open(uri: string, version: number, text: string | readonly string[], settings: FlowLogSettings | undefined): OpenDocument {
    this.close(uri);
    const chosen = settings ?? DEFAULT_SETTINGS;
    const document = new FlowLogDocument(text, chosen.format);
    const entry: OpenDocument = {
      uri,
      version,
      document,
      settings: chosen,
      validation: new DocumentValidation(document, chosen),
      generation: ++this.generations,
      settingsReady: settings !== undefined,
      closed: false,
      running: false,
      failed: false,
      partialDelivered: false,
      waiters: [],
      stepWaiters: [],
    };
    this.entries.set(uri, entry);
    this.events.validationMade?.(entry);
    if (entry.settingsReady) this.startValidation(entry);
    return entry;
  }

  /** Applies incremental (or full) content changes; returns whether the formats changed. */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): boolean {
    const entry = this.entries.get(uri);
    if (!entry) return false;
    const edits: TextEdit[] = changes.map((change) => ('range' in change && change.range ? { range: change.range, text: change.text } : { text: change.text, textPieces: (change as PiecewiseText).textPieces }));
    const summary = entry.document.applyEdits(edits);
    entry.version = version;
    entry.generation = ++this.generations;
    entry.failed = false;
    entry.validation.applyEdit(summary);
    if (entry.settingsReady) this.startValidation(entry);
    return summary.formatsChanged;
  }

  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    entry.closed = true;
    this.entries.delete(uri);
    this.release(entry);
  }

  /** New settings for a document: re-validates from scratch only when validation depends on what changed. */
  applySettings(entry: OpenDocument, settings: FlowLogSettings): void {
    const first = !entry.settingsReady;
    const previous = entry.settings;
    entry.settings = settings;
    entry.settingsReady = true;
    entry.failed = false;
    if (previous.format !== settings.format) entry.document.setExplicitFormat(settings.format);
    if (!sameValidation(previous, settings) || (first && previous !== settings)) {
      entry.validation = new DocumentValidation(entry.document, settings);
      entry.generation = ++this.generations;
      this.events.validationMade?.(entry);
    }
    this.startValidation(entry);
  }

  snapshot(entry: OpenDocument): ProblemSnapshot {
    return entry.validation.snapshot();
  }

  /**
   * Resolves 'validated' once the whole document is validated; 'partial' when `patienceMs` passed
   * first (what is known so far is worth showing); 'gone' when the document was closed or the
   * token cancelled.
   */
  whenValidated(entry: OpenDocument, token?: CancellationToken, patienceMs?: number): Promise<'validated' | 'partial' | 'gone'> {
    if (entry.closed || token?.isCancellationRequested) return Promise.resolve('gone');
    if (entry.settingsReady && (entry.validation.done || entry.failed)) return Promise.resolve('validated');
    return new Promise((resolve) => {
      const finish = (result: 'validated' | 'partial' | 'gone'): void => {
        entry.waiters = entry.waiters.filter((w) => w !== waiter);
        entry.stepWaiters = entry.stepWaiters.filter((w) => w !== partial);
        cancel?.dispose();
        clearTimeout(timer);
        resolve(result);
      };
      const cancel = token?.onCancellationRequested(() => finish('gone'));
      // Before its settings arrive a document has no problems worth showing: the partial answer
      // then waits for the first step of validation under them.
      const partial = (): void => finish('partial');
      const timer = patienceMs === undefined ? undefined : setTimeout(() => (entry.settingsReady && entry.validation.progress > 0 ? partial() : entry.stepWaiters.push(partial)), patienceMs);
      const waiter = (): void => finish(entry.closed || token?.isCancellationRequested ? 'gone' : 'validated');
      entry.waiters.push(waiter);
    });
  }

  private release(entry: OpenDocument): void {
    const waiters = entry.waiters;
    entry.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private stepped(entry: OpenDocument): void {
    if (entry.stepWaiters.length === 0) return;
    const waiters = entry.stepWaiters;
    entry.stepWaiters = [];
    for (const waiter of waiters) waiter();
  }

  private startValidation(entry: OpenDocument): void {
    if (entry.running || entry.closed || entry.failed) return;
    entry.running = true;
    void this.run(entry);
  }

  private async run(entry: OpenDocument): Promise<void> {
    const started = performance.now();
    let reported = false;
    try {
      while (!entry.closed && !entry.validation.done) {
        entry.validation.step();
        if (entry.validation.done) break;
        this.stepped(entry);
        // Progress only for validation that takes longer than a moment.
        if (performance.now() - started > 500) {
          this.events.progress(entry, entry.validation.progress);
          reported = true;
        }
        await yieldToEventLoop();
      }
    } catch (error) {
      // A bug in a rule must not take the server down; the document keeps what was found.
      console.error(`flowlog: validation of ${entry.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      entry.failed = true;
    } finally {
      entry.running = false;
      if (reported) this.events.progress(entry, 'done');
    }
    if (entry.closed) return;
    // Edits made while the last chunk ran are validated before anyone is told.
    if (!entry.validation.done && !entry.failed) {
      this.startValidation(entry);
      return;
    }
    this.release(entry);
    this.events.validated(entry);
  }
}

/** A guard for request handlers: runs one on an open document; unknown documents and failures (logged) give `empty`. */
export function documentHandlers(connection: Connection, store: DocumentStore) {
  return function withDocument<T>(uri: string | undefined, empty: T, what: string, handler: (entry: OpenDocument) => T): T {
    const entry = typeof uri === 'string' ? store.get(uri) : undefined;
    if (!entry) return empty;
    try {
      return handler(entry);
    } catch (error) {
      connection.console.error(`flowlog: ${what} failed on ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return empty;
    }
  };
}

/** The last path segment of a URI, decoded (a file name to show). */
export function uriBaseName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

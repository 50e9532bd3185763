/**
 * Conversations in the editor: built per document version in the background (slices of lines
 * with the event loop free in between, so hovers stay fast while a large document is paired),
 * rebuilt after edits; Go to Definition (the counterpart record), Find All References (an
 * address, port or interface ID in every record), document highlights, the `reply-rejected`
 * diagnostics and the Explain Rejections report.
 */
import { DiagnosticSeverity, DocumentHighlightKind, type Connection, type Diagnostic, type Hover, type Location, type MarkupContent, type Position } from 'vscode-languageserver';
import type { DocumentConversations } from '../service/conversations/documentConversations';
import { ConversationTask, LocalPairing, type Pairing } from '../service/conversations/conversationTask';
import { RemotePairing } from '../service/conversations/pairingJob';
import type { PairingThread } from './pairingThread';
import type { PairingThreadMode } from './settings';
import type { ValidationRangeFeed } from '../service/documentValidation';
import { conversationHoverSection, explainReport, REPORT_LIMIT } from '../service/conversations/markdown';
import { RejectedTally } from '../service/conversations/rejectedTally';
import type { Conversation, RecordPlace } from '../service/conversations/model';
import { conversationHighlights, counterpartSpan, findValue, recordIndexAt, recordSpan, valueAt } from '../service/conversations/navigation';
import { replyRejectedPlaces, replyRejectedProblem } from '../service/conversations/replyRejected';
import type { Severity } from '../service/rules';
import { documentHandlers, uriBaseName, yieldToEventLoop, type DocumentStore, type OpenDocument } from './documents';
import { ExplainRejectionsRequest, type DocumentParams, type ExplainRejectionsResult } from './protocol';

/** A document this small is paired at once, when first asked (a few ms); a larger one in the background, also after edits. */
const AT_ONCE_LINES = 5_000;
/** Lines paired between two looks at the clock, and the time a slice may take before other requests are served. */
const STEP_LINES = 250;
/** Groups judged for the Explain Rejections report between two looks at the clock. */
const JUDGE_GROUPS = 500;
/** Listed conversations judged for the report between two looks at the clock. */
const JUDGE_KEPT = 20;
const SLICE_MS = 4;
/**
 * After an edit, pairing starts again only once the document has been left alone this long: each
 * start allocates the index anew (tens of MB for a 50 MB document), which typing must not pay for.
 */
const AFTER_EDIT_MS = 500;
/** Most references returned (a busy address can be in most records of a large file). */
const MAX_REFERENCES = 10_000;
/** Most reply-rejected diagnostics per document. */
const MAX_DIAGNOSTICS = 1_000;

interface State {
  version: number;
  /** A later version of a document paired before (an edit): pairing waits for a pause in the edits. */
  edited: boolean;
  task: ConversationTask;
  result?: DocumentConversations;
  running: boolean;
  waiters: (() => void)[];
}

export class ConversationIndex {
  private readonly states = new Map<string, State>();

  /**
   * `ready` is told when a document's conversations were completed in the background. `enabled`
   * false pairs nothing (bench:lsp measures validation alone with it: FLOWLOG_BENCH_PAIRING=off).
   * `pairingThread`, when given, is asked for the thread that pairs documents too large to pair at
   * once (started at the first one): validation then only writes their records' cells.
   */
  constructor(
    private readonly ready: (entry: OpenDocument) => void,
    readonly enabled = true,
    private readonly pairingThread?: (mode: 'auto' | 'on') => PairingThread | undefined,
  ) {}

  /** Where the last document too large to pair at once was paired (the ping answer tells clients and tests). */
  lastLargePairing: 'thread' | 'server' | undefined;

  /** Where a document of `lineCount` lines is paired, by the `flowlog.pairingThread` setting (`mode`). */
  private pairingFor(lineCount: number, mode: PairingThreadMode): Pairing {
    const thread = lineCount > AT_ONCE_LINES && mode !== 'off' ? this.pairingThread?.(mode) : undefined;
    return thread?.usable ? new RemotePairing(thread, lineCount) : new LocalPairing(lineCount);
  }

  /** The conversations of the document's current version; built now when the document is small, else only once the background build has finished. */
  get(entry: OpenDocument): DocumentConversations | undefined {
    if (!this.enabled) return undefined;
    const state = this.current(entry);
    if (state.result) return state.result;
    if (entry.document.lines.lineCount <= AT_ONCE_LINES) {
      state.result = state.task.step(Number.MAX_SAFE_INTEGER);
      this.settle(state);
    }
    return state.result;
  }

  /**
   * Pairing rides along the document's validation: the records each validation step reads are
   * paired in that step, so when validation ends only joining and the line lookup are left. Call
   * whenever the document gets a new DocumentValidation, before its first step.
   */
  attach(entry: OpenDocument): void {
    if (!this.enabled) return;
    const feed = (): ValidationRangeFeed | undefined => {
      if (entry.closed) return undefined;
      const state = this.current(entry);
      if (state.result) return undefined;
      return state.task.feed();
    };
    let current: ValidationRangeFeed | undefined;
    entry.validation.feed = {
      begin(from) {
        current = feed();
        return current?.begin(from) ?? false;
      },
      end(resumeAt, complete) {
        current?.end(resumeAt, complete);
        current = undefined;
      },
      proven: (text, line, format, windowStart) => current?.proven(text, line, format, windowStart),
      scanned: (text, line, format, tokens) => current?.scanned(text, line, format, tokens),
      jsonLine: (text, start, end, line, format) => current?.jsonLine(text, start, end, line, format),
    };
  }

  /** Starts building the current version in the background (after open and after edits). */
  schedule(entry: OpenDocument): void {
    if (!this.enabled) return;
    const state = this.current(entry);
    if (state.result || entry.document.lines.lineCount <= AT_ONCE_LINES) return;
    void this.run(entry, state);
  }

  /** Waits for the conversations of the current version (undefined when the document changed or closed meanwhile). */
  async whenReady(entry: OpenDocument): Promise<DocumentConversations | undefined> {
    if (!this.enabled) return undefined;
    const state = this.current(entry);
    if (this.get(entry)) return state.result;
    await new Promise<void>((resolve) => state.waiters.push(resolve));
    return this.states.get(entry.uri) === state ? state.result : undefined;
  }

  forget(uri: string): void {
    const state = this.states.get(uri);
    this.states.delete(uri);
    if (state) this.abandon(state);
  }

  private current(entry: OpenDocument): State {
    let state = this.states.get(entry.uri);
    if (!state || state.version !== entry.version) {
      if (state) this.abandon(state);
      state = { version: entry.version, edited: state !== undefined, task: new ConversationTask(entry.document, (lineCount) => this.pairingFor(lineCount, entry.settings.pairingThread)), running: false, waiters: [] };
      this.states.set(entry.uri, state);
    }
    return state;
  }

  private abandon(state: State): void {
    if (!state.result) state.task.dispose();
    this.settle(state);
  }

  private settle(state: State): void {
    const waiters = state.waiters;
    state.waiters = [];
    for (const wake of waiters) wake();
  }

  private async run(entry: OpenDocument, state: State): Promise<void> {
    if (state.running) return;
    state.running = true;
    if (state.edited) await new Promise((resolve) => setTimeout(resolve, AFTER_EDIT_MS));
    while (!state.result) {
      await yieldToEventLoop();
      // An edit or a close started a new state; this one is abandoned.
      if (entry.closed || this.states.get(entry.uri) !== state || entry.version !== state.version) return this.settle(state);
      // The pairing thread is finishing: nothing to do here until it answers.
      const waiting = state.task.waiting;
      if (waiting) {
        await waiting;
        continue;
      }
      const until = performance.now() + SLICE_MS;
      do state.result = state.task.step(STEP_LINES);
      while (!state.result && !state.task.waiting && performance.now() < until);
    }
    this.lastLargePairing = state.task.pairedElsewhere ? 'thread' : 'server';
    // The reply-rejected diagnostics are pulled as soon as this announces the conversations: found
    // here in slices, the pull does not hold other requests up while it judges them.
    if (entry.settings.severities.has('reply-rejected')) {
      const found = state.result;
      for (;;) {
        const until = performance.now() + SLICE_MS;
        let done = false;
        do done = found.findRepliesRejected(JUDGE_GROUPS);
        while (!done && performance.now() < until);
        if (done) break;
        await yieldToEventLoop();
        if (entry.closed || this.states.get(entry.uri) !== state || entry.version !== state.version) return this.settle(state);
      }
    }
    this.settle(state);
    this.ready(entry);
  }
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `reply-rejected` diagnostics: on the rejected reply record, with the accepted request as related information. */
export function replyRejectedDiagnostics(entry: OpenDocument, conversations: DocumentConversations | undefined): Diagnostic[] {
  if (!conversations || !entry.settings.severities.has('reply-rejected')) return [];
  const { document } = entry;
  const range = (place: RecordPlace) => {
    const span = recordSpan(document, place.line, place.record);
    return { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } };
  };
  const out: Diagnostic[] = [];
  for (const conversation of conversations.replyRejected()) {
    const problem = replyRejectedProblem(conversation, entry.settings.severities, (place) => recordSpan(document, place.line, place.record));
    const places = problem && replyRejectedPlaces(conversation);
    if (!problem || !places) continue;
    out.push({
      range: range(places.reply),
      severity: SEVERITY[problem.severity],
      code: problem.code,
      source: 'flowlog',
      message: problem.message,
      relatedInformation: [{ location: { uri: entry.uri, range: range(places.request) }, message: 'The accepted request' }],
    });
    if (out.length >= MAX_DIAGNOSTICS) break;
  }
  return out;
}

/** Adds the Conversation section to a record's hover: the conversation of the record under the cursor. */
export function withConversation(hover: Hover, entry: OpenDocument, conversations: ConversationIndex, position: Position): Hover {
  const found = conversations.get(entry);
  if (!found) return hover;
  const here = { line: position.line, record: recordIndexAt(entry.document, position.line, position.character) };
  const conversation = found.at(here.line, here.record);
  if (!conversation) return hover;
  const section = conversationHoverSection(conversation, here, entry.uri);
  const contents = hover.contents as MarkupContent;
  if (typeof contents !== 'object' || !('kind' in contents)) return hover;
  return { ...hover, contents: { kind: 'markdown', value: `${contents.value}\n\n---\n\n${section}` } };
}

export function registerConversationFeatures(connection: Connection, store: DocumentStore, conversations: ConversationIndex): void {
  const withEntry = documentHandlers(connection, store);

  connection.onDefinition(({ textDocument, position }) =>
    withEntry<Location[]>(textDocument?.uri, [], 'definition', (entry) => {
      const found = conversations.get(entry);
      const span = found && counterpartSpan(entry.document, found, position.line, position.character);
      return span ? [{ uri: entry.uri, range: { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } } }] : [];
    }),
  );

  connection.onReferences(({ textDocument, position }) =>
    withEntry<Location[]>(textDocument?.uri, [], 'references', (entry) => {
      const value = valueAt(entry.document, position.line, position.character);
      if (!value) return [];
      return findValue(entry.document, value.kind, value.text, MAX_REFERENCES).map((span) => ({
        uri: entry.uri,
        range: { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } },
      }));
    }),
  );

  connection.onDocumentHighlight(({ textDocument, position }) =>
    withEntry(textDocument?.uri, [], 'document highlights', (entry) =>
      conversationHighlights(entry.document, conversations.get(entry), position.line, position.character).map(({ span, counterpart }) => ({
        range: { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } },
        kind: counterpart ? DocumentHighlightKind.Read : DocumentHighlightKind.Text,
      })),
    ),
  );

  connection.onRequest(ExplainRejectionsRequest, async (params: DocumentParams | undefined): Promise<ExplainRejectionsResult | null> => {
    const entry = typeof params?.uri === 'string' ? store.get(params.uri) : undefined;
    if (!entry) return null;
    const found = await conversations.whenReady(entry);
    if (!found) return null;
    // Judged in slices: a large document has tens of thousands of rejected conversations, and hovers must not wait for them all.
    // Only the conversations the report lists are judged into objects; the rest are counted from the index's columns.
    const tally = new RejectedTally(REPORT_LIMIT);
    for (let next = 0; next < found.groupCount; ) {
      const until = performance.now() + SLICE_MS;
      do next = found.tallyRejected(next, JUDGE_GROUPS, tally);
      while (next < found.groupCount && performance.now() < until);
      if (next < found.groupCount) await yieldToEventLoop();
    }
    const places = tally.places();
    const kept: Conversation[] = [];
    for (let next = 0; next < places.length; ) {
      const until = performance.now() + SLICE_MS;
      do next = found.judgeKeptSlice(places, next, JUDGE_KEPT, kept);
      while (next < places.length && performance.now() < until);
      if (next < places.length) await yieldToEventLoop();
    }
    return { markdown: explainReport(kept, entry.uri, uriBaseName(entry.uri), tally.count, tally.byVerdict) };
  });
}

/**
 * Request handlers that map one service function each onto LSP: hover, semantic tokens (full and
 * range), inlay hints, code actions, completion and the header-line request. Every handler
 * answers an unknown or closed document, or a position past the end, with an empty result, and a
 * failure inside the service with an empty result plus a log line, never an error.
 */
import { CodeActionKind, LSPErrorCodes, ResponseError, type CodeAction, type Connection, type Hover, type Position, type SemanticTokensLegend } from 'vscode-languageserver';
import { doCodeActions, doComplete, doHover, doWholeDocumentEdits, getHeaderEdit, getInlayHints, getSemanticTokens, SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES, type WholeDocumentAction } from '../service/languageService';
import { toDiagnostic } from './convert';
import { documentHandlers, type DocumentStore, type OpenDocument } from './documents';
import { HeaderEditRequest, type DocumentParams, type HeaderEditResult } from './protocol';

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...SEMANTIC_TOKEN_TYPES],
  tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS],
};

/** Lines one range request may cover; a client asking for more gets the first ones. */
const MAX_RANGE_LINES = 20_000;

export interface FeatureOptions {
  /** Whether the client accepts ServerCancelled for full semantic tokens (VS Code then asks for ranges). */
  serverCancelsTokens(): boolean;
  /** Adds to a record's hover what other features know about its line (its conversation). */
  extendHover?(hover: Hover, entry: OpenDocument, position: Position): Hover;
  /** Whether the client resolves code actions (fills in `edit` through `codeAction/resolve`). */
  resolvesCodeActions(): boolean;
}

/** What a lazily offered whole-document action carries to its `codeAction/resolve`. */
interface WholeDocumentData {
  uri: string;
  action: WholeDocumentAction;
}

function isWholeDocumentData(data: unknown): data is WholeDocumentData {
  const value = data as Partial<WholeDocumentData> | null | undefined;
  return typeof value?.uri === 'string' && (value.action === 'normalize-spacing' || value.action === 'insert-header');
}

export function registerFeatures(connection: Connection, store: DocumentStore, options: FeatureOptions): void {
  const withDocument = documentHandlers(connection, store);

  connection.onHover(({ textDocument, position }) =>
    withDocument(textDocument?.uri, null, 'hover', (entry) => {
      const hover = doHover(entry.document, position) ?? null;
      return hover && options.extendHover ? options.extendHover(hover, entry, position) : hover;
    }),
  );

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const entry = typeof textDocument?.uri === 'string' ? store.get(textDocument.uri) : undefined;
    if (entry && entry.document.lines.length > entry.settings.largeFileThreshold) {
      // VS Code treats a cancelled full request as "not available" and asks for the visible ranges instead.
      if (options.serverCancelsTokens()) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'flowlog: document too large for full semantic tokens; use range requests', { retriggerRequest: false });
      return { data: [] };
    }
    return withDocument(textDocument?.uri, { data: [] }, 'semantic tokens', (found) => ({ data: getSemanticTokens(found.document) }));
  });

  connection.languages.semanticTokens.onRange(({ textDocument, range }) =>
    withDocument(textDocument?.uri, { data: [] }, 'semantic tokens (range)', (entry) => {
      const startLine = Math.max(0, range.start.line);
      const endLine = Math.min(range.end.line, startLine + MAX_RANGE_LINES);
      if (startLine >= entry.document.lines.lineCount || endLine < startLine) return { data: [] };
      return { data: getSemanticTokens(entry.document, { startLine, endLine }) };
    }),
  );

  connection.languages.inlayHint.on(({ textDocument, range }) =>
    withDocument(textDocument?.uri, [], 'inlay hints', (entry) => {
      const { fieldNames, decodedValues } = entry.settings.inlayHints;
      if (!fieldNames && !decodedValues) return [];
      if (range.start.line >= entry.document.lines.lineCount) return [];
      return getInlayHints(entry.document, range, { fieldNames, decodedValues });
    }),
  );

  connection.onCodeAction(({ textDocument, range, context }) =>
    withDocument(textDocument?.uri, [], 'code actions', (entry) => {
      if (range.start.line >= entry.document.lines.lineCount) return [];
      const problems = store.snapshot(entry).problems;
      // Whole-document actions scan every line (17 s and a 481 MB reply on a 40 MB file, asked
      // for at every cursor move): resolved when picked, or, for clients that cannot resolve,
      // built only for documents below the large-file threshold.
      const large = entry.document.lines.length > entry.settings.largeFileThreshold;
      const wholeDocument = options.resolvesCodeActions() ? 'lazy' : large ? 'none' : 'eager';
      const actions: CodeAction[] = doCodeActions(entry.document, range, problems, { wholeDocument }).map((action) => ({
        title: action.title,
        kind: action.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.Source,
        ...(action.resolve ? { data: { uri: entry.uri, action: action.resolve } satisfies WholeDocumentData } : { edit: { changes: { [entry.uri]: action.edits } } }),
        ...(action.isPreferred ? { isPreferred: true } : {}),
        ...(action.problem ? { diagnostics: [toDiagnostic(action.problem)] } : {}),
      }));
      const only = context.only;
      return only && only.length > 0 ? actions.filter((action) => only.some((kind) => action.kind === kind || action.kind?.startsWith(`${kind}.`))) : actions;
    }),
  );

  connection.onCodeActionResolve((action) => {
    const data: unknown = action.data;
    if (!isWholeDocumentData(data)) return action;
    // A document closed meanwhile, or an action that no longer applies, resolves without an edit.
    const edits = withDocument(data.uri, undefined, 'code action resolve', (entry) => doWholeDocumentEdits(entry.document, data.action));
    return edits ? { ...action, edit: { changes: { [data.uri]: edits } } } : action;
  });

  connection.onCompletion(({ textDocument, position }) =>
    withDocument(textDocument?.uri, [], 'completion', (entry) => {
      const { lines } = entry.document;
      if (position.line < 0 || position.line >= lines.lineCount || position.character > lines.lineEnd(position.line) - lines.lineStart(position.line)) return [];
      return doComplete(entry.document, position);
    }),
  );

  connection.onRequest(HeaderEditRequest, (params: DocumentParams | undefined): HeaderEditResult =>
    withDocument(params?.uri, {}, 'header edit', (entry) => {
      const edit = getHeaderEdit(entry.document);
      return edit ? { edit } : {};
    }),
  );
}

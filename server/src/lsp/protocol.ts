/**
 * Custom messages between the flowlog client and server, shared by both sides: each message is a
 * typed `RequestType`/`NotificationType`, so a change to its parameters or result is a type error
 * on both sides rather than a silent mismatch. Pure data types otherwise; no editor or Node APIs.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { SummaryOptions, SummaryReport } from '../service/summary/model';

export interface DocumentParams {
  uri: string;
}

/** What the server detected about a document's record format (the status bar shows `label`). */
export interface FormatInfo {
  uri: string;
  /** For example `VPC v5 · 29 fields · header` or `VPC default v2 · 14 fields · inferred 80%`. */
  label: string;
  kind: 'vpc' | 'tgw';
  fields: number;
  source: 'option' | 'header' | 'directive' | 'inferred' | 'default';
  /** 0–1. */
  confidence: number;
  /** 0-based columns inference could not pin down. */
  ambiguousColumns: number[];
  /** Whether the document declares its format in a header line or directive. */
  header: boolean;
  /** False when the text does not look like a flow log at all. */
  recognised: boolean;
  layoutId?: string;
}

/** Parameters of a request that needs none. */
export type NoParams = Record<string, never>;

export interface HeaderEditResult {
  /** Edit that inserts a header line; absent when the document has one or none can be built. */
  edit?: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
}

/** What the server detected about a document's format; null for a document it does not have. */
export const FormatInfoRequest = new RequestType<DocumentParams, FormatInfo | null, void>('flowlog/formatInfo');
/** Sent by the server whenever a document's detected format changes (the status bar follows it). */
export const FormatChangedNotification = new NotificationType<FormatInfo>('flowlog/formatChanged');
/** A header line for a document without one (the "Insert Header Line" command). */
export const HeaderEditRequest = new RequestType<DocumentParams, HeaderEditResult, void>('flowlog/headerEdit');
/** What the server answers to a ping: how it checks records (the WebAssembly kernel, or JavaScript where it could not load), and where it pairs large documents. */
export interface PingResult {
  recordCheck?: 'webassembly' | 'javascript';
  /** Where the last large document was paired: on the server's pairing thread, or on its own thread (none could be started); absent before the first. */
  pairing?: 'thread' | 'server';
}
/** Answered at once: the client's liveness check of a busy server. */
export const PingRequest = new RequestType<NoParams, PingResult, void>('flowlog/ping');
/** The node server's process id (the client's memory watch reads it). */
export const ProcessIdRequest = new RequestType<NoParams, number, void>('flowlog/processId');

export interface ExplainRejectionsResult {
  /** The report: conversations with a REJECT grouped by verdict, with `uri#L<line>` links. */
  markdown: string;
}

/** The Explain Rejections report of a document; null for a document the server does not have. */
export const ExplainRejectionsRequest = new RequestType<DocumentParams, ExplainRejectionsResult | null, void>('flowlog/explainRejections');

/**
 * A document text delivered in pieces rather than as one string. The node transport decodes the
 * text of a large `didOpen` (and of a full-text `didChange`) straight into pieces of about 1 MB,
 * so that the server never holds the message body, the decoded JSON and the text at once. When
 * `textPieces` is present, `text` is '' and the pieces, concatenated, are the text.
 */
export interface PiecewiseText {
  text: string;
  textPieces?: readonly string[];
}

/**
 * Node flags the VS Code client starts the server with (other editors may add them too). V8's
 * young generation grows to 16 MB semi-spaces; at 4 MB, the text pieces of a large `didOpen`
 * are promoted sooner and the server's peak with a 50 MB document falls from about 160 MB to
 * about 130 MB (`npm run bench:lsp`), for a few percent more time in garbage collection.
 *
 * No allocation-site pretenuring: once Explain Rejections keeps the conversations it judges, V8
 * learns that the objects of those allocation sites survive and allocates them in the old
 * generation from then on; the summary's verdict tally then judged 400,000 short-lived
 * conversations (970 MB allocated on the 50 MB v2 document) straight into the old generation,
 * which grew to 280 MB before a full collection. Without it they die young: the summary's
 * peak fell from 482 to 309 MB (`bench:lsp --memory-stages`, BENCHMARKS.md session 6).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--no-allocation-site-pretenuring'];

// ---- filter and exports (issue 11) ---------------------------------------------------------

export interface FilterParams {
  uri: string;
  expression: string;
}

/** What is wrong with a filter: 0-based offsets into the expression. */
export interface FilterProblem {
  message: string;
  start: number;
  end: number;
  suggestion?: string;
}

export interface FilterCheckResult {
  problem?: FilterProblem;
  /** The document's field names, for completion. */
  fields: string[];
}

export interface FilterRunResult {
  problem?: FilterProblem;
  /** The result document: a `#` summary line, then header lines and the matching records. */
  text: string;
  /** Per line of `text`, the 0-based source line (-1 for the summary). */
  sourceLines: number[];
  matched: number;
  records: number;
}

export type ExportTargetName = 'athena' | 'insights' | 'duckdb';

export interface ExportParams {
  uri: string;
  target: ExportTargetName;
  expression?: string;
}

export interface ExportResult {
  text?: string;
  problem?: FilterProblem;
}

export interface ValueFilterParams {
  uri: string;
  position: { line: number; character: number };
}

/** Checks a filter against a document's format (live validation of the filter input). */
export const FilterCheckRequest = new RequestType<FilterParams, FilterCheckResult | null, void>('flowlog/filterCheck');
/** Runs a filter over a document; yields between steps, so hovers are answered meanwhile. */
export const FilterRunRequest = new RequestType<FilterParams, FilterRunResult | null, void>('flowlog/filterRun');
/** The Athena table, Logs Insights query or DuckDB query for a document's format and a filter. */
export const ExportRequest = new RequestType<ExportParams, ExportResult | null, void>('flowlog/export');
/** The filter selecting the value at a position (`dstport = 22`), or null off a value. */
export const ValueFilterRequest = new RequestType<ValueFilterParams, { expression: string } | null, void>('flowlog/valueFilter');

// ---- structure: Go to Time and time spans (issue 13) -------------------------------------------

export interface GoToTimeParams {
  uri: string;
  /** As the user typed it: ISO 8601 or epoch seconds or milliseconds (see service/timeQuery.ts). */
  time: string;
}

export interface GoToTimeResult {
  /** Where the record starts; absent when there is nothing to go to (`message` says why). */
  position?: { line: number; character: number };
  /** Shown to the user: why there is no position, or that the position is the next record after a gap. */
  message?: string;
  /** `bisection` when the records are sorted by start, `scan` otherwise. */
  method?: 'bisection' | 'scan';
}

export interface TimeSpanParams {
  uri: string;
  /** Visible line ranges, inclusive; the server reads at most a few thousand lines of them. */
  visible: { start: number; end: number }[];
}

export interface TimeSpanResult {
  /** Earliest start and latest end of the file's records (ms), when it has timed records. */
  file?: { from: number; to: number };
  /** The same for the visible lines. */
  visible?: { from: number; to: number };
  sortedByStart: boolean;
}

/** Go to Time: the record to move to for a time the user typed. */
export const GoToTimeRequest = new RequestType<GoToTimeParams, GoToTimeResult | null, void>('flowlog/goToTime');
/** The time span of a document and of its visible lines (the status bar tooltip). */
export const TimeSpanRequest = new RequestType<TimeSpanParams, TimeSpanResult | null, void>('flowlog/timeSpan');

// ---- columns (issue 13): aligned columns, the column under the cursor, column values ---------

interface LspPosition {
  line: number;
  character: number;
}

export interface ColumnLayoutParams {
  uri: string;
  /** Lines to lay out (the visible ranges); the server reads at most 5000 lines of it. */
  range: { start: LspPosition; end: LspPosition };
  /** Whether to reserve room for, and return, the decoded label after each value. */
  decodedValues: boolean;
}

/** Per line: blank columns to draw before values (`pads`) and decoded labels after them (`labels`). */
export interface ColumnLayoutLine {
  line: number;
  pads: { character: number; width: number }[];
  labels: { character: number; label: string }[];
}

export interface ColumnLayoutResult {
  lines: ColumnLayoutLine[];
}

export interface ColumnAtParams {
  uri: string;
  /** Cursor positions; the first is the primary cursor. At most 100 are read. */
  positions: LspPosition[];
}

/** The column under one cursor, null off the columns. */
export interface ColumnAtInfo {
  name: string;
  /** 0-based. */
  column: number;
  value?: string;
  decoded?: string;
  header?: boolean;
}

export interface ColumnValuesParams {
  uri: string;
  /** A position on the column (a value or its header name). */
  position: LspPosition;
  /** Lines to read; the whole document when absent. */
  range?: { start: LspPosition; end: LspPosition };
  /** Most values returned (capped by the server at 1,000,000). */
  limit: number;
  /** Also return the values' text (Copy Column Values); Select Column needs only the spans. */
  withText?: boolean;
}

export interface ColumnValuesResult {
  name: string;
  column: number;
  /** Flat: line, start, end of each value (three numbers per value), in document order. */
  spans: number[];
  /** The values' text when `withText` was asked, in the order of `spans`. */
  texts?: string[];
  /** More values than `limit` were in the lines. */
  truncated: boolean;
}

/** The aligned layout of a range of a document (pads and labels); null for a document the server does not have. */
export const ColumnLayoutRequest = new RequestType<ColumnLayoutParams, ColumnLayoutResult | null, void>('flowlog/columnLayout');
/** The column under each cursor (the status bar item). */
export const ColumnAtRequest = new RequestType<ColumnAtParams, (ColumnAtInfo | null)[] | null, void>('flowlog/columnAt');
/** The values of the column at a position, over a range or the whole document (Select Column, Copy Column Values). */
export const ColumnValuesRequest = new RequestType<ColumnValuesParams, ColumnValuesResult | null, void>('flowlog/columnValues');
// ---- the traffic summary (issue 14) -----------------------------------------------------------

export interface SummaryParams {
  uri: string;
  /** Groupings, N and interval (service/summary/model.ts); `{}` for the defaults. */
  options: SummaryOptions;
}

export interface SummaryResult {
  /** The document version the numbers are for. */
  version: number;
  report: SummaryReport;
  /** False when the text does not look like a flow log (its lines are then counted as malformed). */
  recognised: boolean;
  /** A bad option (a grouping naming no field), in words; the report is then empty. */
  problem?: string;
}

/**
 * The summary of an open document (the Show Summary view): computed in slices that yield, with
 * work-done progress for a large document, and kept for the version and options last asked.
 * null for a document the server does not have, or one closed meanwhile.
 */
export const SummaryRequest = new RequestType<SummaryParams, SummaryResult | null, void>('flowlog/summary');

/**
 * The traffic summary's data: what `flowlog stats`, `flowlog report` and the editor's summary view
 * show. Plain, JSON-serialisable data (numbers past 2^53 are written as decimal strings), computed
 * by the pure service from the scanner's columns, so the CLI, the LSP request and the HTML report
 * read one implementation. This file is the contract between the aggregator (summary/*.ts) and its
 * readers (cli/statsCommand.ts, cli/report*.ts, lsp/summary.ts, client/src/summary*).
 */

/** What to compute. Every field has a default, so `{}` is a valid request. */
export interface SummaryOptions {
  /**
   * Groupings for the top-N tables, each one or two field names of the catalog (`dstport`,
   * `srcaddr,dstaddr`). A grouping naming a field the format lacks yields a table with `missing`.
   * Default: the built-in set (talkers by bytes, destination ports, rejected destinations,
   * interfaces, protocols, traffic paths, AWS services, flow direction) that the format has.
   */
  groupBy?: string[][];
  /** Rows per table (default 10, at most 1000). */
  top?: number;
  /** What user groupings (`groupBy`) rank by (default records); the built-in tables say their own. */
  by?: 'bytes' | 'records' | 'packets';
  /**
   * Timeline bucket width in seconds; chosen from the time span when absent (at most 200
   * buckets). An asked width that would give more than 10,000 buckets is doubled until it does not.
   */
  intervalSeconds?: number;
  /**
   * Distinct groups counted exactly, all tables together (default 1,000,000, 48 bytes
   * each plus 8–16 of hash slots); past it a table estimates (see TopTable.exact and note).
   */
  maxGroups?: number;
  /** Pair records into conversations and count their verdicts (default false: null in the report). */
  verdicts?: boolean;
}

/** An exact count that may pass 2^53: a number when safe, otherwise its decimal digits. */
export type Count = number | string;

export interface ActionCounts {
  accept: Count;
  reject: Count;
  /** NODATA, SKIPDATA and records without an action. */
  other: Count;
}

export interface SummaryTotals {
  files: number;
  records: Count;
  /** Lines that are not well-formed records and were not counted. */
  malformed: Count;
  recordsByAction: ActionCounts;
  bytesByAction: ActionCounts;
  packets: Count;
  logStatus: Record<string, Count>;
  /** Earliest `start` and latest `end`, epoch seconds; null when the format has no times. */
  firstStart: number | null;
  lastEnd: number | null;
}

export interface TimelineBucket {
  /** Bucket start, epoch seconds (UTC), a multiple of `intervalSeconds`. */
  start: number;
  records: ActionCounts;
  bytes: ActionCounts;
}

export interface Timeline {
  intervalSeconds: number;
  /** Every bucket from the first to the last, empty ones included (charts need a regular axis). */
  buckets: TimelineBucket[];
}

export interface TopRow {
  /** The group's values, one per field of the grouping, as written in the file. */
  values: string[];
  /** A readable label per value (`443 HTTPS`, `6 TCP`, `8 egress-only-internet-gateway`), or null. */
  labels: (string | null)[];
  records: Count;
  bytes: Count;
  packets: Count;
  rejected: Count;
  /** The filter-language expression selecting exactly this row's records (clicking a row applies it). */
  filter: string;
  /**
   * When the table is an estimate: how much the ranking measure (the table's `by`) may be too
   * high. The row's other counts are then lower bounds: they start when the group was first
   * tracked. Absent when the table is exact.
   */
  maxOverestimate?: Count;
}

export interface TopTable {
  /** The grouping's field names. */
  fields: string[];
  /** What the rows are ranked by. */
  by: 'bytes' | 'records' | 'packets';
  /** Only records matching this (e.g. `action = REJECT` for rejected destinations), or null. */
  where: string | null;
  title: string;
  rows: TopRow[];
  /** Distinct groups seen, when counted exactly. */
  distinct: number | null;
  /** true when counted exactly; false when the memory budget was passed and rows are estimates. */
  exact: boolean;
  /**
   * Set when the table cannot be trusted or is empty for a reason: the format lacks a field
   * (`missing`), or an estimate's error bound swamps the values (`no entry stands out`).
   */
  note: string | null;
}

export interface VerdictCount {
  /** The conversation verdict's stable code (see service/conversations/model.ts). */
  verdict: string;
  description: string;
  conversations: number;
}

export interface SummaryReport {
  /** `describeFormat` of each distinct format read, in order of first appearance. */
  formats: string[];
  totals: SummaryTotals;
  timeline: Timeline | null;
  top: TopTable[];
  /** Conversation verdicts, when conversations were computed (the editor, `report`); else null. */
  verdicts: VerdictCount[] | null;
}

/**
 * The traffic summary's numbers, one record at a time, read straight from the record's text:
 * the scanner's token offsets, and only the columns a summary needs (action, bytes, packets,
 * start, end, log-status and the grouped fields); no object per record. Feed it with
 * `recordText` of a FlowLogStream (summaryStream.ts does), or call `addRecord` per record.
 *
 * Its state (`state()`) is plain data and typed arrays: another aggregator, in another thread,
 * can `merge` it, and the result equals one aggregator fed both inputs (while the group tables
 * stay exact; past their budget, merged estimates keep their proven bounds).
 */
import { lookupField } from '../../catalog/fields';
import { DASH } from '../../catalog/charCodes';
import { MILLISECONDS_THRESHOLD, readDecimal } from '../../catalog/values';
import { describeFormat, type FlowLogFormat } from '../formatModel';
import { layoutForRecord } from '../layoutSwitch';
import { PlainSplitter, scanRecord, TokenBuffer } from '../scan';
import { cellEncoder, smallCode, smallDomain, writeCellKey, type CellEncoder } from './cellKeys';
import { GroupBatch } from './groupBatch';
import { GroupTable, Measure, type GroupBudget, type GroupTableState, type RankMeasure } from './groupTable';
import { groupingsOf, type Grouping } from './groupings';
import type { SummaryOptions, SummaryReport } from './model';
import { topTable } from './topTables';
import { ActionIndex, TimelineCounter, type TimelineState } from './timeline';
import { Totals, USUAL_LOG_STATUS, type TotalsState } from './totals';
import { VerdictCounter } from './verdicts';

/** Distinct groups counted exactly across all tables before estimates start (48 bytes each, plus 8–16 of hash slots). */
export const DEFAULT_MAX_GROUPS = 1_000_000;
export const DEFAULT_TOP = 10;
export const MAX_TOP = 1000;
/** Digits a count may have and still be read exactly as a double. */
const SAFE_DIGITS = 15;

/** Everything an aggregator counted, as plain data (structured-clone-able, for worker threads). */
export interface SummaryState {
  files: number;
  formats: string[];
  totals: TotalsState;
  timeline: TimelineState;
  tables: GroupTableState[];
  /** Which tables met a format with all their fields. */
  present: boolean[];
  verdicts: Record<string, number> | null;
}

interface TablePlan {
  table: GroupTable;
  /** The table's index in the aggregator's tables. */
  index: number;
  columns: Int32Array;
  encoders: CellEncoder[];
  rejectedOnly: boolean;
  /** One field of few values: counted by its small code. */
  small: boolean;
}

/** Where one format keeps what the summary reads. */
interface FormatPlan {
  action: number;
  bytes: number;
  packets: number;
  start: number;
  end: number;
  logStatus: number;
  tables: TablePlan[];
}

const RANK: Record<Grouping['by'], RankMeasure> = { records: Measure.Records, bytes: Measure.Bytes, packets: Measure.Packets };

export class SummaryAggregator {
  readonly groupings: readonly Grouping[];
  readonly top: number;
  private readonly tables: GroupTable[];
  /** Encoders of each table's fields, by catalog name (the same for every format). */
  private readonly encoders: CellEncoder[][];
  private readonly present: boolean[];
  private readonly budget: GroupBudget;
  private totals = new Totals();
  private timeline: TimelineCounter;
  private readonly verdicts: VerdictCounter | undefined;
  private plans = new WeakMap<FlowLogFormat, FormatPlan>();
  private readonly formats: string[] = [];
  private files = 0;
  private lastFormat: FlowLogFormat | undefined;
  private lastPlan: FormatPlan | undefined;
  private readonly tokens = new TokenBuffer();
  private readonly splitter = new PlainSplitter();
  /** Group-table updates not applied yet: every read of the tables flushes it first. */
  private readonly batch: GroupBatch;

  constructor(readonly options: SummaryOptions = {}) {
    this.groupings = groupingsOf(options.groupBy, options.by);
    this.top = Math.max(1, Math.min(MAX_TOP, Math.floor(options.top ?? DEFAULT_TOP)));
    this.budget = { used: 0, max: options.maxGroups ?? DEFAULT_MAX_GROUPS };
    this.encoders = this.groupings.map((grouping) => grouping.fields.map((name) => {
      const spec = lookupField(name);
      if (!spec) throw new Error(`unknown field ${name} in a grouping (check it with readGrouping)`);
      return cellEncoder(spec);
    }));
    this.tables = this.groupings.map((grouping, i) => new GroupTable(RANK[grouping.by], this.budget, this.encoders[i].length === 1 ? smallDomain(this.encoders[i][0]) : 0));
    this.batch = new GroupBatch(this.tables);
    this.present = this.groupings.map(() => false);
    this.timeline = new TimelineCounter(options.intervalSeconds);
    this.verdicts = options.verdicts ? new VerdictCounter() : undefined;
  }

  /**
   * Forgets everything counted, keeping the tables' memory: a worker thread summarises segment
   * after segment with one aggregator (fresh memory costs more than the counting on a flat input).
   */
  reset(): void {
    this.totals = new Totals();
    this.timeline = new TimelineCounter(this.options.intervalSeconds);
    this.batch.clear();
    for (const table of this.tables) table.clear();
    this.budget.used = 0;
    this.present.fill(false);
    this.plans = new WeakMap();
    this.lastFormat = undefined;
    this.lastPlan = undefined;
    this.formats.length = 0;
    this.files = 0;
    if (this.verdicts) throw new Error('an aggregator with verdicts is not reset');
  }

  /** A new input file begins: conversations do not pair across files. */
  startFile(): void {
    this.verdicts?.finish();
  }

  /** An input file was read (one that was left out as not a flow log is not counted). */
  countFile(): void {
    this.files++;
  }

  /** The format of a file or segment, for the report's list of formats read. */
  noteFormat(format: FlowLogFormat): void {
    const description = describeFormat(format);
    if (!this.formats.includes(description)) this.formats.push(description);
  }

  /**
   * Counts the record on text[start, end) (a record line, or one message of a JSON line) of
   * `format`; false, counting it as malformed, when its field count is not its format's (nor
   * that of a known layout a headerless file may mix in).
   */
  addRecord(text: string, start: number, end: number, format: FlowLogFormat, line = -1): boolean {
    const tokens = this.tokens;
    const width = format.names.length;
    if (!this.splitter.split(text, start, end, tokens) || tokens.count !== width) scanRecord(text, start, end, tokens);
    if (tokens.count !== width) {
      // A headerless file may mix layouts: a record of another known layout is read by it.
      const other = layoutForRecord(format, text, tokens);
      if (!other) {
        this.totals.malformed++;
        return false;
      }
      format = other;
    }
    const plan = format === this.lastFormat ? (this.lastPlan as FormatPlan) : this.planFor(format);
    const { starts, ends } = tokens;
    const totals = this.totals;
    totals.records++;

    let action: number = ActionIndex.Other;
    if (plan.action >= 0) action = actionOf(text, starts[plan.action], ends[plan.action]);
    totals.recordsByAction[action]++;
    let bytes = 0;
    if (plan.bytes >= 0) {
      const s = starts[plan.bytes];
      const e = ends[plan.bytes];
      bytes = readDecimal(text, s, e, SAFE_DIGITS);
      if (bytes >= 0) totals.bytesByAction[action].add(bytes);
      else if (isLongNumber(text, s, e)) totals.bytesByAction[action].addDigits(text.slice(s, e));
      if (bytes < 0) bytes = 0;
    }
    let packets = 0;
    if (plan.packets >= 0) {
      const s = starts[plan.packets];
      const e = ends[plan.packets];
      packets = readDecimal(text, s, e, SAFE_DIGITS);
      if (packets >= 0) totals.packets.add(packets);
      else if (isLongNumber(text, s, e)) totals.packets.addDigits(text.slice(s, e));
      if (packets < 0) packets = 0;
    }
    if (plan.logStatus >= 0) {
      const s = starts[plan.logStatus];
      const e = ends[plan.logStatus];
      const usual = usualLogStatus(text, s, e);
      if (usual >= 0) totals.usualLogStatus[usual]++;
      else totals.countLogStatus(text.slice(s, e));
    }
    if (plan.start >= 0) {
      const first = seconds(text, starts[plan.start], ends[plan.start]);
      if (first >= 0) {
        if (first < totals.firstStart) totals.firstStart = first;
        this.timeline.add(first, action, bytes);
      }
    }
    if (plan.end >= 0) {
      const last = seconds(text, starts[plan.end], ends[plan.end]);
      if (last > totals.lastEnd) totals.lastEnd = last;
    }

    const rejected = action === ActionIndex.Reject ? 1 : 0;
    const batch = this.batch;
    const key = batch.keys;
    for (let t = 0; t < plan.tables.length; t++) {
      const entry = plan.tables[t];
      if (entry.rejectedOnly && rejected === 0) continue;
      const { columns, encoders } = entry;
      let code = -1;
      if (entry.small) {
        code = smallCode(encoders[0], text, starts[columns[0]], ends[columns[0]]);
        if (entry.table.addCode(code, 1, bytes, packets, rejected)) continue;
      }
      for (let c = 0; c < columns.length; c++) writeCellKey(encoders[c], text, starts[columns[c]], ends[columns[c]], key);
      batch.hold(entry.index, bytes, packets, rejected, code);
    }
    if (batch.full) batch.flush();
    this.verdicts?.add(text, start, end, format, line);
    return true;
  }

  /** Everything counted, as plain data for `merge` in another aggregator of the same options. */
  state(): SummaryState {
    this.batch.flush();
    return {
      files: this.files,
      formats: [...this.formats],
      totals: this.totals.state(),
      timeline: this.timeline.state(),
      tables: this.tables.map((table) => table.state()),
      present: [...this.present],
      verdicts: this.verdicts ? this.verdicts.counts() : null,
    };
  }

  /** Adds another aggregator's state (same options): the result is as if this one had read its input too. */
  merge(other: SummaryState): void {
    if (other.tables.length !== this.tables.length) throw new Error('merging summaries of different groupings');
    this.batch.flush();
    this.files += other.files;
    for (const format of other.formats) if (!this.formats.includes(format)) this.formats.push(format);
    this.totals.merge(other.totals);
    this.timeline.merge(other.timeline);
    other.tables.forEach((table, i) => this.tables[i].merge(table));
    other.present.forEach((present, i) => (this.present[i] ||= present));
    if (this.verdicts && other.verdicts) this.verdicts.merge(other.verdicts);
  }

  /** The report: totals, timeline, one table per grouping (built-in ones only where a format had their fields), verdicts when asked. */
  report(): SummaryReport {
    this.batch.flush();
    const top = this.groupings.flatMap((grouping, i) => {
      if (grouping.builtIn && !this.present[i]) return [];
      return [topTable(grouping, this.tables[i], this.encoders[i], this.top, this.present[i])];
    });
    return {
      formats: [...this.formats],
      totals: this.totals.summary(this.files),
      timeline: this.timeline.timeline(),
      top,
      verdicts: this.verdicts ? this.verdicts.report() : null,
    };
  }

  private planFor(format: FlowLogFormat): FormatPlan {
    let plan = this.plans.get(format);
    if (!plan) {
      const at = (name: string): number => format.names.indexOf(name);
      const tables: TablePlan[] = [];
      this.groupings.forEach((grouping, i) => {
        const columns = grouping.fields.map(at);
        if (columns.some((column) => column < 0)) return;
        if (grouping.rejectedOnly && at('action') < 0) return;
        this.present[i] = true;
        const encoders = this.encoders[i];
        tables.push({ table: this.tables[i], index: i, columns: Int32Array.from(columns), encoders, rejectedOnly: grouping.rejectedOnly, small: encoders.length === 1 && smallDomain(encoders[0]) > 0 });
      });
      plan = {
        action: at('action'),
        bytes: at('bytes'),
        packets: at('packets'),
        start: at('start'),
        end: at('end'),
        logStatus: at('log-status'),
        tables,
      };
      this.plans.set(format, plan);
      this.noteFormat(format);
    }
    this.lastFormat = format;
    this.lastPlan = plan;
    return plan;
  }
}

/** Action index of an `action` cell: ACCEPT, REJECT, or other (`-`, anything else). */
function actionOf(text: string, start: number, end: number): number {
  if (end - start !== 6) return ActionIndex.Other;
  if (text.startsWith('ACCEPT', start)) return ActionIndex.Accept;
  if (text.startsWith('REJECT', start)) return ActionIndex.Reject;
  return ActionIndex.Other;
}

/** Index of a log-status cell in USUAL_LOG_STATUS, or -1. */
function usualLogStatus(text: string, start: number, end: number): number {
  for (let i = 0; i < USUAL_LOG_STATUS.length; i++) if (USUAL_LOG_STATUS[i].length === end - start && text.startsWith(USUAL_LOG_STATUS[i], start)) return i;
  return -1;
}

/** True for a cell of more than SAFE_DIGITS digits (a counter past 2^53 is rare but exact in totals). */
function isLongNumber(text: string, start: number, end: number): boolean {
  return end - start > SAFE_DIGITS && end - start <= 20 && readDecimal(text, start, end) >= 0;
}

/** Epoch seconds of a start or end cell (milliseconds read as the validator reads them), or -1. */
function seconds(text: string, start: number, end: number): number {
  if (end - start === 1 && text.charCodeAt(start) === DASH) return -1;
  const value = readDecimal(text, start, end, SAFE_DIGITS);
  if (value <= 0) return -1;
  return value >= MILLISECONDS_THRESHOLD ? Math.floor(value / 1000) : value;
}

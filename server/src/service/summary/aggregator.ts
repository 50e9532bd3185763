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
import { describeFormat, type FlowLogFormat } from '../formatModel';
import { layoutForRecord } from '../layoutSwitch';
import { PlainSplitter, scanRecord, TokenBuffer } from '../scan';
import { readIPv4 } from '../filter/cidr';
import { provenCells } from '../fastPath';
import { cellEncoder, Encoding, smallCode, smallDomain, writeCellKey, type CellEncoder } from './cellKeys';
import { ProvenCells } from './provenCells';
import { GroupBatch } from './groupBatch';
import { GroupTable, hashBytes, Measure, type GroupBudget, type GroupTableState, type RankMeasure } from './groupTable';
import { groupingsOf, type Grouping } from './groupings';
import type { SummaryOptions, SummaryReport } from './model';
import { TextCache } from './textCache';
import { topTable } from './topTables';
import { ActionIndex, TimelineCounter, type TimelineState } from './timeline';
import { Totals, USUAL_LOG_STATUS, type TotalsState } from './totals';
import { actionOf, DASH_STATUS, enumWords, provenSmallCode, readCount, seconds, secondsOf, usualLogStatus, writeProvenKey } from './cellReads';
import { VerdictCounter } from './verdicts';

/** Distinct groups counted exactly across all tables before estimates start (48 bytes each, plus 8–16 of hash slots). */
export const DEFAULT_MAX_GROUPS = 1_000_000;
export const DEFAULT_TOP = 10;
export const MAX_TOP = 1000;
/** Groups up to which a table is looked up at once rather than through the batch (its slots and entries stay in cache). */
const DIRECT_LOOKUP = 4096;

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
  /** Two address fields: an IPv4 pair is held as two numbers, its key bytes never written. */
  pair: boolean;
  /** One text field: recent groups found by their text (textCache.ts). */
  texts: TextCache | undefined;
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
  /** By the index of an `action` enum value the kernel read: its ActionIndex. */
  actions: Uint8Array;
  /** By the index of a `log-status` value the kernel read: its USUAL_LOG_STATUS index, or -1. */
  logStatuses: Int8Array;
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
  /** The kernel's reading of clean records, where it runs. */
  private readonly proven: ProvenCells | undefined;
  private readonly splitter = new PlainSplitter();
  /** Group-table updates not applied yet: every read of the tables flushes it first. */
  private readonly batch: GroupBatch;
  private readonly textCaches: (TextCache | undefined)[];

  /**
   * `cells`: 'text' reads every record with the splitter, never with the validation kernel (the
   * reference the kernel's reading is tested against).
   */
  constructor(readonly options: SummaryOptions = {}, cells: 'kernel' | 'text' = 'kernel') {
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
    this.proven = cells === 'kernel' ? newProvenCells() : undefined;
    this.textCaches = this.encoders.map((encoders) => (encoders.length === 1 && encoders[0].encoding === Encoding.Text ? new TextCache() : undefined));
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
    const at = this.proven ? this.proven.read(text, start, end, format) : -1;
    if (at >= 0) {
      const plan = format === this.lastFormat ? (this.lastPlan as FormatPlan) : this.planFor(format);
      this.count(text, plan, provenCells.starts, provenCells.ends, at, provenCells.nums);
    } else {
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
      this.count(text, plan, tokens.starts, tokens.ends, 0, null);
    }
    this.verdicts?.add(text, start, end, format, line);
    return true;
  }

  /**
   * Counts a well-formed record whose column c is text[at + starts[c], at + ends[c]); `nums`, when
   * the kernel proved the record clean, holds the numbers it read (NaN where it read none).
   */
  private count(text: string, plan: FormatPlan, starts: Int32Array, ends: Int32Array, at: number, nums: Float64Array | null): void {
    const totals = this.totals;
    totals.records++;

    let action: number = ActionIndex.Other;
    if (plan.action >= 0) {
      const n = nums ? nums[plan.action] : NaN;
      action = n >= 0 ? plan.actions[n] : n === -1 ? ActionIndex.Other : actionOf(text, at + starts[plan.action], at + ends[plan.action]);
    }
    totals.recordsByAction[action]++;
    let bytes = 0;
    if (plan.bytes >= 0) {
      const n = nums ? nums[plan.bytes] : NaN;
      if (n >= 0) totals.bytesByAction[action].add((bytes = n));
      else if (n !== -1) bytes = readCount(totals.bytesByAction[action], text, at + starts[plan.bytes], at + ends[plan.bytes]);
    }
    let packets = 0;
    if (plan.packets >= 0) {
      const n = nums ? nums[plan.packets] : NaN;
      if (n >= 0) totals.packets.add((packets = n));
      else if (n !== -1) packets = readCount(totals.packets, text, at + starts[plan.packets], at + ends[plan.packets]);
    }
    if (plan.logStatus >= 0) {
      const s = at + starts[plan.logStatus];
      const e = at + ends[plan.logStatus];
      const n = nums ? nums[plan.logStatus] : NaN;
      const usual = n >= 0 ? plan.logStatuses[n] : n === -1 ? DASH_STATUS : usualLogStatus(text, s, e);
      if (usual >= 0) totals.usualLogStatus[usual]++;
      else totals.countLogStatus(text.slice(s, e));
    }
    if (plan.start >= 0) {
      const n = nums ? nums[plan.start] : NaN;
      const first = n === n ? secondsOf(n) : seconds(text, at + starts[plan.start], at + ends[plan.start]);
      if (first >= 0) {
        if (first < totals.firstStart) totals.firstStart = first;
        this.timeline.add(first, action, bytes);
      }
    }
    if (plan.end >= 0) {
      const n = nums ? nums[plan.end] : NaN;
      const last = n === n ? secondsOf(n) : seconds(text, at + starts[plan.end], at + ends[plan.end]);
      if (last > totals.lastEnd) totals.lastEnd = last;
    }

    const rejected = action === ActionIndex.Reject ? 1 : 0;
    // The kernel's window of bytes, which the offsets of a proven record point into.
    const window = nums && this.proven ? this.proven.cellBytes : null;
    const batch = this.batch;
    const key = batch.keys;
    for (let t = 0; t < plan.tables.length; t++) {
      const entry = plan.tables[t];
      if (entry.rejectedOnly && rejected === 0) continue;
      const { columns, encoders, table } = entry;
      const c0 = columns[0];
      let code = -1;
      if (entry.small) {
        if (nums) code = provenSmallCode(encoders[0], nums[c0]);
        if (code < 0) code = smallCode(encoders[0], text, at + starts[c0], at + ends[c0]);
        if (table.addCode(code, 1, bytes, packets, rejected)) continue;
      } else if (entry.pair) {
        const c1 = columns[1];
        const a = nums ? nums[c0] : readIPv4(text, at + starts[c0], at + ends[c0]);
        const b = !(a >= 0) ? -1 : nums ? nums[c1] : readIPv4(text, at + starts[c1], at + ends[c1]);
        // IPv4 → IPv4 (the kernel's -1 is `-`, -2 an IPv6 address): the key path reads the rest.
        if (b >= 0) {
          batch.holdPair(entry.index, a, b, bytes, packets, rejected);
          continue;
        }
      }
      const idle = batch.idle(entry.index);
      const texts = entry.texts;
      if (texts && idle && window) {
        const found = texts.find(window, starts[c0], ends[c0], table.generation);
        if (found >= 0) {
          table.countEntry(found, 1, bytes, packets, rejected);
          continue;
        }
      }
      const from = key.length;
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c];
        if (nums === null || !writeProvenKey(encoders[c], nums[column], key)) writeCellKey(encoders[c], text, at + starts[column], at + ends[column], key);
      }
      if (idle && code < 0 && table.size < DIRECT_LOOKUP) {
        // A small table is in cache: looking up now costs less than holding the update.
        const found = table.lookup(key.bytes, from, key.length - from, hashBytes(key.bytes, key.length - from, from));
        if (found >= 0) {
          table.countEntry(found, 1, bytes, packets, rejected);
          if (window) texts?.fill(window, starts[c0], ends[c0], found);
          key.length = from;
          continue;
        }
      }
      batch.hold(entry.index, bytes, packets, rejected, code);
    }
    if (batch.full) batch.flush();
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
        tables.push({ table: this.tables[i], index: i, columns: Int32Array.from(columns), encoders, rejectedOnly: grouping.rejectedOnly, small: encoders.length === 1 && smallDomain(encoders[0]) > 0, pair: encoders.length === 2 && encoders.every((e) => e.encoding === Encoding.Address), texts: this.textCaches[i] });
      });
      plan = {
        action: at('action'),
        bytes: at('bytes'),
        packets: at('packets'),
        start: at('start'),
        end: at('end'),
        logStatus: at('log-status'),
        tables,
        actions: Uint8Array.from(enumWords(format, at('action')), (value) => (value === 'ACCEPT' ? ActionIndex.Accept : value === 'REJECT' ? ActionIndex.Reject : ActionIndex.Other)),
        logStatuses: Int8Array.from(enumWords(format, at('log-status')), (value) => USUAL_LOG_STATUS.indexOf(value)),
      };
      this.plans.set(format, plan);
      this.noteFormat(format);
    }
    this.lastFormat = format;
    this.lastPlan = plan;
    return plan;
  }
}

function newProvenCells(): ProvenCells | undefined {
  const cells = new ProvenCells();
  return cells.enabled ? cells : undefined;
}

/**
 * The structure of a flow log document, found in one pass and shared by folding ranges, document
 * symbols and Go to Time: its parts (a header segment, or in a headerless file a run of records
 * of one known layout), and within each part its records grouped by interface (or Transit
 * Gateway attachment) and cut into time windows, with record and REJECT counts and time spans.
 *
 * Cost: one walk over the records (`RecordTimesWalker`), no object per record: a part, group or
 * window is one object, groups stop being tracked past `MAX_GROUPS` distinct values and windows
 * past `MAX_WINDOWS`, so the result stays small on a 50 MB document. The walk also tells whether
 * the records are sorted by start (Go to Time then bisects) and their longest window.
 */
import { declarationLineOf, type FlowLogFormat } from './formatModel';
import { groupFieldOf, RecordTimesWalker, type RecordSource, type RecordTimes } from './recordTimes';

/** Counts and time span of a set of records; times in milliseconds, NaN when none had a time. */
export interface RecordCounts {
  records: number;
  rejects: number;
  firstStart: number;
  lastEnd: number;
}

/** The records of one interface (or attachment) in a part; they need not be contiguous. */
export interface RecordGroup extends RecordCounts {
  value: string;
  firstLine: number;
  lastLine: number;
}

/** Consecutive lines whose records start in [bucketStart, bucketEnd). */
export interface TimeWindow extends RecordCounts {
  fromLine: number;
  toLine: number;
  bucketStart: number;
  bucketEnd: number;
}

export interface StructurePart extends RecordCounts {
  segmentIndex: number;
  format: FlowLogFormat;
  /** The header or directive line, or -1 (headerless, or a run of another layout). */
  headerLine: number;
  /** From the header (or the first record) to the last record. */
  fromLine: number;
  toLine: number;
  /** The first record's line (the header's when there is none). */
  firstRecordLine: number;
  /** Field the groups are by (`interface-id`, `tgw-attachment-id`), if the format has one. */
  groupField?: string;
  /** In order of first appearance; undefined when there were more than MAX_GROUPS. */
  groups: RecordGroup[] | undefined;
  /** Two or more windows, or none (a part within one window is not cut). */
  windows: TimeWindow[];
}

export interface DocumentStructure extends RecordCounts {
  parts: StructurePart[];
  /** Length of a time window. */
  windowMs: number;
  /** Whether the records' start times never decrease in line order (records without a time are skipped). */
  sortedByStart: boolean;
  /** Longest end − start of a record, ms. */
  maxDurationMs: number;
  /** Records with a readable time. */
  timedRecords: number;
}

/** Distinct groups tracked per part; more than this and the part is cut by time instead. */
export const MAX_GROUPS = 200;
/** Windows per part at most; the last one takes the rest. */
export const MAX_WINDOWS = 200;
/** Windows per document the window length aims at. */
const TARGET_WINDOWS = 48;
/** Parts shorter than this many lines are not cut into windows. */
export const MIN_WINDOW_PART_LINES = 100;
const MINUTE = 60_000;
/** Window lengths to choose from: round clock intervals. */
const WINDOW_LADDER = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * MINUTE);
/** Lines looked at from each end of the document to estimate its time span. */
const SPAN_PROBE_LINES = 2000;

function counts(): RecordCounts {
  return { records: 0, rejects: 0, firstStart: NaN, lastEnd: NaN };
}

function add(target: RecordCounts, record: RecordTimes): void {
  target.records++;
  if (record.rejected) target.rejects++;
  if (!Number.isNaN(record.start) && !(record.start >= target.firstStart)) target.firstStart = record.start;
  if (!Number.isNaN(record.end) && !(record.end <= target.lastEnd)) target.lastEnd = record.end;
}

/** The window length: a round interval that cuts the document's span into about TARGET_WINDOWS. */
export function chooseWindowMs(spanMs: number): number {
  if (!(spanMs > 0)) return 10 * MINUTE;
  for (const step of WINDOW_LADDER) if (spanMs / step <= TARGET_WINDOWS) return step;
  return WINDOW_LADDER[WINDOW_LADDER.length - 1];
}

/** The span between the first and last record starts, from the lines at each end. */
function estimateSpan(walker: RecordTimesWalker, lineCount: number): number {
  let first = NaN;
  walker.walk(0, Math.min(lineCount, SPAN_PROBE_LINES), (record) => {
    if (Number.isNaN(record.start)) return true;
    first = record.start;
    return false;
  });
  let last = NaN;
  walker.walk(Math.max(0, lineCount - SPAN_PROBE_LINES), lineCount, (record) => {
    if (!Number.isNaN(record.start)) last = record.start;
  });
  return Math.abs(last - first);
}

class PartBuilder {
  readonly part: StructurePart;
  private lastGroup: RecordGroup | undefined;
  private groupIndex: Map<string, RecordGroup> | undefined;
  private window: TimeWindow | undefined;

  constructor(record: RecordTimes, headerLine: number, private readonly windowMs: number) {
    const field = groupFieldOf(record.format);
    this.part = {
      ...counts(),
      segmentIndex: record.segmentIndex,
      format: record.format,
      headerLine,
      fromLine: headerLine >= 0 ? headerLine : record.line,
      toLine: record.line,
      firstRecordLine: record.line,
      groupField: field,
      groups: field ? [] : undefined,
      windows: [],
    };
  }

  add(record: RecordTimes): void {
    const part = this.part;
    add(part, record);
    part.toLine = record.line;
    if (part.groups && record.groupStart >= 0) this.addToGroup(record, part.groups);
    this.addToWindow(record);
  }

  private addToGroup(record: RecordTimes, groups: RecordGroup[]): void {
    const { text, groupStart, groupEnd } = record;
    let group = this.lastGroup;
    // Records of one interface often come in runs: compare in place before slicing.
    if (!group || group.value.length !== groupEnd - groupStart || !text.startsWith(group.value, groupStart)) {
      const value = text.slice(groupStart, groupEnd);
      group = this.groupIndex ? this.groupIndex.get(value) : groups.find((g) => g.value === value);
      if (!group) {
        if (groups.length === MAX_GROUPS) {
          this.part.groups = undefined;
          this.groupIndex = undefined;
          this.lastGroup = undefined;
          return;
        }
        group = { ...counts(), value, firstLine: record.line, lastLine: record.line };
        groups.push(group);
        if (this.groupIndex) this.groupIndex.set(value, group);
        else if (groups.length > 8) this.groupIndex = new Map(groups.map((g) => [g.value, g]));
      }
      this.lastGroup = group;
    }
    add(group, record);
    group.lastLine = record.line;
  }

  private addToWindow(record: RecordTimes): void {
    const windows = this.part.windows;
    let window = this.window;
    if (!Number.isNaN(record.start)) {
      const bucketStart = Math.floor(record.start / this.windowMs) * this.windowMs;
      // Forward only (an earlier record stays in the window it appears in), and never within a line.
      const opens = !window || (bucketStart > window.bucketStart && record.line > window.toLine && windows.length < MAX_WINDOWS);
      if (opens) {
        if (window) window.bucketEnd = bucketStart;
        window = { ...counts(), fromLine: window ? record.line : this.part.firstRecordLine, toLine: record.line, bucketStart, bucketEnd: bucketStart + this.windowMs };
        windows.push(window);
        this.window = window;
      }
    }
    if (!window) return;
    add(window, record);
    window.toLine = record.line;
  }

  finish(): StructurePart {
    const part = this.part;
    const last = part.windows[part.windows.length - 1];
    if (last && !Number.isNaN(last.lastEnd)) last.bucketEnd = Math.max(last.bucketEnd, Math.ceil(last.lastEnd / this.windowMs) * this.windowMs);
    if (part.windows.length < 2 || part.toLine - part.fromLine + 1 < MIN_WINDOW_PART_LINES) part.windows = [];
    return part;
  }
}

/**
 * Builds a document's structure a slice of lines at a time, so that an editor's server can let
 * other requests in between (`advance`); `buildStructure` does it in one go.
 */
export class StructureScan {
  private readonly walker: RecordTimesWalker;
  private readonly result: DocumentStructure;
  private builder: PartBuilder | undefined;
  private previousStart = -Infinity;
  private nextLine = 0;
  private finished = false;

  constructor(private readonly source: RecordSource) {
    this.walker = new RecordTimesWalker(source);
    const windowMs = chooseWindowMs(estimateSpan(this.walker, source.lines.lineCount));
    this.result = { ...counts(), parts: [], windowMs, sortedByStart: true, maxDurationMs: 0, timedRecords: 0 };
  }

  /** Reads up to `lineBudget` more lines; true once the whole document is read. */
  advance(lineBudget: number): boolean {
    if (this.finished) return true;
    const lineCount = this.source.lines.lineCount;
    const to = Math.min(lineCount, this.nextLine + Math.max(1, lineBudget));
    this.walker.walk(this.nextLine, to, (record) => this.add(record));
    this.nextLine = to;
    if (to < lineCount) return false;
    if (this.builder) this.result.parts.push(this.builder.finish());
    addHeaderOnlySegments(this.source, this.result);
    this.finished = true;
    return true;
  }

  /** The structure; complete once `advance` returned true. */
  get structure(): DocumentStructure {
    return this.result;
  }

  private add(record: RecordTimes): void {
    const result = this.result;
    let builder = this.builder;
    if (!builder || builder.part.segmentIndex !== record.segmentIndex || builder.part.format !== record.format) {
      if (builder) result.parts.push(builder.finish());
      const newSegment = !builder || builder.part.segmentIndex !== record.segmentIndex;
      builder = new PartBuilder(record, newSegment ? declarationLineOf(this.source.formats.segments[record.segmentIndex]) : -1, result.windowMs);
      this.builder = builder;
    }
    builder.add(record);
    add(result, record);
    if (!Number.isNaN(record.start)) {
      result.timedRecords++;
      if (record.start < this.previousStart) result.sortedByStart = false;
      this.previousStart = record.start;
      const duration = record.end - record.start;
      if (duration > result.maxDurationMs) result.maxDurationMs = duration;
    }
  }
}

/** The structure of a document (see the module comment), in one go. */
export function buildStructure(source: RecordSource): DocumentStructure {
  const scan = new StructureScan(source);
  scan.advance(Number.MAX_SAFE_INTEGER);
  return scan.structure;
}

/** Segments whose header has no records under it still show (an empty S3 object, a header being written). */
function addHeaderOnlySegments(source: RecordSource, result: DocumentStructure): void {
  const { segments } = source.formats;
  const seen = new Set<number>();
  for (const part of result.parts) seen.add(part.segmentIndex);
  if (seen.size === segments.length) return;
  const empty: StructurePart[] = [];
  segments.forEach((segment, segmentIndex) => {
    const headerLine = declarationLineOf(segment);
    if (seen.has(segmentIndex) || headerLine < 0) return;
    const field = groupFieldOf(segment.format);
    empty.push({ ...counts(), segmentIndex, format: segment.format, headerLine, fromLine: headerLine, toLine: headerLine, firstRecordLine: headerLine, groupField: field, groups: field ? [] : undefined, windows: [] });
  });
  if (empty.length > 0) result.parts = [...result.parts, ...empty].sort((a, b) => a.fromLine - b.fromLine);
}

/**
 * Aligned columns without touching the text: for the lines of a range, how many blank columns to
 * draw before each value so that the values of a column line up under the header, and the
 * decoded label to draw after a value (the same label the inlay hints show, hintLabels.ts). The
 * editor draws both as decorations in its own font; the document's text is never changed, so the
 * `irregular-spacing` rule keeps meaning what the file holds.
 *
 * Column widths come from a bounded sample, never from the whole document: the header line of
 * each segment the range touches, its first `ALIGNMENT_SAMPLE_LINES` record lines, and the lines
 * of the range itself (so every value in view fits). A request therefore costs the same on a
 * 50 MB document as on a small one. Widths are kept per format, so the segments of a file and the
 * layouts a headerless file mixes (a Transit Gateway record among VPC ones) each align on their
 * own. The sample's widths are computed once per detection of the document's formats. CloudWatch Logs export prefixes (the event time before a record) are a lead that is padded
 * like a column. JSON lines (Firehose wrappers, subscription envelopes) are left as they are.
 */
import type { Range } from 'vscode-languageserver-types';
import type { FlowLogDocument } from './document';
import { declarationLineOf, isRecognised, type DocumentFormats, type FlowLogFormat, type FormatSegment } from './formatModel';
import { planOf, recordLabels, type FormatPlan } from './hintLabels';
import { layoutForRecord } from './layoutSwitch';
import { forEachRecordLine } from './recordLines';
import { isJsonLine, scanRecord, skipBlanks, TokenBuffer } from './scan';

/** Record lines read from the start of each segment in view to size its columns. */
export const ALIGNMENT_SAMPLE_LINES = 200;
/** Lines one request lays out; a client asking for more gets the first ones. */
export const MAX_ALIGNED_LINES = 5000;

export interface ColumnLayoutOptions {
  /** Reserve room for, and return, the decoded label after each value (as the inlay hints show it). */
  decodedValues: boolean;
}

/** Blank columns to draw before the value that starts at `character`. */
export interface ColumnPad {
  character: number;
  width: number;
}

/** A decoded label to draw after the value that ends at `character`, one blank column before it. */
export interface ColumnLabel {
  character: number;
  label: string;
}

export interface AlignedLine {
  line: number;
  pads: ColumnPad[];
  labels: ColumnLabel[];
}

/** One line as read: where its values start, and the label of each value. */
interface Row {
  line: number;
  key: FlowLogFormat;
  starts: number[];
  ends: number[];
  labels: readonly string[];
}

/** Widths of one format's columns: the lead before the first value, then each value with its gap and label. */
class Widths {
  lead = 0;
  cells: number[] = [];

  /** These widths, widened to `other`'s where they are wider (two segments of one format). */
  widen(other: Widths): Widths {
    this.lead = Math.max(this.lead, other.lead);
    other.cells.forEach((width, column) => {
      if (!(width <= this.cells[column])) this.cells[column] = width;
    });
    return this;
  }

  copy(): Widths {
    const copy = new Widths();
    copy.lead = this.lead;
    copy.cells = this.cells.slice();
    return copy;
  }

  add(row: Row): void {
    const { starts, labels } = row;
    if (starts.length === 0) return;
    this.lead = Math.max(this.lead, starts[0]);
    for (let column = 0; column + 1 < starts.length; column++) {
      const width = starts[column + 1] - starts[column] + labelWidth(labels[column]);
      if (!(width <= this.cells[column])) this.cells[column] = width;
    }
  }

  /** The record just scanned into `scratch` (a sample line: no row is kept for it). */
  addScanned(lineStart: number, labels: readonly string[]): void {
    const { starts, count } = scratch;
    if (count === 0) return;
    this.lead = Math.max(this.lead, starts[0] - lineStart);
    for (let column = 0; column + 1 < count; column++) {
      const width = starts[column + 1] - starts[column] + labelWidth(labels[column]);
      if (!(width <= this.cells[column])) this.cells[column] = width;
    }
  }
}

/** Columns a label takes: the label and the blank before it. */
function labelWidth(label: string | undefined): number {
  return label ? label.length + 1 : 0;
}

const scratch = new TokenBuffer();
const scratchLabels: string[] = [];
const NO_LABELS: readonly string[] = [];

/**
 * Scans a record line into `scratch` and its labels into `scratchLabels`; the format that reads
 * it, or undefined for a JSON line or a line without values.
 */
function scanLine(text: string, lineStart: number, lineEnd: number, segment: FormatSegment, plans: Map<FlowLogFormat, FormatPlan>, options: ColumnLayoutOptions): FlowLogFormat | undefined {
  if (isJsonLine(text, skipBlanks(text, lineStart, lineEnd))) return undefined;
  scanRecord(text, lineStart, lineEnd, scratch);
  if (scratch.count === 0) return undefined;
  const key = layoutForRecord(segment.format, text, scratch) ?? segment.format;
  if (options.decodedValues) recordLabels(planOf(plans, key), key, text, scratch, scratchLabels);
  else scratchLabels.length = 0;
  return key;
}

/** Reads a record line into a row; undefined for a JSON line or a line without values. */
function readRow(text: string, lineStart: number, lineEnd: number, line: number, segment: FormatSegment, plans: Map<FlowLogFormat, FormatPlan>, options: ColumnLayoutOptions): Row | undefined {
  const key = scanLine(text, lineStart, lineEnd, segment, plans, options);
  if (!key) return undefined;
  const labels = scratchLabels.length > 0 ? scratchLabels.slice() : NO_LABELS;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < scratch.count; i++) {
    starts.push(scratch.starts[i] - lineStart);
    ends.push(scratch.ends[i] - lineStart);
  }
  return { line, key, starts, ends, labels };
}

/** The header line of a segment as a row (names, no labels); undefined for a directive or none. */
function headerRow(doc: FlowLogDocument, segment: FormatSegment): Row | undefined {
  const line = declarationLineOf(segment);
  if (line < 0 || segment.format.source !== 'header') return undefined;
  const text = doc.lines.textOf(line);
  const lineStart = doc.lines.lineStart(line);
  scanRecord(text, lineStart, doc.lines.lineEnd(line), scratch);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < scratch.count; i++) {
    starts.push(scratch.starts[i] - lineStart);
    ends.push(scratch.ends[i] - lineStart);
  }
  return { line, key: segment.format, starts, ends, labels: NO_LABELS };
}

function widthsOf(table: Map<FlowLogFormat, Widths>, key: FlowLogFormat): Widths {
  let widths = table.get(key);
  if (!widths) table.set(key, (widths = new Widths()));
  return widths;
}

/**
 * The widths a segment's header and first record lines give, per format. They are kept with the
 * document's formats, which detection replaces when an edit touches a header or the lines it
 * read; an edit of a sampled record is not seen until then, which is harmless: lines in view are
 * always read afresh, and a stale width only keeps a column a little wider.
 */
const sampleCache = new WeakMap<DocumentFormats, Map<FormatSegment, Map<FlowLogFormat, Widths>>[]>();

function sampleWidths(doc: FlowLogDocument, segment: FormatSegment, segmentEnd: number, plans: Map<FlowLogFormat, FormatPlan>, options: ColumnLayoutOptions): Map<FlowLogFormat, Widths> {
  let byOption = sampleCache.get(doc.formats);
  if (!byOption) sampleCache.set(doc.formats, (byOption = [new Map(), new Map()]));
  const cache = byOption[options.decodedValues ? 1 : 0];
  const cached = cache.get(segment);
  if (cached) return cached;
  const table = new Map<FlowLogFormat, Widths>();
  const header = headerRow(doc, segment);
  if (header) widthsOf(table, header.key).add(header);
  let sampled = 0;
  forEachRecordLine(doc.lines, doc.formats, segment.fromLine, segmentEnd, (text, start, end, found) => {
    const key = scanLine(text, start, end, found, plans, options);
    if (key) widthsOf(table, key).addScanned(start, scratchLabels);
    return ++sampled < ALIGNMENT_SAMPLE_LINES;
  });
  cache.set(segment, table);
  return table;
}

/** The pads and labels that bring a row to its format's widths. */
function alignRow(row: Row, widths: Widths): AlignedLine {
  const pads: ColumnPad[] = [];
  const labels: ColumnLabel[] = [];
  const { starts, ends } = row;
  const lead = widths.lead - starts[0];
  if (lead > 0) pads.push({ character: starts[0], width: lead });
  for (let column = 0; column < starts.length; column++) {
    const label = row.labels[column];
    if (label) labels.push({ character: ends[column], label });
    if (column + 1 >= starts.length) break;
    const pad = widths.cells[column] - (starts[column + 1] - starts[column]) - labelWidth(label);
    if (pad > 0) pads.push({ character: starts[column + 1], width: pad });
  }
  return { line: row.line, pads, labels };
}

/**
 * The aligned layout of the lines in `range`: per line (header or record, in line order) the pads
 * before its values and the labels after them. Lines that are not read as records of a
 * recognised format are left out.
 */
export function columnLayout(doc: FlowLogDocument, range: Range, options: ColumnLayoutOptions): AlignedLine[] {
  const lineCount = doc.lines.lineCount;
  const from = Math.max(0, range.start.line);
  const to = Math.min(lineCount - 1, range.end.line, from + MAX_ALIGNED_LINES - 1);
  if (from > to) return [];
  const primaryReadable = isRecognised(doc.formats);
  const plans = new Map<FlowLogFormat, FormatPlan>();
  const table = new Map<FlowLogFormat, Widths>();
  const rows: Row[] = [];
  const { segments } = doc.formats;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    const segmentEnd = index + 1 < segments.length ? segments[index + 1].fromLine : lineCount;
    if (segmentEnd <= from || segment.fromLine > to) continue;
    if (!primaryReadable && segment.format === doc.formats.primary) continue;
    for (const [key, widths] of sampleWidths(doc, segment, segmentEnd, plans, options)) {
      const known = table.get(key);
      table.set(key, known ? known.widen(widths) : widths.copy());
    }
    const header = headerRow(doc, segment);
    if (header && header.line >= from && header.line <= to) rows.push(header);
    // The range's own lines, so that every value in view fits its column.
    forEachRecordLine(doc.lines, doc.formats, Math.max(from, segment.fromLine), Math.min(to + 1, segmentEnd), (text, start, end, found, line) => {
      const row = readRow(text, start, end, line, found, plans, options);
      if (!row) return;
      widthsOf(table, row.key).add(row);
      rows.push(row);
    });
  }
  rows.sort((a, b) => a.line - b.line);
  return rows.map((row) => alignRow(row, widthsOf(table, row.key)));
}

/**
 * The values of a column over a range of lines: Select Column puts a cursor on each, Copy Column
 * Values copies them. A column is followed by its name, so in a file whose segments have
 * different headers, or a headerless file that mixes layouts, `dstport` is found wherever each
 * line's format puts it; a column past the format's width (`column-31`) by its position.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import type { FlowLogDocument } from './document';
import { isRecognised, type FlowLogFormat } from './formatModel';
import { columnAtPosition } from './columnAt';
import { layoutForRecord } from './layoutSwitch';
import { forEachRecordLine } from './recordLines';
import { isJsonLine, scanLineRecord, skipBlanks, TokenBuffer } from './scan';
import { jsonRecords, JsonRecords } from './exportShapes';

/** A value of a column: its line and its offsets in that line. */
export interface ColumnValue {
  line: number;
  start: number;
  end: number;
  text: string;
}

export interface ColumnValues {
  /** The column followed (as in `ColumnAtPosition`). */
  name: string;
  column: number;
  values: ColumnValue[];
  /** True when the lines held more than `limit` values; `values` holds the first `limit`. */
  truncated: boolean;
}

export interface ColumnValuesOptions {
  /** Lines to read, inclusive; the whole document by default. */
  range?: Range;
  /** Most values returned. */
  limit: number;
}

const scratch = new TokenBuffer();
const scratchJson = new JsonRecords();

/** Where a line's format puts the column: by name when the formats name it, else by position. */
function columnIn(format: FlowLogFormat, name: string, column: number, byName: boolean): number {
  return byName ? format.names.indexOf(name) : column;
}

/**
 * The values of the column under `position` in the record lines of a range: one per record that
 * has the column (a short record lacks it; a JSON line may hold several records). Undefined when
 * the position is not on a column.
 */
export function columnValues(doc: FlowLogDocument, position: Position, options: ColumnValuesOptions): ColumnValues | undefined {
  const at = columnAtPosition(doc, position);
  if (!at) return undefined;
  const byName = !at.name.startsWith('column-');
  const from = Math.max(0, options.range?.start.line ?? 0);
  const to = Math.min(doc.lines.lineCount - 1, options.range?.end.line ?? doc.lines.lineCount - 1);
  const values: ColumnValue[] = [];
  let truncated = false;
  const primaryReadable = isRecognised(doc.formats);
  const take = (text: string, lineStart: number, line: number, format: FlowLogFormat): boolean => {
    format = layoutForRecord(format, text, scratch) ?? format;
    const column = columnIn(format, at.name, at.column, byName);
    if (column < 0 || column >= scratch.count) return true;
    if (values.length >= options.limit) {
      truncated = true;
      return false;
    }
    const start = scratch.starts[column];
    const end = scratch.ends[column];
    values.push({ line, start: start - lineStart, end: end - lineStart, text: text.slice(start, end) });
    return true;
  };
  forEachRecordLine(doc.lines, doc.formats, from, to + 1, (text, lineStart, lineEnd, segment, line) => {
    if (!primaryReadable && segment.format === doc.formats.primary) return true;
    const first = skipBlanks(text, lineStart, lineEnd);
    if (!isJsonLine(text, first)) {
      scanLineRecord(text, lineStart, lineEnd, 0, undefined, scratch);
      return take(text, lineStart, line, segment.format);
    }
    jsonRecords(text, first, lineEnd, scratchJson);
    for (let index = 0; index < scratchJson.count; index++) {
      scanLineRecord(text, first, lineEnd, index, scratchJson, scratch);
      if (!take(text, lineStart, line, segment.format)) return false;
    }
    return true;
  });
  return { name: at.name, column: at.column, values, truncated };
}

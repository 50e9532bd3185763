/**
 * The record lines of a range: every line that is not blank, not a comment, not its segment's
 * header or directive and not the header of a CSV export, with the segment whose format it is read by. The stream's parse mode and
 * inlay hints walk a document this way; validation too, with the loop inline for speed.
 */
import { declarationLineOf, type DocumentFormats, type FormatSegment } from './formatModel';
import type { LineSource } from './lines';
import { jsonRecords, type JsonRecords } from './exportShapes';
import { isBlankOrComment, isJsonLine, isNonRecordLine, skipBlanks } from './scan';

/**
 * Sees one record line: `text[start, end)` of line `line`. Returns false to stop, or the number of
 * following lines it took in with this one (a wrapped record), which are then skipped.
 */
export type RecordLineVisitor = (text: string, start: number, end: number, segment: FormatSegment, line: number) => boolean | number | void;

/** Visits the record lines of [from, to); false when the visitor stopped. */
export function forEachRecordLine(lines: LineSource, formats: DocumentFormats, from: number, to: number, visit: RecordLineVisitor): boolean {
  const { segments } = formats;
  const last = Math.min(to, lines.lineCount);
  let segmentIndex = 0;
  for (let line = Math.max(0, from); line < last; line++) {
    while (segmentIndex + 1 < segments.length && segments[segmentIndex + 1].fromLine <= line) segmentIndex++;
    const segment = segments[segmentIndex];
    if (declarationLineOf(segment) === line) continue;
    const text = lines.textOf(line);
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    if (isBlankOrComment(text, start, end)) continue;
    const result = visit(text, start, end, segment, line);
    if (result === false) return false;
    if (typeof result === 'number') line += result;
  }
  return true;
}

/**
 * Sees one record: `text[start, end)` on line `line`. A JSON line (a CloudWatch subscription
 * envelope, a Firehose object) holds one record per message, each seen on its own with `fromJson`
 * set and the message's time stamp span (`-1, -1` when there is none).
 */
export type RecordVisitor = (text: string, start: number, end: number, segment: FormatSegment, line: number, fromJson: boolean, stampStart: number, stampEnd: number) => void;

/**
 * A RecordVisitor as an object's method. A reader made per input (a worker's per segment) whose
 * method is its class's calls one target from the loop, where a closure made per input would
 * cost the optimized loop a deoptimization and a recompile for each new one.
 */
export interface RecordReader {
  readRecord(text: string, start: number, end: number, segment: FormatSegment, line: number, fromJson: boolean, stampStart: number, stampEnd: number): void;
}

/**
 * Visits every record of lines [from, to), as `flowlog parse` reads them: JSON lines are split into
 * their messages, so the stream, the editor's summary and any other whole-document reader count
 * the same records. `json` is the caller's reusable buffer; returns the JSON lines that could not be read.
 */
export function forEachRecord(lines: LineSource, formats: DocumentFormats, from: number, to: number, json: JsonRecords, visit: RecordVisitor): number {
  return readRecords(lines, formats, from, to, json, { readRecord: visit });
}

/** forEachRecord with a RecordReader; forEachRecordLine's loop is inline. */
export function readRecords(lines: LineSource, formats: DocumentFormats, from: number, to: number, json: JsonRecords, reader: RecordReader): number {
  let unreadable = 0;
  const { segments } = formats;
  const last = Math.min(to, lines.lineCount);
  let segmentIndex = 0;
  for (let line = Math.max(0, from); line < last; line++) {
    while (segmentIndex + 1 < segments.length && segments[segmentIndex + 1].fromLine <= line) segmentIndex++;
    const segment = segments[segmentIndex];
    if (declarationLineOf(segment) === line) continue;
    const text = lines.textOf(line);
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    // isBlankOrComment, with its first non-blank kept for the JSON test.
    const first = skipBlanks(text, start, end);
    if (first >= end || isNonRecordLine(text, first, end)) continue;
    if (!isJsonLine(text, first)) {
      reader.readRecord(text, start, end, segment, line, false, -1, -1);
      continue;
    }
    jsonRecords(text, first, end, json);
    unreadable += json.unreadable;
    for (let index = 0; index < json.count; index++) reader.readRecord(text, json.starts[index], json.ends[index], segment, line, true, json.stampStarts[index], json.stampEnds[index]);
  }
  return unreadable;
}

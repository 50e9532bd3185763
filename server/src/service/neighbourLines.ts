/**
 * The lines around a record whose field count is wrong, read to say what went wrong: the lines a
 * wrapped record continues on, and the record line before a change of layout.
 */
import { declarationLineOf, type DocumentFormats } from './formatModel';
import type { LineSource } from './lines';
import { isBlankOrComment, scanRecord, type TokenBuffer } from './scan';

/** Lines looked back over (blanks, comments) for the record before a change of layout. */
const MAX_LOOK_BACK = 64;
/** Longest wrap looked for: a record of 54 fields split a few per line. */
export const MAX_WRAP_LINES = 8;

export interface Wrap {
  /** The wrap's last line, and where its last field ends in it. */
  endLine: number;
  endCharacter: number;
  /** Field count of each line of the wrap, and their sum (a multiple of the width). */
  counts: number[];
  total: number;
}

/**
 * Following malformed lines that, with `line` (of `count` fields), hold whole records of `width`
 * fields: PDF copies wrap records over several lines and start the next record on the last line
 * of the previous one. `scratch` is scanned into.
 */
export function findWrap(lines: LineSource, line: number, count: number, width: number, maxLineLength: number, scratch: TokenBuffer): Wrap | undefined {
  const counts = [count];
  let total = count;
  for (let next = line + 1; next < lines.lineCount && next <= line + MAX_WRAP_LINES; next++) {
    const text = lines.textOf(next);
    const nextStart = lines.lineStart(next);
    const nextEnd = lines.lineEnd(next);
    if (nextEnd - nextStart > maxLineLength) return undefined;
    if (isBlankOrComment(text, nextStart, nextEnd)) return undefined;
    scanRecord(text, nextStart, nextEnd, scratch);
    // A well-formed record is not part of the wrap.
    if (scratch.count === width || scratch.wrapperStart >= 0) return undefined;
    total += scratch.count;
    counts.push(scratch.count);
    if (total % width === 0) return { endLine: next, endCharacter: scratch.ends[scratch.count - 1] - nextStart, counts, total };
  }
  return undefined;
}

/**
 * Field count of the record line before `line` (the first record of a JSON line), or -1 when a
 * header, directive or nothing comes first. `countBefore`: the count before line 0, when `lines`
 * is part of a larger text (ValidationInput.previousRecordCount). `scratch` is scanned into.
 */
export function recordCountBefore(lines: LineSource, formats: DocumentFormats, line: number, countBefore: number | undefined, scratch: TokenBuffer): number {
  for (let at = line - 1; at >= 0 && at >= line - MAX_LOOK_BACK; at--) {
    const text = lines.textOf(at);
    const start = lines.lineStart(at);
    const end = lines.lineEnd(at);
    if (isBlankOrComment(text, start, end)) continue;
    if (formats.segments.some((segment) => declarationLineOf(segment) === at)) return -1;
    scanRecord(text, start, end, scratch);
    return scratch.count;
  }
  return line < MAX_LOOK_BACK ? (countBefore ?? -1) : -1;
}

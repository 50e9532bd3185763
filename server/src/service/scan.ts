/**
 * Splits one line into tokens without allocating: token offsets go into a reusable buffer.
 * It also finds what surrounds a record: a UTF-8 BOM, a CloudWatch export prefix (a time, a log
 * stream name, a CSV column: exportShapes.ts), JSON wrappers and subscription envelopes, a
 * trailing `#comment`, and irregular spacing (runs of spaces, tabs, leading or trailing blanks)
 * that AWS's own examples contain.
 *
 * A JSON line may hold several records (one per log event): `scanRecord` on the whole line reads
 * the first and says how many there are (`recordsInLine`); `scanLineRecord` reads each one.
 */
import { DASH, HASH, NINE, QUOTE, SPACE, TAB, ZERO } from '../catalog/charCodes';
import { isExportHeader, jsonRecords, JsonRecords, prefixEnd } from './exportShapes';

const BOM = 0xfeff;

export class TokenBuffer {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  count = 0;
  /** Offset of a leading CloudWatch timestamp token, or -1. */
  timestampStart = -1;
  timestampEnd = -1;
  /** Offset where a trailing `#` comment starts, or -1. */
  commentStart = -1;
  /** Offset of the first irregular gap (double space, tab, leading/trailing blank), or -1. */
  irregularAt = -1;
  irregularEnd = -1;
  /** Start of the JSON line the record was read from (a wrapper or envelope), or -1. */
  wrapperStart = -1;
  /** Quoted CSV message: offset of its closing quote, or -1. */
  quotedEnd = -1;
  /** Where the record itself starts, after any prefix or wrapper. */
  recordStart = 0;
  /** Records on the line: 1, or for a JSON line the number of its messages (possibly 0). */
  recordsInLine = 1;

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const grownStarts = new Int32Array(this.count * 2);
      grownStarts.set(this.starts);
      this.starts = grownStarts;
      const grownEnds = new Int32Array(this.count * 2);
      grownEnds.set(this.ends);
      this.ends = grownEnds;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  reset(): void {
    this.count = 0;
    this.timestampStart = -1;
    this.timestampEnd = -1;
    this.commentStart = -1;
    this.irregularAt = -1;
    this.irregularEnd = -1;
    this.wrapperStart = -1;
    this.quotedEnd = -1;
    this.recordStart = 0;
    this.recordsInLine = 1;
  }

  text(source: string, index: number): string {
    return source.slice(this.starts[index], this.ends[index]);
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `2018-09-22T20:28:14.000Z` style prefix of CloudWatch exports. */
export function isIsoTimestamp(text: string, start: number, end: number): boolean {
  if (end - start < 19) return false;
  return (
    isDigit(text.charCodeAt(start)) &&
    isDigit(text.charCodeAt(start + 3)) &&
    text.charCodeAt(start + 4) === 45 &&
    text.charCodeAt(start + 7) === 45 &&
    text.charCodeAt(start + 10) === 84 &&
    text.charCodeAt(start + 13) === 58 &&
    text.charCodeAt(start + 16) === 58
  );
}

const WRAPPER = '"message"';

/** Finds the record inside `{"message":"…"}`; returns [start, end) or undefined. */
export function unwrapMessage(text: string, start: number, end: number): [number, number] | undefined {
  const key = text.indexOf(WRAPPER, start);
  if (key < 0 || key >= end) return undefined;
  let i = key + WRAPPER.length;
  while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === 58)) i++;
  if (text.charCodeAt(i) !== 34) return undefined;
  const close = text.indexOf('"', i + 1);
  if (close < 0 || close >= end) return undefined;
  return [i + 1, close];
}

/**
 * Tokenizes text[start, end) as a record into `out`. Tabs count as separators; they and runs of
 * spaces are noted in `irregularAt` so validation can report them.
 */
export function scanRecord(text: string, start: number, end: number, out: TokenBuffer): void {
  out.reset();
  if (start < end && text.charCodeAt(start) === BOM) start++;
  let first = start;
  while (first < end && (text.charCodeAt(first) === SPACE || text.charCodeAt(first) === TAB)) first++;
  const c = text.charCodeAt(first);
  if (c === OPEN_BRACE && first < end) {
    jsonRecords(text, first, end, lineJson);
    out.wrapperStart = first;
    out.recordsInLine = lineJson.count;
    if (lineJson.count === 0) {
      out.recordStart = end;
      return;
    }
    out.timestampStart = lineJson.stampStarts[0];
    out.timestampEnd = lineJson.stampEnds[0];
    start = lineJson.starts[0];
    end = lineJson.ends[0];
  } else if ((c >= 48 && c <= 57) || c === QUOTE) {
    const after = prefixEnd(text, first, end, out);
    if (after > first) {
      // Blanks before the prefix are irregular spacing of the line.
      if (first > start) {
        out.irregularAt = start;
        out.irregularEnd = first;
      }
      start = after;
      if (out.quotedEnd >= 0) end = out.quotedEnd;
    }
  }
  tokenize(text, start, end, out);
}

const OPEN_BRACE = 123;
/** The JSON records of the line scanRecord last read. */
const lineJson = new JsonRecords();

/**
 * Tokenizes record `index` of a line: for a JSON line, read first with `jsonRecords` into
 * `json`, its message `index` with its event's timestamp; otherwise the line itself.
 */
export function scanLineRecord(text: string, start: number, end: number, index: number, json: JsonRecords | undefined, out: TokenBuffer): void {
  if (!json) {
    scanRecord(text, start, end, out);
    return;
  }
  out.reset();
  out.wrapperStart = start;
  out.recordsInLine = json.count;
  out.timestampStart = json.stampStarts[index];
  out.timestampEnd = json.stampEnds[index];
  tokenize(text, json.starts[index], json.ends[index], out);
}

/** True when the line at `first` (its first non-blank character) is JSON, whose records `jsonRecords` finds. */
export function isJsonLine(text: string, first: number): boolean {
  return text.charCodeAt(first) === OPEN_BRACE;
}

function tokenize(text: string, start: number, end: number, out: TokenBuffer): void {
  out.recordStart = start;
  let i = start;
  let gapStart = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    // i starts a token; the gap before it was [gapStart, i).
    if (c === HASH) {
      out.commentStart = i;
      end = i;
      break;
    }
    // The usual gap is one space: only look closer at anything else.
    if (i - gapStart !== 1 || text.charCodeAt(gapStart) !== SPACE) noteGap(text, gapStart, i, start, out);
    const tokenStart = i;
    while (i < end) {
      const t = text.charCodeAt(i);
      if (t === SPACE || t === TAB) break;
      i++;
    }
    out.push(tokenStart, i);
    gapStart = i;
  }
  // Trailing blanks (before a trailing comment they are expected).
  if (out.commentStart < 0 && gapStart < end && out.irregularAt < 0) {
    out.irregularAt = gapStart;
    out.irregularEnd = end;
  }
}

function noteGap(text: string, gapStart: number, gapEnd: number, lineStart: number, out: TokenBuffer): void {
  if (out.irregularAt >= 0) return;
  const width = gapEnd - gapStart;
  const leading = gapStart === lineStart;
  if ((leading && width > 0) || width > 1 || (width === 1 && text.charCodeAt(gapStart) === TAB)) {
    out.irregularAt = gapStart;
    out.irregularEnd = gapEnd;
  }
}

/** The column at a cursor: the token it is in or touches, or the gap it is in. */
export interface CursorColumn {
  column: number;
  /** Whether the cursor is inside or at an edge of the token [start, end). */
  inside: boolean;
  start: number;
  end: number;
}

/**
 * The record column under `cursor` in text[start, end), reading tokens as scanRecord does (BOM,
 * `{"message"}` wrapper, CloudWatch timestamp, trailing comment) but only up to the cursor and
 * no further than `maxColumns` columns: undefined on the timestamp, in a comment or past
 * `maxColumns`. The cost is bounded by the cursor's offset, not by the line's length.
 */
export function columnAt(text: string, start: number, end: number, cursor: number, maxColumns: number): CursorColumn | undefined {
  if (start < end && text.charCodeAt(start) === BOM) start++;
  if (start < end && text.charCodeAt(start) === 123) {
    const inner = unwrapMessage(text, start, end);
    if (inner) {
      if (cursor < inner[0] || cursor > inner[1]) return undefined;
      start = inner[0];
      end = inner[1];
    }
  }
  let column = 0;
  let first = true;
  let i = start;
  while (i < end && column <= maxColumns) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === HASH) return cursor > i ? undefined : { column, inside: false, start: cursor, end: cursor };
    const tokenStart = i;
    while (i < end && text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== TAB) i++;
    const timestamp = first && isIsoTimestamp(text, tokenStart, i);
    first = false;
    if (cursor < tokenStart) return timestamp ? undefined : { column, inside: false, start: cursor, end: cursor };
    if (cursor <= i) return timestamp ? undefined : { column, inside: true, start: tokenStart, end: i };
    if (!timestamp) column++;
  }
  return column <= maxColumns ? { column, inside: false, start: cursor, end: cursor } : undefined;
}

/** Whether line text[start, end) is blank, a `#` comment (directives included) or a CloudWatch export's CSV header line: no record. */
export function isBlankOrComment(text: string, start: number, end: number): boolean {
  const first = skipBlanks(text, start, end);
  return first >= end || isNonRecordLine(text, first, end);
}

/** First non-blank character offset in [start, end), or end. */
export function skipBlanks(text: string, start: number, end: number): number {
  let i = start;
  if (i < end && text.charCodeAt(i) === BOM) i++;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

/**
 * True when a line whose first non-blank character is at `first` holds no record: a `#`
 * comment (or directive) or the header line of a CloudWatch Logs CSV export.
 */
export function isNonRecordLine(text: string, first: number, end: number): boolean {
  return text.charCodeAt(first) === HASH || isExportHeader(text, first, end);
}

const DIRECTIVE = /#\s*(?:fields|format)\s*:/iy;

/** Offset just after `# fields:` / `# format:`, or -1 when the comment is not a directive. */
export function directiveBodyStart(text: string, hashAt: number): number {
  DIRECTIVE.lastIndex = hashAt;
  return DIRECTIVE.test(text) ? DIRECTIVE.lastIndex : -1;
}

/**
 * Tokens of an ordinary record (values separated by single spaces, nothing around them) found
 * with the engine's `indexOf`, which is faster than a loop over characters. `split` returns false,
 * with the tokens undefined, for anything else, which `scanRecord` then reads: tabs, comments,
 * runs of spaces, a CloudWatch timestamp, a `{"message":…}` wrapper or a BOM. A prefix it does
 * not see (`2026-01-01 10:00:00 `) shows as a wrong field count: callers rescan then.
 */
export class PlainSplitter {
  private readonly tabsAndHashes = new TabHashScan();

  split(text: string, start: number, end: number, tokens: TokenBuffer): boolean {
    if (this.tabsAndHashes.within(text, start, end)) return false;
    const first = text.charCodeAt(start);
    // Records start with a digit (version, account) or `-`; a timestamp prefix reads 2026-01-01T….
    if (!((first >= ZERO && first <= NINE) || first === DASH) || (end - start > 10 && text.charCodeAt(start + 4) === DASH && text.charCodeAt(start + 10) === LETTER_T)) return false;
    tokens.reset();
    let i = start;
    for (;;) {
      const space = text.indexOf(' ', i);
      const tokenEnd = space < 0 || space >= end ? end : space;
      if (tokenEnd === i) return false;
      tokens.push(i, tokenEnd);
      if (tokenEnd === end) return true;
      i = tokenEnd + 1;
    }
  }
}

const LETTER_T = 84;

/** Offset of the next `char` at or after `from`, Infinity when there is none. */
function positionOf(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? Infinity : at;
}

/**
 * Whether a line holds a tab or `#` (which a plain record line does not), for lines asked in the
 * order of their starts: where the next of each is in the text is kept, so each is searched for
 * once per text, not once per line.
 */
export class TabHashScan {
  private text = '';
  private nextTab = -1;
  private nextHash = -1;

  within(text: string, start: number, end: number): boolean {
    if (text !== this.text) {
      this.text = text;
      this.nextTab = -1;
      this.nextHash = -1;
    }
    if (this.nextTab < start) this.nextTab = positionOf(text, '\t', start);
    if (this.nextHash < start) this.nextHash = positionOf(text, '#', start);
    return this.nextTab < end || this.nextHash < end;
  }
}

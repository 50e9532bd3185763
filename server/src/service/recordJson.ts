/**
 * Records as JSON, written straight from the scanner's token offsets: no object per record or
 * per token. Keys are the format's field names in order; values are typed as `typedValue` types
 * them (integers as numbers, with all their digits past 2^53; `-` and a value of an integer field
 * that is not an integer as null; anything else a string), so the text equals serialising `recordObject(parseLine(…))`. For `flowlog parse` and
 * anything else that exports records. Pure: no Node APIs.
 *
 * `appendLine` writes UTF-8 JSON Lines into a byte buffer. Ordinary records (printable ASCII,
 * one space between values, nothing around them) are copied in one pass over their characters;
 * every other line goes through `scanRecord` and the string path, `record`, and is encoded.
 */
import { integerDigits, isIntegerKind } from '../catalog/values';
import type { FlowLogFormat } from './formatModel';
import { TIMESTAMP_KEY, type ParsedLine } from './parse';
import { scanRecord, TokenBuffer } from './scan';
import { prefixEnd, stampMillis, type PrefixSpans } from './exportShapes';
import { layoutForRecord } from './layoutSwitch';
import { BACKSLASH, CLOSE_BRACE, DASH, HASH, LF, NINE, QUOTE, SPACE, ZERO } from '../catalog/charCodes';

/** How one format's records are written, worked out once per format. */
interface Plan {
  /** `{"name":`, then `,"name":` … one per key. */
  prefixes: string[];
  /** Column whose value each key takes. */
  columns: number[];
  /** Per column: its field holds integers. */
  integer: boolean[];
  /** Columns a record must have. */
  width: number;
  /** Keys are the columns in order (no repeated name), so the one-pass copy applies. */
  inOrder: boolean;
  /** UTF-8 of every key prefix, string columns with their opening quote; column c's is [prefixStart[c], prefixStart[c + 1]). */
  prefixBytes: Uint8Array;
  prefixStart: Int32Array;
}

/**
 * Characters a JSON string must escape, lone surrogates, and characters a terminal would act on
 * (DEL, C1 and bidi controls, line and paragraph separators: written as `\uXXXX`, the same JSON
 * value); a tab is a separator, never in a value.
 */
const NEEDS_ESCAPE = /["\\\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;
const TERMINAL_CONTROLS = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** Up to 15 digits an integer is always below 2^53, and its text is its JSON. */
const ALWAYS_SAFE_DIGITS = 15;
const INITIAL_CAPACITY = 128 * 1024;
/** Characters encoded at a time for the one-pass copy, which reads bytes rather than characters. */
const WINDOW = 64 * 1024;
const NULL_BYTES = [110, 117, 108, 108];
const DEL = 0x7f;

export class RecordJsonWriter {
  private readonly tokens = new TokenBuffer();
  private readonly prefix: PrefixSpans = { timestampStart: -1, timestampEnd: -1, quotedEnd: -1 };
  private readonly plans = new WeakMap<FlowLogFormat, Plan>();
  private readonly encoder = new TextEncoder();
  private bytes = new Uint8Array(INITIAL_CAPACITY);
  private length = 0;
  /** UTF-8 of window text[windowStart, windowEnd); usable when ASCII (one byte per character). */
  private readonly window = new Uint8Array(WINDOW);
  private windowText = '';
  private windowStart = 0;
  private windowEnd = 0;
  private windowAscii = false;

  /**
   * Records written so far with a value of an integer field that is not an integer (`2O`, `-1`):
   * it was written as null, so the record is not what the file says.
   */
  badIntegerRecords = 0;

  /** Bytes appended and not taken yet. */
  get size(): number {
    return this.length;
  }

  /**
   * Appends the record on text[start, end) as one JSON line (UTF-8, ending in `\n`), or returns
   * false and appends nothing when its field count differs from the format's. The line must be
   * a record line: not blank, not a comment, header or directive, and not a JSON line: the
   * caller passes each message of one (`jsonRecords`) with its event's timestamp span.
   * A CloudWatch Logs time (an export prefix, or that timestamp) comes first, as
   * `cloudwatch-timestamp` in milliseconds.
   */
  appendLine(text: string, start: number, end: number, format: FlowLogFormat, stampStart = -1, stampEnd = -1): boolean {
    const plan = this.planOf(format);
    let recordStart = start;
    let recordEnd = end;
    const c = text.charCodeAt(start);
    if (stampStart < 0 && ((c >= ZERO && c <= NINE) || c === QUOTE)) {
      const after = prefixEnd(text, start, end, this.prefix);
      if (after > start) {
        recordStart = after;
        if (this.prefix.quotedEnd >= 0) recordEnd = this.prefix.quotedEnd;
        stampStart = this.prefix.timestampStart;
        stampEnd = this.prefix.timestampEnd;
      }
    }
    const stamp = stampStart >= 0 ? stampKey(text, stampStart, stampEnd) : '';
    if (plan.inOrder && recordEnd - recordStart <= WINDOW && this.windowHolds(text, recordStart, recordEnd)) {
      this.reserve(recordEnd - recordStart + stamp.length + plan.prefixBytes.length + 4 * plan.width + 2);
      if (this.copyLine(recordStart, recordEnd, plan, stamp)) return true;
    }
    const json = this.record(text, start, end, format, stampStart, stampEnd);
    if (json === undefined) return false;
    this.reserve(3 * json.length + 1);
    this.length += this.encoder.encodeInto(json, this.bytes.subarray(this.length)).written;
    this.bytes[this.length++] = LF;
    return true;
  }

  /**
   * The bytes appended since the last take, in the writer's own buffer: valid only until the next
   * append, for a caller that copies them at once (no new buffer, so no garbage per call).
   */
  takeView(): Uint8Array {
    const view = this.bytes.subarray(0, this.length);
    this.length = 0;
    return view;
  }

  /** The bytes appended since the last call; the writer continues in a fresh buffer. */
  take(): Uint8Array {
    const taken = this.bytes.subarray(0, this.length);
    this.bytes = new Uint8Array(Math.max(INITIAL_CAPACITY, this.bytes.length));
    this.length = 0;
    return taken;
  }

  /**
   * The record on text[start, end) as a JSON object, or undefined when its field count differs
   * from the format's or the text holds several records (a JSON line: see `appendLine`).
   */
  record(text: string, start: number, end: number, format: FlowLogFormat, stampStart = -1, stampEnd = -1): string | undefined {
    let plan = this.planOf(format);
    const tokens = this.tokens;
    scanRecord(text, start, end, tokens);
    if (tokens.count !== plan.width) {
      // A headerless file may mix layouts: a record of another known layout is read by it.
      const other = layoutForRecord(format, text, tokens);
      if (other) plan = this.planOf(other);
    }
    if (tokens.count !== plan.width || tokens.recordsInLine !== 1) return undefined;
    const { starts, ends } = tokens;
    // One look at the whole record decides whether any value may need escaping.
    const plain = !NEEDS_ESCAPE.test(text.slice(start, end));
    const { prefixes, columns, integer } = plan;
    if (stampStart < 0) {
      stampStart = tokens.timestampStart;
      stampEnd = tokens.timestampEnd;
    }
    let json = stampStart >= 0 ? `{${stampKey(text, stampStart, stampEnd)}` : '';
    let bad = false;
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k];
      const value = valueJson(text, starts[column], ends[column], integer[column], plain);
      if (value === undefined) bad = true;
      json += (k === 0 && json !== '' ? prefixes[0].slice(1) : prefixes[k]) + (value ?? 'null');
    }
    if (bad) this.badIntegerRecords++;
    return `${json}}`;
  }

  /** The same JSON for a record already parsed (well-formed: one token per column). */
  parsed(record: ParsedLine): string {
    const { prefixes, columns, integer } = this.planOf(record.format);
    const stamp = record.timestamp;
    let json = stamp ? `{"${TIMESTAMP_KEY}":${Number.isFinite(stamp.millis) ? stamp.millis : 'null'},` : '';
    let bad = false;
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k];
      const raw = record.tokens[column].text;
      const value = valueJson(raw, 0, raw.length, integer[column], false);
      if (value === undefined) bad = true;
      json += (k === 0 && json !== '' ? prefixes[0].slice(1) : prefixes[k]) + (value ?? 'null');
    }
    if (bad) this.badIntegerRecords++;
    return `${json}}`;
  }

  /**
   * Copies an ordinary record in one pass: printable ASCII without quotes, backslashes or `#`,
   * values one space apart, integers in integer columns written as they stand. Returns false,
   * having appended nothing, for anything else (the string path then decides).
   */
  private copyLine(start: number, end: number, plan: Plan, stamp: string): boolean {
    const out = this.bytes;
    const src = this.window;
    const { prefixBytes, prefixStart, integer, width } = plan;
    let o = this.length;
    let i = start - this.windowStart;
    end -= this.windowStart;
    // The CloudWatch Logs time (ASCII) goes between the `{` and the first key.
    let firstPrefixByte = prefixStart[0];
    if (stamp !== '') {
      out[o++] = prefixBytes[firstPrefixByte++];
      for (let k = 0; k < stamp.length; k++) out[o++] = stamp.charCodeAt(k);
    }
    for (let column = 0; column < width; column++) {
      for (let p = column === 0 ? firstPrefixByte : prefixStart[column]; p < prefixStart[column + 1]; p++) out[o++] = prefixBytes[p];
      const valueAt = o;
      const tokenStart = i;
      if (integer[column]) {
        for (; i < end; i++) {
          const c = src[i];
          if (c < ZERO || c > NINE) break;
          out[o++] = c;
        }
        const digits = i - tokenStart;
        if (i < end && src[i] !== SPACE) {
          // Not digits: only `-` (null) stays on this path.
          if (digits > 0 || src[i] !== DASH || (i + 1 < end && src[i + 1] !== SPACE)) return false;
          i++;
          for (let n = 0; n < 4; n++) out[o++] = NULL_BYTES[n];
        } else if (digits === 0 || digits > ALWAYS_SAFE_DIGITS || (digits > 1 && src[tokenStart] === ZERO)) {
          return false;
        }
      } else {
        for (; i < end; i++) {
          const c = src[i];
          if (c === SPACE) break;
          // The window is ASCII: below a space (controls, a tab), DEL, or a quote, backslash or `#`.
          if (c < SPACE || c === DEL || c === QUOTE || c === BACKSLASH || c === HASH) return false;
          out[o++] = c;
        }
        if (i === tokenStart) return false;
        if (i - tokenStart === 1 && src[tokenStart] === DASH) {
          o = valueAt - 1;
          for (let n = 0; n < 4; n++) out[o++] = NULL_BYTES[n];
        } else {
          out[o++] = QUOTE;
        }
      }
      // Past the space before the next value: an empty value (a run of blanks, a blank at the
      // end, too few values) fails above, a value too many fails below.
      if (column + 1 < width) i++;
    }
    if (i !== end) return false;
    out[o++] = CLOSE_BRACE;
    out[o++] = LF;
    this.length = o;
    return true;
  }

  /** Whether text[start, end) lies in the encoded window, after encoding a new one from `start` if needed; false when the window is not ASCII. */
  private windowHolds(text: string, start: number, end: number): boolean {
    if (text !== this.windowText || start < this.windowStart || end > this.windowEnd) {
      const to = Math.min(text.length, start + WINDOW);
      const { read, written } = this.encoder.encodeInto(text.slice(start, to), this.window);
      this.windowText = text;
      this.windowStart = start;
      this.windowEnd = start + read;
      this.windowAscii = read === written;
    }
    return this.windowAscii;
  }

  private reserve(room: number): void {
    if (this.length + room <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.length + room));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  private planOf(format: FlowLogFormat): Plan {
    let plan = this.plans.get(format);
    if (!plan) {
      plan = makePlan(format, this.encoder);
      this.plans.set(format, plan);
    }
    return plan;
  }
}

function makePlan(format: FlowLogFormat, encoder: TextEncoder): Plan {
  const { names, fields } = format;
  const integer = fields.map((field) => field !== undefined && isIntegerKind(field));
  // Columns past the fields' list (none in a real format) are strings.
  while (integer.length < names.length) integer.push(false);
  const inOrder = new Set(names).size === names.length;
  let keys: [string, number][];
  if (inOrder) {
    keys = names.map((name, column) => [name, column]);
  } else {
    // Repeated names: the keys and order of an object built column by column (the last value
    // of a name wins, index-like names come first), as recordObject builds it.
    const object: Record<string, number> = {};
    names.forEach((name, column) => Object.defineProperty(object, name, { value: column, enumerable: true, writable: true, configurable: true }));
    keys = Object.entries(object);
  }
  const prefixes = keys.map(([name], k) => `${k === 0 ? '{' : ','}${jsonString(name)}:`);
  const opened = inOrder ? prefixes.map((prefix, column) => (integer[column] ? prefix : `${prefix}"`)) : [];
  const encoded = opened.map((prefix) => encoder.encode(prefix));
  const prefixStart = new Int32Array(encoded.length + 1);
  encoded.forEach((bytes, column) => (prefixStart[column + 1] = prefixStart[column] + bytes.length));
  const prefixBytes = new Uint8Array(prefixStart[encoded.length]);
  encoded.forEach((bytes, column) => prefixBytes.set(bytes, prefixStart[column]));
  return { prefixes, columns: keys.map(([, column]) => column), integer, width: names.length, inOrder, prefixBytes, prefixStart };
}

/** `"cloudwatch-timestamp":<milliseconds>,` for the time on text[start, end) (null when it is no valid time). */
function stampKey(text: string, start: number, end: number): string {
  const millis = stampMillis(text, start, end);
  return `"${TIMESTAMP_KEY}":${Number.isFinite(millis) ? millis : 'null'},`;
}

/** A value as JSON; undefined for a value of an integer field that is not an integer (written as null). */
function valueJson(text: string, start: number, end: number, integer: boolean, plain: boolean): string | undefined {
  if (end - start === 1 && text.charCodeAt(start) === DASH) return 'null';
  if (integer) return integerJson(text, start, end);
  const raw = text.slice(start, end);
  if (plain || !NEEDS_ESCAPE.test(raw)) return `"${raw}"`;
  return jsonString(raw);
}

/** JSON.stringify of a string, with the characters a terminal would act on as `\uXXXX` too. */
function jsonString(text: string): string {
  return JSON.stringify(text).replace(TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An unsigned decimal integer as JSON (leading zeros dropped), or undefined when the text is not one. */
function integerJson(text: string, start: number, end: number): string | undefined {
  const length = end - start;
  if (length <= ALWAYS_SAFE_DIGITS && (length === 1 || text.charCodeAt(start) !== ZERO)) {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) return undefined;
    }
    return text.slice(start, end);
  }
  // Leading zeros or many digits: the digits typedValue reads, exact past 2^53.
  return integerDigits(text, start, end);
}

/**
 * The shapes CloudWatch Logs exports give a record line, found without knowing the record format:
 *
 * - a time in front of the record (`prefixEnd`): an ISO time (`2018-09-22T20:28:14.000Z 2 …`),
 *   optionally followed by the log stream name as `aws logs tail` prints it
 *   (`… eni-0a1b2c3d4e5f60718-all 2 …`); a `YYYY-MM-DD HH:MM:SS` time; an epoch (seconds or
 *   milliseconds) followed by a tab; and CSV rows of two columns, time and message
 *   (`1742570569000,2 …`, `2018-09-22 20:28:14.000,"2 …"`), whose header lines
 *   (`timestamp,message`, `@timestamp,@message`) are not records (`isExportHeader`);
 * - JSON (`jsonRecords`): a `{"message":"…"}` wrapper (Firehose) or a CloudWatch Logs
 *   subscription envelope (`{"messageType":"DATA_MESSAGE",…,"logEvents":[{"id":…,"timestamp":…,
 *   "message":"…"},…]}`), one or several objects on a line: every `message` is a record, with its
 *   event's `timestamp`. CONTROL_MESSAGE envelopes hold no records.
 *
 * Every time is available in milliseconds (`stampMillis`), which is how CloudWatch Logs stores an
 * event's time. Pure: no Node APIs.
 */
import { COLON, QUOTE, SPACE, TAB } from '../catalog/charCodes';

const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const BACKSLASH = 92;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digitsEnd(text: string, i: number, end: number): number {
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** End of `YYYY-MM-DD` at i, or -1. */
function dateEnd(text: string, i: number, end: number): number {
  if (i + 10 > end) return -1;
  for (const at of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(text.charCodeAt(i + at))) return -1;
  return text.charCodeAt(i + 4) === 45 && text.charCodeAt(i + 7) === 45 ? i + 10 : -1;
}

/** End of `HH:MM:SS` with optional fraction at i, or -1. */
function clockEnd(text: string, i: number, end: number): number {
  if (i + 8 > end) return -1;
  for (const at of [0, 1, 3, 4, 6, 7]) if (!isDigit(text.charCodeAt(i + at))) return -1;
  if (text.charCodeAt(i + 2) !== COLON || text.charCodeAt(i + 5) !== COLON) return -1;
  let j = i + 8;
  if (j < end && text.charCodeAt(j) === 46) {
    const fraction = digitsEnd(text, j + 1, end);
    if (fraction > j + 1) j = fraction;
  }
  return j;
}

/** End of an ISO time (`YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`) at i, or -1. */
function isoEnd(text: string, i: number, end: number): number {
  const date = dateEnd(text, i, end);
  if (date < 0 || text.charCodeAt(date) !== 84) return -1;
  let j = clockEnd(text, date + 1, end);
  if (j < 0) return -1;
  const c = text.charCodeAt(j);
  if (c === 90) return j + 1;
  if ((c === 43 || c === 45) && j + 6 <= end && isDigit(text.charCodeAt(j + 1)) && isDigit(text.charCodeAt(j + 2)) && text.charCodeAt(j + 3) === COLON) {
    j += 6;
  }
  return j;
}

/** `aws logs tail` prints the log stream; a flow log's streams are named `<eni or attachment>-all|accept|reject`. */
const STREAM_NAME = /[a-z]+(?:-[a-z]+)*-[0-9a-f]{8,17}-(?:all|accept|reject)(?=[ \t])/y;

/** Where a record prefix was found; see `prefixEnd`. */
export interface PrefixSpans {
  /** The time in front of the record, [timestampStart, timestampEnd), or -1. */
  timestampStart: number;
  timestampEnd: number;
  /** Where the record ends when a CSV quote closes it before the line's end, or -1. */
  quotedEnd: number;
}

/**
 * Offset where the record starts after an export prefix at `start` (the time, the separator and
 * a log stream name or opening CSV quote), or `start` when there is none. Records are
 * space-separated values, so a digit run followed by a comma or a tab, or a date, never starts one.
 */
export function prefixEnd(text: string, start: number, end: number, out: PrefixSpans): number {
  out.timestampStart = -1;
  out.timestampEnd = -1;
  out.quotedEnd = -1;
  let i = start;
  const quoted = text.charCodeAt(i) === QUOTE;
  if (quoted) i++;
  if (!isDigit(text.charCodeAt(i))) return start;
  let timeEnd = digitsEnd(text, i, end);
  let epoch = true;
  if (timeEnd - i === 4 && text.charCodeAt(timeEnd) === 45) {
    epoch = false;
    timeEnd = isoEnd(text, i, end);
    if (timeEnd < 0) {
      // `YYYY-MM-DD HH:MM:SS`, as Logs Insights and many tools print times.
      const date = dateEnd(text, i, end);
      timeEnd = date >= 0 && text.charCodeAt(date) === SPACE ? clockEnd(text, date + 1, end) : -1;
      if (timeEnd < 0) return start;
    }
  } else if (timeEnd - i !== 10 && timeEnd - i !== 13) {
    return start;
  }
  let j = timeEnd;
  if (quoted) {
    if (text.charCodeAt(j) !== QUOTE) return start;
    j++;
  }
  const separator = text.charCodeAt(j);
  // An epoch is only a prefix with a comma or a tab after it: followed by a space it may be a record's first value.
  if (separator === COMMA) {
    j++;
  } else if (!quoted && (separator === TAB || (separator === SPACE && !epoch))) {
    j++;
    STREAM_NAME.lastIndex = j;
    if (!epoch && STREAM_NAME.test(text)) j = STREAM_NAME.lastIndex + 1;
  } else {
    return start;
  }
  out.timestampStart = quoted ? start + 1 : start;
  out.timestampEnd = timeEnd;
  if (separator === COMMA && text.charCodeAt(j) === QUOTE) {
    // A quoted CSV message: the record ends at its closing quote.
    let close = end;
    while (close > j + 1 && (text.charCodeAt(close - 1) === SPACE || text.charCodeAt(close - 1) === TAB)) close--;
    if (close > j + 1 && text.charCodeAt(close - 1) === QUOTE) {
      out.quotedEnd = close - 1;
      return j + 1;
    }
  }
  return j;
}

const EXPORT_HEADER = /"?@?timestamp"?[ \t]*,[ \t]*"?@?message"?[ \t]*/iy;

/**
 * True for the header line of a CloudWatch Logs CSV export: `timestamp,message` or
 * `@timestamp,@message`, quoted or not, possibly with more columns after them.
 */
export function isExportHeader(text: string, first: number, end: number): boolean {
  const c = text.charCodeAt(first);
  if (c !== 116 && c !== 84 && c !== 64 && c !== QUOTE) return false;
  EXPORT_HEADER.lastIndex = first;
  if (!EXPORT_HEADER.test(text)) return false;
  const after = EXPORT_HEADER.lastIndex;
  return after === end || (after < end && text.charCodeAt(after) === COMMA);
}

/** Milliseconds since the epoch of a prefix time or JSON timestamp, or NaN. Times without a zone are UTC. */
export function stampMillis(text: string, start: number, end: number): number {
  if (digitsEnd(text, start, end) === end && end > start) {
    const value = Number(text.slice(start, end));
    return end - start <= 10 ? value * 1000 : value;
  }
  const raw = text.slice(start, end);
  const match = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(raw);
  if (!match) return NaN;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  let time = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), millis);
  if (zone && zone !== 'Z') {
    const offset = (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
    time += zone[0] === '+' ? -offset : offset;
  }
  return time;
}

/** Nesting a JSON line may have; CloudWatch envelopes use three levels. */
const MAX_DEPTH = 16;

/**
 * The records of one JSON line: the `message` strings of its objects, with the `timestamp` of
 * the same object. Filled by `jsonRecords`; reused, so nothing is allocated per line.
 */
export class JsonRecords {
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  /** The event's `timestamp` value, or -1. */
  stampStarts = new Int32Array(16);
  stampEnds = new Int32Array(16);
  /** Parts of the line that could not be read (malformed or truncated JSON, a message with escapes): how many, and the first. */
  unreadable = 0;
  unreadableStart = -1;
  unreadableEnd = -1;
  unreadableReason = '';
  /** A `messageType` or `message` key was seen: the line is a wrapper or an envelope. */
  wrapper = false;

  reset(): void {
    this.count = 0;
    this.unreadable = 0;
    this.unreadableStart = -1;
    this.unreadableEnd = -1;
    this.unreadableReason = '';
    this.wrapper = false;
  }

  push(start: number, end: number, stampStart: number, stampEnd: number): void {
    if (this.count === this.starts.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      this.stampStarts = grow(this.stampStarts);
      this.stampEnds = grow(this.stampEnds);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.stampStarts[this.count] = stampStart;
    this.stampEnds[this.count] = stampEnd;
    this.count++;
  }

  markUnreadable(start: number, end: number, reason: string): void {
    if (this.unreadable++ === 0) {
      this.unreadableStart = start;
      this.unreadableEnd = end;
      this.unreadableReason = reason;
    }
  }
}

/** Per open object: its `message` and `timestamp` spans, and whether it is a CONTROL_MESSAGE envelope. */
const frameMessageStart = new Int32Array(MAX_DEPTH);
const frameMessageEnd = new Int32Array(MAX_DEPTH);
const frameEscaped = new Uint8Array(MAX_DEPTH);
const frameStampStart = new Int32Array(MAX_DEPTH);
const frameStampEnd = new Int32Array(MAX_DEPTH);
const frameControl = new Uint8Array(MAX_DEPTH);
const frameObjectStart = new Int32Array(MAX_DEPTH);

/** End of the JSON string whose opening quote is at i (after its closing quote), or -1; `escaped` tells whether it had a backslash. */
let lastStringEscaped = false;
function stringEnd(text: string, i: number, end: number): number {
  lastStringEscaped = false;
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) {
      lastStringEscaped = true;
      j++;
    }
  }
  return -1;
}

function keyIs(text: string, start: number, end: number, key: string): boolean {
  return end - start === key.length + 2 && text.startsWith(key, start + 1);
}

function skipBlanks(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

/**
 * Reads the JSON objects on text[start, end) (the line, at its `{`) into `out`. Only what
 * records need is understood: nesting, strings and the keys `message`, `timestamp` and
 * `messageType`; other values are stepped over.
 */
export function jsonRecords(text: string, start: number, end: number, out: JsonRecords): void {
  out.reset();
  let depth = 0;
  let controlDepth = 0;
  /** Where the text not yet accounted for starts: after the last complete top-level object. */
  let settled = start;
  /** Just after the last object closed, at any depth. */
  let lastClosed = start;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE) {
      if (depth === MAX_DEPTH) {
        out.markUnreadable(settled, end, 'it nests deeper than a CloudWatch Logs envelope');
        return;
      }
      frameMessageStart[depth] = -1;
      frameStampStart[depth] = -1;
      frameControl[depth] = 0;
      frameObjectStart[depth] = i;
      depth++;
      i++;
    } else if (c === CLOSE_BRACE) {
      if (depth === 0) break;
      depth--;
      if (frameControl[depth]) controlDepth--;
      const messageStart = frameMessageStart[depth];
      if (messageStart >= 0 && controlDepth === 0) {
        if (frameEscaped[depth]) out.markUnreadable(messageStart - 1, frameMessageEnd[depth] + 1, 'its message has JSON escape sequences, which a flow log record never has');
        else out.push(messageStart, frameMessageEnd[depth], frameStampStart[depth], frameStampEnd[depth]);
      }
      i++;
      lastClosed = i;
      if (depth === 0) settled = skipBlanks(text, i, end);
    } else if (c === QUOTE) {
      const close = stringEnd(text, i, end);
      if (close < 0) break;
      const colon = skipBlanks(text, close, end);
      if (depth > 0 && text.charCodeAt(colon) === COLON) {
        const frame = depth - 1;
        const value = skipBlanks(text, colon + 1, end);
        const v = text.charCodeAt(value);
        if (v === QUOTE) {
          const valueEnd = stringEnd(text, value, end);
          if (valueEnd < 0) break;
          if (keyIs(text, i, close, 'message')) {
            out.wrapper = true;
            frameMessageStart[frame] = value + 1;
            frameMessageEnd[frame] = valueEnd - 1;
            frameEscaped[frame] = lastStringEscaped ? 1 : 0;
          } else if (keyIs(text, i, close, 'messageType')) {
            out.wrapper = true;
            if (keyIs(text, value, valueEnd, 'CONTROL_MESSAGE') && !frameControl[frame]) {
              frameControl[frame] = 1;
              controlDepth++;
            }
          }
          i = valueEnd;
        } else if (isDigit(v) && keyIs(text, i, close, 'timestamp')) {
          const valueEnd = digitsEnd(text, value, end);
          frameStampStart[frame] = value;
          frameStampEnd[frame] = valueEnd;
          i = valueEnd;
        } else {
          i = value;
        }
      } else {
        i = close;
      }
    } else if (c === SPACE || c === TAB || c === COMMA || c === COLON || c === OPEN_BRACKET || c === CLOSE_BRACKET || depth > 0) {
      i++;
    } else {
      break;
    }
  }
  if (depth > 0 || i < end) {
    const from = depth > 0 ? Math.max(frameObjectStart[0], lastClosed) : settled;
    const reason = depth > 0 ? 'its JSON ends before the object is closed (a truncated line?)' : 'it is not valid JSON here';
    out.markUnreadable(skipBlanks(text, Math.max(from, settled), end), end, reason);
  } else if (out.count === 0 && !out.wrapper) {
    out.markUnreadable(start, end, 'it is JSON without a "message" to read a record from');
  }
}

/**
 * Streaming decoding of a large JSON-RPC message body without holding it whole.
 *
 * `LargeBodyDecoder` is fed the body bytes as they arrive. A small tokenizer follows the JSON
 * structure just far enough to tell object keys from values. Every byte goes to a "skeleton"
 * copy of the body except the contents of string values longer than `largeStringBytes`: those are
 * decoded on the fly into pieces of about `pieceBytes` (`JsonStringPieces`) and the skeleton gets
 * a placeholder string instead. At the end the skeleton, now small, goes through `JSON.parse`, so
 * every other value comes out exactly as `JSON.parse` makes it, and the placeholders are put back:
 * as `text: ''` plus `textPieces` where the text of a `didOpen` or of a full-text `didChange`
 * belongs (see `PiecewiseText`), as one joined string anywhere else. Resolving the places after
 * parsing makes key order irrelevant (`method` may come after `params`).
 */

import { isAscii } from 'node:buffer';
import { BACKSLASH, QUOTE } from '../catalog/charCodes';

/**
 * Decoded size aimed at for each piece of a large string (bytes of JSON text). Over V8's largest
 * regular object (128 KB), so that each piece is born in the large-object space: a scavenge
 * neither copies nor promotes it. With 64 KB pieces every piece was copied twice by the young
 * generation, and about 64 scavenges ran while a 50 MB didOpen arrived (70-220 ms of main-thread
 * pauses at load 4-8, mostly waiting for the parallel scavenger's helpers); about 20 now.
 */
export const PIECE_BYTES = 960 * 1024;
/**
 * Source bytes of one JSON.parse: a piece is parsed in parts of about this size, which are then
 * joined. Sources and parts are regular young objects that die young, on pages the young
 * generation reuses; a piece-sized source was a fresh large object every time, whose pages the
 * kernel had to fault in and zero (25-35 ms more system time per 50 MB).
 */
const PARSE_BYTES = 120 * 1024;
/** String values with more content bytes than this are decoded outside the skeleton, into pieces. */
const LARGE_STRING_BYTES = 64 * 1024;
/** Bytes kept past a cut so that an escape or surrogate pair around it can be seen whole. */
const LOOKAHEAD = 16;
const NEWLINE_ESCAPE = Buffer.from('\\n', 'ascii');

/** A growable byte array; parts are copied in, so it never keeps a stream chunk alive. */
class ByteBuilder {
  bytes = Buffer.allocUnsafe(4096);
  length = 0;

  append(source: Buffer, start: number, end: number): void {
    const needed = this.length + (end - start);
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    source.copy(this.bytes, this.length, start, end);
    this.length = needed;
  }

  appendText(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.append(bytes, 0, bytes.length);
  }

  toString(start = 0): string {
    return this.bytes.toString('utf8', start, this.length);
  }
}

/** Whether `bytes[at…]` is a `\uD800`–`\uDBFF` (high) or `\uDC00`–`\uDFFF` (low) escape. */
function isSurrogateEscape(bytes: Buffer, at: number, end: number, low: boolean): boolean {
  if (at < 0 || at + 6 > end || bytes[at] !== BACKSLASH || bytes[at + 1] !== 0x75 || (bytes[at + 2] | 0x20) !== 0x64) return false;
  const third = bytes[at + 3] | 0x20;
  return low ? third >= 0x63 && third <= 0x66 : third === 0x38 || third === 0x39 || third === 0x61 || third === 0x62;
}

/** Start of the escape that the backslash at `at` belongs to: a run of backslashes pairs up from its start. */
function escapeStart(bytes: Buffer, at: number): number {
  let run = at;
  while (run > 0 && bytes[run - 1] === BACKSLASH) run--;
  return (at - run) % 2 === 0 ? at : at - 1;
}

/** Backs `cut` up (at most 3 bytes, not below `floor`) so that it does not fall inside a UTF-8 sequence. */
function utf8Boundary(bytes: Buffer, cut: number, floor: number): number {
  const limit = Math.max(floor, cut - 3);
  while (cut > limit && (bytes[cut] & 0xc0) === 0x80) cut--;
  return cut;
}

/**
 * A cut point at or before `target` in `bytes[0, end)` (the content of a JSON string, `bytes[0]`
 * starting a character) that splits no escape, no UTF-8 sequence and no `\uD83D\uDE00` pair:
 * after the last `\n` escape in the second half if there is one, else as close to `target` as that allows.
 * `end` must leave at least LOOKAHEAD bytes past `target`.
 */
export function safeCut(bytes: Buffer, target: number, end: number): number {
  // Where lines are short, end the piece after a line break, so that pieces are whole lines.
  const half = Math.max(1, target >> 1);
  for (let at = target - 2 >= half ? bytes.lastIndexOf(NEWLINE_ESCAPE, target - 2) : -1; at >= half; at = bytes.lastIndexOf(NEWLINE_ESCAPE, at - 1)) {
    if (escapeStart(bytes, at) === at) return at + 2;
  }
  const backslash = bytes.lastIndexOf(BACKSLASH, target - 1);
  if (backslash < 0) {
    const cut = utf8Boundary(bytes, target, 0);
    if (cut > 0) return cut;
    // Only with tiny pieces can one character fill the piece; then the piece takes it whole.
    let after = target;
    while (after < end && (bytes[after] & 0xc0) === 0x80) after++;
    return after;
  }
  const escape = escapeStart(bytes, backslash);
  const escapeEnd = escape + (bytes[escape + 1] === 0x75 ? 6 : 2);
  const pairEnd = isSurrogateEscape(bytes, escape, end, false) && isSurrogateEscape(bytes, escapeEnd, end, true) ? escapeEnd + 6 : escapeEnd;
  let cut: number;
  if (escapeEnd <= target) {
    cut = utf8Boundary(bytes, target, escapeEnd);
    if (cut === escapeEnd && pairEnd > escapeEnd) cut = escape;
  } else if (isSurrogateEscape(bytes, escape, end, true) && isSurrogateEscape(bytes, escape - 6, end, false) && escapeStart(bytes, escape - 6) === escape - 6) {
    cut = escape - 6;
  } else {
    cut = escape;
  }
  // Only with tiny pieces can nothing precede the escape (pair); then the piece takes it whole.
  return cut > 0 ? cut : pairEnd;
}

/** The content bytes of one JSON string value, decoded into pieces as they arrive. */
export class JsonStringPieces {
  readonly pieces: string[] = [];
  error: Error | undefined;
  /**
   * A quote, then the content bytes not yet decoded (`content` views them), then room for the
   * closing quote: a piece is decoded by one JSON.parse of the window's own bytes, with no
   * string concatenation (quotes around the piece made V8 copy it once more, to flatten). It
   * starts small and grows to a piece and LOOKAHEAD, so that a body of many strings just over
   * the large-string threshold does not take a piece-sized buffer for each.
   */
  private window: Buffer;
  private content: Buffer;
  private length = 0;

  constructor(private readonly pieceBytes = PIECE_BYTES, private readonly parseBytes = PARSE_BYTES) {
    this.window = Buffer.allocUnsafe(Math.min(pieceBytes, LARGE_STRING_BYTES) + LOOKAHEAD + 2);
    this.window[0] = QUOTE;
    this.content = this.window.subarray(1, this.window.length - 1);
  }

  feed(bytes: Buffer, start: number, end: number): void {
    while (start < end) {
      const content = this.content;
      const count = Math.min(end - start, content.length - this.length);
      bytes.copy(content, this.length, start, start + count);
      this.length += count;
      start += count;
      if (this.length < content.length) continue;
      if (content.length < this.pieceBytes + LOOKAHEAD) {
        this.grow();
        continue;
      }
      const cut = safeCut(content, this.pieceBytes, this.length);
      this.emit(cut);
      content.copyWithin(0, cut, this.length);
      this.length -= cut;
    }
  }

  private grow(): void {
    const window = Buffer.allocUnsafe(Math.min(2 * this.content.length, this.pieceBytes + LOOKAHEAD) + 2);
    this.window.copy(window, 0, 0, 1 + this.length);
    this.window = window;
    this.content = window.subarray(1, window.length - 1);
  }

  /** Decodes what is left; the pieces, concatenated, are the string. */
  finish(): string[] {
    if (this.length > 0 || this.pieces.length === 0) this.emit(this.length);
    this.length = 0;
    return this.pieces;
  }

  /** Decodes content[0, end) as a JSON string (throws SyntaxError as JSON.parse does). */
  private emit(end: number): void {
    if (this.error !== undefined) return;
    try {
      if (end <= this.parseBytes) {
        this.pieces.push(this.parse(0, end));
        return;
      }
      // Parts cut where a piece may be cut; joined, they make the piece as one flat string.
      const parts: string[] = [];
      for (let start = 0; start < end; ) {
        const stop = end - start <= this.parseBytes + LOOKAHEAD ? end : start + safeCut(this.content.subarray(start, end), this.parseBytes, end - start);
        parts.push(this.parse(start, stop));
        start = stop;
      }
      this.pieces.push(parts.join(''));
    } catch (error) {
      this.error = error instanceof Error ? error : new Error(String(error));
      this.pieces.length = 0;
    }
  }

  /** JSON.parse of content[start, stop) between quotes written around it (the bytes there are put back). */
  private parse(start: number, stop: number): string {
    const window = this.window;
    const before = window[start];
    const after = window[stop + 1];
    window[start] = QUOTE;
    window[stop + 1] = QUOTE;
    try {
      // ASCII read as Latin-1 is the same text, copied without UTF-8 decoding.
      const encoding = isAscii(window.subarray(start, stop + 2)) ? 'latin1' : 'utf8';
      return JSON.parse(window.toString(encoding, start, stop + 2)) as string;
    } finally {
      window[start] = before;
      window[stop + 1] = after;
    }
  }
}

export interface LargeBodyOptions {
  /** String values with more content bytes than this are decoded into pieces. */
  largeStringBytes?: number;
  pieceBytes?: number;
  /** Source bytes of one JSON.parse within a piece (tests make it tiny). */
  parseBytes?: number;
}

const enum Mode {
  Structure,
  Key,
  Value,
  LargeValue,
}

/** Where the tokenizer is: inside an array, or inside an object and expecting a key next. */
interface Frame {
  isArray: boolean;
  expectKey: boolean;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let placeholderSeed = 0;

/** Decodes one message body fed in slices; `finish` returns what JSON.parse of the whole body would. */
export class LargeBodyDecoder {
  private readonly skeleton = new ByteBuilder();
  private readonly stack: Frame[] = [];
  private mode = Mode.Structure;
  /** Skeleton offset of the opening quote of the current string. */
  private stringStart = 0;
  /** Whether the bytes of the current string seen so far end in an unpaired backslash. */
  private escapePending = false;
  private current: JsonStringPieces | undefined;
  private readonly large = new Map<string, JsonStringPieces>();
  /** Placeholder strings cannot occur in real messages: a control character and a per-body tag. */
  private readonly tag = `\u0000flowlog-text:${Date.now().toString(36)}:${(placeholderSeed++).toString(36)}:`;
  private readonly largeStringBytes: number;
  private readonly pieceBytes: number;

  constructor(private readonly options: LargeBodyOptions = {}) {
    this.pieceBytes = options.pieceBytes ?? PIECE_BYTES;
    this.largeStringBytes = options.largeStringBytes ?? Math.min(this.pieceBytes, LARGE_STRING_BYTES);
  }

  feed(bytes: Buffer, start: number, end: number): void {
    let at = start;
    while (at < end) {
      if (this.mode === Mode.Structure) {
        at = this.scanStructure(bytes, at, end);
        continue;
      }
      const close = this.closingQuote(bytes, at, end);
      const stop = close < 0 ? end : close;
      if (this.mode === Mode.Value && this.skeleton.length - this.stringStart - 1 + (stop - at) > this.largeStringBytes) this.beginLarge();
      if (this.mode === Mode.LargeValue) this.current?.feed(bytes, at, stop);
      else this.skeleton.append(bytes, at, stop);
      if (close < 0) return;
      if (this.mode === Mode.LargeValue) this.endLarge();
      else this.skeleton.append(bytes, close, close + 1);
      this.mode = Mode.Structure;
      at = close + 1;
    }
  }

  /** The message; throws SyntaxError when the body is not JSON. */
  finish(): unknown {
    if (this.mode !== Mode.Structure) throw new SyntaxError('Unterminated string in JSON body');
    for (const pieces of this.large.values()) if (pieces.error !== undefined) throw pieces.error;
    const message: unknown = JSON.parse(this.skeleton.toString());
    if (this.large.size === 0) return message;
    this.placeTextPieces(message);
    return this.replacePlaceholders(message);
  }

  /** Copies structure bytes to the skeleton up to and including the next opening quote. */
  private scanStructure(bytes: Buffer, start: number, end: number): number {
    for (let at = start; at < end; at++) {
      const byte = bytes[at];
      const top = this.stack[this.stack.length - 1] as Frame | undefined;
      if (byte === QUOTE) {
        this.skeleton.append(bytes, start, at + 1);
        this.stringStart = this.skeleton.length - 1;
        this.escapePending = false;
        this.mode = top !== undefined && !top.isArray && top.expectKey ? Mode.Key : Mode.Value;
        return at + 1;
      }
      if (byte === 0x7b) this.stack.push({ isArray: false, expectKey: true });
      else if (byte === 0x5b) this.stack.push({ isArray: true, expectKey: false });
      else if (byte === 0x7d || byte === 0x5d) this.stack.pop();
      else if (byte === 0x2c && top !== undefined && !top.isArray) top.expectKey = true;
      else if (byte === 0x3a && top !== undefined) top.expectKey = false;
    }
    this.skeleton.append(bytes, start, end);
    return end;
  }

  /** Offset of the quote that closes the current string in `bytes[start, end)`, or -1. */
  private closingQuote(bytes: Buffer, start: number, end: number): number {
    let from = start;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, from);
      if (quote < 0 || quote >= end) {
        this.escapePending = this.endsInOddBackslashes(bytes, start, end);
        return -1;
      }
      if (!this.endsInOddBackslashes(bytes, start, quote)) return quote;
      from = quote + 1;
    }
  }

  /** Whether `bytes[start, end)`, after what came before it in this string, ends in an unpaired backslash. */
  private endsInOddBackslashes(bytes: Buffer, start: number, end: number): boolean {
    let at = end;
    while (at > start && bytes[at - 1] === BACKSLASH) at--;
    const odd = (end - at) % 2 === 1;
    return at === start && this.escapePending ? !odd : odd;
  }

  /** Moves the current string value out of the skeleton into a piece decoder. */
  private beginLarge(): void {
    this.current = new JsonStringPieces(this.pieceBytes, this.options.parseBytes);
    this.current.feed(this.skeleton.bytes, this.stringStart + 1, this.skeleton.length);
    this.skeleton.length = this.stringStart;
    this.mode = Mode.LargeValue;
  }

  private endLarge(): void {
    const pieces = this.current as JsonStringPieces;
    pieces.finish();
    const placeholder = `${this.tag}${this.large.size}`;
    this.large.set(placeholder, pieces);
    this.skeleton.appendText(JSON.stringify(placeholder));
    this.current = undefined;
  }

  /** Hands the text of a didOpen or of full-text didChange changes over as `textPieces`. */
  private placeTextPieces(message: unknown): void {
    if (!isObject(message) || !isObject(message.params)) return;
    const params = message.params;
    // With a tiny large-string threshold (tests) the method itself may be a placeholder.
    const method = typeof message.method === 'string' ? (this.large.get(message.method)?.pieces.join('') ?? message.method) : undefined;
    if (method === 'textDocument/didOpen' && isObject(params.textDocument)) this.placeIn(params.textDocument);
    if (method === 'textDocument/didChange' && Array.isArray(params.contentChanges)) {
      for (const change of params.contentChanges) {
        if (isObject(change) && change.range === undefined && change.rangeLength === undefined) this.placeIn(change);
      }
    }
  }

  private placeIn(holder: JsonObject): void {
    const pieces = typeof holder.text === 'string' ? this.large.get(holder.text) : undefined;
    if (pieces === undefined || Object.prototype.hasOwnProperty.call(holder, 'textPieces')) return;
    this.large.delete(holder.text as string);
    holder.text = '';
    holder.textPieces = pieces.pieces;
  }

  /** Puts every other large string back whole, wherever it is. */
  private replacePlaceholders(value: unknown): unknown {
    if (this.large.size === 0) return value;
    if (typeof value === 'string') {
      const pieces = this.large.get(value);
      if (pieces === undefined) return value;
      this.large.delete(value);
      return pieces.pieces.join('');
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length && this.large.size > 0; index++) value[index] = this.replacePlaceholders(value[index]);
    } else if (isObject(value)) {
      for (const key of Object.keys(value)) {
        if (this.large.size === 0) break;
        // An own `__proto__` (JSON.parse makes one) is a data property: assignment sets it, not the prototype.
        value[key] = this.replacePlaceholders(value[key]);
      }
    }
    return value;
  }
}

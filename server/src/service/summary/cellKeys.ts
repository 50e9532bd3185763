/**
 * Group keys: one record cell written as a few bytes that identify exactly the records the filter
 * language's `field = value` selects, so a summary row's filter yields the row's count. Integers
 * are keyed by value (`080` and `80`, a time in milliseconds and in seconds, are one group, as
 * the filter compares them), addresses by address (IPv4 and IPv6 in any spelling), enums by their
 * listed value, other text as written. `-` is a group of its own (`field = -`), and so are all the
 * cells the filter cannot name (`port 99999`, `REJECTED`, `10.0.0.256`: what `flowlog lint`
 * reports), selected by `field != - and field not in <every valid value>`.
 *
 * A key is `tag, payload` per field, self-delimiting, so two-field keys are their parts end to
 * end. Pure: no Node APIs.
 */
import type { FieldSpec } from '../../catalog/fields';
import { parseIPv6, compressIPv6 } from '../../catalog/addresses';
import { DASH } from '../../catalog/charCodes';
import { decodeValue } from '../../catalog/decoders';
import { isIntegerKind, MILLISECONDS_THRESHOLD, readDecimal } from '../../catalog/values';
import { maxOf } from '../filter/bind';
import { readIPv4 } from '../filter/cidr';

export const Tag = { Null: 0, Integer: 1, Enum: 2, Text: 3, IPv4: 4, Invalid: 5, IPv6: 6 } as const;

/** How a column's cells become key bytes. */
export const Encoding = { Integer: 0, Time: 1, Address: 2, Enum: 3, Text: 4 } as const;
type EncodingCode = (typeof Encoding)[keyof typeof Encoding];

export interface CellEncoder {
  readonly spec: FieldSpec;
  readonly encoding: EncodingCode;
  /** Largest valid integer (Integer, Time). */
  readonly max: number;
  /** The enum's values (Enum). */
  readonly values: readonly string[];
}

export function cellEncoder(spec: FieldSpec): CellEncoder {
  const values = (spec.values ?? []).map((v) => v.value);
  let encoding: EncodingCode = Encoding.Text;
  if (isIntegerKind(spec)) encoding = spec.kind === 'time' ? Encoding.Time : Encoding.Integer;
  else if (spec.kind === 'address') encoding = Encoding.Address;
  // An open enum's unlisted values are valid too: the filter compares them as text.
  else if (spec.kind === 'enum' && values.length > 0 && !spec.openEnum) encoding = Encoding.Enum;
  return { spec, encoding, max: encoding <= Encoding.Time ? maxOf(spec) : 0, values };
}

/**
 * Codes of a field whose cells fall into few groups (ports, protocols, flags, traffic paths,
 * enums): 0 for `-`, 1 for an invalid cell, 2 + value (or enum index); 0 when there are too many
 * values. A table of such a field counts by code in an array and builds a key only for a code
 * it meets for the first time. The classes are writeCellKey's, by the same reads.
 */
export function smallDomain(encoder: CellEncoder): number {
  if (encoder.encoding === Encoding.Integer && encoder.max <= 65535) return encoder.max + 3;
  if (encoder.encoding === Encoding.Enum) return encoder.values.length + 2;
  return 0;
}

export function smallCode(encoder: CellEncoder, text: string, start: number, end: number): number {
  if (end - start === 1 && text.charCodeAt(start) === DASH) return 0;
  if (encoder.encoding === Encoding.Enum) {
    const index = enumIndex(encoder.values, text, start, end);
    return index < 0 ? 1 : index + 2;
  }
  const value = readDecimal(text, start, end);
  return value < 0 || value > encoder.max ? 1 : value + 2;
}

/** A growable byte buffer a key is written into. */
export class KeyBuffer {
  bytes = new Uint8Array(256);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/** Appends the key of cell text[start, end) of `encoder`'s field to `out`. */
export function writeCellKey(encoder: CellEncoder, text: string, start: number, end: number, out: KeyBuffer): void {
  out.reserve(17);
  const bytes = out.bytes;
  if (end - start === 1 && text.charCodeAt(start) === DASH) {
    bytes[out.length++] = Tag.Null;
    return;
  }
  switch (encoder.encoding) {
    case Encoding.Integer:
    case Encoding.Time:
      writeInteger(encoder, readDecimal(text, start, end), out);
      return;
    case Encoding.Address: {
      const v4 = readIPv4(text, start, end);
      if (v4 >= 0) {
        writeIPv4(v4, out);
        return;
      }
      if (!readIPv6(text, start, end, v6Groups)) break;
      let at = out.length;
      bytes[at++] = Tag.IPv6;
      for (let g = 0; g < 8; g++) {
        bytes[at++] = v6Groups[g] >>> 8;
        bytes[at++] = v6Groups[g] & 255;
      }
      out.length = at;
      return;
    }
    case Encoding.Enum: {
      const index = enumIndex(encoder.values, text, start, end);
      if (index < 0) break;
      bytes[out.length++] = Tag.Enum;
      bytes[out.length++] = index;
      return;
    }
    case Encoding.Text:
      writeText(text, start, end, out);
      return;
  }
  out.bytes[out.length++] = Tag.Invalid;
}

/** Appends an integer cell's key from its value (-1: not a number): by value, Invalid out of range. */
export function writeInteger(encoder: CellEncoder, value: number, out: KeyBuffer): void {
  if (encoder.encoding === Encoding.Time && value >= MILLISECONDS_THRESHOLD) value = Math.floor(value / 1000);
  const bytes = out.bytes;
  if (value < 0 || value > encoder.max) {
    bytes[out.length++] = Tag.Invalid;
    return;
  }
  let at = out.length;
  bytes[at++] = Tag.Integer;
  // Seven bytes, most significant first (keys of equal rank then list in numeric order), hold any integer up to 2^53.
  const low = value % 0x100000000;
  const high = (value - low) / 0x100000000;
  bytes[at++] = high >>> 16;
  bytes[at++] = (high >>> 8) & 255;
  bytes[at++] = high & 255;
  bytes[at++] = low >>> 24;
  bytes[at++] = (low >>> 16) & 255;
  bytes[at++] = (low >>> 8) & 255;
  bytes[at++] = low & 255;
  out.length = at;
}

/** Appends an IPv4 address's key. */
export function writeIPv4(v4: number, out: KeyBuffer): void {
  const bytes = out.bytes;
  let at = out.length;
  bytes[at++] = Tag.IPv4;
  bytes[at++] = v4 >>> 24;
  bytes[at++] = (v4 >>> 16) & 255;
  bytes[at++] = (v4 >>> 8) & 255;
  bytes[at++] = v4 & 255;
  out.length = at;
}

const v6Groups = new Uint16Array(8);

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * IPv6 cell text[start, end) into eight groups without a copy, accepting exactly what the
 * catalog's parseIPv6 accepts (the filter reads cells with it); a dotted IPv4 tail is left to it.
 */
export function readIPv6(text: string, start: number, end: number, groups: Uint16Array): boolean {
  if (end - start > 45 || end - start < 2) return false;
  let i = start;
  let n = 0;
  let gap = -1;
  if (text.charCodeAt(i) === 58) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    let value = 0;
    let digits = 0;
    for (; i < end && digits <= 4; i++, digits++) {
      const d = hexDigit(text.charCodeAt(i));
      if (d < 0) break;
      value = value * 16 + d;
    }
    if (digits === 0 || digits > 4 || n === 8) return false;
    groups[n++] = value;
    if (i === end) break;
    const c = text.charCodeAt(i);
    if (c === 46) return fromParser(text.slice(start, end), groups);
    if (c !== 58 || ++i === end) return false;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    }
  }
  if (gap < 0) return n === 8;
  if (n > 7) return false;
  const moved = n - gap;
  for (let k = 0; k < moved; k++) groups[7 - k] = groups[n - 1 - k];
  for (let k = gap; k < 8 - moved; k++) groups[k] = 0;
  return true;
}

function fromParser(text: string, groups: Uint16Array): boolean {
  const parsed = parseIPv6(text);
  if (!parsed) return false;
  groups.set(parsed);
  return true;
}

function enumIndex(values: readonly string[], text: string, start: number, end: number): number {
  const length = end - start;
  for (let v = 0; v < values.length; v++) if (values[v].length === length && text.startsWith(values[v], start)) return v;
  return -1;
}

/** Tag, length in three bytes, then the characters as UTF-8 (a lone surrogate as its own three bytes). */
function writeText(text: string, start: number, end: number, out: KeyBuffer): void {
  out.reserve(4 + 3 * (end - start));
  const bytes = out.bytes;
  let at = out.length + 4;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes[at++] = c;
    else if (c < 0x800) {
      bytes[at++] = 0xc0 | (c >> 6);
      bytes[at++] = 0x80 | (c & 63);
    } else {
      bytes[at++] = 0xe0 | (c >> 12);
      bytes[at++] = 0x80 | ((c >> 6) & 63);
      bytes[at++] = 0x80 | (c & 63);
    }
  }
  const length = at - out.length - 4;
  bytes[out.length] = Tag.Text;
  bytes[out.length + 1] = length & 255;
  bytes[out.length + 2] = (length >>> 8) & 255;
  bytes[out.length + 3] = length >>> 16;
  out.length = at;
}

/** One field's part of a key, read back. */
export interface KeyPart {
  /** The value as the row shows it: the file's text, the number, the address, `-`, or `(invalid)`. */
  value: string;
  kind: 'null' | 'invalid' | 'integer' | 'address' | 'enum' | 'text';
}

/** The parts of a key of `encoders`' fields. */
export function readKey(key: Uint8Array, encoders: readonly CellEncoder[]): KeyPart[] {
  const parts: KeyPart[] = [];
  let at = 0;
  for (const encoder of encoders) {
    const tag = key[at++];
    switch (tag) {
      case Tag.Null:
        parts.push({ value: '-', kind: 'null' });
        break;
      case Tag.Invalid:
        parts.push({ value: INVALID_VALUE, kind: 'invalid' });
        break;
      case Tag.Integer: {
        let value = 0;
        for (let k = 0; k < 7; k++) value = value * 256 + key[at + k];
        parts.push({ value: String(value), kind: 'integer' });
        at += 7;
        break;
      }
      case Tag.IPv4:
        parts.push({ value: `${key[at]}.${key[at + 1]}.${key[at + 2]}.${key[at + 3]}`, kind: 'address' });
        at += 4;
        break;
      case Tag.IPv6: {
        const groups: number[] = [];
        for (let k = 0; k < 8; k++) groups.push(key[at + 2 * k] * 256 + key[at + 2 * k + 1]);
        parts.push({ value: compressIPv6(groups), kind: 'address' });
        at += 16;
        break;
      }
      case Tag.Enum:
        parts.push({ value: encoder.values[key[at++]], kind: 'enum' });
        break;
      default: {
        const length = key[at] + key[at + 1] * 256 + key[at + 2] * 65536;
        parts.push({ value: readUtf8(key, at + 3, at + 3 + length), kind: 'text' });
        at += 3 + length;
      }
    }
  }
  return parts;
}

/** The value shown for cells the filter language cannot name. */
export const INVALID_VALUE = '(invalid)';

function readUtf8(bytes: Uint8Array, from: number, to: number): string {
  const codes: number[] = [];
  for (let i = from; i < to; ) {
    const b = bytes[i];
    if (b < 0x80) {
      codes.push(b);
      i++;
    } else if (b < 0xe0) {
      codes.push(((b & 31) << 6) | (bytes[i + 1] & 63));
      i += 2;
    } else {
      codes.push(((b & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63));
      i += 3;
    }
  }
  let text = '';
  for (let i = 0; i < codes.length; i += 4096) text += String.fromCharCode(...codes.slice(i, i + 4096));
  return text;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'has']);
const PLAIN_WORD = /^[A-Za-z0-9_.:/+@-]+$/;

/** A text value as a filter word, quoted (with `"` and `\` escaped) unless it reads as one word. */
function filterWord(value: string): string {
  if (PLAIN_WORD.test(value) && value !== '-' && !value.includes('..') && !KEYWORDS.has(value.toLowerCase())) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The filter test that selects exactly the records whose cell has this key part. */
export function partFilter(encoder: CellEncoder, part: KeyPart): string {
  const name = encoder.spec.name;
  switch (part.kind) {
    case 'null':
      return `${name} = -`;
    case 'invalid':
      return `${name} != - and ${name} not in ${validRange(encoder)}`;
    case 'text':
      return `${name} = ${filterWord(part.value)}`;
    default:
      return `${name} = ${part.value}`;
  }
}

/** Every valid value of a field whose cells can be invalid, in filter syntax. */
function validRange(encoder: CellEncoder): string {
  switch (encoder.encoding) {
    case Encoding.Address:
      return '(0.0.0.0/0, ::/0)';
    case Encoding.Enum:
      return `(${encoder.values.join(', ')})`;
    default:
      return `0..${encoder.max}`;
  }
}

/** Kinds whose values mean something a reader may not know by heart. */
const LABELLED = new Set(['port', 'protocol', 'trafficPath', 'tcpFlags']);

/**
 * `443 HTTPS`, `6 TCP`, `8 internet gateway (Nitro)`; null when the value speaks for itself. A
 * port is named for `protocol` when the grouping has it (443/udp is QUIC, not HTTPS).
 */
export function partLabel(encoder: CellEncoder, part: KeyPart, protocol?: number): string | null {
  if (part.kind === 'invalid') return 'not a valid value (flowlog lint says why)';
  if (part.kind === 'null') return '- (no value)';
  if (!LABELLED.has(encoder.spec.kind)) return null;
  const short = decodeValue(encoder.spec, part.value, { protocol })?.short;
  return short ? `${part.value} ${short}` : null;
}

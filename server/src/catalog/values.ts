/**
 * Value checks for every value kind of the catalog. They read the text in place between two
 * offsets and allocate nothing, because validation runs them on every cell of files with
 * millions of records. A check returns a `Cell` code; numbers and address families it found are
 * left in `lastCell` for the cross-field checks of the same record.
 */
import type { FieldSpec, ValueKind } from './fields';
import { COLON, DASH, DOT, NINE, ZERO } from './charCodes';
import { isReachableTcpFlags } from './tcpFlags';
// Read when a value is checked, not when this module loads: kinds.ts reaches this module again through its decoders.
import { VALUE_KINDS } from './kinds';

/** Outcome of checking one cell. */
export const Cell = {
  Ok: 0,
  Null: 1,
  NotInteger: 2,
  OutOfRange: 3,
  BadAddress: 4,
  BadAccount: 5,
  BadIdPrefix: 6,
  BadId: 7,
  UnknownEnum: 8,
  UnknownOpenEnum: 9,
  Milliseconds: 10,
  ImplausibleTime: 11,
  BadShape: 12,
  Negative: 13,
  Unsafe: 14,
  /** A tcp-flags bitmask AWS cannot write (tcpFlags.ts); lastCell.num holds it. */
  ImpossibleFlags: 15,
  /** An IPv4 address with a zero-padded octet (`138.000.000.248`); lastCell.family is 4. */
  PaddedAddress: 16,
} as const;
export type CellCode = (typeof Cell)[keyof typeof Cell];

/** What the last successful check found. Valid until the next check. */
export const lastCell = {
  /** Integer value (for time kinds normalised to seconds). */
  num: 0,
  /** 4 or 6 for addresses. */
  family: 0,
  /** Index of the matched enum value. */
  enumIndex: -1,
};

/**
 * From this value on an epoch value is read as milliseconds (in seconds it would be the year 5138).
 * Validation, hover, inlay hints and the CLI all read times through isMilliseconds, so one value
 * never means two different times.
 */
export const MILLISECONDS_THRESHOLD = 1e11;

/** Whether an epoch value (start, end) is in milliseconds rather than seconds. */
export function isMilliseconds(value: number): boolean {
  return value >= MILLISECONDS_THRESHOLD;
}

/** An epoch value in milliseconds, whichever unit it was written in. */
export function epochMilliseconds(value: number): number {
  return isMilliseconds(value) ? value : value * 1000;
}
/** 2100-01-01 in seconds: later values are not plausible flow times. */
export const LATEST_SECONDS = 4102444800;

/**
 * Whole non-negative decimal in text[start, end) of at most `maxDigits` digits, or -1 (`-`,
 * empty, a sign, anything not a number, too long). The one digit loop the validator, the filter
 * and the conversations read cells with.
 */
export function readDecimal(text: string, start: number, end: number, maxDigits = 20): number {
  if (start >= end || end - start > maxDigits) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

/** Reads an unsigned decimal integer; -1 when the text is not one. Sets lastCell.num. */
export function readUnsigned(text: string, start: number, end: number): number {
  const value = readDecimal(text, start, end);
  if (value >= 0) lastCell.num = value;
  return value;
}

/** True when text[start, end) equals `word`. */
export function equalsAt(text: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if (text.charCodeAt(start + i) !== word.charCodeAt(i)) return false;
  }
  return true;
}

function isHexDigit(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Dotted quad. Octets with leading zeros are accepted here (masked addresses in user data use
 * them) so that they can be named; `hasPaddedOctet` tells them apart, as AWS never writes them and
 * strict parsers (Go's net/netip, AWS's) reject them.
 */
export function isIPv4(text: string, start: number, end: number): boolean {
  let parts = 0;
  let digits = 0;
  let octet = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || parts === 3) return false;
      parts++;
      digits = 0;
      octet = 0;
    } else if (c >= ZERO && c <= NINE) {
      if (++digits > 3) return false;
      octet = octet * 10 + (c - ZERO);
      if (octet > 255) return false;
    } else {
      return false;
    }
  }
  return parts === 3 && digits > 0;
}

/** RFC 4291 text form, with `::` compression and an optional embedded IPv4 tail. */
export function isIPv6(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 2 || length > 45) return false;
  let groups = 0;
  let digits = 0;
  let sawDoubleColon = false;
  let i = start;
  if (text.charCodeAt(i) === COLON) {
    if (text.charCodeAt(i + 1) !== COLON) return false;
    sawDoubleColon = true;
    i += 2;
    if (i === end) return true;
  }
  let groupStart = i;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) {
      if (digits === 0) {
        // An empty group is only allowed as the second colon of a single `::`.
        if (sawDoubleColon || i !== groupStart || text.charCodeAt(i - 1) !== COLON) return false;
        sawDoubleColon = true;
        groupStart = i + 1;
        if (i + 1 === end) return groups <= 7;
        continue;
      }
      groups++;
      digits = 0;
      groupStart = i + 1;
      if (i + 1 === end) return false;
    } else if (isHexDigit(c)) {
      if (++digits > 4) return false;
    } else if (c === DOT) {
      // The rest is an IPv4 address taking the room of two groups.
      if (!isIPv4(text, groupStart, end) || hasPaddedOctet(text, groupStart, end)) return false;
      groups += 2;
      return sawDoubleColon ? groups <= 7 : groups === 8;
    } else {
      return false;
    }
  }
  if (digits > 0) groups++;
  return sawDoubleColon ? groups <= 7 : groups === 8;
}

/** Whether a dotted quad has an octet of more than one digit that starts with 0 (`000`, `01`). */
export function hasPaddedOctet(text: string, start: number, end: number): boolean {
  let octetStart = start;
  for (let i = start; i <= end; i++) {
    if (i === end || text.charCodeAt(i) === DOT) {
      if (i - octetStart > 1 && text.charCodeAt(octetStart) === ZERO) return true;
      octetStart = i + 1;
    }
  }
  return false;
}

/**
 * Whether text[start, end) is an address that validation accepts: the one definition, which
 * `classifyAddress` (addresses.ts, the hover's reading) also goes by.
 */
export function isValidAddress(text: string, start: number, end: number): boolean {
  return checkAddress(text, start, end) === Cell.Ok;
}

function checkAddress(text: string, start: number, end: number): CellCode {
  if (isIPv4(text, start, end)) {
    lastCell.family = 4;
    return hasPaddedOctet(text, start, end) ? Cell.PaddedAddress : Cell.Ok;
  }
  if (isIPv6(text, start, end)) {
    lastCell.family = 6;
    return Cell.Ok;
  }
  return Cell.BadAddress;
}

function allDigits(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

function checkUnsigned(text: string, start: number, end: number, max: number): CellCode {
  let value = readUnsigned(text, start, end);
  if (value < 0) {
    if (text.charCodeAt(start) === DASH && allDigits(text, start + 1, end)) return Cell.Negative;
    if (!allDigits(text, start, end)) return Cell.NotInteger;
    // Over 20 characters of digits: leading zeros, or a number larger than any field holds.
    let first = start;
    while (first < end - 1 && text.charCodeAt(first) === ZERO) first++;
    value = readUnsigned(text, first, end);
    if (value < 0) return Cell.OutOfRange;
  }
  if (value > max) return Cell.OutOfRange;
  return Cell.Ok;
}

/** Packet and byte counts are unsigned 64-bit integers. */
const UINT64_MAX = '18446744073709551615';

/** Whether the digits text[start, end) exceed UINT64_MAX (compared as text: doubles round there). */
function exceedsUint64(text: string, start: number, end: number): boolean {
  while (start < end - 1 && text.charCodeAt(start) === ZERO) start++;
  if (end - start !== UINT64_MAX.length) return end - start > UINT64_MAX.length;
  return text.slice(start, end) > UINT64_MAX;
}

function checkCount(text: string, start: number, end: number): CellCode {
  const code = checkUnsigned(text, start, end, Number.MAX_VALUE);
  if (code === Cell.Ok && lastCell.num > Number.MAX_SAFE_INTEGER) return exceedsUint64(text, start, end) ? Cell.OutOfRange : Cell.Unsafe;
  return code;
}

function checkTime(text: string, start: number, end: number): CellCode {
  const code = checkUnsigned(text, start, end, Number.MAX_VALUE);
  if (code !== Cell.Ok) return code;
  const value = lastCell.num;
  if (isMilliseconds(value)) {
    if (value / 1000 > LATEST_SECONDS) return Cell.ImplausibleTime;
    lastCell.num = Math.floor(value / 1000);
    return Cell.Milliseconds;
  }
  if (value > LATEST_SECONDS) return Cell.ImplausibleTime;
  return Cell.Ok;
}

function checkAccount(text: string, start: number, end: number): CellCode {
  if (end - start === 12 && readUnsigned(text, start, end) >= 0) return Cell.Ok;
  if (equalsAt(text, start, end, 'unknown')) return Cell.Ok;
  return Cell.BadAccount;
}

/** An AWS id body: 8 (older ids) to 17 lower-case hex digits. */
function isIdBody(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 8 || length > 17) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= ZERO && c <= NINE) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function startsWithAt(text: string, start: number, end: number, prefix: string): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (text.charCodeAt(start + i) !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

function checkResourceId(spec: FieldSpec, text: string, start: number, end: number): CellCode {
  const prefixes = spec.idPrefixes ?? [];
  if (prefixes.length === 0) {
    // Any `kind-hex` id, e.g. `nat-0c50d5961bcb2d47b`.
    const dash = text.lastIndexOf('-', end - 1);
    if (dash <= start || dash >= end) return Cell.BadId;
    for (let i = start; i < dash; i++) {
      const c = text.charCodeAt(i);
      if (!((c >= 97 && c <= 122) || c === DASH)) return Cell.BadId;
    }
    return isIdBody(text, dash + 1, end) ? Cell.Ok : Cell.BadId;
  }
  for (const prefix of prefixes) {
    if (startsWithAt(text, start, end, prefix)) {
      return isIdBody(text, start + prefix.length, end) ? Cell.Ok : Cell.BadId;
    }
  }
  return Cell.BadIdPrefix;
}

function checkEnum(spec: FieldSpec, text: string, start: number, end: number): CellCode {
  const values = spec.values ?? [];
  for (let i = 0; i < values.length; i++) {
    if (equalsAt(text, start, end, values[i].value)) {
      lastCell.enumIndex = i;
      return Cell.Ok;
    }
  }
  lastCell.enumIndex = -1;
  return spec.openEnum ? Cell.UnknownOpenEnum : Cell.UnknownEnum;
}

/** Sticky patterns are tested in place, so no substring is made. */
const SHAPES: Partial<Record<ValueKind, RegExp>> = {
  region: /[a-z]{2}(?:-[a-z]+)+-\d{1,2}/y,
  azId: /[a-z]{2,6}\d{1,2}(?:-[a-z]{3}\d{1,2})?-az\d{1,2}/y,
  awsService: /[A-Z][A-Z0-9_]*/y,
  arn: /arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12})?:\S+/y,
};

function matchesShape(pattern: RegExp, text: string, start: number, end: number): boolean {
  pattern.lastIndex = start;
  if (!pattern.test(text)) return false;
  if (pattern.lastIndex === end) return true;
  // An open-ended pattern (an ARN's resource part) can run past a cell that a quote ends.
  if (pattern.lastIndex < end) return false;
  const cell = text.slice(start, end);
  pattern.lastIndex = 0;
  return pattern.test(cell) && pattern.lastIndex === cell.length;
}

/** Checks one cell against its field. `-` is always a valid null. */
export function checkCell(spec: FieldSpec, text: string, start: number, end: number): CellCode {
  if (end - start === 1 && text.charCodeAt(start) === DASH) return Cell.Null;
  switch (spec.kind) {
    case 'address':
      return checkAddress(text, start, end);
    case 'port':
      return checkUnsigned(text, start, end, VALUE_KINDS.port.max as number);
    case 'protocol':
      return checkUnsigned(text, start, end, VALUE_KINDS.protocol.max as number);
    case 'tcpFlags': {
      const code = checkUnsigned(text, start, end, VALUE_KINDS.tcpFlags.max as number);
      return code === Cell.Ok && !isReachableTcpFlags(lastCell.num) ? Cell.ImpossibleFlags : code;
    }
    case 'version':
      return checkUnsigned(text, start, end, VALUE_KINDS.version.max as number);
    case 'trafficPath': {
      const code = checkUnsigned(text, start, end, VALUE_KINDS.trafficPath.max as number);
      return code === Cell.Ok && lastCell.num < (VALUE_KINDS.trafficPath.min as number) ? Cell.OutOfRange : code;
    }
    case 'count':
      return checkCount(text, start, end);
    case 'time':
      return checkTime(text, start, end);
    case 'accountId':
      return checkAccount(text, start, end);
    case 'resourceId':
      return checkResourceId(spec, text, start, end);
    case 'enum':
      return checkEnum(spec, text, start, end);
    case 'region':
    case 'azId':
    case 'awsService':
    case 'arn':
      return matchesShape(SHAPES[spec.kind] as RegExp, text, start, end) ? Cell.Ok : Cell.BadShape;
    case 'text':
      return Cell.Ok;
  }
}

/**
 * Typed value of a cell for output: `-` is null; in an integer field, digits are a number (bigint
 * past 2^53, leading zeros dropped) and anything else (`2O`, `-1`, `+5`, `1e3`) is null, so a key
 * always holds one JSON type; other fields keep their text. recordJson.ts writes the same values.
 */
export function typedValue(spec: FieldSpec | undefined, raw: string): number | bigint | string | null {
  if (raw === '-') return null;
  if (spec && isIntegerKind(spec)) {
    const digits = integerDigits(raw, 0, raw.length);
    if (digits === undefined) return null;
    return digits.length <= SAFE_DIGITS || Number(digits) <= Number.MAX_SAFE_INTEGER ? Number(digits) : BigInt(digits);
  }
  return raw;
}

/** Up to 15 digits a number is always below 2^53. */
const SAFE_DIGITS = 15;

/**
 * The decimal digits of an unsigned integer written on text[start, end), leading zeros dropped
 * (`007` → `7`, `000` → `0`); undefined when the text is not only ASCII digits. The one reading
 * of an integer cell for output: `typedValue` and the JSON writer both use it.
 */
export function integerDigits(text: string, start: number, end: number): string | undefined {
  if (start >= end) return undefined;
  let first = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return undefined;
    if (first < 0 && c !== ZERO) first = i;
  }
  return first < 0 ? '0' : text.slice(first, end);
}

/** Whether a cell of an integer field holds something `typedValue` turns into null although it is not `-`. */
export function isBadInteger(text: string, start: number, end: number): boolean {
  return !(end - start === 1 && text.charCodeAt(start) === DASH) && integerDigits(text, start, end) === undefined;
}

/** Fields whose values are integers (encryption-status is an integer enum). */
export function isIntegerKind(spec: FieldSpec): boolean {
  return VALUE_KINDS[spec.kind].integer || spec.name === 'encryption-status';
}

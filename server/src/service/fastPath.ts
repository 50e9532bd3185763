/**
 * Fast path of validation: proves a record line clean in one pass over its bytes, or gives up.
 * It never reports anything: a line it cannot prove clean (any problem, anything unusual: a tab,
 * a comment, a timestamp prefix, an IPv6 address it does not parse, a millisecond time) goes to
 * the exact path, which finds and explains the problems. So it may be stricter than the exact
 * path, never more lenient. Bytes come from `TextEncoder.encodeInto` of a window of lines; for
 * ASCII text byte offsets equal UTF-16 offsets, and windows with other text skip the fast path.
 */
import type { FieldSpec, ValueKind } from '../catalog/fields';
import { VALUE_KINDS } from '../catalog/kinds';
import type { RecordColumns } from './recordColumns';
import { isReachableTcpFlags } from '../catalog/tcpFlags';
import { DIRECTION, LOG_STATUS, TCP, typeFamily } from './crossFields';
import { isIPv6, LATEST_SECONDS } from '../catalog/values';
import { DASH, DOT, HASH, NINE, SPACE, TAB, ZERO } from '../catalog/charCodes';

const K = {
  Any: 0, Version: 1, Account: 2, Id: 3, Address: 4, Port: 5, Byte: 6, Count: 7, Time: 8, Enum: 9, TrafficPath: 10,
  Region: 11, AzId: 12, AwsService: 13, Slow: 14,
} as const;

export interface FastPlan {
  columns: RecordColumns;
  width: number;
  kinds: Uint8Array;
  /** Per column: id prefixes / enum values as char codes. */
  words: (number[][] | undefined)[];
  /** Longest start–end window that is not a problem. */
  maxWindow: number;
}

const codes = (word: string): number[] => Array.from(word, (c) => c.charCodeAt(0));

/** The fast path's reader per value kind (K.Slow: always left to the exact path). */
const READERS: Readonly<Record<ValueKind, number>> = {
  version: K.Version, accountId: K.Account, resourceId: K.Id, address: K.Address, port: K.Port, protocol: K.Byte, tcpFlags: K.Byte,
  count: K.Count, time: K.Time, enum: K.Enum, trafficPath: K.TrafficPath, region: K.Region, azId: K.AzId, awsService: K.AwsService,
  arn: K.Slow, text: K.Any,
};

// Ranges of the integer kinds, from the catalog (values.ts checks the same ones). The digit counts
// below only bound the loop: a longer number is out of range anyway, or left to the exact path.
const PORT_MAX = VALUE_KINDS.port.max as number;
const BYTE_MAX = Math.min(VALUE_KINDS.protocol.max as number, VALUE_KINDS.tcpFlags.max as number);
const VERSION_MAX = VALUE_KINDS.version.max as number;
const TRAFFIC_PATH_MIN = VALUE_KINDS.trafficPath.min as number;
const TRAFFIC_PATH_MAX = VALUE_KINDS.trafficPath.max as number;

function kindOf(spec: FieldSpec | undefined): number {
  if (!spec) return K.Any;
  // An id of any `kind-hex` shape is rare; the exact path checks it.
  if (spec.kind === 'resourceId' && !spec.idPrefixes?.length) return K.Slow;
  return READERS[spec.kind];
}

/**
 * The fast path's view of a format, or undefined when it cannot help: no columns, more than 64,
 * or a first column of free text (which a timestamp prefix or a JSON wrapper could pass for).
 */
export function fastPlan(specs: readonly (FieldSpec | undefined)[], columns: RecordColumns, maxWindow: number): FastPlan | undefined {
  const kinds = Uint8Array.from(specs.map(kindOf));
  if (kinds.length === 0 || kinds.length > 64 || kinds[0] === K.Any || kinds[0] === K.Slow) return undefined;
  return {
    columns,
    width: specs.length,
    kinds,
    words: specs.map((spec) => (spec?.kind === 'resourceId' ? (spec.idPrefixes ?? []).map(codes) : spec?.kind === 'enum' ? (spec.values ?? []).map((v) => codes(v.value)) : undefined)),
    maxWindow,
  };
}

/** Values of the record being proven; -1 when absent or null. */
let vStart = -1, vEnd = -1, vProtocol = -1, vTcpFlags = -1, vLogStatus = -1, vType = -1, vSrcFamily = 0, vDstFamily = 0, vDirection = -1, vTrafficPath = -1;
/** Bit per column (up to 64 columns in two words) that held `-`. */
let nullLow = 0, nullHigh = 0;
let lastValue = 0;
let lastFamily = 0;
let lastEnum = -1;
/** The IPv4 address `ipv4` read last, as an unsigned 32-bit number. */
let lastV4 = 0;

/**
 * The cells of the record last proven clean, for a reader that would otherwise scan the line
 * again (pairing, conversations/provenCells.ts): per column its start and end in the window of
 * bytes (add the window's start for text offsets), and a number where the fast path read one:
 * the integer of a number column, the IPv4 address as an unsigned 32-bit number (-2 for IPv6),
 * the index of an enum value, -1 for `-`; NaN for a column of another kind. `bytes`: the window
 * itself (ASCII, so a byte per character), for a reader that would rather not read the string.
 */
export const provenCells = { starts: new Int32Array(64), ends: new Int32Array(64), nums: new Float64Array(64), bytes: new Uint8Array(0) as Uint8Array };

function isNull(column: number): boolean {
  return column < 32 ? (nullLow & (1 << column)) !== 0 : (nullHigh & (1 << (column - 32))) !== 0;
}

/** Reads an unsigned integer of at most `maxDigits` digits; returns its end or -1. Sets lastValue. */
function digits(b: Uint8Array, i: number, e: number, maxDigits: number): number {
  let value = 0;
  const limit = Math.min(e, i + maxDigits + 1);
  const from = i;
  while (i < limit) {
    const c = b[i];
    if (c < ZERO || c > NINE) break;
    value = value * 10 + (c - ZERO);
    i++;
  }
  if (i === from || i - from > maxDigits) return -1;
  lastValue = value;
  return i;
}

function ipv4(b: Uint8Array, i: number, e: number): number {
  let value = 0;
  for (let part = 0; part < 4; part++) {
    let octet = 0;
    const from = i;
    while (i < e && i - from < 4) {
      const c = b[i];
      if (c < ZERO || c > NINE) break;
      octet = octet * 10 + (c - ZERO);
      i++;
    }
    // A zero-padded octet (`000`) is a problem the exact path names.
    if (i === from || i - from > 3 || octet > 255 || (i - from > 1 && b[from] === ZERO)) return -1;
    value = value * 256 + octet;
    if (part < 3) {
      if (b[i] !== DOT) return -1;
      i++;
    }
  }
  lastFamily = 4;
  lastV4 = value;
  return i;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Same test as scan.ts isIsoTimestamp, on the first token of the line. */
function isIsoTimestamp(b: Uint8Array, s: number, e: number): boolean {
  const end = tokenEnd(b, s, e);
  return end - s >= 19 && isDigit(b[s]) && isDigit(b[s + 3]) && b[s + 4] === DASH && b[s + 7] === DASH && b[s + 10] === 84 && b[s + 13] === 58 && b[s + 16] === 58;
}

/** End of the token at i: the next space or tab (both separate tokens in scanRecord). */
function tokenEnd(b: Uint8Array, i: number, e: number): number {
  while (i < e && b[i] !== SPACE && b[i] !== TAB) i++;
  return i;
}

function word(b: Uint8Array, i: number, e: number, w: number[]): number {
  const n = w.length;
  if (i + n > e) return -1;
  for (let k = 0; k < n; k++) if (b[i + k] !== w[k]) return -1;
  return i + n;
}

function lowerHex(b: Uint8Array, i: number, e: number): number {
  const from = i;
  while (i < e) {
    const c = b[i];
    if (!((c >= ZERO && c <= NINE) || (c >= 97 && c <= 102))) break;
    i++;
  }
  const n = i - from;
  return n >= 8 && n <= 17 ? i : -1;
}

function lowers(b: Uint8Array, i: number, e: number): number {
  while (i < e && b[i] >= 97 && b[i] <= 122) i++;
  return i;
}

function region(b: Uint8Array, i: number, e: number): number {
  // [a-z]{2}(?:-[a-z]+)+-\d{1,2}
  const first = lowers(b, i, e);
  if (first - i !== 2) return -1;
  i = first;
  let groups = 0;
  while (b[i] === DASH) {
    const next = lowers(b, i + 1, e);
    if (next === i + 1) break;
    groups++;
    i = next;
  }
  if (groups === 0 || b[i] !== DASH) return -1;
  const end = digits(b, i + 1, e, 2);
  return end;
}

function azId(b: Uint8Array, i: number, e: number): number {
  // [a-z]{2,6}\d{1,2}(?:-[a-z]{3}\d{1,2})?-az\d{1,2}
  const letters = lowers(b, i, e);
  if (letters - i < 2 || letters - i > 6) return -1;
  i = digits(b, letters, e, 2);
  if (i < 0 || b[i] !== DASH) return -1;
  let next = lowers(b, i + 1, e);
  if (next - (i + 1) === 3) {
    i = digits(b, next, e, 2);
    if (i < 0 || b[i] !== DASH) return -1;
    next = lowers(b, i + 1, e);
  }
  if (next - (i + 1) !== 2 || b[i + 1] !== 97 || b[i + 2] !== 122) return -1;
  return digits(b, next, e, 2);
}

function awsService(b: Uint8Array, i: number, e: number): number {
  const c0 = b[i];
  if (c0 < 65 || c0 > 90) return -1;
  i++;
  while (i < e) {
    const c = b[i];
    if (!((c >= 65 && c <= 90) || (c >= ZERO && c <= NINE) || c === 95)) break;
    i++;
  }
  return i;
}

/**
 * True when line [s, e) of `b` (offset `base` into the text) is a record of `plan` that the exact
 * path would find no problem in. `text` is only read for the rare IPv6 address.
 */
export function provenClean(b: Uint8Array, s: number, e: number, plan: FastPlan, text: string, base: number): boolean {
  const width = plan.width;
  const kinds = plan.kinds;
  // A CloudWatch export timestamp before the record, as scanRecord recognises it.
  let i = isIsoTimestamp(b, s, e) ? tokenEnd(b, s, e) + 1 : s;
  nullLow = 0;
  nullHigh = 0;
  vStart = vEnd = vProtocol = vTcpFlags = vLogStatus = vType = vDirection = vTrafficPath = -1;
  vSrcFamily = vDstFamily = 0;
  const { starts, ends, nums } = provenCells;
  for (let column = 0; column < width; column++) {
    if (i >= e) return false;
    let j: number;
    let num = NaN;
    if (b[i] === DASH && (i + 1 === e || b[i + 1] === SPACE)) {
      j = i + 1;
      num = -1;
      if (column < 32) nullLow |= 1 << column;
      else nullHigh |= 1 << (column - 32);
    } else {
      switch (kinds[column]) {
        case K.Any:
          if (b[i] === HASH || b[i] === SPACE) return false;
          j = tokenEnd(b, i, e);
          break;
        case K.Version:
          j = digits(b, i, e, 2);
          if (lastValue > VERSION_MAX) return false;
          break;
        case K.Account:
          j = digits(b, i, e, 12);
          if (j >= 0 && j - i !== 12) j = -1;
          break;
        case K.Id: {
          j = -1;
          const prefixes = plan.words[column] as number[][];
          for (let p = 0; p < prefixes.length; p++) {
            const after = word(b, i, e, prefixes[p]);
            if (after >= 0) {
              j = lowerHex(b, after, e);
              break;
            }
          }
          break;
        }
        case K.Address:
          j = ipv4(b, i, e);
          num = lastV4;
          if (j < 0 || (j < e && b[j] !== SPACE)) {
            j = tokenEnd(b, i, e);
            if (!isIPv6(text, base + i, base + j)) return false;
            lastFamily = 6;
            num = -2;
          }
          if (column === plan.columns.srcaddr) vSrcFamily = lastFamily;
          else if (column === plan.columns.dstaddr) vDstFamily = lastFamily;
          break;
        case K.Port:
          j = digits(b, i, e, 5);
          if (lastValue > PORT_MAX) return false;
          num = lastValue;
          break;
        case K.Byte:
          j = digits(b, i, e, 3);
          if (lastValue > BYTE_MAX) return false;
          num = lastValue;
          if (column === plan.columns.protocol) vProtocol = lastValue;
          else if (column === plan.columns.tcpFlags) vTcpFlags = lastValue;
          break;
        case K.Count:
          j = digits(b, i, e, 15);
          num = lastValue;
          break;
        case K.Time:
          // Ten digits at most: longer values are milliseconds or implausible, which the exact path reports.
          j = digits(b, i, e, 10);
          if (lastValue > LATEST_SECONDS) return false;
          num = lastValue;
          if (column === plan.columns.start) vStart = lastValue;
          else if (column === plan.columns.end) vEnd = lastValue;
          break;
        case K.TrafficPath:
          j = digits(b, i, e, 1);
          if (lastValue < TRAFFIC_PATH_MIN || lastValue > TRAFFIC_PATH_MAX) return false;
          vTrafficPath = lastValue;
          break;
        case K.Enum: {
          j = -1;
          const values = plan.words[column] as number[][];
          for (let v = 0; v < values.length; v++) {
            const after = word(b, i, e, values[v]);
            if (after >= 0 && (after === e || b[after] === SPACE)) {
              j = after;
              lastEnum = v;
              num = v;
              break;
            }
          }
          if (column === plan.columns.logStatus) vLogStatus = lastEnum;
          else if (column === plan.columns.type) vType = lastEnum;
          else if (column === plan.columns.direction) vDirection = lastEnum;
          break;
        }
        case K.Region:
          j = region(b, i, e);
          break;
        case K.AzId:
          j = azId(b, i, e);
          break;
        case K.AwsService:
          j = awsService(b, i, e);
          break;
        default:
          return false;
      }
    }
    if (j < 0) return false;
    starts[column] = i;
    ends[column] = j;
    nums[column] = num;
    if (column + 1 < width) {
      if (j >= e || b[j] !== SPACE) return false;
      i = j + 1;
    } else if (j !== e) {
      return false;
    }
  }
  return crossFieldsClean(plan);
}

/** The cross-field rules of crossFields.ts, as a proof; twin: validate.ts Validator.crossCheck. */
function crossFieldsClean(plan: FastPlan): boolean {
  if (vStart >= 0 && vEnd >= 0 && (vStart > vEnd || vEnd - vStart > plan.maxWindow)) return false;
  if (vLogStatus === LOG_STATUS.NODATA || vLogStatus === LOG_STATUS.SKIPDATA) {
    for (let k = 0; k < plan.columns.traffic.length; k++) if (!isNull(plan.columns.traffic[k])) return false;
  } else if (vLogStatus === LOG_STATUS.OK) {
    for (let k = 0; k < plan.columns.required.length; k++) if (isNull(plan.columns.required[k])) return false;
  }
  // The cell check impossible-tcp-flags (catalog/tcpFlags.ts) is made here too, where tcp-flags is known.
  if (vTcpFlags > 0 && ((vProtocol >= 0 && vProtocol !== TCP) || !isReachableTcpFlags(vTcpFlags))) return false;
  const family = typeFamily(vType);
  if (family !== 0) {
    if ((vSrcFamily && vSrcFamily !== family) || (vDstFamily && vDstFamily !== family)) return false;
  }
  if (vDirection === DIRECTION.ingress && vTrafficPath > 0) return false;
  return true;
}

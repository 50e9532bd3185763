/**
 * How the summary reads the cells it counts, from a record's text or from the number the
 * validation kernel read for a cell (provenCells.ts): the action, counts, log-status, times, and
 * the keys of grouped cells. Both readings of a cell give the same value. Pure.
 */
import { DASH } from '../../catalog/charCodes';
import { MILLISECONDS_THRESHOLD, readDecimal } from '../../catalog/values';
import type { FlowLogFormat } from '../formatModel';
import { validationPlan } from '../validationPlan';
import { Encoding, Tag, writeInteger, writeIPv4, type CellEncoder, type KeyBuffer } from './cellKeys';
import { ActionIndex } from './timeline';
import { USUAL_LOG_STATUS, type ExactSum } from './totals';

/** Digits a count may have and still be read exactly as a double. */
export const SAFE_DIGITS = 15;

/** The values of an enum column as the kernel's plan lists them (its numbers index this list). */
export function enumWords(format: FlowLogFormat, column: number): string[] {
  const words = column >= 0 ? validationPlan(format).fast?.words[column] : undefined;
  return (words ?? []).map((word) => String.fromCharCode(...word));
}

/** Action index of an `action` cell: ACCEPT, REJECT, or other (`-`, anything else). */
export function actionOf(text: string, start: number, end: number): number {
  if (end - start !== 6) return ActionIndex.Other;
  if (text.startsWith('ACCEPT', start)) return ActionIndex.Accept;
  if (text.startsWith('REJECT', start)) return ActionIndex.Reject;
  return ActionIndex.Other;
}

export const DASH_STATUS = USUAL_LOG_STATUS.indexOf('-');

/** Index of a log-status cell in USUAL_LOG_STATUS, or -1. */
export function usualLogStatus(text: string, start: number, end: number): number {
  for (let i = 0; i < USUAL_LOG_STATUS.length; i++) if (USUAL_LOG_STATUS[i].length === end - start && text.startsWith(USUAL_LOG_STATUS[i], start)) return i;
  return -1;
}

/** Adds a count cell to `sum` (a number past SAFE_DIGITS digits by its digits); its value, or 0 when it is not one. */
export function readCount(sum: ExactSum, text: string, s: number, e: number): number {
  const value = readDecimal(text, s, e, SAFE_DIGITS);
  if (value >= 0) {
    sum.add(value);
    return value;
  }
  if (isLongNumber(text, s, e)) sum.addDigits(text.slice(s, e));
  return 0;
}

/** True for a cell of more than SAFE_DIGITS digits (a counter past 2^53 is rare but exact in totals). */
function isLongNumber(text: string, start: number, end: number): boolean {
  return end - start > SAFE_DIGITS && end - start <= 20 && readDecimal(text, start, end) >= 0;
}

/** Epoch seconds of a start or end cell (milliseconds read as the validator reads them), or -1. */
export function seconds(text: string, start: number, end: number): number {
  if (end - start === 1 && text.charCodeAt(start) === DASH) return -1;
  return secondsOf(readDecimal(text, start, end, SAFE_DIGITS));
}

/** seconds() of a cell's number (-1 for `-`). */
export function secondsOf(value: number): number {
  if (value <= 0) return -1;
  return value >= MILLISECONDS_THRESHOLD ? Math.floor(value / 1000) : value;
}

/**
 * Appends the key of a valid cell from the number the validation kernel read for it (fastPath.ts
 * provenCells: an integer, an IPv4 address, an enum index, -1 for `-`), the same bytes as
 * writeCellKey of its text; false (nothing written) when the number does not say it: a text
 * field, an IPv6 address (-2), a column the kernel read no number for (NaN).
 */
export function writeProvenKey(encoder: CellEncoder, num: number, out: KeyBuffer): boolean {
  if (num !== num || num < -1 || encoder.encoding === Encoding.Text) return false;
  out.reserve(17);
  if (num === -1) {
    out.bytes[out.length++] = Tag.Null;
    return true;
  }
  switch (encoder.encoding) {
    case Encoding.Integer:
    case Encoding.Time:
      writeInteger(encoder, num, out);
      return true;
    case Encoding.Address:
      writeIPv4(num, out);
      return true;
    default:
      out.bytes[out.length++] = Tag.Enum;
      out.bytes[out.length++] = num;
      return true;
  }
}

/** smallCode from the kernel's number of a valid cell (see writeProvenKey), or -1 when it does not say it. */
export function provenSmallCode(encoder: CellEncoder, num: number): number {
  if (num !== num || num < -1) return -1;
  if (num === -1) return 0;
  if (encoder.encoding === Encoding.Enum) return num + 2;
  return num > encoder.max ? 1 : num + 2;
}

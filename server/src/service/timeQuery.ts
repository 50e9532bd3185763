/**
 * Times as a user types them (Go to Time) and as the structure shows them, always in UTC.
 *
 * Accepted: ISO 8601 dates and times (`2019-12-13T05:00:00Z`, `2019-12-13 05:00`, with a
 * fraction or a `±HH:MM` offset; without a zone the time is UTC; a date alone is its midnight) and
 * epoch numbers, read as seconds below 10^11 and as milliseconds from there (10^11 s is the year
 * 5138; 10^11 ms is 1973), the same rule as for `start`/`end` values.
 */
import { isMilliseconds } from '../catalog/values';

export type ParsedTime = { ok: true; millis: number } | { ok: false; message: string };

const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;
const EPOCH = /^\d+(?:\.\d+)?$/;
/** Latest time accepted (the ISO form changes shape after year 9999). */
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const HELP = 'Type a UTC time as ISO 8601 (2019-12-13T05:00:00Z, 2019-12-13 05:00) or epoch seconds or milliseconds (1576213200).';

/** Reads a time; a clear message for anything else. */
export function parseUtcTime(input: string): ParsedTime {
  const text = input.trim();
  if (text === '') return { ok: false, message: HELP };
  if (EPOCH.test(text)) {
    const value = Number(text);
    const millis = isMilliseconds(value) ? value : value * 1000;
    return millis <= LATEST ? { ok: true, millis: Math.floor(millis) } : { ok: false, message: `${text} is too late to be a time. ${HELP}` };
  }
  const match = ISO.exec(text);
  if (!match) return { ok: false, message: `“${text}” is not a time. ${HELP}` };
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction, zone] = match;
  const parts = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)] as const;
  const millisPart = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  let millis = Date.UTC(...parts, millisPart);
  // Date.UTC rolls 2019-02-30 over into March: such a date does not exist.
  const check = new Date(millis);
  if (check.getUTCMonth() !== parts[1] || check.getUTCDate() !== parts[2] || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) {
    return { ok: false, message: `“${text}” is not a valid date and time. ${HELP}` };
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const offset = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0')) * 60_000;
    millis += zone[0] === '+' ? -offset : offset;
  }
  return { ok: true, millis };
}

/** `2019-12-13 05:00:00 UTC` (seconds shown only when not zero, unless `seconds`). */
export function formatUtc(millis: number, seconds = false): string {
  if (!Number.isFinite(millis) || millis < 0 || millis > LATEST) return '?';
  const iso = new Date(millis).toISOString();
  const showSeconds = seconds || iso.slice(17, 19) !== '00';
  return `${iso.slice(0, 10)} ${iso.slice(11, showSeconds ? 19 : 16)} UTC`;
}

/** `2019-12-13 05:00–05:10 UTC`, or with both dates when the span crosses midnight. */
export function formatUtcSpan(fromMillis: number, toMillis: number, seconds = false): string {
  const from = formatUtc(fromMillis, seconds);
  const to = formatUtc(toMillis, seconds);
  if (from === '?' || to === '?') return `${from} – ${to}`;
  if (from === to) return from;
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  return sameDay ? `${from.slice(0, -4)}–${to.slice(11)}` : `${from.slice(0, -4)} – ${to}`;
}

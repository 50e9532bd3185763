/**
 * Shapes and text helpers shared by the decoders: what a decoded value looks like and how user
 * text is quoted safely into hover markdown.
 */

export interface DecodeContext {
  /** IANA protocol number of the record. */
  protocol?: number;
  /** Raw start/end of the record (Unix seconds, or milliseconds above 1e11). */
  end?: number;
  start?: number;
  packets?: number;
  bytes?: number;
  /** The record is a Transit Gateway flow log record. */
  tgw?: boolean;
}

export interface DecodedValue {
  /** For an inlay hint, ≤ ~30 characters; '' when the value needs none. */
  short: string;
  /** Markdown lines for a hover. */
  lines: string[];
}

/**
 * Characters that act instead of showing: C0 and C1 controls (line breaks among them), DEL,
 * bidirectional controls that reorder the text around them, line and paragraph separators.
 */
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSHOWABLE_ALL = new RegExp(UNSHOWABLE.source, 'g');

function escapeOf(char: string): string {
  const hex = char.charCodeAt(0).toString(16).toUpperCase();
  return hex.length <= 2 ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}

/** Text from a file made safe to show as plain text: unshowable characters become `\x1B`, `\u202E`. */
export function showable(text: string): string {
  return UNSHOWABLE.test(text) ? text.replace(UNSHOWABLE_ALL, escapeOf) : text;
}

/**
 * Inline code that survives any user text: a fence longer than any backtick run inside, padded
 * when the text starts or ends with a backtick, unshowable characters (line breaks too, which
 * would end the code span and let the rest render as markdown) escaped, long values cut.
 */
export function code(text: string): string {
  const chars = text.length > 80 ? [...text] : undefined;
  const t = showable(chars && chars.length > 80 ? chars.slice(0, 79).join('') + '…' : text);
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * Text shown in markdown exactly as written: every ASCII punctuation character is
 * backslash-escaped (CommonMark allows that for all of them), so nothing in it can open a link,
 * image, HTML tag, emphasis, autolink (`https:`, `www.`, `a@b.c`) or theme icon (`$(…)`).
 */
export function escapeMarkdown(text: string): string {
  return showable(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Digits only (no sign, no decimals, no spaces); undefined otherwise. */
export function parseUint(raw: string): number | undefined {
  return /^\d{1,30}$/.test(raw) ? Number(raw) : undefined;
}

/** `1234567` → `1,234,567`, exact for any length of digits. */
export function groupDigits(digits: string): string {
  const d = digits.replace(/^0+(?=\d)/, '');
  return d.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function clip(text: string, max = 30): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > 10 ? cut.slice(0, space) : cut) + '…';
}

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

export const TCP = 6;

/** Inline code that survives any user text (backticks, huge values). */
export function code(text: string): string {
  const chars = [...text];
  const t = chars.length > 80 ? chars.slice(0, 79).join('') + '…' : text;
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
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

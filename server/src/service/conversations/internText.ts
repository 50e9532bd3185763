/**
 * How the intern (intern.ts) reads values as text: hashes over characters or ASCII bytes (the same
 * for the same text), the interface cache's fingerprint, the order of octets as text, and the
 * dotted quad of an address id.
 */

/** 32-bit FNV-1a over text[start, end). */
export function hashChars(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** hashChars of text held as ASCII bytes or UTF-16 units: the same hash as of the same text as a string. */
export function hashBytes(bytes: Uint8Array | Uint16Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/** Each octet's place among the 256 octets written as decimal text and sorted as strings ("0" < "1" < "10" < "100" < …). */
export const OCTET_TEXT_RANK = (() => {
  const texts = Array.from({ length: 256 }, (_, v) => String(v)).sort();
  const rank = new Uint8Array(256);
  texts.forEach((text, place) => (rank[Number(text)] = place));
  return rank;
})();

/** An interface cache key: a value's length and last four characters, mixed so that the top bits pick a slot. */
export function fingerprint(length: number, last: number, second: number, third: number, fourth: number): number {
  return Math.imul(last | (second << 8) | (third << 16) | (fourth << 24), 0x9e3779b1) ^ Math.imul(length, 0x85ebca6b);
}

/** The dotted quad of an IPv4 address id. */
export function dottedQuad(id: number): string {
  return `${id >>> 24}.${(id >>> 16) & 255}.${(id >>> 8) & 255}.${id & 255}`;
}

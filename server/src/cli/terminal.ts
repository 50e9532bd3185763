/**
 * Text the CLI prints comes partly from the files it reads (cells, header names) and from file
 * names, which anyone can craft: an escape sequence there could retitle, recolour or rewrite the
 * user's terminal, and a bidirectional control could reorder what a line appears to say. Text
 * output shows such characters as visible escapes (`\x1B`, `\u202E`) instead.
 */

/** C0 controls, DEL, C1 controls (some terminals act on U+009B as CSI), bidi controls, line and paragraph separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

function visible(char: string): string {
  const code = char.charCodeAt(0);
  const hex = code.toString(16).toUpperCase();
  return code < 0x100 ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}

/** `text` with every character a terminal would act on written as a visible escape; one line. */
export function terminalSafe(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, visible) : text;
}

/** Whether `text` holds no character a terminal would act on (terminalSafe would give it back as it is). */
export function isTerminalSafe(text: string): boolean {
  return !UNSAFE.test(text);
}

/** Several lines made terminal-safe one by one (the line breaks between them are kept). */
export function terminalSafeLines(lines: readonly string[]): string {
  return lines.map(terminalSafe).join('\n');
}

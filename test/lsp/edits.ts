/** Applies LSP text edits to a string, as an editor would (for checking code action results). */
import type { TextEdit } from 'vscode-languageserver-protocol';

export function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  return Math.min(offset + character, lineEnd < 0 ? text.length : lineEnd);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const resolved = edits
    .map((edit) => ({
      start: offsetAt(text, edit.range.start.line, edit.range.start.character),
      end: offsetAt(text, edit.range.end.line, edit.range.end.character),
      newText: edit.newText,
    }))
    .sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of resolved) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** Character position of the `occurrence`-th match of `needle` on `line` of `text`. */
export function columnOf(text: string, line: number, needle: string, occurrence = 0): number {
  const lineText = text.split('\n')[line] ?? '';
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = lineText.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found on line ${line}`);
  }
  return at;
}

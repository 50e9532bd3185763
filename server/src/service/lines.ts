/**
 * Line indexes: the start offset of every line in a typed array, so that a 50 MB document costs a
 * few MB of index and no string per line. Line breaks are `\n`, `\r\n`
 * and a lone `\r`, as in LSP and VS Code, so positions always agree with the editor's.
 */
import { CR, LF } from '../catalog/charCodes';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * Longest line that is read as a record or declaration (1 MiB). A flow log record is well under
 * 1 KB; a longer line is reported and otherwise treated as blank by detection, validation and
 * the CLI alike, so one absurd line costs a bounded amount of work and memory.
 */
export const MAX_LINE_LENGTH = 1024 * 1024;

/** Whether line `line` is longer than `maxLength` (see MAX_LINE_LENGTH). */
export function isOverlong(lines: LineSource, line: number, maxLength = MAX_LINE_LENGTH): boolean {
  return lines.lineEnd(line) - lines.lineStart(line) > maxLength;
}

function collectLineStarts(text: string, out: number[]): void {
  // Without a carriage return, `indexOf` finds every break at native speed.
  if (text.indexOf('\r') < 0) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) out.push(at + 1);
    return;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR) {
      if (i + 1 < text.length && text.charCodeAt(i + 1) === LF) i++;
      out.push(i + 1);
    } else if (c === LF) {
      out.push(i + 1);
    }
  }
}

/**
 * Read access to a document's lines. Each line lies whole inside one string, so the scanner and
 * the checks take `(textOf(line), lineStart(line), lineEnd(line))` without copying the line,
 * whether the document is one string (`LineIndex`) or blocks of lines (`BlockText`).
 */
export interface LineSource {
  readonly lineCount: number;
  /** The string that holds the line. */
  textOf(line: number): string;
  /** Offset of the line's first character in `textOf(line)`. */
  lineStart(line: number): number;
  /** Offset in `textOf(line)` where the line's content ends, before its line break. */
  lineEnd(line: number): number;
}

/** The content of a line, without its line break. */
export function lineText(lines: LineSource, line: number): string {
  return lines.textOf(line).slice(lines.lineStart(line), lines.lineEnd(line));
}

/** Line index over one string. */
export class LineIndex implements LineSource {
  private readonly starts: Int32Array;

  constructor(readonly text: string) {
    const starts: number[] = [0];
    collectLineStarts(text, starts);
    this.starts = Int32Array.from(starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  textOf(): string {
    return this.text;
  }

  lineStart(line: number): number {
    return this.starts[line];
  }

  lineEnd(line: number): number {
    const { text } = this;
    if (line + 1 >= this.starts.length) return text.length;
    let end = this.starts[line + 1] - 1;
    if (end > this.starts[line] && text.charCodeAt(end) === LF && text.charCodeAt(end - 1) === CR) end--;
    return end;
  }

  /** Line that contains the offset (binary search). */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(clamped);
    const character = Math.min(clamped, this.lineEnd(line)) - this.starts[line];
    return { line, character };
  }

  /** Offset of a position, clamped into the text and into the line's content. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    return Math.max(start, Math.min(start + Math.max(0, position.character), this.lineEnd(position.line)));
  }
}

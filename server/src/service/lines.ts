/**
 * Line index over a document: the start offset of every line in a typed array, so that a
 * 50 MB document costs a few MB of index and no string per line. Line breaks are `\n`, `\r\n`
 * and a lone `\r`, as in LSP and VS Code, so positions always agree with the editor's.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

const LF = 10;
const CR = 13;

function collectLineStarts(text: string, from: number, to: number, base: number, out: number[]): void {
  // Fast path: no carriage return in the slice, so `indexOf` finds every break. Short slices (an
  // edit) are checked in place rather than searching the rest of a large document for a CR.
  if (!hasCarriageReturn(text, from, to)) {
    let at = text.indexOf('\n', from);
    while (at >= 0 && at < to) {
      out.push(at + 1 + base);
      at = text.indexOf('\n', at + 1);
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === CR) {
      if (i + 1 < text.length && text.charCodeAt(i + 1) === LF) i++;
      out.push(i + 1 + base);
    } else if (c === LF) {
      out.push(i + 1 + base);
    }
  }
}

function hasCarriageReturn(text: string, from: number, to: number): boolean {
  if (to - from > 65536) {
    const cr = text.indexOf('\r', from);
    return cr >= 0 && cr < to;
  }
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === CR) return true;
  return false;
}

export class LineIndex {
  private starts: Int32Array;
  private count: number;

  constructor(text: string) {
    const starts: number[] = [0];
    collectLineStarts(text, 0, text.length, 0, starts);
    this.starts = Int32Array.from(starts);
    this.count = starts.length;
  }

  get lineCount(): number {
    return this.count;
  }

  lineStart(line: number): number {
    return this.starts[line];
  }

  /** End of the line's content, before its line break. */
  lineEnd(text: string, line: number): number {
    if (line + 1 >= this.count) return text.length;
    let end = this.starts[line + 1] - 1;
    if (end > this.starts[line] && text.charCodeAt(end) === LF && text.charCodeAt(end - 1) === CR) end--;
    return end;
  }

  /** Line that contains the offset (binary search). */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  positionAt(text: string, offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, text.length));
    const line = this.lineAt(clamped);
    const character = Math.min(clamped, this.lineEnd(text, line)) - this.starts[line];
    return { line, character };
  }

  /** Offset of a position, clamped into the document and into the line's content. */
  offsetAt(text: string, position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.count) return text.length;
    const start = this.starts[position.line];
    return Math.max(start, Math.min(start + Math.max(0, position.character), this.lineEnd(text, position.line)));
  }

  /**
   * Updates the index after `oldText[start, end)` was replaced by `inserted`, giving `newText`.
   * Only the lines of the edit are rescanned; later starts are shifted. Returns the first line
   * touched and how many lines were removed and added there.
   */
  applyEdit(newText: string, start: number, end: number, inserted: string): { line: number; removed: number; added: number } {
    const delta = inserted.length - (end - start);
    // A CR just before the edit may pair with an inserted LF, moving the break: rescan its line too.
    const first = start > 0 && newText.charCodeAt(start - 1) === CR ? this.lineAt(start - 1) : this.lineAt(start);
    const last = this.lineAt(end);
    const hasTail = last + 1 < this.count;
    // Starts after the edit sit behind unchanged characters, so they only shift by delta.
    const scanTo = hasTail ? this.starts[last + 1] + delta : newText.length;
    const fresh: number[] = [];
    collectLineStarts(newText, this.starts[first], scanTo, 0, fresh);
    while (hasTail && fresh.length > 0 && fresh[fresh.length - 1] >= scanTo) fresh.pop();
    const removed = last - first;
    const added = fresh.length;
    const tailCount = this.count - (last + 1);
    const next = new Int32Array(first + 1 + added + tailCount);
    next.set(this.starts.subarray(0, first + 1), 0);
    for (let i = 0; i < added; i++) next[first + 1 + i] = fresh[i];
    for (let i = 0; i < tailCount; i++) next[first + 1 + added + i] = this.starts[last + 1 + i] + delta;
    this.starts = next;
    this.count = next.length;
    return { line: first, removed, added };
  }
}

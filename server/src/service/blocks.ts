/**
 * A document's text as blocks of whole lines, each about 64 KB (or, as opened from the node
 * transport's pieces, about 1 MB: see `cutPieces`). An edit rebuilds the block or two it touches
 * instead of the whole text: with one string, every keystroke in a 50 MB document made V8 copy
 * 50 MB and left the old copy for the garbage collector.
 *
 * Every block but the last ends with its line break, so each line lies whole in one block and
 * readers get `(block text, start, end)` as from a single string. A `\r\n` pair is never split
 * between blocks.
 */
import { CR, LF } from '../catalog/charCodes';
import { LineIndex, type LineSource, type Position, type Range } from './lines';

/** Block size aimed for; a line longer than this gets a block of its own. */
export const BLOCK_SIZE = 64 * 1024;

/** Lines an edit touched: from `line`, `removed` lines were replaced by `added` lines. */
export interface LineChange {
  line: number;
  removed: number;
  added: number;
}

/** Offset just after the first of two line break candidates, or -1 when there is none. */
function breakAfter(text: string, nextLf: number, nextCr: number): number {
  const at = nextCr >= 0 && (nextLf < 0 || nextCr < nextLf) ? nextCr : nextLf;
  if (at < 0) return -1;
  return text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
}

/**
 * Cuts `text` into blocks of about `size` at line breaks and appends them to `out`. Unless
 * `final`, the tail after the last cut (which may still grow) is returned instead of appended.
 */
function cutBlocks(text: string, size: number, final: boolean, out: string[]): string {
  let from = 0;
  // Positions of the next LF and CR at or after the search point, found once per search point
  // so that a text without CR is not searched to its end for every block.
  let nextLf = -2;
  let nextCr = -2;
  while (text.length - from > size + (size >> 1)) {
    const target = from + size;
    if (nextLf !== -1 && nextLf < target) nextLf = text.indexOf('\n', target);
    if (nextCr !== -1 && nextCr < target) nextCr = text.indexOf('\r', target);
    const cut = breakAfter(text, nextLf, nextCr);
    // A break at the very end stays in the tail: the tail is never empty, and a final CR may
    // still meet its LF in the next piece.
    if (cut < 0 || cut >= text.length) break;
    out.push(text.slice(from, cut));
    from = cut;
  }
  const tail = text.slice(from);
  if (!final) return tail;
  out.push(tail);
  return '';
}

/**
 * Turns consecutive pieces of a text into blocks. A piece that ends with a line break closes a
 * block: it becomes the block itself (or, after shorter pieces, their join), so no block is a
 * slice of a larger string that would stay in memory behind it. The node transport cuts its
 * pieces after line breaks, so this is the usual case; pieces cut anywhere else wait, and a
 * long run of them is cut like a whole text. Its pieces are about 1 MB and are kept whole rather
 * than cut into slices: validation reads a 1 MB block as fast as a 64 KB one, and an edit cuts
 * the block it touches to the usual size.
 */
function cutPieces(pieces: readonly string[], size: number, out: string[]): void {
  let pending: string[] = [];
  let pendingLength = 0;
  // Whether a piece added since the last cut holds a line break: without one there is nowhere to
  // cut, and joining again what is pending for every piece of a long line was quadratic.
  let breakPending = false;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.length === 0) continue;
    pending.push(piece);
    pendingLength += piece.length;
    breakPending ||= hasBreak(piece);
    if (pendingLength < size >> 1) continue;
    let next = i + 1;
    while (next < pieces.length && pieces[next].length === 0) next++;
    if (endsWithBreak(piece, pieces[next] ?? '')) {
      out.push(pending.length === 1 ? piece : pending.join(''));
      pending = [];
      pendingLength = 0;
      breakPending = false;
    } else if (pendingLength > 4 * size && breakPending) {
      const tail = cutBlocks(pending.join(''), size, false, out);
      pending = [tail];
      pendingLength = tail.length;
      breakPending = false;
    }
  }
  if (pending.length > 0 || out.length === 0) cutBlocks(pending.join(''), size, true, out);
}

function hasBreak(text: string): boolean {
  return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
}

/** Whether a block ending in `text` can be followed by `next` without joining a line across them. */
function endsWithBreak(text: string, next: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last === LF || (last === CR && next.charCodeAt(0) !== LF);
}

export class BlockText implements LineSource {
  private blocks: LineIndex[] = [];
  /** First line of each block, and the line count after the last. */
  private firstLines = new Int32Array(1);
  /** Block of the last line looked up: readers go line by line. */
  private cursor = 0;
  private size = 0;

  /** `text` whole or in consecutive pieces cut anywhere (as the transport decoded them). */
  constructor(text: string | readonly string[], private readonly blockSize = BLOCK_SIZE) {
    const parts: string[] = [];
    if (typeof text === 'string') {
      cutBlocks(text, blockSize, true, parts);
    } else {
      cutPieces(text, blockSize, parts);
    }
    this.replaceBlocks(0, 0, parts);
  }

  get lineCount(): number {
    return this.firstLines[this.blocks.length];
  }

  /** Length of the text in UTF-16 code units. */
  get length(): number {
    return this.size;
  }

  textOf(line: number): string {
    return this.blocks[this.blockOf(line)].text;
  }

  lineStart(line: number): number {
    const block = this.blockOf(line);
    return this.blocks[block].lineStart(line - this.firstLines[block]);
  }

  lineEnd(line: number): number {
    const block = this.blockOf(line);
    return this.blocks[block].lineEnd(line - this.firstLines[block]);
  }

  /**
   * Each block's own line index, its first line in the document and how many of the document's
   * lines it holds (the empty line after a block's final break is the next block's first): for
   * a pass over every line that need not find each line's block.
   */
  runs(): { lines: LineSource; firstLine: number; lineCount: number }[] {
    return this.blocks.map((lines, block) => ({ lines, firstLine: this.firstLines[block], lineCount: this.firstLines[block + 1] - this.firstLines[block] }));
  }

  /** The whole text. Costs a copy of it: for tests and whole-document operations only. */
  getText(): string {
    return this.blocks.map((block) => block.text).join('');
  }

  /** Position of the end of the text. */
  endPosition(): Position {
    const last = this.lineCount - 1;
    return { line: last, character: this.lineEnd(last) - this.lineStart(last) };
  }

  /**
   * Replaces `range` (positions are clamped into the text, and into a line's content) by
   * `inserted`. Returns the lines touched, in the coordinates before (`removed`) and after
   * (`added`) the edit.
   */
  applyEdit(range: Range, inserted: string): LineChange {
    const start = this.locate(range.start);
    let end = this.locate(range.end);
    if (end.block < start.block || (end.block === start.block && end.offset < start.offset)) end = start;
    const linesBefore = this.lineCount;
    // A lone CR ending the line before may pair with an inserted LF: that line changes too.
    const first = start.line > 0 && start.offset === this.blocks[start.block].lineStart(start.line - this.firstLines[start.block]) && this.charBefore(start.block, start.offset) === CR ? start.line - 1 : start.line;

    let from = start.block;
    let to = end.block;
    let piece = this.blocks[from].text.slice(0, start.offset) + inserted + this.blocks[to].text.slice(end.offset);
    if (from > 0 && piece.charCodeAt(0) === LF && this.charBefore(from, 0) === CR) piece = this.blocks[--from].text + piece;
    // Blocks before the last must end with a line break of their own; small ones join the next.
    while (to + 1 < this.blocks.length && (piece.length < this.blockSize >> 2 || !endsWithBreak(piece, this.blocks[to + 1].text))) {
      piece += this.blocks[++to].text;
    }
    const parts: string[] = [];
    cutBlocks(piece, this.blockSize, true, parts);
    this.replaceBlocks(from, to - from + 1, parts);
    const removed = end.line - first;
    return { line: first, removed, added: removed + this.lineCount - linesBefore };
  }

  /** Block, offset in it and line of a position, clamped like LSP clamps positions. */
  private locate(position: Position): { block: number; offset: number; line: number } {
    if (position.line < 0) return { block: 0, offset: 0, line: 0 };
    if (position.line >= this.lineCount) {
      const block = this.blocks.length - 1;
      return { block, offset: this.blocks[block].text.length, line: this.lineCount - 1 };
    }
    const block = this.blockOf(position.line);
    return { block, offset: this.blocks[block].offsetAt({ line: position.line - this.firstLines[block], character: position.character }), line: position.line };
  }

  private charBefore(block: number, offset: number): number {
    if (offset > 0) return this.blocks[block].text.charCodeAt(offset - 1);
    if (block === 0) return -1;
    const text = this.blocks[block - 1].text;
    return text.charCodeAt(text.length - 1);
  }

  private replaceBlocks(from: number, count: number, texts: readonly string[]): void {
    this.blocks.splice(from, count, ...texts.map((text) => new LineIndex(text)));
    const firstLines = new Int32Array(this.blocks.length + 1);
    let size = 0;
    for (let i = 0; i < this.blocks.length; i++) {
      const block = this.blocks[i];
      // The empty line after a block's final break is the next block's first line.
      firstLines[i + 1] = firstLines[i] + block.lineCount - (i + 1 < this.blocks.length ? 1 : 0);
      size += block.text.length;
    }
    this.firstLines = firstLines;
    this.size = size;
    this.cursor = 0;
  }

  /** Block that holds a line (0 ≤ line < lineCount). */
  private blockOf(line: number): number {
    const lines = this.firstLines;
    const cursor = this.cursor;
    if (line >= lines[cursor] && line < lines[cursor + 1]) return cursor;
    if (line >= lines[cursor + 1] && line < lines[cursor + 2]) return (this.cursor = cursor + 1);
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lines[mid] <= line) low = mid;
      else high = mid - 1;
    }
    return (this.cursor = low);
  }
}

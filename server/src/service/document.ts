/**
 * A flow log document as the service sees it: its lines (text in blocks, see `blocks.ts`) and
 * its formats, kept per version. An edit rebuilds only the blocks it touches; the formats are
 * recomputed only when an edit touches a header or directive line, or lines that inference
 * sampled.
 */
import { detectFormats, INFERENCE_SAMPLE_LINES, readDeclaration, segmentAt } from './format';
import { declarationLineOf, type DocumentFormats } from './formatModel';
import { BlockText, BLOCK_SIZE } from './blocks';
import { MAX_LINE_LENGTH, type Range } from './lines';
import { isBlankOrComment, TokenBuffer } from './scan';

export interface TextEdit {
  /** Range replaced; absent to replace the whole text. */
  range?: Range;
  text: string;
  /** A whole new text in pieces (see `FlowLogDocument`'s constructor); `text` is then ignored. */
  textPieces?: readonly string[];
}

/**
 * Moves the segments that start after `line` by `delta` lines, in place: with 100k segments,
 * copying them cost 100 ms per keystroke. Whoever holds these formats (the document's
 * validation) follows the document's lines, so it wants them moved too.
 */
function shiftSegments(formats: DocumentFormats, line: number, delta: number): DocumentFormats {
  const segments = formats.segments as unknown as { fromLine: number; declarationLine?: number }[];
  for (let i = segments.length - 1; i >= 0 && segments[i].fromLine > line; i--) {
    const segment = segments[i];
    segment.fromLine += delta;
    if (segment.declarationLine !== undefined) segment.declarationLine += delta;
  }
  return formats;
}

export interface DocumentOptions {
  /** Size of the text blocks; small values let tests cross block boundaries. */
  blockSize?: number;
  /** Lines longer than this are reported, not read (default MAX_LINE_LENGTH); small in tests. */
  maxLineLength?: number;
}

export class FlowLogDocument {
  private index: BlockText;
  private detected: DocumentFormats | undefined;
  private firstRecord: number | undefined;
  private readonly blockSize: number;
  readonly maxLineLength: number;

  /**
   * `text` whole, or in consecutive pieces as the node transport decodes a large text;
   * `explicitFormat` is the record format from the user's settings, which overrides detection.
   */
  constructor(text: string | readonly string[], private explicitFormat?: string, options: DocumentOptions = {}) {
    this.blockSize = options.blockSize ?? BLOCK_SIZE;
    this.maxLineLength = options.maxLineLength ?? MAX_LINE_LENGTH;
    this.index = new BlockText(text, this.blockSize);
  }

  get lines(): BlockText {
    return this.index;
  }

  /** The whole text: a copy, for tests and whole-document operations. */
  getText(): string {
    return this.index.getText();
  }

  /**
   * The first line that is not blank, a comment or overlong (a record or a header), or the line
   * count when there is none. Kept across edits: in a file of 50 million blank lines, finding it
   * again for every code action took 0.65 s.
   */
  firstRecordLine(): number {
    this.firstRecord ??= this.findRecordLine(0, this.index.lineCount);
    return this.firstRecord;
  }

  /** First record line in [from, to), or `to`. */
  private findRecordLine(from: number, to: number): number {
    const lines = this.index;
    for (let line = from; line < to; line++) {
      const start = lines.lineStart(line);
      const end = lines.lineEnd(line);
      if (end - start > this.maxLineLength) continue;
      if (!isBlankOrComment(lines.textOf(line), start, end)) return line;
    }
    return to;
  }

  /** Moves the first record line past an edit of lines [firstLine, lastLine] (after it), or forgets it. */
  private updateFirstRecord(firstLine: number, lastLine: number, lineDelta: number): void {
    const known = this.firstRecord;
    if (known === undefined || known < firstLine) return;
    const found = this.findRecordLine(firstLine, lastLine + 1);
    if (found <= lastLine) this.firstRecord = found;
    else if (known > lastLine - lineDelta) this.firstRecord = known + lineDelta;
    else this.firstRecord = undefined;
  }

  get formats(): DocumentFormats {
    this.detected ??= detectFormats(this.index, { explicit: this.explicitFormat, sampleLines: INFERENCE_SAMPLE_LINES, maxLineLength: this.maxLineLength });
    return this.detected;
  }

  setExplicitFormat(format: string | undefined): void {
    if (format !== this.explicitFormat) {
      this.explicitFormat = format;
      this.detected = undefined;
    }
  }

  /**
   * Applies edits in order (LSP incremental sync). Returns the lines each edit touched, in the
   * coordinates after all edits, and whether the formats had to be recomputed.
   */
  applyEdits(edits: readonly TextEdit[]): { firstLine: number; lastLine: number; formatsChanged: boolean; lineDelta: number } {
    let firstLine = Number.MAX_SAFE_INTEGER;
    let lastLine = -1;
    let lineDelta = 0;
    let formatsChanged = false;
    const tokens = new TokenBuffer();
    for (const edit of edits) {
      if (!edit.range) {
        this.index = new BlockText(edit.textPieces ?? edit.text, this.blockSize);
        this.detected = undefined;
        this.firstRecord = undefined;
        return { firstLine: 0, lastLine: this.index.lineCount - 1, formatsChanged: true, lineDelta: 0 };
      }
      const touched = this.touchesDeclaration(edit.range.start.line, edit.range.end.line, tokens);
      const change = this.index.applyEdit(edit.range, edit.text);
      const delta = change.added - change.removed;
      lineDelta += delta;
      // Lines touched by earlier edits move with this one; inside its removed span they collapse onto it.
      const shift = (line: number): number => (line <= change.line ? line : line <= change.line + change.removed ? change.line : line + delta);
      if (firstLine !== Number.MAX_SAFE_INTEGER) firstLine = shift(firstLine);
      if (lastLine >= 0) lastLine = shift(lastLine);
      firstLine = Math.min(firstLine, change.line);
      lastLine = Math.max(lastLine, change.line + change.added);
      if (touched || this.touchesDeclaration(change.line, change.line + change.added, tokens)) {
        formatsChanged = true;
      } else if (delta !== 0 && this.detected && this.hasLaterSegments(change.line)) {
        // No declaration was touched: the segments below move with their lines, and nothing
        // needs detecting again (a file of 100k concatenated S3 objects is 100k segments).
        this.detected = shiftSegments(this.detected, change.line, delta);
      }
    }
    if (formatsChanged) this.detected = undefined;
    lastLine = Math.min(lastLine, this.index.lineCount - 1);
    this.updateFirstRecord(firstLine, lastLine, lineDelta);
    return { firstLine, lastLine, formatsChanged, lineDelta };
  }

  /** Whether lines [from, to] hold a header or directive, or feed an inferred format. */
  private touchesDeclaration(from: number, to: number, tokens: TokenBuffer): boolean {
    const formats = this.detected;
    if (!formats) return true;
    // Above the first header or directive, an edit can decide whether it opens the file.
    const firstDeclaration = formats.segments.find((segment) => segment.declaration !== undefined);
    if (firstDeclaration !== undefined && from <= declarationLineOf(firstDeclaration)) return true;
    // Down to the last line inference read (a record added there could change its result).
    if (formats.inferenceEnd !== undefined && from <= formats.inferenceEnd) return true;
    const last = Math.min(to, this.index.lineCount - 1);
    for (let line = from; line <= last; line++) {
      // By bisection: a file of concatenated S3 objects has a segment per object.
      if (declarationLineOf(segmentAt(formats, line)) === line || declarationLineOf(formats.segments[0]) === line) return true;
      const start = this.index.lineStart(line);
      const end = this.index.lineEnd(line);
      if (end - start <= this.maxLineLength && readDeclaration(this.index.textOf(line), start, end, tokens)) return true;
    }
    return false;
  }

  /** Segments after a line move when lines are added or removed before them. */
  private hasLaterSegments(line: number): boolean {
    const segments = this.detected?.segments ?? [];
    return segments.length > 0 && segments[segments.length - 1].fromLine > line;
  }
}

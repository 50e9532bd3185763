/**
 * A flow log document as the service sees it: the text, its line index and its formats, kept
 * per version. Edits update the line index incrementally; the formats are recomputed only when
 * an edit touches a header or directive line, or lines that inference sampled.
 */
import { detectFormats, readDeclaration } from './format';
import { declarationLineOf, type DocumentFormats } from './formatModel';
import { LineIndex, type Range } from './lines';
import { TokenBuffer } from './scan';

export interface TextEdit {
  /** Range replaced; absent to replace the whole text. */
  range?: Range;
  text: string;
}

/** Lines inference reads; edits below them cannot change an inferred format. */
const INFERENCE_LINES = 200;

export class FlowLogDocument {
  private index: LineIndex;
  private detected: DocumentFormats | undefined;
  private content: string;

  constructor(text: string, private explicitFormat?: string) {
    this.content = text;
    this.index = new LineIndex(text);
  }

  get text(): string {
    return this.content;
  }

  get lines(): LineIndex {
    return this.index;
  }

  get formats(): DocumentFormats {
    this.detected ??= detectFormats(this.content, this.index, { explicit: this.explicitFormat, sampleLines: INFERENCE_LINES });
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
        this.content = edit.text;
        this.index = new LineIndex(edit.text);
        this.detected = undefined;
        return { firstLine: 0, lastLine: this.index.lineCount - 1, formatsChanged: true, lineDelta: 0 };
      }
      const start = this.index.offsetAt(this.content, edit.range.start);
      const end = Math.max(start, this.index.offsetAt(this.content, edit.range.end));
      const touched = this.touchesDeclaration(edit.range.start.line, edit.range.end.line, tokens);
      this.content = this.content.slice(0, start) + edit.text + this.content.slice(end);
      const change = this.index.applyEdit(this.content, start, end, edit.text);
      const delta = change.added - change.removed;
      lineDelta += delta;
      // Lines touched by earlier edits move with this one; inside its removed span they collapse onto it.
      const shift = (line: number): number => (line <= change.line ? line : line <= change.line + change.removed ? change.line : line + delta);
      if (firstLine !== Number.MAX_SAFE_INTEGER) firstLine = shift(firstLine);
      if (lastLine >= 0) lastLine = shift(lastLine);
      firstLine = Math.min(firstLine, change.line);
      lastLine = Math.max(lastLine, change.line + change.added);
      if (touched || this.touchesDeclaration(change.line, change.line + change.added, tokens) || delta !== 0 && this.hasLaterSegments(change.line)) {
        formatsChanged = true;
      }
    }
    if (formatsChanged) this.detected = undefined;
    return { firstLine, lastLine: Math.min(lastLine, this.index.lineCount - 1), formatsChanged, lineDelta };
  }

  /** Whether lines [from, to] hold a header or directive, or feed an inferred format. */
  private touchesDeclaration(from: number, to: number, tokens: TokenBuffer): boolean {
    const formats = this.detected;
    if (!formats) return true;
    // Above the first header or directive, an edit can decide whether it opens the file.
    const firstDeclaration = formats.segments.map(declarationLineOf).find((line) => line >= 0);
    if (firstDeclaration !== undefined && from <= firstDeclaration) return true;
    if (formats.primary.source === 'inferred' || formats.primary.source === 'default') {
      if (from < INFERENCE_LINES * 2) return true;
    }
    const last = Math.min(to, this.index.lineCount - 1);
    for (let line = from; line <= last; line++) {
      if (formats.segments.some((segment) => declarationLineOf(segment) === line)) return true;
      if (readDeclaration(this.content, this.index.lineStart(line), this.index.lineEnd(this.content, line), tokens)) return true;
    }
    return false;
  }

  /** Segments after a line move when lines are added or removed before them. */
  private hasLaterSegments(line: number): boolean {
    return (this.detected?.segments ?? []).some((segment) => segment.fromLine > line);
  }
}

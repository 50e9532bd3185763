/**
 * A flow log document as the service sees it: its lines (text in blocks, see `blocks.ts`) and
 * its formats, kept per version. An edit rebuilds only the blocks it touches; the formats are
 * recomputed only when an edit touches a header or directive line, or lines that inference
 * sampled.
 */
import { detectFormats, readDeclaration } from './format';
import { declarationLineOf, type DocumentFormats } from './formatModel';
import { BlockText, BLOCK_SIZE } from './blocks';
import type { Range } from './lines';
import { TokenBuffer } from './scan';

export interface TextEdit {
  /** Range replaced; absent to replace the whole text. */
  range?: Range;
  text: string;
  /** A whole new text in pieces (see `FlowLogDocument`'s constructor); `text` is then ignored. */
  textPieces?: readonly string[];
}

/** Lines inference reads; edits below them cannot change an inferred format. */
const INFERENCE_LINES = 200;

export interface DocumentOptions {
  /** Size of the text blocks; small values let tests cross block boundaries. */
  blockSize?: number;
}

export class FlowLogDocument {
  private index: BlockText;
  private detected: DocumentFormats | undefined;
  private readonly blockSize: number;

  /**
   * `text` whole, or in consecutive pieces as the node transport decodes a large text;
   * `explicitFormat` is the record format from the user's settings, which overrides detection.
   */
  constructor(text: string | readonly string[], private explicitFormat?: string, options: DocumentOptions = {}) {
    this.blockSize = options.blockSize ?? BLOCK_SIZE;
    this.index = new BlockText(text, this.blockSize);
  }

  get lines(): BlockText {
    return this.index;
  }

  /** The whole text: a copy, for tests and whole-document operations. */
  getText(): string {
    return this.index.getText();
  }

  get formats(): DocumentFormats {
    this.detected ??= detectFormats(this.index, { explicit: this.explicitFormat, sampleLines: INFERENCE_LINES });
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
      if (readDeclaration(this.index.textOf(line), this.index.lineStart(line), this.index.lineEnd(line), tokens)) return true;
    }
    return false;
  }

  /** Segments after a line move when lines are added or removed before them. */
  private hasLaterSegments(line: number): boolean {
    return (this.detected?.segments ?? []).some((segment) => segment.fromLine > line);
  }
}

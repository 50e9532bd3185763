/**
 * Folding ranges: each part of the document (a header segment from its header line to its last
 * record, or a run of one layout in a headerless file), and within a long part its time windows.
 * A folded segment leaves its header line visible; VS Code's sticky scroll, when it reads folding
 * ranges (`editor.stickyScroll.defaultModel: foldingProviderModel`, or when no symbols are
 * given), pins the header line of the segment being scrolled.
 */
import type { FoldingRange } from 'vscode-languageserver-types';
import type { DocumentStructure } from './structure';

/** VS Code's own default for `editor.foldingMaximumRegions`; a client may ask for fewer. */
export const MAX_FOLDING_RANGES = 5000;

/** Folding ranges of a document's structure: the parts first, then windows while `limit` allows. */
export function foldingRanges(structure: DocumentStructure, limit = MAX_FOLDING_RANGES): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const part of structure.parts) {
    if (ranges.length >= limit) break;
    if (part.toLine > part.fromLine) ranges.push({ startLine: part.fromLine, endLine: part.toLine });
  }
  for (const part of structure.parts) {
    for (const window of part.windows) {
      if (ranges.length >= limit) break;
      // A window that starts on the part's first line would fold the same lines as the part.
      if (window.toLine > window.fromLine && window.fromLine > part.fromLine) ranges.push({ startLine: window.fromLine, endLine: window.toLine });
    }
  }
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

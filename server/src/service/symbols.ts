/**
 * Document symbols (Outline, breadcrumbs, and VS Code's sticky scroll, which by default reads
 * them): one symbol per part of the document, named by its format (`VPC v5 · 29 fields ·
 * header`), and within it one per interface (or Transit Gateway attachment) or, where there is
 * only one or more than MAX_GROUPS, one per time window. Each says how many records (and REJECTs)
 * it holds.
 *
 * Sticky scroll pins a symbol's first line (`selectionRange`) while its `range` is in view: a part's
 * range runs from its header line to its last record, so the header line stays in view. An
 * interface's records are interleaved with others', so its symbol is its first record's line only
 * (sticky scroll skips one-line symbols); a time window is a run of lines and covers them.
 *
 * The result is bounded (`limit`, like the result limits of VS Code's JSON language service):
 * parts first, then their children in document order while the limit allows; with more parts
 * than the limit, a last symbol says how many were left out.
 */
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import { describeFormat } from './formatModel';
import type { LineSource } from './lines';
import { hasAction } from './recordTimes';
import type { DocumentStructure, RecordCounts, StructurePart } from './structure';
import { formatUtcSpan } from './timeQuery';

/** Symbols per document at most (VS Code's JSON language service defaults to 5000 as well). */
export const MAX_SYMBOLS = 5000;

const number = new Intl.NumberFormat('en-US');

/** `1,234 records · 56 REJECT` (REJECT only for formats with an action field). */
export function countsLabel(counts: RecordCounts, withRejects: boolean): string {
  const records = `${number.format(counts.records)} record${counts.records === 1 ? '' : 's'}`;
  return withRejects ? `${records} · ${number.format(counts.rejects)} REJECT` : records;
}

function lineRange(lines: LineSource, from: number, to: number): Range {
  const last = Math.min(to, lines.lineCount - 1);
  return { start: { line: from, character: 0 }, end: { line: last, character: lines.lineEnd(last) - lines.lineStart(last) } };
}

function partSymbol(lines: LineSource, part: StructurePart): DocumentSymbol {
  const withRejects = hasAction(part.format);
  const span = Number.isNaN(part.firstStart) ? '' : ` · ${formatUtcSpan(part.firstStart, part.lastEnd)}`;
  const header = part.headerLine >= 0 ? '' : ' · no header line';
  return {
    name: describeFormat(part.format),
    detail: `${countsLabel(part, withRejects)}${span}${header}`,
    kind: SymbolKind.Module,
    range: lineRange(lines, part.fromLine, part.toLine),
    selectionRange: lineRange(lines, part.fromLine, part.fromLine),
    children: [],
  };
}

function childSymbols(lines: LineSource, part: StructurePart, budget: number): DocumentSymbol[] {
  const withRejects = hasAction(part.format);
  const children: DocumentSymbol[] = [];
  const groups = part.groups;
  if (groups && groups.length >= 2) {
    for (const group of groups.slice(0, budget)) {
      const range = lineRange(lines, group.firstLine, group.firstLine);
      children.push({ name: group.value, detail: countsLabel(group, withRejects), kind: SymbolKind.Interface, range, selectionRange: range });
    }
    return children;
  }
  for (const window of part.windows.slice(0, budget)) {
    children.push({
      name: formatUtcSpan(window.bucketStart, window.bucketEnd),
      detail: countsLabel(window, withRejects),
      kind: SymbolKind.Event,
      range: lineRange(lines, window.fromLine, window.toLine),
      selectionRange: lineRange(lines, window.fromLine, window.fromLine),
    });
  }
  return children;
}

export function documentSymbols(structure: DocumentStructure, lines: LineSource, limit = MAX_SYMBOLS): DocumentSymbol[] {
  const { parts } = structure;
  if (parts.length > limit) {
    const shown = parts.slice(0, limit - 1).map((part) => partSymbol(lines, part));
    const rest = parts.length - shown.length;
    const first = parts[shown.length];
    shown.push({
      name: `… ${number.format(rest)} more segments`,
      detail: `not listed: the outline shows ${number.format(limit)} symbols at most`,
      kind: SymbolKind.Null,
      // One line: sticky scroll would otherwise pin this line over all the segments it stands for.
      range: lineRange(lines, first.fromLine, first.fromLine),
      selectionRange: lineRange(lines, first.fromLine, first.fromLine),
    });
    return shown;
  }
  let budget = limit - parts.length;
  return parts.map((part) => {
    const symbol = partSymbol(lines, part);
    if (budget > 0) {
      symbol.children = childSymbols(lines, part, budget);
      budget -= symbol.children.length;
    }
    return symbol;
  });
}

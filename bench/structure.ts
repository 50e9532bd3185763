/**
 * The structure requests of `npm run bench:lsp` (issue 13): on each bench document, once it is
 * validated, the first `textDocument/documentSymbol` (which computes the structure in slices),
 * `textDocument/foldingRange` (which reuses it), Go to Time at random times within the file's
 * span, and after a one-line edit the symbols again (computed anew) with hovers sent meanwhile
 * (they are answered between the slices). The cold structure time is also given as a ratio to the
 * complete first validation of the same document in the same run, as the machine may be loaded.
 */
import type { BenchClient, Position } from './lspClient';
import { mulberry32 } from './generate';
import { nowMs, percentile } from './report';

const GO_TO_TIMES = 20;
const HOVERS_DURING = 20;

export interface StructureResult {
  symbolsColdMs: number;
  symbols: number;
  foldingMs: number;
  foldingRanges: number;
  goToTimeMs: number[];
  method: string;
  timeSpanMs: number;
  symbolsAfterEditMs: number;
  hoversDuringMs: number[];
}

interface Symbol {
  children?: Symbol[];
}

const count = (symbols: Symbol[]): number => symbols.reduce((sum, s) => sum + 1 + count(s.children ?? []), 0);

/** Measures the structure requests on an open, validated document at `version`; edits one line (`editLine`, appending a field). */
export async function measureStructure(client: BenchClient, uri: string, version: number, editLine: number, editAt: number, randomPosition: () => Position): Promise<StructureResult> {
  const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
    const start = nowMs();
    const value = await run();
    return [value, nowMs() - start];
  };
  const [symbols, symbolsColdMs] = await timed(() => client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri } }));
  const [folding, foldingMs] = await timed(() => client.request<unknown[]>('textDocument/foldingRange', { textDocument: { uri } }));
  const [span, timeSpanMs] = await timed(() => client.request<{ file?: { from: number; to: number } } | null>('flowlog/timeSpan', { uri, visible: [{ start: 0, end: 100 }] }));
  const random = mulberry32(7);
  const goToTimeMs: number[] = [];
  let method = '—';
  if (span?.file) {
    for (let i = 0; i < GO_TO_TIMES; i++) {
      const time = Math.round(span.file.from + random() * (span.file.to - span.file.from));
      const [found, ms] = await timed(() => client.request<{ method?: string } | null>('flowlog/goToTime', { uri, time: String(time) }));
      goToTimeMs.push(ms);
      method = found?.method ?? method;
    }
  }
  await client.change(uri, version + 1, { start: { line: editLine, character: editAt }, end: { line: editLine, character: editAt } }, ' 99');
  // The edit's own work first (its lines validated, the conversations paired again), so that the
  // symbols are timed on their own, as the first ones were.
  await client.diagnostics(uri, version + 1);
  await client.explainRejections(uri);
  const started = nowMs();
  const after = client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri } }).then(() => nowMs() - started);
  const hoversDuringMs: number[] = [];
  let done = false;
  void after.then(() => (done = true));
  while (!done && hoversDuringMs.length < HOVERS_DURING) {
    const [, ms] = await timed(() => client.hover(uri, randomPosition()));
    hoversDuringMs.push(ms);
  }
  return { symbolsColdMs, symbols: count(symbols), foldingMs, foldingRanges: folding.length, goToTimeMs, method, timeSpanMs, symbolsAfterEditMs: await after, hoversDuringMs };
}

const ms = (value: number): string => (Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(1) : value.toFixed(0));
const pair = (values: number[]): string => (values.length === 0 ? '—' : `${ms(percentile(values, 50))} / ${ms(Math.max(...values))}`);

export const STRUCTURE_HEADER = ['document', 'lines', 'load start / end', 'open→all diagnostics ms', 'symbols, first (computes) ms', '÷ open→all diagnostics', 'symbols', 'folding (reuses) ms', 'ranges', 'time span ms', 'Go to Time p50/max ms (method)', 'symbols after an edit ms', 'hovers meanwhile p50/max ms (n)'];

export function structureRow(document: string, lines: number, load: string, openToAllDiagnostics: number, r: StructureResult): string[] {
  return [
    document, lines.toLocaleString('en-US'), load, ms(openToAllDiagnostics), ms(r.symbolsColdMs), `${(r.symbolsColdMs / openToAllDiagnostics).toFixed(2)}×`, String(r.symbols), ms(r.foldingMs), String(r.foldingRanges), ms(r.timeSpanMs),
    `${pair(r.goToTimeMs)} (${r.method})`, ms(r.symbolsAfterEditMs), `${pair(r.hoversDuringMs)} (${r.hoversDuringMs.length})`,
  ];
}

export const STRUCTURE_NOTES = [
  '- **symbols, first**: the first `textDocument/documentSymbol` once the document is validated: the structure (segments, interfaces, time windows, sortedness) is computed in slices of 10,000 lines with the event loop let through between them; **÷ open→all diagnostics**: that time over the complete first validation of the same document in the same run (a ratio that a loaded machine leaves about unchanged).',
  '- **folding**, **time span**, **Go to Time**: answered from the structure computed for the symbols (the same document version); Go to Time at 20 random times within the file\'s span, bisecting when the records are sorted by start, reading the matching segments and windows otherwise (the generated documents are not sorted: their records start up to a few minutes apart in any order).',
  '- **symbols after an edit**: one line changed (a field appended); once the edit\'s diagnostics are in and its conversations paired again, the symbols again: the structure is computed anew for the new version. Right after an edit, VS Code\'s request shares the event loop with that re-pairing, and answers later by as much. **hovers meanwhile**: hovers sent one after the other until the symbols answered: they are answered between the slices.',
  '- **load start / end**: the 1-minute load average when the document\'s session started and ended; above 2 (the CPU count) other work shared the CPUs and the times are inflated (at a load of 16–18, several times an idle machine\'s); the ratio to the same run\'s validation is the figure to compare.',
];

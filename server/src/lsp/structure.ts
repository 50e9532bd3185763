/**
 * The document's structure over LSP: folding ranges, document symbols, the header code lenses,
 * and the Go to Time and time span requests. The structure is computed once per document state
 * (`OpenDocument.generation`) by the service's `StructureScan`, a slice of lines at a time with
 * the event loop let through in between, so a 50 MB document's hovers are not held up; the
 * folding, symbol and time requests of that state share it.
 */
import { type CancellationToken, type CodeLens, type Connection, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import { documentSymbols, findTime, foldingRanges, getHeaderLenses, parseUtcTime, StructureScan, timeSpanOf, type DocumentStructure } from '../service/languageService';
import { MAX_FOLDING_RANGES } from '../service/folding';
import { yieldToEventLoop, type DocumentStore, type OpenDocument } from './documents';
import { GoToTimeRequest, TimeSpanRequest, type GoToTimeParams, type GoToTimeResult, type TimeSpanParams, type TimeSpanResult } from './protocol';

/** Lines read between two turns of the event loop. */
const LINES_PER_STEP = 10_000;
/** Visible lines read for the viewport's time span at most. */
const MAX_VISIBLE_LINES = 5_000;

export class StructureCache {
  private readonly cache = new Map<string, { generation: number; pending: Promise<DocumentStructure | undefined> }>();

  /** The structure of the document as it is now; undefined once it is closed. */
  get(entry: OpenDocument): Promise<DocumentStructure | undefined> {
    const cached = this.cache.get(entry.uri);
    if (cached && cached.generation === entry.generation) return cached.pending;
    const pending = this.compute(entry);
    this.cache.set(entry.uri, { generation: entry.generation, pending });
    return pending;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  private async compute(entry: OpenDocument): Promise<DocumentStructure | undefined> {
    const generation = entry.generation;
    const scan = new StructureScan(entry.document);
    while (!scan.advance(LINES_PER_STEP)) {
      await yieldToEventLoop();
      // The text changed under the scan: start again on the new one (or share a scan already started).
      if (entry.closed) return undefined;
      if (entry.generation !== generation) return this.get(entry);
    }
    return scan.structure;
  }
}

export interface StructureOptions {
  /** Folding ranges the client wants at most (`foldingRange.rangeLimit`). */
  foldingRangeLimit(): number | undefined;
}

export function registerStructureFeatures(connection: Connection, store: DocumentStore, options: StructureOptions): StructureCache {
  const structures = new StructureCache();

  /** Runs `handler` on the structure of an open document; an unknown document, a cancelled request or a failure (logged) gives `empty`. */
  async function withStructure<T>(uri: unknown, empty: T, what: string, token: CancellationToken | undefined, handler: (entry: OpenDocument, structure: DocumentStructure) => T): Promise<T> {
    const entry = typeof uri === 'string' ? store.get(uri) : undefined;
    if (!entry) return empty;
    try {
      const structure = await structures.get(entry);
      if (!structure || token?.isCancellationRequested || store.get(entry.uri) !== entry) return empty;
      return handler(entry, structure);
    } catch (error) {
      connection.console.error(`flowlog: ${what} failed on ${String(uri)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return empty;
    }
  }

  connection.onFoldingRanges(({ textDocument }, token) =>
    withStructure<FoldingRange[]>(textDocument?.uri, [], 'folding ranges', token, (_entry, structure) => foldingRanges(structure, Math.min(MAX_FOLDING_RANGES, options.foldingRangeLimit() ?? MAX_FOLDING_RANGES))),
  );

  connection.onDocumentSymbol(({ textDocument }, token) =>
    withStructure<DocumentSymbol[]>(textDocument?.uri, [], 'document symbols', token, (entry, structure) => documentSymbols(structure, entry.document.lines)),
  );

  connection.onCodeLens(({ textDocument }) => {
    const entry = typeof textDocument?.uri === 'string' ? store.get(textDocument.uri) : undefined;
    if (!entry) return [];
    try {
      return getHeaderLenses(entry.document).map(
        (lens): CodeLens => ({
          range: { start: { line: lens.line, character: 0 }, end: { line: lens.line, character: 0 } },
          command: { title: lens.title, command: lens.command, arguments: [entry.uri] },
        }),
      );
    } catch (error) {
      connection.console.error(`flowlog: code lenses failed on ${entry.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return [];
    }
  });

  connection.onRequest(GoToTimeRequest, (params: GoToTimeParams | undefined, token): Promise<GoToTimeResult | null> | GoToTimeResult => {
    const time = parseUtcTime(typeof params?.time === 'string' ? params.time : '');
    if (!time.ok) return { message: time.message };
    return withStructure<GoToTimeResult | null>(params?.uri, null, 'go to time', token, (entry, structure) => {
      const result = findTime(entry.document, structure, time.millis);
      if (!result.match) return { message: result.message };
      return { position: { line: result.match.line, character: result.match.character }, message: result.message, method: result.match.method };
    });
  });

  connection.onRequest(TimeSpanRequest, (params: TimeSpanParams | undefined, token) =>
    withStructure<TimeSpanResult | null>(params?.uri, null, 'time span', token, (entry, structure) => {
      const file = Number.isNaN(structure.firstStart) ? undefined : { from: structure.firstStart, to: structure.lastEnd };
      let budget = MAX_VISIBLE_LINES;
      let from = NaN;
      let to = NaN;
      for (const range of Array.isArray(params?.visible) ? params.visible : []) {
        if (budget <= 0 || typeof range?.start !== 'number' || typeof range.end !== 'number') continue;
        const first = Math.max(0, range.start);
        const last = Math.min(range.end, first + budget - 1);
        budget -= last - first + 1;
        const span = timeSpanOf(entry.document, first, last + 1);
        if (!(span.firstStart >= from)) from = span.firstStart;
        if (!(span.lastEnd <= to)) to = span.lastEnd;
      }
      const visible = Number.isNaN(from) ? undefined : { from, to };
      return { file, visible, sortedByStart: structure.sortedByStart };
    }),
  );

  return structures;
}

/**
 * The column requests over LSP (issue 13): the aligned layout of the visible lines, the column
 * under each cursor, and the values of a column. Each maps onto one language-service function;
 * a malformed request gets an empty answer, never an error.
 */
import type { Connection } from 'vscode-languageserver';
import { doColumnAt, doColumnLayout, doColumnValues } from '../service/languageService';
import { documentHandlers, type DocumentStore } from './documents';
import { ColumnAtRequest, ColumnLayoutRequest, ColumnValuesRequest, type ColumnAtInfo, type ColumnValuesResult } from './protocol';

/** Cursors read per request: the status bar shows the primary one and a summary of the others. */
const MAX_CURSORS = 100;
/** Most values one request returns (Copy Column Values of a large file asks for fewer). */
const MAX_VALUES = 1_000_000;

function isPosition(value: unknown): value is { line: number; character: number } {
  const position = value as { line?: unknown; character?: unknown } | null | undefined;
  return Number.isInteger(position?.line) && Number.isInteger(position?.character);
}

function isRange(value: unknown): value is { start: { line: number; character: number }; end: { line: number; character: number } } {
  const range = value as { start?: unknown; end?: unknown } | null | undefined;
  return isPosition(range?.start) && isPosition(range?.end);
}

export function registerColumnRequests(connection: Connection, store: DocumentStore): void {
  const withDocument = documentHandlers(connection, store);

  connection.onRequest(ColumnLayoutRequest, (params) =>
    withDocument(params?.uri, null, 'column layout', (entry) => {
      if (!isRange(params.range)) return { lines: [] };
      return { lines: doColumnLayout(entry.document, params.range, { decodedValues: params.decodedValues === true }) };
    }),
  );

  connection.onRequest(ColumnAtRequest, (params) =>
    withDocument(params?.uri, null, 'column at cursor', (entry) => {
      const positions = Array.isArray(params.positions) ? params.positions.slice(0, MAX_CURSORS) : [];
      return positions.map((position): ColumnAtInfo | null => (isPosition(position) ? (doColumnAt(entry.document, position) ?? null) : null));
    }),
  );

  connection.onRequest(ColumnValuesRequest, (params) =>
    withDocument(params?.uri, null, 'column values', (entry): ColumnValuesResult | null => {
      if (!isPosition(params.position)) return null;
      const limit = Number.isInteger(params.limit) && params.limit > 0 ? Math.min(params.limit, MAX_VALUES) : 0;
      const found = doColumnValues(entry.document, params.position, { range: isRange(params.range) ? params.range : undefined, limit });
      if (!found) return null;
      const spans: number[] = [];
      for (const value of found.values) spans.push(value.line, value.start, value.end);
      return { name: found.name, column: found.column, spans, truncated: found.truncated, ...(params.withText ? { texts: found.values.map((value) => value.text) } : {}) };
    }),
  );
}

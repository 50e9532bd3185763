/**
 * The filter and exports over LSP (issue 11): check a filter against an open document's format,
 * run it (in steps that yield, so hovers and edits are served meanwhile), write an export, and
 * give the filter for the value under the cursor. The work is the language service's.
 */
import type { Connection } from 'vscode-languageserver';
import { exportFor, s3ObjectFacts } from '../service/exports';
import { DocumentFilterRun, valueFilterAt } from '../service/filter/documentFilter';
import { FilterError, RecordFilter } from '../service/filter';
import type { DocumentStore, OpenDocument } from './documents';
import { uriBaseName, yieldToEventLoop } from './documents';
import {
  ExportRequest,
  FilterCheckRequest,
  FilterRunRequest,
  ValueFilterRequest,
  type ExportResult,
  type FilterCheckResult,
  type FilterProblem,
  type FilterRunResult,
} from './protocol';

function problemOf(error: unknown): FilterProblem {
  if (error instanceof FilterError) return { message: error.message, start: error.start, end: error.end, suggestion: error.suggestion };
  throw error;
}


/** The file path a query should read: the URI's path for files, else the name. */
function readablePath(uri: string): string {
  if (!uri.startsWith('file://')) return uriBaseName(uri);
  try {
    return decodeURIComponent(uri.slice('file://'.length).replace(/[?#].*$/, ''));
  } catch {
    return uriBaseName(uri);
  }
}

/** Most attempts of a run restarted by edits before it gives up on a document that keeps changing. */
const MAX_RESTARTS = 3;

async function runFilter(entry: OpenDocument, expression: string): Promise<FilterRunResult> {
  let filter: RecordFilter;
  try {
    filter = new RecordFilter(expression);
  } catch (error) {
    return { problem: problemOf(error), text: '', sourceLines: [], matched: 0, records: 0 };
  }
  for (let attempt = 0; ; attempt++) {
    const version = entry.version;
    let run: DocumentFilterRun;
    try {
      run = new DocumentFilterRun(entry.document, filter, uriBaseName(entry.uri));
    } catch (error) {
      return { problem: problemOf(error), text: '', sourceLines: [], matched: 0, records: 0 };
    }
    let edited = false;
    while (!run.step()) {
      await yieldToEventLoop();
      if (entry.closed) return { text: '', sourceLines: [], matched: 0, records: 0, problem: { message: 'the document was closed', start: 0, end: 0 } };
      if (entry.version !== version) {
        edited = true;
        break;
      }
    }
    if (!edited || attempt >= MAX_RESTARTS) {
      const { text, sourceLines, matched, records } = run.result();
      return { text, sourceLines, matched, records };
    }
  }
}

export function registerFilterRequests(connection: Connection, store: DocumentStore): void {
  connection.onRequest(FilterCheckRequest, (params): FilterCheckResult | null => {
    const entry = store.get(params.uri);
    if (!entry) return null;
    const format = entry.document.formats.primary;
    const fields = [...format.names];
    try {
      const problem = new RecordFilter(params.expression).problemWith(format);
      return problem ? { problem: problemOf(problem), fields } : { fields };
    } catch (error) {
      return { problem: problemOf(error), fields };
    }
  });

  connection.onRequest(FilterRunRequest, async (params): Promise<FilterRunResult | null> => {
    const entry = store.get(params.uri);
    return entry ? runFilter(entry, params.expression) : null;
  });

  connection.onRequest(ExportRequest, (params): ExportResult | null => {
    const entry = store.get(params.uri);
    if (!entry) return null;
    const format = entry.document.formats.primary;
    try {
      const filter = params.expression?.trim() ? new RecordFilter(params.expression).bind(format) : undefined;
      const text = exportFor(params.target, format, { filter, path: readablePath(params.uri), header: format.source === 'header', ...s3ObjectFacts(params.uri.replace(/[?#].*$/, '')) });
      return { text };
    } catch (error) {
      return { problem: problemOf(error) };
    }
  });

  connection.onRequest(ValueFilterRequest, (params) => {
    const entry = store.get(params.uri);
    if (!entry) return null;
    const expression = valueFilterAt(entry.document, params.position.line, params.position.character);
    return expression ? { expression } : null;
  });
}

/**
 * The traffic summary of an open document (issue 14): the service's aggregator fed with the
 * document's record lines in slices, with the event loop free in between (hovers and edits are
 * served meanwhile) and work-done progress for a large document. Edits during a run restart it
 * on the new version; the last result is kept per document for its version and options, so the
 * view's redraws and its N or grouping changes on an unchanged document cost nothing. Verdicts
 * come from the conversations the server pairs anyway (diagnostics, hovers), not a second pairing.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { VERDICT_TITLES } from '../service/conversations/describe';
import type { DocumentConversations } from '../service/conversations/documentConversations';
import { VERDICTS, type Verdict } from '../service/conversations/model';
import { isRecognised } from '../service/languageService';
import { JsonRecords } from '../service/exportShapes';
import type { FormatSegment } from '../service/formatModel';
import { forEachRecord } from '../service/recordLines';
import { SummaryAggregator } from '../service/summary/aggregator';
import { readGrouping } from '../service/summary/groupings';
import type { SummaryOptions, SummaryReport, VerdictCount } from '../service/summary/model';
import type { ConversationIndex } from './conversations';
import { uriBaseName, yieldToEventLoop, type DocumentStore, type OpenDocument } from './documents';
import { SummaryRequest, type SummaryParams, type SummaryResult } from './protocol';

/** Lines summarised between two looks at the clock, and the time a slice may take before other requests (hovers) are served. */
const STEP_LINES = 1_000;
const SLICE_MS = 8;
/** A document above this many lines is summarised with progress shown. */
const LARGE_LINES = 20_000;
/** Runs restarted by edits before the summary of a document that keeps changing is given as it stands. */
const MAX_RESTARTS = 3;

export interface ProgressReporter {
  report(percentage: number): void;
  done(): void;
}

interface Kept {
  version: number;
  key: string;
  result: SummaryResult;
}

/** Groups judged for the verdict counts between two looks at the clock. */
const STEP_GROUPS = 500;

/** Counts per verdict, in the order of VERDICTS (the most telling first), as the report has them. */
export function verdictCounts(tally: ReadonlyMap<Verdict, number>): VerdictCount[] {
  return VERDICTS.filter((verdict) => tally.has(verdict)).map((verdict) => ({ verdict, description: VERDICT_TITLES[verdict], conversations: tally.get(verdict) ?? 0 }));
}

/** What is wrong with the options, in words; undefined when they are fine. */
function optionsProblem(options: SummaryOptions): string | undefined {
  for (const fields of options.groupBy ?? []) {
    const problem = readGrouping(fields.join(','));
    if (typeof problem === 'string') return problem;
  }
  if (options.top !== undefined && !(Number.isInteger(options.top) && options.top > 0)) return `top: expected a positive whole number, got ${options.top}`;
  return undefined;
}

export class DocumentSummaries {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly conversations: ConversationIndex,
    private readonly startProgress: (entry: OpenDocument) => ProgressReporter,
  ) {}

  async summary(entry: OpenDocument, options: SummaryOptions, token?: CancellationToken): Promise<SummaryResult | null> {
    const key = JSON.stringify(options);
    const kept = this.kept.get(entry.uri);
    if (kept && kept.version === entry.version && kept.key === key) return kept.result;
    // Runs are not shared: a request cancelled by its client stops its own run only.
    const result = await this.compute(entry, options, token);
    if (result && !result.problem) this.kept.set(entry.uri, { version: result.version, key, result });
    return result;
  }

  forget(uri: string): void {
    this.kept.delete(uri);
  }

  private async compute(entry: OpenDocument, options: SummaryOptions, token?: CancellationToken): Promise<SummaryResult | null> {
    const problem = optionsProblem(options);
    if (problem) return { version: entry.version, report: emptyReport(), recognised: isRecognised(entry.document.formats), problem };
    const large = entry.document.lines.lineCount > LARGE_LINES;
    const progress = large ? this.startProgress(entry) : undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        const version = entry.version;
        const outcome = await this.run(entry, options, progress, token, attempt >= MAX_RESTARTS);
        if (outcome === 'stopped') return null;
        if (outcome === 'edited') continue;
        const report = outcome;
        const paired = await this.conversations.whenReady(entry);
        if (entry.closed) return null;
        const tally = paired && entry.version === version ? await this.tallyVerdicts(entry, paired, version, token) : undefined;
        if (tally === 'stopped') return null;
        report.verdicts = tally ? verdictCounts(tally) : null;
        return { version, report, recognised: isRecognised(entry.document.formats) };
      }
    } finally {
      progress?.done();
    }
  }

  /** The verdict counts of a document's conversations, judged a slice at a time; undefined when it was edited meanwhile. */
  private async tallyVerdicts(entry: OpenDocument, paired: DocumentConversations, version: number, token?: CancellationToken): Promise<Map<Verdict, number> | undefined | 'stopped'> {
    const tally = new Map<Verdict, number>();
    for (let from = 0; from < paired.groupCount; ) {
      const until = performance.now() + SLICE_MS;
      do from = paired.tallyVerdicts(from, STEP_GROUPS, tally);
      while (from < paired.groupCount && performance.now() < until);
      if (from >= paired.groupCount) break;
      await yieldToEventLoop();
      if (entry.closed || token?.isCancellationRequested) return 'stopped';
      if (entry.version !== version) return undefined;
    }
    return tally;
  }

  /** One pass over the document; 'edited' when its version changed meanwhile, unless `throughEdits` (it then reads on, whatever the text now is). */
  private async run(entry: OpenDocument, options: SummaryOptions, progress: ProgressReporter | undefined, token: CancellationToken | undefined, throughEdits: boolean): Promise<SummaryReport | 'edited' | 'stopped'> {
    const version = entry.version;
    const { document } = entry;
    const aggregator = new SummaryAggregator({ ...options, verdicts: false });
    for (const segment of document.formats.segments) aggregator.noteFormat(segment.format);
    const json = new JsonRecords();
    const add = (text: string, start: number, end: number, segment: FormatSegment, line: number): void => {
      aggregator.addRecord(text, start, end, segment.format, line);
    };
    const lineCount = document.lines.lineCount;
    let reported = -1;
    for (let from = 0; from < lineCount; ) {
      const until = performance.now() + SLICE_MS;
      do {
        // Every record of a JSON line (a subscription envelope) counts, as in `flowlog report`.
        forEachRecord(document.lines, document.formats, from, from + STEP_LINES, json, add);
        from += STEP_LINES;
      } while (from < lineCount && performance.now() < until);
      if (from >= lineCount) break;
      const percent = Math.round((from / lineCount) * 100);
      if (percent !== reported) progress?.report((reported = percent));
      await yieldToEventLoop();
      if (entry.closed || token?.isCancellationRequested) return 'stopped';
      if (entry.version !== version && !throughEdits) return 'edited';
    }
    aggregator.countFile();
    return aggregator.report();
  }
}

function emptyReport(): SummaryReport {
  const none = { accept: 0, reject: 0, other: 0 };
  return {
    formats: [],
    totals: { files: 0, records: 0, malformed: 0, recordsByAction: none, bytesByAction: none, packets: 0, logStatus: {}, firstStart: null, lastEnd: null },
    timeline: null,
    top: [],
    verdicts: null,
  };
}

export function registerSummaryRequest(connection: Connection, store: DocumentStore, summaries: DocumentSummaries): void {
  connection.onRequest(SummaryRequest, async (params: SummaryParams | undefined, token): Promise<SummaryResult | null> => {
    const entry = typeof params?.uri === 'string' ? store.get(params.uri) : undefined;
    if (!entry) return null;
    try {
      return await summaries.summary(entry, params?.options ?? {}, token);
    } catch (error) {
      connection.console.error(`flowlog: summary failed on ${uriBaseName(entry.uri)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return null;
    }
  });
}

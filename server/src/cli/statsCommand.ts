/**
 * `flowlog stats`: one summary over all the files given (service/summary: totals, a timeline,
 * top-N tables), as text, JSON (the SummaryReport) or CSV (the tables).
 */
import { isRecognised } from '../service/languageService';
import { DEFAULT_TOP, MAX_TOP, SummaryAggregator } from '../service/summary/aggregator';
import { readGrouping } from '../service/summary/groupings';
import type { SummaryOptions } from '../service/summary/model';
import { SummaryStream } from '../service/summary/summaryStream';
import type { ParsedArgs } from './args';
import { explicitFormat, feedInput, noteExplicitUnused, outputFormat, UsageError, warn, type Io } from './run';
import { summaryCsv, summaryText } from './summaryText';
import { displayName } from './input';
import { PoolHolder, runSegmented, threadCount, type SegmentedFeed } from './segments';

export async function statsCommand(args: ParsedArgs, io: Io): Promise<number> {
  const format = outputFormat(args, ['text', 'json', 'csv'] as const);
  const options = summaryOptions(args);
  const aggregator = new SummaryAggregator(options);
  // Workers only when asked for (--threads or FLOWLOG_THREADS): on inputs where nearly every
  // address pair is new, merging the segments' tables on the main thread costs more than the
  // workers save, and memory passes 150 MB (BENCHMARKS.md, "Stats beside lint").
  const asked = args.values.has('threads') || (process.env.FLOWLOG_THREADS ?? '') !== '';
  const pools = new PoolHolder(io.workerEntry, asked ? threadCount(args) : 1);
  let outcome;
  try {
    outcome = await summarizeFiles(args, io, aggregator, 'stats', 'not counted', pools);
  } finally {
    await pools.close();
  }
  const { failed, unrecognised } = outcome;
  const report = aggregator.report();
  io.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'csv' ? summaryCsv(report) : summaryText(report, options.intervalSeconds !== undefined));
  io.stdout.flush();
  return failed ? 2 : unrecognised ? 1 : 0;
}

/**
 * Every file of the command line into one aggregator, for `stats` and `report`. A file that is not
 * a flow log (an application log) is left out, as `parse` leaves it out: its lines would otherwise
 * be counted as records; `leftOut` says what that means for the command.
 */
export async function summarizeFiles(args: ParsedArgs, io: Io, aggregator: SummaryAggregator, command: 'stats' | 'report', leftOut: string, pools?: PoolHolder): Promise<{ failed: boolean; unrecognised: boolean; counted: number }> {
  const fields = explicitFormat(args);
  const progressAllowed = !args.flags.has('no-progress');
  let failed = false;
  let unrecognised = false;
  let counted = 0;
  // Files are read one after the other, into one aggregator: merging a whole file's summary
  // into it, as a worker per file would, gives the same tables only while they are exact, and on
  // inputs with many address pairs costs more than the workers save (twenty files of 5-60 MB,
  // --threads 2: 10.4 s and 626 MB against 7.8 s and 232 MB, two tables past their budget).
  for (const path of args.files) {
    const outcome = await summarizeFile(io, path, aggregator, fields, command, leftOut, pools, progressAllowed);
    if (outcome.failed) failed = true;
    if (outcome.unrecognised) unrecognised = true;
    if (outcome.counted) counted++;
  }
  return { failed, unrecognised, counted };
}

interface SummarizedFile {
  failed: boolean;
  unrecognised: boolean;
  counted: boolean;
}

/** One file into `aggregator`, with one thread or in segments (`pools`). */
async function summarizeFile(
  io: Io,
  path: string,
  aggregator: SummaryAggregator,
  fields: string | undefined,
  command: 'stats' | 'report',
  leftOut: string,
  pools: PoolHolder | undefined,
  progressAllowed: boolean,
): Promise<SummarizedFile> {
  const name = displayName(path);
  const segmented = pools && !aggregator.options.verdicts ? await summarizeSegmented(io, path, pools, aggregator, fields, progressAllowed) : undefined;
  if (segmented) {
    if (segmented.failure) return { failed: true, unrecognised: false, counted: false };
    aggregator.countFile();
    return { failed: false, unrecognised: false, counted: true };
  }
  const stream: SummaryStream = new SummaryStream(
    aggregator,
    {
      format(found) {
        noteExplicitUnused(io, name, fields, found);
        stream.skip = !isRecognised({ primary: found, segments: [{ fromLine: 0, format: found }] });
        if (stream.skip) warn(io, name, `does not look like a flow log (${found.names.length} columns that match no known format); ${leftOut}. Pass --fields or add a header line.`);
      },
      overlong(line) {
        warn(io, `${name}:${line + 1}`, 'line too long to be a flow log record; skipped');
      },
    },
    fields,
  );
  const result = await feedInput(io, path, command, (text) => (stream.push(text), true), progressAllowed);
  if (result.failure) return { failed: true, unrecognised: false, counted: false };
  if (!result.stopped) stream.end();
  return { failed: false, unrecognised: stream.skip, counted: !stream.skip };
}

/**
 * A large file in segments on worker threads, each summarised by its own aggregator; the states
 * are merged in input order, so the summary is the one-thread summary while the group tables are
 * exact (past their budget, merged estimates keep their bounds: groupTable.ts merge).
 */
async function summarizeSegmented(io: Io, path: string, pools: PoolHolder, aggregator: SummaryAggregator, fields: string | undefined, progressAllowed: boolean): Promise<SegmentedFeed | undefined> {
  const name = displayName(path);
  aggregator.startFile();
  return runSegmented(
    io,
    path,
    pools,
    {
      command: 'stats',
      explicitFormat: fields,
      summary: aggregator.options,
      accepts: (primary) => isRecognised({ primary, segments: [{ fromLine: 0, format: primary }] }),
      format: (primary) => noteExplicitUnused(io, name, fields, primary),
      validating: () => false,
      result(segment, baseLine) {
        for (const line of segment.overlong) warn(io, `${name}:${baseLine + line + 1}`, 'line too long to be a flow log record; skipped');
        if (segment.summary) aggregator.merge(segment.summary);
      },
    },
    progressAllowed,
  );
}

/** `--group-by`, `--top`, `--by`, `--interval`: the options `stats` and `report` share. */
export function summaryOptions(args: ParsedArgs): SummaryOptions {
  const options: SummaryOptions = {};
  const groupBy = (args.lists.get('group-by') ?? []).map((text) => {
    const grouping = readGrouping(text);
    if (typeof grouping === 'string') throw new UsageError(`--group-by: ${grouping}`);
    return grouping;
  });
  if (groupBy.length > 0) options.groupBy = groupBy;
  const top = args.values.get('top');
  if (top !== undefined) {
    if (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > MAX_TOP) throw new UsageError(`--top: expected a whole number from 1 to ${MAX_TOP}, got '${top}' (default ${DEFAULT_TOP})`);
    options.top = Number(top);
  }
  const by = args.values.get('by');
  if (by !== undefined) {
    if (by !== 'records' && by !== 'bytes' && by !== 'packets') throw new UsageError(`--by: expected records, bytes or packets, got '${by}'`);
    if (groupBy.length === 0) throw new UsageError('--by ranks the tables of --group-by; the built-in tables have their own');
    options.by = by;
  }
  const interval = args.values.get('interval');
  if (interval !== undefined) options.intervalSeconds = durationSeconds(interval);
  return options;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `30s`, `5m`, `1h`, `1d` (or plain seconds) in seconds. */
export function durationSeconds(text: string): number {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : 0;
  if (!match || seconds < 1) throw new UsageError(`--interval: expected a duration such as 30s, 5m, 1h or 1d, got '${text}'`);
  return seconds;
}

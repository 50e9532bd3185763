/** `flowlog lint`: stream every file through the validation rules and report what they find. */

import { BuilderFeed } from '../service/conversations/validationFeed';
import { limitSummary } from '../service/problems';
import type { ParsedArgs } from './args';
import { JsonReporter, TextReporter, type LintReporter } from './reporters';
import { countOption, explicitFormat, feedInput, outputFormat, ruleSeverities, type Io } from './run';
import type { SeverityTable } from '../service/rules';
import { SarifReporter } from './sarif';
import { displayName } from './input';
import { PoolHolder, runSegmented, threadCount } from './segments';
import type { StreamStats } from '../service/stream';
import type { FlowLogFormat } from '../service/formatModel';
import { readSegmentCells } from './cellBuffer';
import { LintProblems } from './pairingWindows';
import { FlowLogStream, getFormatLabel } from '../service/languageService';
import type { Problem } from '../service/problems';
import type { Severity } from '../service/rules';
import type { FileJobOptions } from './fileChannel';
import { ParallelFiles, type RemoteResult } from './parallelFiles';

export async function lintCommand(args: ParsedArgs, io: Io, version: string): Promise<number> {
  const format = outputFormat(args, ['text', 'json', 'sarif'] as const);
  const fields = explicitFormat(args);
  const severities = ruleSeverities(args);
  const maxProblems = countOption(args, 'max-problems');
  const reporter: LintReporter =
    format === 'json' ? new JsonReporter(io.stdout) : format === 'sarif' ? new SarifReporter(io.stdout, io.cwd, version) : new TextReporter(io.stdout);
  let failed = false;
  let errors = 0;
  let total = 0;
  const pools = new PoolHolder(io.workerEntry, threadCount(args));
  const progressAllowed = !args.flags.has('no-progress');
  const parallel = ParallelFiles.for(io, args.files, pools, progressAllowed, (path) => ({
    command: 'lint',
    path,
    options: { fields, severities, maxProblems },
  }));
  reporter.begin();
  try {
    for (const [index, path] of args.files.entries()) {
      if (io.stdout.closed) break;
      const name = displayName(path);
      reporter.beginFile(name, path);
      const seen = { error: 0, warning: 0, info: 0, hint: 0 };
      const remote = await parallel?.take<LintOutcome>(index, (event) => {
        if ('problem' in event) {
          seen[event.problem.severity]++;
          reporter.problem(event.problem);
        } else if ('err' in event) io.stderr.write(event.err);
      });
      const linted = remote ? outcomeOf(remote, seen) : await lintHere(io, path, pools, reporter, fields, severities, maxProblems, progressAllowed);
      const { failure, stats } = linted;
      const summary = stats.stoppedAtLine >= 0 ? limitSummary(severities, 'cli', maxProblems, stats.stoppedAtLine, stats.lines) : undefined;
      if (summary) reporter.problem(summary);
      reporter.endFile({ name, path, format: linted.format, lines: stats.lines, counts: stats.problems, failure });
      if (failure) failed = true;
      errors += stats.problems.error;
      total += stats.problems.error + stats.problems.warning + stats.problems.info + stats.problems.hint;
    }
  } finally {
    await pools.close();
  }
  reporter.end();
  io.stdout.flush();
  if (format === 'text' && io.stderr.isTTY && total > 0) io.stderr.write(`${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'})\n`);
  return failed ? 2 : errors > 0 ? 1 : 0;
}

/** What one file's lint leaves to the summary: its failure, counts, and format (as the JSON report names it). */
interface LintOutcome {
  failure?: string;
  stats: Pick<StreamStats, 'lines' | 'problems' | 'stoppedAtLine'>;
  format: string | undefined;
}

async function lintHere(
  io: Io,
  path: string,
  pools: PoolHolder,
  reporter: LintReporter,
  fields: string | undefined,
  severities: SeverityTable,
  maxProblems: number,
  progressAllowed: boolean,
): Promise<LintOutcome> {
  const segmented = await lintSegmented(io, path, pools, reporter, fields, severities, maxProblems, progressAllowed);
  const { result, stats, format } = segmented ?? (await lintOneThread(io, path, reporter, fields, severities, maxProblems, progressAllowed));
  return { failure: result.failure, stats, format: format ? getFormatLabel(format) : undefined };
}

/** A file a worker thread read whole (parallelFiles.ts): its problems went to the reporter as they came. */
function outcomeOf(remote: RemoteResult<LintOutcome>, problems: Record<Severity, number>): LintOutcome {
  if (remote.outcome) return remote.outcome;
  // Stopped (stdout closed) or failed: what is known of the file is the problems written.
  return { failure: 'error' in remote ? remote.error : undefined, stats: { lines: 0, problems, stoppedAtLine: -1 }, format: undefined };
}

/** One whole file on a worker thread (fileWorker.ts): the one-thread lint, its problems sent to the main thread's reporter. */
export async function lintFileOnWorker(io: Io, path: string, options: FileJobOptions, progressAllowed: boolean, report: (problem: Problem) => void): Promise<LintOutcome> {
  const sink: LintReporter = { begin() {}, beginFile() {}, problem: report, endFile() {}, end() {} };
  const severities = options.severities as SeverityTable;
  const { result, stats, format } = await lintOneThread(io, path, sink, options.fields, severities, options.maxProblems ?? 0, progressAllowed);
  return { failure: result.failure, stats, format: format ? getFormatLabel(format) : undefined };
}

type LintedFile = { result: { failure?: string }; stats: Pick<StreamStats, 'lines' | 'problems' | 'stoppedAtLine'>; format: FlowLogFormat | undefined };

async function lintOneThread(io: Io, path: string, reporter: LintReporter, fields: string | undefined, severities: SeverityTable, maxProblems: number, progressAllowed: boolean): Promise<LintedFile> {
  const problems = new LintProblems((problem) => reporter.problem(problem), severities, maxProblems, severities.has('reply-rejected'));
  // Pairing takes each record from validation's scan of its line (no parse pass).
  const feed = severities.has('reply-rejected') ? new BuilderFeed(problems) : undefined;
  const stream = new FlowLogStream({ problem: (problem) => problems.validation(problem), feed }, { explicitFormat: fields, severities, host: 'cli' });
  const result = await feedInput(io, path, 'lint', (text) => (stream.push(text), true), progressAllowed);
  // A file that failed part-way is not ended: its cut-off last line is not a real record.
  const ended = result.failure || result.stopped ? stream.stats : stream.end();
  problems.finish(ended.lines);
  return { result, stats: { lines: ended.lines, problems: problems.counts, stoppedAtLine: problems.stoppedAtLine }, format: stream.format };
}

/**
 * A large file in segments on worker threads: the same problems, counts and order as one thread
 * (segments.ts). With reply-rejected on, the workers also read each record's cells for pairing
 * (cellBuffer.ts) and the main thread pairs them, segment after segment in line order, while the
 * workers validate the next segments (a pipeline); pairingWindows.ts puts the problems in order.
 */
async function lintSegmented(
  io: Io,
  path: string,
  pools: PoolHolder,
  reporter: LintReporter,
  fields: string | undefined,
  severities: SeverityTable,
  maxProblems: number,
  progressAllowed: boolean,
): Promise<LintedFile | undefined> {
  const pairing = severities.has('reply-rejected');
  const problems = new LintProblems((problem) => reporter.problem(problem), severities, maxProblems, pairing);
  let primary: FlowLogFormat | undefined;
  const result = await runSegmented(
    io,
    path,
    pools,
    {
      command: 'lint',
      explicitFormat: fields,
      severities,
      pairCells: pairing,
      accepts: () => true,
      format: (format) => (primary = format),
      validating: () => !problems.stopped,
      async result(segment, baseLine) {
        if (segment.cells && !problems.stopped) await readSegmentCells(segment.cells, baseLine, (reader) => problems.addFrom(reader, reader.line()));
        for (const problem of segment.problems) {
          problem.line += baseLine;
          if (problem.endLine !== undefined) problem.endLine += baseLine;
          if (!problems.validation(problem)) break;
        }
      },
    },
    progressAllowed,
  );
  if (!result) return undefined;
  problems.finish(result.lines);
  return { result, stats: { lines: result.lines, problems: problems.counts, stoppedAtLine: problems.stoppedAtLine }, format: primary };
}

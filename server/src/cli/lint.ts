/** `flowlog lint`: stream every file through the validation rules and report what they find. */
import { FlowLogStream } from '../service/languageService';
import { ReplyRejectedCheck } from '../service/conversations/replyRejected';
import { limitSummary, type Problem } from '../service/problems';
import type { Severity } from '../service/rules';
import type { ParsedArgs } from './args';
import { JsonReporter, TextReporter, type LintReporter } from './reporters';
import { countOption, explicitFormat, feedInput, outputFormat, ruleSeverities, type Io } from './run';
import type { SeverityTable } from '../service/rules';
import { SarifReporter } from './sarif';
import { displayName } from './input';
import { PoolHolder, runSegmented, threadCount } from './segments';
import type { StreamStats } from '../service/stream';
import type { FlowLogFormat } from '../service/formatModel';

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
  reporter.begin();
  try {
    for (const path of args.files) {
      if (io.stdout.closed) break;
      const name = displayName(path);
      reporter.beginFile(name, path);
      // Segments cannot see each other's records, so the whole-file pairing of reply-rejected keeps one thread.
      const segmented = severities.has('reply-rejected') ? undefined : await lintSegmented(io, path, pools, reporter, fields, severities, maxProblems, progressAllowed);
      const { result, stats, format: fileFormat } = segmented ?? (await lintOneThread(io, path, reporter, fields, severities, maxProblems, progressAllowed));
      const summary = stats.stoppedAtLine >= 0 ? limitSummary(severities, 'cli', maxProblems, stats.stoppedAtLine, stats.lines) : undefined;
      if (summary) reporter.problem(summary);
      reporter.endFile({ name, path, format: fileFormat, lines: stats.lines, counts: stats.problems, failure: result.failure });
      if (result.failure) failed = true;
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

type LintedFile = { result: { failure?: string }; stats: Pick<StreamStats, 'lines' | 'problems' | 'stoppedAtLine'>; format: FlowLogFormat | undefined };

async function lintOneThread(io: Io, path: string, reporter: LintReporter, fields: string | undefined, severities: SeverityTable, maxProblems: number, progressAllowed: boolean): Promise<LintedFile> {
  let reported = 0;
  const report = (problem: Problem): boolean => {
    reporter.problem(problem);
    return maxProblems === 0 || ++reported < maxProblems;
  };
  // reply-rejected pairs the records as they stream past; its problems are counted here, as the stream counts its own.
  const pairedCounts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  const replies = severities.has('reply-rejected')
    ? new ReplyRejectedCheck(severities, (problem) => {
        if (maxProblems > 0 && reported >= maxProblems) return false;
        pairedCounts[problem.severity]++;
        return report(problem);
      })
    : undefined;
  // Pairing takes each record from validation's scan of its line (no parse pass).
  const stream = new FlowLogStream({ problem: report, feed: replies?.feed(), batchValidated: replies && (() => replies.flush()) }, { explicitFormat: fields, severities, host: 'cli' });
  const result = await feedInput(io, path, 'lint', (text) => (stream.push(text), true), progressAllowed);
  // A file that failed part-way is not ended: its cut-off last line is not a real record.
  const ended = result.failure || result.stopped ? stream.stats : stream.end();
  replies?.finish();
  const problems = { ...ended.problems };
  for (const severity of Object.keys(problems) as Severity[]) problems[severity] += pairedCounts[severity];
  return { result, stats: { lines: ended.lines, problems, stoppedAtLine: ended.stoppedAtLine }, format: stream.format };
}

/** A large file in segments on worker threads: the same problems, counts and order as one thread (segments.ts). */
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
  const stats = { lines: 0, problems: { error: 0, warning: 0, info: 0, hint: 0 }, stoppedAtLine: -1 };
  let reported = 0;
  let primary: FlowLogFormat | undefined;
  const result = await runSegmented(
    io,
    path,
    pools,
    {
      command: 'lint',
      explicitFormat: fields,
      severities,
      accepts: () => true,
      format: (format) => (primary = format),
      validating: () => stats.stoppedAtLine < 0,
      result(segment, baseLine) {
        for (const problem of segment.problems) {
          if (stats.stoppedAtLine >= 0) break;
          problem.line += baseLine;
          if (problem.endLine !== undefined) problem.endLine += baseLine;
          stats.problems[problem.severity]++;
          reporter.problem(problem);
          if (maxProblems !== 0 && ++reported >= maxProblems) stats.stoppedAtLine = problem.line + 1;
        }
      },
    },
    progressAllowed,
  );
  if (!result) return undefined;
  stats.lines = result.lines;
  return { result, stats, format: primary };
}

/** `flowlog lint`: stream every file through the validation rules and report what they find. */
import { FlowLogStream } from '../service/languageService';
import { ReplyRejectedCheck } from '../service/conversations/replyRejected';
import { limitSummary, type Problem } from '../service/problems';
import type { Severity } from '../service/rules';
import type { ParsedArgs } from './args';
import { JsonReporter, TextReporter, type LintReporter } from './reporters';
import { countOption, explicitFormat, feedInput, outputFormat, ruleSeverities, type Io } from './run';
import { SarifReporter } from './sarif';
import { displayName } from './input';

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
  reporter.begin();
  for (const path of args.files) {
    if (io.stdout.closed) break;
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
    const stream = new FlowLogStream(
      { problem: report, recordText: replies && ((text, start, end, format, line) => replies.record(text, start, end, format, line)) },
      { explicitFormat: fields, severities, host: 'cli', parse: replies !== undefined },
    );
    const name = displayName(path);
    reporter.beginFile(name, path);
    const result = await feedInput(io, path, 'lint', (text) => (stream.push(text), true), !args.flags.has('no-progress'));
    // A file that failed part-way is not ended: its cut-off last line is not a real record.
    const stats = result.failure || result.stopped ? stream.stats : stream.end();
    replies?.finish();
    const counts = { ...stats.problems };
    for (const severity of Object.keys(counts) as Severity[]) counts[severity] += pairedCounts[severity];
    const summary = stats.stoppedAtLine >= 0 ? limitSummary(severities, 'cli', maxProblems, stats.stoppedAtLine, stats.lines) : undefined;
    if (summary) reporter.problem(summary);
    reporter.endFile({ name, path, format: stream.format, lines: stats.lines, counts, failure: result.failure });
    if (result.failure) failed = true;
    errors += counts.error;
    total += counts.error + counts.warning + counts.info + counts.hint;
  }
  reporter.end();
  io.stdout.flush();
  if (format === 'text' && io.stderr.isTTY && total > 0) io.stderr.write(`${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'})\n`);
  return failed ? 2 : errors > 0 ? 1 : 0;
}

/**
 * `flowlog report FILE… -o report.html`: the traffic summary of all the files as one
 * self-contained HTML file (reportHtml.ts), with the same charts and tables as the editor's
 * Show Summary view, conversation verdicts included. Nothing is written when no file could be
 * read as a flow log: an empty report would look like a quiet network.
 */
import { writeFile } from 'node:fs/promises';
import { SummaryAggregator } from '../service/summary/aggregator';
import type { ParsedArgs } from './args';
import { describeError, displayName } from './input';
import { loadReportAssets, MissingAssetsError, reportHtml } from './reportHtml';
import { UsageError, warn, type Io } from './run';
import { summarizeFiles, summaryOptions } from './statsCommand';
import { terminalSafe } from './terminal';

export async function reportCommand(args: ParsedArgs, io: Io): Promise<number> {
  const output = args.values.get('output');
  if (!output) throw new UsageError('missing -o FILE: where to write the HTML report (for example -o report.html, or -o - for standard output)');
  const options = summaryOptions(args);
  let assets;
  try {
    assets = loadReportAssets();
  } catch (error) {
    if (!(error instanceof MissingAssetsError)) throw error;
    warn(io, 'report', error.message);
    return 2;
  }
  const aggregator = new SummaryAggregator({ ...options, verdicts: true });
  const { failed, unrecognised, counted } = await summarizeFiles(args, io, aggregator, 'report', 'left out of the report');
  if (counted === 0) {
    warn(io, 'report', `no flow log was read; ${output === '-' ? 'nothing written' : `${output} not written`}`);
    return failed ? 2 : 1;
  }
  const html = reportHtml(aggregator.report(), args.files.map(displayName), assets, new Date());
  if (output === '-') {
    io.stdout.write(html);
    io.stdout.flush();
  } else {
    try {
      await writeFile(output, html, 'utf8');
    } catch (error) {
      warn(io, output, `cannot write the report: ${describeError(error)}`);
      return 2;
    }
    io.stderr.write(`flowlog: wrote ${terminalSafe(output)} (${counted} ${counted === 1 ? 'file' : 'files'}, ${Math.round(html.length / 1024)} KB); open it in a browser\n`);
  }
  return failed ? 2 : unrecognised ? 1 : 0;
}

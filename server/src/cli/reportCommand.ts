/**
 * `flowlog report FILE… -o report.html`: the traffic summary of all the files as one
 * self-contained HTML file (reportHtml.ts), with the same charts and tables as the editor's
 * Show Summary view, conversation verdicts included. Nothing is written when no file could be
 * read as a flow log: an empty report would look like a quiet network.
 */
import { writeFile } from 'node:fs/promises';
import { isRecognised } from '../service/languageService';
import { SummaryAggregator } from '../service/summary/aggregator';
import { SummaryStream } from '../service/summary/summaryStream';
import type { ParsedArgs } from './args';
import { describeError, displayName } from './input';
import { loadReportAssets, MissingAssetsError, reportHtml } from './reportHtml';
import { explicitFormat, feedInput, noteExplicitUnused, UsageError, warn, type Io } from './run';
import { summaryOptions } from './statsCommand';
import { terminalSafe } from './terminal';

export async function reportCommand(args: ParsedArgs, io: Io): Promise<number> {
  const output = args.values.get('output');
  if (!output) throw new UsageError('missing -o FILE: where to write the HTML report (for example -o report.html, or -o - for standard output)');
  const fields = explicitFormat(args);
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
  let failed = false;
  let unrecognised = false;
  let counted = 0;
  for (const path of args.files) {
    const name = displayName(path);
    const stream: SummaryStream = new SummaryStream(
      aggregator,
      {
        format(format) {
          noteExplicitUnused(io, name, fields, format);
          stream.skip = !isRecognised({ primary: format, segments: [{ fromLine: 0, format }] });
          if (stream.skip) warn(io, name, `does not look like a flow log (${format.names.length} columns that match no known format); left out of the report. Pass --fields or add a header line.`);
        },
        overlong(line) {
          warn(io, `${name}:${line + 1}`, 'line too long to be a flow log record; skipped');
        },
      },
      fields,
    );
    const result = await feedInput(io, path, 'report', (text) => (stream.push(text), true), !args.flags.has('no-progress'));
    if (result.failure) {
      failed = true;
      continue;
    }
    stream.end();
    if (stream.skip) unrecognised = true;
    else counted++;
  }
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

/**
 * `flowlog export athena|insights|duckdb [--filter EXPR] FILE`: the file's detected format (and a
 * filter) as an Athena table with partition projection, a Logs Insights query or a DuckDB query.
 * Reads only as much of the file as detection needs.
 */
import { basename } from 'node:path';
import { FilterError, RecordFilter } from '../service/filter';
import { isRecognised, type FlowLogFormat } from '../service/formatModel';
import { EXPORT_TARGETS, exportFor, s3ObjectFacts, type ExportOptions, type ExportTarget, type S3Layout } from '../service/exports';
import { FlowLogStream } from '../service/stream';
import type { ParsedArgs } from './args';
import { displayName } from './input';
import { filterErrorText } from './filter';
import { explicitFormat, feedInput, UsageError, warn, type Io } from './run';

export async function exportCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [target, ...paths] = args.files;
  if (!(EXPORT_TARGETS as readonly string[]).includes(target)) throw new UsageError(`export: expected ${EXPORT_TARGETS.join(', ')}, got '${target}'`);
  if (paths.length !== 1) throw new UsageError('export reads the format of one FILE');
  const layout = args.values.get('layout') ?? 'aws';
  if (layout !== 'aws' && layout !== 'hive') throw new UsageError(`--layout: expected aws or hive, got '${layout}'`);
  const path = paths[0];
  const name = displayName(path);
  const stream = new FlowLogStream({}, { explicitFormat: explicitFormat(args), validate: false });
  const result = await feedInput(io, path, 'export', (text) => {
    stream.push(text);
    return stream.format === undefined;
  }, false);
  if (result.failure) return 2;
  if (!stream.format) stream.end();
  const format = stream.format as FlowLogFormat;
  if (!isRecognised({ primary: format, segments: [{ fromLine: 0, format }] })) {
    warn(io, name, 'does not look like a flow log; pass --fields or add a header line.');
    return 2;
  }
  const { account, region } = s3ObjectFacts(basename(path));
  const options: ExportOptions = {
    table: args.values.get('table'),
    location: args.values.get('location'),
    layout: layout as S3Layout,
    hourly: args.flags.has('hourly'),
    account: args.values.get('account') ?? account,
    region: args.values.get('region') ?? region,
    path: path === '-' ? undefined : path,
    header: format.source === 'header',
  };
  const source = args.values.get('filter');
  if (source !== undefined) {
    try {
      const filter = new RecordFilter(source);
      io.stdout.write(exportFor(target as ExportTarget, format, { ...options, filter: filter.bind(format) }));
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      io.stderr.write(`flowlog: ${filterErrorText(source, error)}`);
      return 2;
    }
  } else {
    io.stdout.write(exportFor(target as ExportTarget, format, options));
  }
  io.stdout.flush();
  return 0;
}

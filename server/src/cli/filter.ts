/**
 * `flowlog filter EXPR FILE…`: the records that pass a filter, in their original text with the
 * header lines kept (the output is itself a flow log), as JSON Lines (`flowlog parse`'s keys and
 * types) or as CSV, or only their count. Streams in constant memory. Exit status as grep's:
 * 0 something matched, 1 nothing did, 2 a bad filter or a file that could not be read.
 */
import type { FieldSpec } from '../catalog/fields';
import { isIntegerKind } from '../catalog/values';
import { RecordFilter, FilterError, Match } from '../service/filter';
import { isRecognised, type FlowLogFormat } from '../service/formatModel';
import { RecordJsonWriter } from '../service/recordJson';
import { scanRecord, TokenBuffer } from '../service/scan';
import { FlowLogStream, type StreamHandlers, type StreamResume } from '../service/stream';
import type { ParsedArgs } from './args';
import { displayName } from './input';
import { explicitFormat, feedInput, UsageError, warn, type Io } from './run';
import { PoolHolder, runSegmented, threadCount } from './segments';
import { ParallelFiles, writeEvent } from './parallelFiles';
import type { FileJobOptions } from './fileChannel';

type OutputKind = 'text' | 'jsonl' | 'csv';
export type FilterOutput = OutputKind | 'count';
const OUTPUTS: readonly OutputKind[] = ['text', 'jsonl', 'csv'];
/** Output is handed on in pieces of about this many bytes. */
const WRITE_AT = 64 * 1024;

/** Several files spread over workers from this much in all: filter is fast (116 MB in nine files: 0.62-0.71 s with workers, 0.54-0.59 s without). */
const FILTER_MIN_TOTAL_BYTES = 256 * 1024 * 1024;

/** A bad filter as two lines: the message with its column, and the filter with the span marked. */
export function filterErrorText(source: string, error: FilterError): string {
  const width = Math.max(1, error.end - error.start);
  return `bad filter at column ${error.start + 1}: ${error.message}\n  ${source}\n  ${' '.repeat(error.start)}${'^'.repeat(width)}\n`;
}

export async function filterCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [source, ...paths] = args.files;
  const output = (args.values.get('output') ?? 'text') as OutputKind;
  if (!OUTPUTS.includes(output)) throw new UsageError(`--output: expected ${OUTPUTS.join(', ')}, got '${output}'`);
  const countOnly = args.flags.has('count');
  const fields = explicitFormat(args);
  let filter: RecordFilter;
  try {
    filter = new RecordFilter(source);
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    io.stderr.write(`flowlog: ${filterErrorText(source, error)}`);
    return 2;
  }
  let failed = false;
  let matched = 0;
  const pools = new PoolHolder(io.workerEntry, threadCount(args));
  const kind: FilterOutput = countOnly ? 'count' : output;
  const manyFiles = paths.length > 1;
  const progressAllowed = !args.flags.has('no-progress');
  const parallel = ParallelFiles.for(
    io,
    paths,
    pools,
    progressAllowed,
    (path) => ({ command: 'filter', path, options: { fields, filter: { source, output: kind, manyFiles } } }),
    FILTER_MIN_TOTAL_BYTES,
  );
  try {
    for (const [index, path] of paths.entries()) {
      if (io.stdout.closed) break;
      const remote = await parallel?.take<FilterOutcome>(index, (event) => writeEvent(io, event));
      const outcome = remote ? (remote.outcome ?? { failed: !remote.stopped, matched: 0 }) : await filterFile(io, path, filter, kind, fields, manyFiles, pools, progressAllowed);
      if (outcome.failed) failed = true;
      matched += outcome.matched;
    }
  } finally {
    await pools.close();
  }
  io.stdout.flush();
  return failed ? 2 : matched > 0 ? 0 : 1;
}

/** `failed`: the file could not be read (completely), or filtered (its format lacks a field). */
type FilterOutcome = { failed: boolean; matched: number };

/** One file, with one thread or in segments (`pools`); on a worker thread (fileWorker.ts) without pools. */
async function filterFile(
  io: Io,
  path: string,
  filter: RecordFilter,
  kind: FilterOutput,
  fields: string | undefined,
  manyFiles: boolean,
  pools: PoolHolder | undefined,
  progressAllowed: boolean,
): Promise<FilterOutcome> {
  const name = displayName(path);
  const segmented = pools ? await filterSegmented(io, path, pools, filter, name, kind, fields, progressAllowed) : undefined;
  const run = segmented?.run ?? new FileFilter(filter, stdoutSink(io, name), name, kind, fields);
  const result = segmented?.result ?? (await feedInput(io, path, 'filter', (text) => run.push(text), progressAllowed));
  // Segments were ended by the workers: only the count of malformed lines is left to say.
  if (!result.failure && !result.stopped) {
    if (segmented) run.warnMalformed();
    else run.end();
  }
  if (kind === 'count' && !result.failure && !run.failed) io.stdout.write(manyFiles ? `${name}:${run.matched}\n` : `${run.matched}\n`);
  return { failed: result.failure !== undefined || run.failed, matched: run.matched };
}

let workerFilter: RecordFilter | undefined;

/** One whole file on a worker thread (fileWorker.ts), as filterFile reads it with one thread. */
export function filterFileOnWorker(io: Io, path: string, options: FileJobOptions, progressAllowed: boolean): Promise<FilterOutcome> {
  const spec = options.filter as NonNullable<FileJobOptions['filter']>;
  if (workerFilter?.source !== spec.source) workerFilter = new RecordFilter(spec.source);
  return filterFile(io, path, workerFilter, spec.output, options.fields, spec.manyFiles, undefined, progressAllowed);
}

/** Where a FileFilter writes: stdout and stderr, or a worker's buffers (segmentWorker.ts). */
export interface FilterSink {
  write(text: string): void;
  writeBytes(bytes: Uint8Array): void;
  /** A message about the input (`subject` defaults to its name) or about one of its lines (0-based, in the input or segment). */
  warn(message: string, line?: number): void;
  /** A segment's sink: called before the first record is written (see FilterSegmentState.insertAt). */
  beforeFirstRecord?(): void;
}

function stdoutSink(io: Io, name: string): FilterSink {
  return {
    write: (text) => io.stdout.write(text),
    writeBytes: (bytes) => io.stdout.writeBytes(bytes),
    warn: (message, line) => warn(io, line === undefined ? name : `${name}:${line + 1}`, message),
  };
}

const OVERLONG = 'line too long to be a flow log record; skipped';

/** A large file in segments on worker threads (segments.ts): the same output as one thread. */
async function filterSegmented(
  io: Io,
  path: string,
  pools: PoolHolder,
  filter: RecordFilter,
  name: string,
  output: FilterOutput,
  fields: string | undefined,
  progressAllowed: boolean,
): Promise<{ run: FileFilter; result: { failure?: string; stopped: boolean } } | undefined> {
  // Joins what the segments found into one FileFilter's counts, as one thread would have them.
  const sink = stdoutSink(io, name);
  const run = new FileFilter(filter, sink, name, output, fields);
  let primaryNames = '';
  let pending: string[] = [];
  let csvNames: string | undefined;
  let stopped = false;
  const result = await runSegmented(
    io,
    path,
    pools,
    {
      command: 'filter',
      explicitFormat: fields,
      filter: { source: filter.source, output },
      accepts: (format) => isRecognised({ primary: format, segments: [{ fromLine: 0, format }] }) && !filter.problemWith(format),
      format: (format) => (primaryNames = format.names.join(' ')),
      validating: () => false,
      // A segment guesses that a CSV header for the input's format was written before it.
      filterState: () => ({ csvNames: csvNames ?? primaryNames }),
      stateMismatch: (job, segment) => job.resume !== undefined && segment.filter?.csvUsed === true && job.filterState?.csvNames !== csvNames,
      result(segment, baseLine) {
        if (stopped) return;
        const found = segment.filter;
        if (!found) return;
        const chunks = segment.output;
        for (let i = 0; i <= chunks.length; i++) {
          if (i === found.insertAt) {
            for (const text of pending) io.stdout.write(`${text}\n`);
            pending = [];
          }
          if (i < chunks.length) io.stdout.writeBytes(chunks[i]);
        }
        pending.push(...found.pending);
        for (const message of found.warnings) sink.warn(message.text, message.line === undefined ? undefined : baseLine + message.line);
        if (found.csvUsed) csvNames = found.csvNames;
        run.absorb(found.matched, found.malformed, found.failed);
        if (found.failed) stopped = true;
      },
    },
    progressAllowed,
  );
  if (!result) return undefined;
  return { run, result: { failure: result.failure, stopped: result.stopped || stopped } };
}

/** What a FileFilter run on a segment leaves to the join (segments.ts). */
export interface FilterSegmentState {
  /** Output chunk before which the header lines held back by earlier segments go (their first record); -1: none. */
  insertAt: number;
  /** Header lines not written yet at the segment's end (text output). */
  pending: string[];
  /** Names of the last CSV header written in the segment (undefined: none written). */
  csvNames?: string;
}

/** One input through the filter. */
export class FileFilter {
  matched = 0;
  failed = false;
  private firstWritten = false;
  private readonly stream: FlowLogStream;
  private readonly json = new RecordJsonWriter();
  private readonly tokens = new TokenBuffer();
  /** Header lines not written yet, by line: they go out just before the next record after them. */
  private readonly declarations: { line: number; text: string }[] = [];
  private csvFormat: FlowLogFormat | undefined;
  /** Names of the last CSV header written (a segment may start after one written elsewhere). */
  private csvNames: string | undefined;
  private rejected = new WeakSet<FlowLogFormat>();
  /** The last format that fitted the filter: records come in runs of one format. */
  private goodFormat: FlowLogFormat | undefined;
  private malformed = 0;
  private stop = false;

  constructor(
    private readonly filter: RecordFilter,
    private readonly sink: FilterSink,
    readonly name: string,
    private readonly output: FilterOutput,
    fields: string | undefined,
    segment?: { resume: StreamResume; csvNames?: string },
  ) {
    if (segment?.csvNames !== undefined) this.csvNames = segment.csvNames;
    this.stream = new FlowLogStream(new FilterHandlers(this, sink), { explicitFormat: fields, validate: false, parse: true, resume: segment?.resume });
  }

  /** The stream, for a segment's end (segmentWorker.ts). */
  get segmentStream(): FlowLogStream {
    return this.stream;
  }

  /** Header lines held back, not written yet. */
  get pendingDeclarations(): string[] {
    return this.declarations.map((d) => d.text);
  }

  get lastCsvNames(): string | undefined {
    return this.csvNames;
  }

  /** Counts of a segment run elsewhere. */
  absorb(matched: number, malformed: number, failed: boolean): void {
    this.matched += matched;
    this.malformed += malformed;
    if (failed) this.fail();
  }

  get malformedLines(): number {
    return this.malformed;
  }

  /** Takes a chunk; false once the file cannot be filtered (its format lacks a field). */
  push(text: string): boolean {
    this.stream.push(text);
    this.flushJson();
    return !this.stop;
  }

  end(): void {
    this.stream.end();
    this.flushJson();
    this.warnMalformed();
  }

  warnMalformed(): void {
    if (this.malformed > 0) this.sink.warn(`${this.malformed} malformed line${this.malformed === 1 ? '' : 's'} skipped (run flowlog lint)`);
  }

  /** Writes JSON Lines gathered so far. */
  flushJson(): void {
    if (this.json.size > 0) this.sink.writeBytes(this.json.take());
  }

  /** A header line or directive (the stream's `declaration`): text output keeps it for the next record. */
  declared(text: string, line: number): void {
    if (this.output === 'text') this.declarations.push({ line, text });
  }

  /** The format of the input's start (the stream's `format`). */
  checkStart(format: FlowLogFormat): void {
    if (!isRecognised({ primary: format, segments: [{ fromLine: 0, format }] })) {
      this.sink.warn(`does not look like a flow log (${format.names.length} columns that match no known format); nothing filtered. Pass --fields or add a header line.`);
      this.fail();
      return;
    }
    this.checkFormat(format);
  }

  /** False (after one message) when the filter does not fit this format. */
  private checkFormat(format: FlowLogFormat): boolean {
    if (format === this.goodFormat) return true;
    if (this.rejected.has(format)) return false;
    const problem = this.filter.problemWith(format);
    if (!problem) {
      this.goodFormat = format;
      return true;
    }
    this.rejected.add(format);
    this.sink.warn(filterErrorText(this.filter.source, problem).trimEnd());
    this.fail();
    return false;
  }

  private fail(): void {
    this.failed = true;
    this.stop = true;
  }

  /** A record (the stream's `recordText`): false when it is malformed. */
  record(text: string, start: number, end: number, format: FlowLogFormat, line: number): boolean {
    if (this.stop || !this.checkFormat(format)) return true;
    const match = this.filter.matchLine(text, start, end, format);
    if (match === Match.Malformed) {
      this.malformed++;
      return false;
    }
    if (match === Match.No) return true;
    this.matched++;
    if (!this.firstWritten) {
      this.firstWritten = true;
      if (this.sink.beforeFirstRecord) {
        this.flushJson();
        this.sink.beforeFirstRecord();
      }
    }
    switch (this.output) {
      case 'count':
        break;
      case 'text':
        while (this.declarations.length > 0 && this.declarations[0].line < line) this.sink.write(`${(this.declarations.shift() as { text: string }).text}\n`);
        this.sink.write(`${text.slice(start, end)}\n`);
        break;
      case 'jsonl':
        this.json.appendLine(text, start, end, format);
        if (this.json.size >= WRITE_AT) this.flushJson();
        break;
      case 'csv':
        this.csv(text, start, end, format);
        break;
    }
    return true;
  }

  private csv(text: string, start: number, end: number, format: FlowLogFormat): void {
    if (this.csvFormat !== format) {
      const names = format.names.join(' ');
      if (this.csvNames !== names) this.sink.write(`${format.names.map(csvCell).join(',')}\n`);
      this.csvNames = names;
    }
    this.csvFormat = format;
    scanRecord(text, start, end, this.tokens);
    const cells: string[] = [];
    for (let i = 0; i < this.tokens.count; i++) cells.push(csvValue(format.fields[i], this.tokens.text(text, i)));
    this.sink.write(`${cells.join(',')}\n`);
  }
}

/**
 * A FileFilter's stream handlers: a class, so that a worker's record loop calls one target for
 * every segment's FileFilter (see RecordReader in recordLines.ts), where a closure per FileFilter
 * cost a deoptimization and a recompile of the loop at each new one.
 */
class FilterHandlers implements StreamHandlers {
  constructor(private readonly run: FileFilter, private readonly sink: FilterSink) {}

  format(format: FlowLogFormat): void {
    this.run.checkStart(format);
  }

  overlong(line: number): void {
    this.sink.warn(OVERLONG, line);
  }

  declaration(text: string, line: number): void {
    this.run.declared(text, line);
  }

  recordText(text: string, start: number, end: number, format: FlowLogFormat, line: number): boolean {
    return this.run.record(text, start, end, format, line);
  }
}

/** A cell as `flowlog parse` types it: `-` empty (null), integers as written, text quoted when needed. */
function csvValue(spec: FieldSpec | undefined, raw: string): string {
  if (raw === '-') return '';
  // As flowlog parse types them: an integer field's value that is not an integer is null.
  if (spec && isIntegerKind(spec)) return /^\d+$/.test(raw) ? raw.replace(/^0+(?=\d)/, '') : '';
  return csvCell(raw);
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
}

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
import { FlowLogStream } from '../service/stream';
import type { ParsedArgs } from './args';
import { displayName } from './input';
import { explicitFormat, feedInput, UsageError, warn, type Io } from './run';

type OutputKind = 'text' | 'jsonl' | 'csv';
const OUTPUTS: readonly OutputKind[] = ['text', 'jsonl', 'csv'];
/** Output is handed on in pieces of about this many bytes. */
const WRITE_AT = 64 * 1024;

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
  for (const path of paths) {
    if (io.stdout.closed) break;
    const run = new FileFilter(filter, io, displayName(path), countOnly ? 'count' : output, fields);
    const result = await feedInput(io, path, 'filter', (text) => run.push(text), !args.flags.has('no-progress'));
    if (result.failure) failed = true;
    if (!result.failure && !result.stopped) run.end();
    if (run.failed) failed = true;
    matched += run.matched;
    if (countOnly && !result.failure && !run.failed) io.stdout.write(paths.length > 1 ? `${run.name}:${run.matched}\n` : `${run.matched}\n`);
  }
  io.stdout.flush();
  return failed ? 2 : matched > 0 ? 0 : 1;
}

/** One input through the filter. */
class FileFilter {
  matched = 0;
  failed = false;
  private readonly stream: FlowLogStream;
  private readonly json = new RecordJsonWriter();
  private readonly tokens = new TokenBuffer();
  /** Header lines not written yet, by line: they go out just before the next record after them. */
  private readonly declarations: { line: number; text: string }[] = [];
  private csvFormat: FlowLogFormat | undefined;
  private rejected = new WeakSet<FlowLogFormat>();
  private malformed = 0;
  private stop = false;

  constructor(
    private readonly filter: RecordFilter,
    private readonly io: Io,
    readonly name: string,
    private readonly output: OutputKind | 'count',
    fields: string | undefined,
  ) {
    this.stream = new FlowLogStream(
      {
        format: (format) => this.checkStart(format),
        overlong: (line) => warn(io, `${name}:${line + 1}`, 'line too long to be a flow log record; skipped'),
        declaration: (text, line) => {
          if (this.output === 'text') this.declarations.push({ line, text });
        },
        recordText: (text, start, end, format, line) => this.record(text, start, end, format, line),
      },
      { explicitFormat: fields, validate: false, parse: true },
    );
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
    if (this.malformed > 0) warn(this.io, this.name, `${this.malformed} malformed line${this.malformed === 1 ? '' : 's'} skipped (run flowlog lint)`);
  }

  private checkStart(format: FlowLogFormat): void {
    if (!isRecognised({ primary: format, segments: [{ fromLine: 0, format }] })) {
      warn(this.io, this.name, `does not look like a flow log (${format.names.length} columns that match no known format); nothing filtered. Pass --fields or add a header line.`);
      this.fail();
      return;
    }
    this.checkFormat(format);
  }

  /** False (after one message) when the filter does not fit this format. */
  private checkFormat(format: FlowLogFormat): boolean {
    if (this.rejected.has(format)) return false;
    const problem = this.filter.problemWith(format);
    if (!problem) return true;
    this.rejected.add(format);
    warn(this.io, this.name, filterErrorText(this.filter.source, problem).trimEnd());
    this.fail();
    return false;
  }

  private fail(): void {
    this.failed = true;
    this.stop = true;
  }

  private record(text: string, start: number, end: number, format: FlowLogFormat, line: number): boolean {
    if (this.stop || !this.checkFormat(format)) return true;
    const match = this.filter.matchLine(text, start, end, format);
    if (match === Match.Malformed) {
      this.malformed++;
      return false;
    }
    if (match === Match.No) return true;
    this.matched++;
    switch (this.output) {
      case 'count':
        break;
      case 'text':
        while (this.declarations.length > 0 && this.declarations[0].line < line) this.io.stdout.write(`${(this.declarations.shift() as { text: string }).text}\n`);
        this.io.stdout.write(`${text.slice(start, end)}\n`);
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

  private flushJson(): void {
    if (this.json.size > 0) this.io.stdout.writeBytes(this.json.take());
  }

  private csv(text: string, start: number, end: number, format: FlowLogFormat): void {
    if (this.csvFormat !== format && (!this.csvFormat || this.csvFormat.names.join(' ') !== format.names.join(' '))) {
      this.io.stdout.write(`${format.names.map(csvCell).join(',')}\n`);
    }
    this.csvFormat = format;
    scanRecord(text, start, end, this.tokens);
    const cells: string[] = [];
    for (let i = 0; i < this.tokens.count; i++) cells.push(csvValue(format.fields[i], this.tokens.text(text, i)));
    this.io.stdout.write(`${cells.join(',')}\n`);
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

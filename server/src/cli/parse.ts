/**
 * `flowlog parse`: records as JSON Lines. Keys are the format's field names in order; values
 * come typed from the service (numbers, bigint past 2^53, null for `-`, strings). Lines whose
 * field count does not fit the format are skipped and counted; a value of an integer field that
 * is not an integer is written as null and its record counted; `flowlog lint` says why.
 */
import type { FlowLogFormat } from '../service/formatModel';
import type { ParsedLine } from '../service/parse';
import { RecordJsonWriter } from '../service/recordJson';
import { FlowLogStream, isRecognised, type StreamOptions } from '../service/languageService';
import type { StreamStats } from '../service/stream';
import type { ParsedArgs } from './args';
import { explicitFormat, feedInput, noteExplicitUnused, warn, type FeedResult, type Io } from './run';
import { PoolHolder, runSegmented, threadCount } from './segments';
import { displayName } from './input';

export async function parseCommand(args: ParsedArgs, io: Io): Promise<number> {
  const fields = explicitFormat(args);
  const pools = new PoolHolder(io.workerEntry, threadCount(args));
  const progressAllowed = !args.flags.has('no-progress');
  let failed = false;
  let unrecognised = false;
  try {
    for (const path of args.files) {
      if (io.stdout.closed) break;
      const outcome = await parseFile(io, path, fields, pools, progressAllowed);
      if (outcome.failed) failed = true;
      if (outcome.unrecognised) unrecognised = true;
    }
  } finally {
    await pools.close();
  }
  io.stdout.flush();
  return failed ? 2 : unrecognised ? 1 : 0;
}

interface ParseOutcome {
  /** The file could not be read (completely). */
  failed: boolean;
  /** It does not look like a flow log: nothing was parsed. */
  unrecognised: boolean;
}

/** One file, as parse reads it with one thread or in segments. */
async function parseFile(io: Io, path: string, fields: string | undefined, pools: PoolHolder, progressAllowed: boolean): Promise<ParseOutcome> {
  const name = displayName(path);
  let skip = false;
  const onFormat = (format: FlowLogFormat): void => {
    noteExplicitUnused(io, name, fields, format);
    skip = !isRecognised({ primary: format, segments: [{ fromLine: 0, format }] });
    if (skip) warn(io, name, `does not look like a flow log (${format.names.length} columns that match no known format); nothing parsed. Pass --fields or add a header line.`);
    else if (format.ambiguousColumns.length > 0) warn(io, name, guessNote(format));
  };
  const onOverlong = (line: number): void => warn(io, `${name}:${line + 1}`, 'line too long to be a flow log record; skipped');
  const parsed = (await parseSegmented(io, path, pools, fields, onFormat, onOverlong, progressAllowed)) ?? (await parseOneThread(io, path, fields, onFormat, onOverlong, () => skip, progressAllowed));
  const { result } = parsed;
  if (result.failure) return { failed: true, unrecognised: false };
  if (result.stopped) return { failed: false, unrecognised: false };
  if (skip) return { failed: false, unrecognised: true };
  const { malformed, unreadable, jsonRecords, badIntegerRecords: bad } = parsed;
  // On JSON lines a record is one message of a line, not the line.
  const what = jsonRecords > 0 ? 'record' : 'line';
  if (malformed > 0) warn(io, name, `${malformed} malformed ${what}${malformed === 1 ? '' : 's'} skipped (run flowlog lint)`);
  if (unreadable > 0) warn(io, name, `${unreadable} unreadable part${unreadable === 1 ? '' : 's'} of JSON lines skipped; records in ${unreadable === 1 ? 'it' : 'them'} are missing (run flowlog lint)`);
  if (bad > 0) warn(io, name, `${bad} record${bad === 1 ? '' : 's'} with a value that is not an integer in an integer field, written as null (run flowlog lint)`);
  return { failed: false, unrecognised: false };
}

interface ParsedFile {
  result: FeedResult;
  malformed: number;
  unreadable: number;
  jsonRecords: number;
  badIntegerRecords: number;
}

async function parseOneThread(
  io: Io,
  path: string,
  fields: string | undefined,
  onFormat: (format: FlowLogFormat) => void,
  onOverlong: (line: number) => void,
  skip: () => boolean,
  progressAllowed: boolean,
): Promise<ParsedFile> {
  const records = new JsonLinesStream(
    {
      format: onFormat,
      write(bytes) {
        if (!skip()) io.stdout.writeBytes(bytes);
      },
      overlong: onOverlong,
    },
    { explicitFormat: fields },
  );
  const result = await feedInput(io, path, 'parse', (text) => (records.push(text), true), progressAllowed);
  if (!result.failure && !result.stopped) records.end();
  const { malformed, unreadable, jsonRecords } = records.stats;
  return { result, malformed, unreadable, jsonRecords, badIntegerRecords: records.badIntegerRecords };
}

/** A large file in segments on worker threads, written in order: the same bytes as one thread (segments.ts). */
async function parseSegmented(
  io: Io,
  path: string,
  pools: PoolHolder,
  fields: string | undefined,
  onFormat: (format: FlowLogFormat) => void,
  onOverlong: (line: number) => void,
  progressAllowed: boolean,
): Promise<ParsedFile | undefined> {
  const counts = { malformed: 0, unreadable: 0, jsonRecords: 0, badIntegerRecords: 0 };
  const result = await runSegmented(
    io,
    path,
    pools,
    {
      command: 'parse',
      explicitFormat: fields,
      // An unrecognised format writes nothing: one thread says so.
      accepts: (format) => isRecognised({ primary: format, segments: [{ fromLine: 0, format }] }),
      format: onFormat,
      validating: () => false,
      result(segment, baseLine) {
        for (const line of segment.overlong) onOverlong(baseLine + line);
        for (const bytes of segment.output) io.stdout.writeBytes(bytes);
        counts.malformed += segment.malformed;
        counts.unreadable += segment.unreadable;
        counts.jsonRecords += segment.jsonRecords;
        counts.badIntegerRecords += segment.badIntegerRecords;
      },
    },
    progressAllowed,
  );
  return result ? { result, ...counts } : undefined;
}

function guessNote(format: FlowLogFormat): string {
  const columns = format.ambiguousColumns.map((c) => `${c + 1} (${format.names[c]}?)`).join(', ');
  return `format inferred from the values; columns ${columns} are guesses. Pass --fields to be sure.`;
}

const shared = new RecordJsonWriter();

/** One well-formed record as a JSON object, the text `flowlog parse` writes for it. */
export function recordJson(record: ParsedLine): string {
  return shared.parsed(record);
}

export interface JsonLinesHandlers {
  /** The format of the start of the input, once known. */
  format(format: FlowLogFormat): void;
  /** JSON Lines in UTF-8: whole records, each with its line break. */
  write(bytes: Uint8Array): void;
  /** A line too long to be a record, 0-based; it is skipped. */
  overlong(line: number): void;
}

/** Output is handed on in pieces of about this many bytes. */
const WRITE_AT = 64 * 1024;

/**
 * The records of a text arriving in chunks, as JSON Lines. The stream (in parse mode, neither
 * validating nor building a ParsedLine per line) decides what is shared with `flowlog lint`: the
 * format, overlong lines and where each batch of lines ends; RecordJsonWriter writes each record
 * straight from the text.
 */
export class JsonLinesStream {
  private readonly stream: FlowLogStream;
  private readonly writer = new RecordJsonWriter();

  /** Options as for FlowLogStream: `explicitFormat` (`--fields`) and `maxLineLength`. */
  constructor(private readonly handlers: JsonLinesHandlers, options: Pick<StreamOptions, 'explicitFormat' | 'maxLineLength'> = {}) {
    this.stream = new FlowLogStream(
      {
        format: (format) => handlers.format(format),
        overlong: (line) => handlers.overlong(line),
        recordText: (text, start, end, format, _line, stampStart, stampEnd) => {
          const wellFormed = this.writer.appendLine(text, start, end, format, stampStart, stampEnd);
          if (this.writer.size >= WRITE_AT) this.flush();
          return wellFormed;
        },
      },
      { ...options, validate: false, parse: true },
    );
  }

  /** Record lines whose field count differs from their format's. */
  get malformed(): number {
    return this.stream.stats.malformed;
  }

  /** Records written with null for a value of an integer field that is not an integer. */
  get badIntegerRecords(): number {
    return this.writer.badIntegerRecords;
  }

  /** Counts of the stream: records, malformed ones, records from JSON lines, unreadable parts of JSON lines. */
  get stats(): Readonly<StreamStats> {
    return this.stream.stats;
  }

  push(chunk: string): void {
    this.stream.push(chunk);
    this.flush();
  }

  /** Writes the records left. */
  end(): void {
    this.stream.end();
    this.flush();
  }

  private flush(): void {
    if (this.writer.size > 0) this.handlers.write(this.writer.take());
  }
}

/**
 * `flowlog parse`: records as JSON Lines. Keys are the format's field names in order; values
 * come typed from the service (numbers, bigint past 2^53, null for `-`, strings). Lines whose
 * field count does not fit the format are skipped and counted, and `flowlog lint` says why.
 */
import type { FlowLogFormat } from '../service/formatModel';
import { readDeclaration } from '../service/format';
import { formatFromList } from '../service/formatModel';
import type { ParsedLine } from '../service/parse';
import { RecordJsonWriter } from '../service/recordJson';
import { skipBlanks, TokenBuffer } from '../service/scan';
import { FlowLogStream, type StreamOptions } from '../service/stream';
import { isRecognised } from '../service/validate';
import type { ParsedArgs } from './args';
import { explicitFormat, feedInput, warn, type Io } from './run';

export async function parseCommand(args: ParsedArgs, io: Io): Promise<number> {
  const fields = explicitFormat(args);
  let failed = false;
  let unrecognised = false;
  for (const path of args.files) {
    if (io.stdout.closed) break;
    const name = path === '-' ? '<stdin>' : path;
    let skip = false;
    const records = new JsonLinesStream(
      {
        format(format) {
          skip = !isRecognised({ primary: format, segments: [{ fromLine: 0, format }] });
          if (skip) warn(io, name, `does not look like a flow log (${format.names.length} columns that match no known format); nothing parsed. Pass --fields or add a header line.`);
          else if (format.ambiguousColumns.length > 0) warn(io, name, guessNote(format));
        },
        write(bytes) {
          if (!skip) io.stdout.writeBytes(bytes);
        },
        overlong(line) {
          warn(io, `${name}:${line + 1}`, 'line too long to be a flow log record; skipped');
        },
      },
      { explicitFormat: fields },
    );
    const result = await feedInput(io, path, 'parse', (text) => (records.push(text), true), !args.flags.has('no-progress'));
    if (result.failure) failed = true;
    if (result.failure || result.stopped) continue;
    records.end();
    if (skip) unrecognised = true;
    else if (records.malformed > 0) warn(io, name, `${records.malformed} malformed line${records.malformed === 1 ? '' : 's'} skipped (run flowlog lint)`);
  }
  io.stdout.flush();
  return failed ? 2 : unrecognised ? 1 : 0;
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
const CR = 13;

/**
 * The records of a text arriving in chunks, as JSON Lines. A FlowLogStream (neither validating
 * nor parsing) reads the same chunks and decides what is shared with `flowlog lint`: the format,
 * overlong lines, and how far the lines are done (`stats.lines`), so records come out at the
 * same points as they would from its parse mode. The lines themselves are kept here and written
 * straight from the text by RecordJsonWriter, without a ParsedLine per line.
 */
export class JsonLinesStream {
  /** Record lines whose field count differs from their format's. */
  malformed = 0;
  private readonly stream: FlowLogStream;
  private readonly writer = new RecordJsonWriter();
  private readonly tokens = new TokenBuffer();
  private primary: FlowLogFormat | undefined;
  /** Format of the lines that follow: the primary, or the latest header or directive's. */
  private current: FlowLogFormat | undefined;
  /** Nothing but blanks and comments so far: a declaration now is the one the primary format came from. */
  private opening = true;
  /** Complete lines (with their breaks) the stream has not finished yet. */
  private ready = '';
  /** Lines written or skipped so far. */
  private done = 0;
  /** Text after the last line break. */
  private pending = '';
  /** Dropping the rest of an overlong line. */
  private skipping = false;
  private overlongFlagged = false;

  /** Options as for FlowLogStream: `explicitFormat` (`--fields`) and `maxLineLength`. */
  constructor(private readonly handlers: JsonLinesHandlers, options: Pick<StreamOptions, 'explicitFormat' | 'maxLineLength'> = {}) {
    this.stream = new FlowLogStream(
      {
        format: (format) => {
          this.primary = format;
          this.current = format;
          handlers.format(format);
        },
        overlong: (line) => {
          this.overlongFlagged = true;
          handlers.overlong(line);
        },
      },
      { ...options, validate: false, parse: false },
    );
  }

  push(chunk: string): void {
    if (chunk.length === 0) return;
    this.overlongFlagged = false;
    this.stream.push(chunk);
    this.take(chunk);
    if (this.overlongFlagged) {
      // The stream dropped the line being read; drop it here too, keeping a CR that may pair with an LF.
      this.pending = this.pending.charCodeAt(this.pending.length - 1) === CR ? '\r' : '';
      this.skipping = true;
    }
    const finished = this.stream.stats.lines - this.done;
    if (finished > 0) {
      const used = this.writeLines(this.ready, finished);
      this.ready = this.ready.slice(used);
    }
    this.flush();
  }

  /** Writes the records left. */
  end(): void {
    this.stream.end();
    const rest = this.ready + (this.skipping ? '' : this.pending);
    this.ready = '';
    this.pending = '';
    this.writeLines(rest, Infinity);
    this.flush();
  }

  /** Splits a chunk into complete lines and the text after them, as the stream does. */
  private take(chunk: string): void {
    // A trailing CR may be the first half of CRLF: keep it until the next chunk.
    const searchEnd = chunk.charCodeAt(chunk.length - 1) === CR ? chunk.length - 2 : chunk.length - 1;
    const lastBreak = searchEnd < 0 ? -1 : lastBreakAt(chunk, searchEnd);
    if (this.skipping) {
      if (this.pending === '\r') {
        // The overlong line ended with the CR kept back.
        this.skipping = false;
      } else if (lastBreak < 0) {
        this.pending = chunk.charCodeAt(chunk.length - 1) === CR ? '\r' : '';
        return;
      } else {
        // The overlong line stands as an empty line: its break stays.
        this.skipping = false;
        this.pending = '';
        this.take(chunk.slice(firstBreakAt(chunk)));
        return;
      }
    }
    if (lastBreak >= 0) {
      this.ready += this.pending + chunk.slice(0, lastBreak + 1);
      this.pending = chunk.slice(lastBreak + 1);
    } else if (this.pending.charCodeAt(this.pending.length - 1) === CR) {
      this.ready += this.pending;
      this.pending = chunk;
    } else {
      this.pending += chunk;
    }
  }

  /** Writes the records of the first `count` lines of `text` (all of them for Infinity); returns where they end. */
  private writeLines(text: string, count: number): number {
    const crlf = text.indexOf('\r') >= 0;
    let start = 0;
    for (let n = 0; n < count && start < text.length; n++) {
      let end = crlf ? breakAt(text, start) : text.indexOf('\n', start);
      if (end < 0) end = text.length;
      this.line(text, start, end);
      start = end + (text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    }
    return Math.min(start, text.length);
  }

  private line(text: string, start: number, end: number): void {
    const line = this.done++;
    const c = text.charCodeAt(start);
    // Records start with a digit or '-' in nearly every format: only other lines may be declarations.
    const declaration = (c >= 48 && c <= 57) || c === 45 ? undefined : readDeclaration(text, start, end, this.tokens);
    const primary = this.primary as FlowLogFormat;
    if (declaration) {
      this.current = this.opening ? primary : formatFromList(declaration.list, declaration.source, line);
      this.opening = false;
      return;
    }
    const first = skipBlanks(text, start, end);
    if (first >= end || text.charCodeAt(first) === 35) return;
    this.opening = false;
    if (!this.writer.appendLine(text, start, end, this.current as FlowLogFormat)) this.malformed++;
    else if (this.writer.size >= WRITE_AT) this.flush();
  }

  private flush(): void {
    if (this.writer.size > 0) this.handlers.write(this.writer.take());
  }
}

/** First LF or CR at or after `from`, or -1. */
function breakAt(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === CR) return i;
  }
  return -1;
}

function firstBreakAt(chunk: string): number {
  const lf = chunk.indexOf('\n');
  const cr = chunk.indexOf('\r');
  if (lf < 0) return cr;
  if (cr < 0) return lf;
  return Math.min(lf, cr);
}

/** Last LF or CR at or before `end`; only the text after the last LF is searched for a CR. */
function lastBreakAt(chunk: string, end: number): number {
  const lf = chunk.lastIndexOf('\n', end);
  let last = lf;
  for (let cr = chunk.indexOf('\r', lf + 1); cr >= 0 && cr <= end; cr = chunk.indexOf('\r', cr + 1)) last = cr;
  return last;
}

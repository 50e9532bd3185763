/**
 * The worker-thread side of a segmented run (segments.ts): one segment of an input at a time,
 * through the same FlowLogStream as a one-thread run, fed the same pieces of text (cut where a
 * one-thread run's reads end), so that joined in order the results are the one-thread result.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { readDeclaration } from '../service/format';
import { formatFromList, type FlowLogFormat } from '../service/formatModel';
import type { Problem } from '../service/problems';
import { RecordJsonWriter } from '../service/recordJson';
import type { SeverityTable } from '../service/rules';
import { TokenBuffer } from '../service/scan';
import { FlowLogStream, type SegmentEnd, type StreamOptions, type StreamResume } from '../service/stream';
import { RecordFilter } from '../service/filter';
import { FileFilter, type FilterOutput, type FilterSink } from './filter';
import { CHUNK_BYTES, Utf8Pieces } from './input';
import { SummaryAggregator, type SummaryState } from '../service/summary/aggregator';
import type { SummaryOptions } from '../service/summary/model';
import { BuilderFeed } from '../service/conversations/validationFeed';
import { CellWriter, type SegmentCells, type SpentCells } from './cellBuffer';
import type { FileAck, FileJob } from './fileChannel';
import { isFileMessage, receiveFileMessage } from './fileWorker';

export type SegmentCommand = 'lint' | 'parse' | 'filter' | 'stats';

/** Where a segment's bytes come from: a byte range of a plain file, or bytes decompressed by the main thread. */
export type SegmentSource = { kind: 'file'; path: string; start: number; end: number } | { kind: 'bytes'; bytes: Uint8Array; pieceEnds: number[] };

/** The input's first bytes, from which every worker detects the same format the main thread did. */
export type HeadSource = { kind: 'file'; path: string; length: number } | { kind: 'bytes'; pieces: Uint8Array[] };

export interface SegmentJob {
  id: number;
  command: SegmentCommand;
  explicitFormat: string | undefined;
  severities: SeverityTable | undefined;
  /** Identifies the input's head; `head` is sent with a worker's first job of an input. */
  headKey: number;
  head?: HeadSource;
  source: SegmentSource;
  /** Undefined for the input's first segment: it starts as a one-thread run does. */
  resume?: { current?: { text: string; line: number }; opening: boolean; previousRecordCount: number; skipLines: number };
  lookahead: string;
  /** `end`: the input's last segment, ended as a whole input is; `cutoff`: the input failed after it (not ended). */
  ending: 'segment' | 'end' | 'cutoff';
  /** Run the validation rules (lint; false once a --max-problems limit stopped them). */
  validate: boolean;
  /** filter: the filter and its output. */
  filter?: { source: string; output: FilterOutput };
  /** filter: the names of the last CSV header written before the segment (a guess until checked). */
  filterState?: { csvNames?: string };
  /** stats: the summary's options (no verdicts: pairing spans the whole input). */
  summary?: SummaryOptions;
  /** lint: read the cells pairing needs of each record validated (the main thread pairs them). */
  pairCells?: boolean;
  /** With pairCells: buffers of an earlier segment's cells that the main thread has read, to write this one's into. */
  spentCells?: SpentCells;
  /** Buffers of earlier segments' output that the main thread has written, to copy output into. */
  spentOutput?: ArrayBuffer[];
}

/** What a filter found in a segment (see FilterSegmentState). */
export interface FilterFound {
  matched: number;
  malformed: number;
  /** The filter does not fit a format the segment changes to: the input stops there. */
  failed: boolean;
  insertAt: number;
  pending: string[];
  /** Whether the segment wrote CSV rows (its output then rests on `filterState`), and the last header's names. */
  csvUsed: boolean;
  csvNames?: string;
  /** Messages in order; `line` in the segment for a line's. */
  warnings: { text: string; line?: number }[];
}

export interface SegmentResult {
  id: number;
  lines: number;
  problems: Problem[];
  output: Uint8Array[];
  records: number;
  malformed: number;
  jsonRecords: number;
  unreadable: number;
  badIntegerRecords: number;
  /** Lines (in the segment) too long to be read. */
  overlong: number[];
  end: SegmentEnd;
  filter?: FilterFound;
  /** stats: what the segment's records add to the summary (merged in input order). */
  summary?: SummaryState;
  /** lint with pairCells: the records validated, for pairing. */
  cells?: SegmentCells;
  /** The segment's bytes, handed back (a `bytes` source was transferred to the worker). */
  bytes?: Uint8Array;
  /** An unexpected failure of the worker: the run reports it as an internal error. */
  error?: string;
}

const heads = new Map<number, FlowLogFormat>();

/** Starts answering jobs on the parent port. */
export function runSegmentWorker(): void {
  const port = parentPort;
  if (!port) return;
  const fault = process.env.FLOWLOG_TEST_WORKER_FAULT?.match(/^(exit|throw)@(\d+)$/);
  port.on('message', (job: SegmentJob | FileJob | FileAck) => {
    if (isFileMessage(job)) {
      receiveFileMessage(port, job);
      return;
    }
    // For tests: the worker dies on segment N (1-based) without answering, as a crash would.
    if (fault && Number(fault[2]) === job.id + 1) {
      if (fault[1] === 'exit') process.exit(7);
      setImmediate(() => {
        throw new Error(`test fault on segment ${job.id + 1}`);
      });
      return;
    }
    if (job.spentOutput) output.keepSpare(job.spentOutput);
    let result: SegmentResult;
    try {
      result = runJob(job);
    } catch (error) {
      result = { ...emptyResult(job.id), error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    if (job.source.kind === 'bytes') result.bytes = job.source.bytes;
    const transfer = result.output.map((bytes) => bytes.buffer as ArrayBuffer);
    if (result.summary) for (const table of result.summary.tables) transfer.push(table.keys.buffer as ArrayBuffer, table.keyEnds.buffer as ArrayBuffer, table.measures.buffer as ArrayBuffer);
    if (result.bytes) transfer.push(result.bytes.buffer as ArrayBuffer);
    if (result.cells) transfer.push(result.cells.ints.buffer as ArrayBuffer, result.cells.nums.buffer as ArrayBuffer);
    port.postMessage(result, [...new Set(transfer)]);
  });
}

function emptyResult(id: number): SegmentResult {
  return { id, lines: 0, problems: [], output: [], records: 0, malformed: 0, jsonRecords: 0, unreadable: 0, badIntegerRecords: 0, overlong: [], end: { currentKey: '', opening: false, consumedAfter: 0 } };
}

function runJob(job: SegmentJob): SegmentResult {
  if (job.command === 'filter') return runFilterJob(job);
  const result = emptyResult(job.id);
  const writer = new RecordJsonWriter();
  output.size = 0;
  const flush = (): void => {
    if (writer.size > 0) output.append(writer.takeView());
  };
  const aggregator = job.command === 'stats' ? summaryAggregator(job.summary) : undefined;
  const options: StreamOptions =
    job.command === 'lint' ? { explicitFormat: job.explicitFormat, severities: job.severities, host: 'cli', validate: job.validate } : { explicitFormat: job.explicitFormat, validate: false, parse: true };
  if (job.resume) options.resume = resumeOf(job);
  const pairing = job.command === 'lint' && job.pairCells === true && job.validate;
  if (pairing) cellWriter.begin(job.spentCells);
  const stream = new FlowLogStream(
    {
      feed: pairing ? cellFeed : undefined,
      problem(problem) {
        result.problems.push(problem);
      },
      overlong(line) {
        result.overlong.push(line);
      },
      recordText:
        job.command === 'parse'
          ? (text, start, end, format, _line, stampStart, stampEnd) => {
              const wellFormed = writer.appendLine(text, start, end, format, stampStart, stampEnd);
              if (writer.size >= 64 * 1024) flush();
              return wellFormed;
            }
          : aggregator
            ? (text, start, end, format, line) => aggregator.addRecord(text, start, end, format, line)
            : undefined,
    },
    options,
  );
  for (const text of decodedPieces(job.source, job.resume === undefined)) stream.push(text);
  const stats = job.ending === 'end' ? stream.end() : job.ending === 'segment' ? stream.endSegment(job.lookahead) : stream.stats;
  flush();
  if (output.size > 0) result.output.push(output.copy());
  result.lines = stats.lines;
  result.records = stats.records;
  result.malformed = stats.malformed;
  result.jsonRecords = stats.jsonRecords;
  result.unreadable = stats.unreadable;
  result.badIntegerRecords = writer.badIntegerRecords;
  result.end = stream.segmentEnd();
  if (aggregator) result.summary = aggregator.state();
  if (pairing) result.cells = cellWriter.take();
  return result;
}

const cellWriter = new CellWriter();
const cellFeed = new BuilderFeed(cellWriter);

let summary: { key: string; aggregator: SummaryAggregator } | undefined;

/** The worker's aggregator for these options, emptied: reused from segment to segment, it keeps its tables' memory. */
function summaryAggregator(options: SummaryOptions | undefined): SummaryAggregator {
  const key = JSON.stringify(options ?? {});
  if (summary?.key === key) summary.aggregator.reset();
  else summary = { key, aggregator: new SummaryAggregator(options) };
  return summary.aggregator;
}

/**
 * A segment's JSON, gathered in one buffer kept for the worker's life and handed on as one copy
 * of the exact size: a buffer that crosses to the main thread stays in memory until that
 * thread's collector runs, so the fewer and smaller the better, and none is left behind here.
 */
class GrowingBytes {
  private bytes = Buffer.alloc(0);
  size = 0;

  append(piece: Uint8Array): void {
    this.reserve(piece.length);
    this.bytes.set(piece, this.size);
    this.size += piece.length;
  }

  /**
   * Text as UTF-8, encoded now: a matched line kept as a string would be a slice that holds its
   * whole batch of input text alive until the segment ends (filter's GC cost doubled so).
   */
  appendText(text: string): void {
    this.reserve(3 * text.length);
    this.size += this.bytes.write(text, this.size);
  }

  private reserve(length: number): void {
    if (this.size + length <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.size + length, 1024 * 1024));
    grown.set(this.bytes.subarray(0, this.size));
    this.bytes = grown;
  }

  /**
   * The bytes in a buffer of their own (not Node's shared pool, which cannot be transferred): one
   * the main thread gave back when it can hold them, else a new one with a quarter to spare, so
   * that it can hold a later segment's output when it comes back.
   */
  copy(): Uint8Array {
    const at = this.spare.findIndex((buffer) => buffer.byteLength >= this.size);
    const buffer = at >= 0 ? this.spare.splice(at, 1)[0] : new ArrayBuffer(Math.ceil(this.size * 1.25));
    const copy = new Uint8Array(buffer, 0, this.size);
    copy.set(this.bytes.subarray(0, this.size));
    return copy;
  }

  /** Buffers the main thread has written out (fresh memory costs a page fault every 4 KB: reused, it does not). */
  keepSpare(buffers: ArrayBuffer[]): void {
    for (const buffer of buffers) if (this.spare.length < MAX_SPARE_OUTPUT) this.spare.push(buffer);
  }

  private readonly spare: ArrayBuffer[] = [];
}

/** Output buffers a worker keeps for later segments. */
const MAX_SPARE_OUTPUT = 2;

const output = new GrowingBytes();

let compiled: RecordFilter | undefined;

/** `flowlog filter` over a segment: its output in chunks, with where held-back header lines go. */
function runFilterJob(job: SegmentJob): SegmentResult {
  const result = emptyResult(job.id);
  const spec = job.filter as NonNullable<SegmentJob['filter']>;
  if (compiled?.source !== spec.source) compiled = new RecordFilter(spec.source);
  output.size = 0;
  const sink = new SegmentSink(result.output);
  const segment = job.resume ? { resume: resumeOf(job), csvNames: job.filterState?.csvNames } : undefined;
  const run = new FileFilter(compiled, sink, '', spec.output, job.explicitFormat, segment);
  let stopped = false;
  for (const piece of decodedPieces(job.source, job.resume === undefined)) {
    if (!run.push(piece)) {
      stopped = true;
      break;
    }
  }
  const stream = run.segmentStream;
  if (!stopped) {
    if (job.ending === 'end') stream.end();
    else if (job.ending === 'segment') stream.endSegment(job.lookahead);
  }
  run.flushJson();
  sink.takeText();
  result.lines = stream.stats.lines;
  result.end = stream.segmentEnd();
  const csvNames = run.lastCsvNames;
  result.filter = {
    matched: run.matched,
    malformed: run.malformedLines,
    failed: run.failed,
    insertAt: sink.insertAt,
    pending: run.pendingDeclarations,
    csvUsed: spec.output === 'csv' && run.matched > 0,
    csvNames,
    warnings: sink.warnings,
  };
  return result;
}

/**
 * Where a segment's FileFilter writes: text encoded into the shared buffer, cut into an output
 * chunk before bytes handed over whole and before the first record. A class, so that the
 * record loop a worker optimized calls the same methods for every segment's sink.
 */
class SegmentSink implements FilterSink {
  readonly warnings: FilterFound['warnings'] = [];
  /** Output chunk before which header lines held back by earlier segments go (-1: no record). */
  insertAt = -1;

  constructor(private readonly chunks: Uint8Array[]) {}

  write(text: string): void {
    output.appendText(text);
  }

  writeBytes(bytes: Uint8Array): void {
    this.takeText();
    this.chunks.push(bytes);
  }

  warn(message: string, line?: number): void {
    this.warnings.push({ text: message, line });
  }

  beforeFirstRecord(): void {
    this.takeText();
    this.insertAt = this.chunks.length;
  }

  takeText(): void {
    if (output.size === 0) return;
    this.chunks.push(output.copy());
    output.size = 0;
  }
}

function resumeOf(job: SegmentJob): StreamResume {
  const resume = job.resume as NonNullable<SegmentJob['resume']>;
  return { primary: primaryOf(job), current: resume.current ? declaredFormat(resume.current) : undefined, opening: resume.opening, previousRecordCount: resume.previousRecordCount, skipLines: resume.skipLines };
}

/** The format of the input's start, detected once per input as the main thread detected it. */
function primaryOf(job: SegmentJob): FlowLogFormat {
  const known = heads.get(job.headKey);
  if (known) return known;
  if (!job.head) throw new Error('segment job without the input head');
  let primary: FlowLogFormat | undefined;
  const stream = new FlowLogStream({ format: (format) => (primary = format) }, { explicitFormat: job.explicitFormat, validate: false });
  const pieces = job.head.kind === 'bytes' ? decodeAll(job.head.pieces, true) : decodedPieces({ kind: 'file', path: job.head.path, start: 0, end: job.head.length }, true);
  for (const text of pieces) {
    stream.push(text);
    if (primary) break;
  }
  if (!primary) stream.end();
  if (!primary) throw new Error('the input head did not decide a format');
  heads.clear();
  heads.set(job.headKey, primary);
  return primary;
}

const declarationTokens = new TokenBuffer();

/** The format a header line or directive before the segment set, as the stream built it there. */
function declaredFormat(declaration: { text: string; line: number }): FlowLogFormat {
  const read = readDeclaration(declaration.text, 0, declaration.text.length, declarationTokens);
  if (!read) throw new Error('not a declaration');
  return formatFromList(read.list, read.source, declaration.line);
}

/**
 * A segment's text in the pieces a one-thread run reads: a file in CHUNK_BYTES reads from its
 * start (so a piece ends where a one-thread read ends), decompressed bytes as the main thread got
 * them. `inputStart`: the segment opens the input, so a byte order mark is dropped as
 * StreamInput drops it.
 */
function* decodedPieces(source: SegmentSource, inputStart: boolean): Generator<string> {
  if (source.kind === 'bytes') {
    const pieces: Uint8Array[] = [];
    let from = 0;
    for (const end of source.pieceEnds) {
      pieces.push(source.bytes.subarray(from, end));
      from = end;
    }
    yield* decodeAll(pieces, inputStart);
    return;
  }
  const fd = openSync(source.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const pieces = function* (): Generator<Uint8Array> {
      for (let at = source.start; at < source.end; ) {
        const want = Math.min(CHUNK_BYTES - (at % CHUNK_BYTES), source.end - at);
        const read = readSync(fd, buffer, 0, want, at);
        if (read <= 0) throw new Error(`${source.path}: the file changed while it was read`);
        at += read;
        yield buffer.subarray(0, read);
      }
    };
    yield* decodeAll(pieces(), inputStart);
  } finally {
    closeSync(fd);
  }
}

function* decodeAll(pieces: Iterable<Uint8Array>, inputStart: boolean): Generator<string> {
  const decoder = new Utf8Pieces(inputStart);
  for (const piece of pieces) {
    const text = decoder.write(Buffer.from(piece.buffer, piece.byteOffset, piece.length));
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

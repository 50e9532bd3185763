/**
 * Both cores for one large input: the input is cut into segments (segmentCuts.ts), worker
 * threads check or parse them (segmentWorker.ts) and the results are joined in input order
 * (segmentJoin.ts). This file decides whether an input is run so and plans its segments.
 *
 * Each segment after the first starts on a guess of what the lines before it leave behind: the
 * input's own format in force, no wrapped record reaching into it. The guess is checked against
 * the previous segment's actual end once that is known; when it was wrong (a header line of
 * another format, a record wrapped over the cut) the segment is run again from the true state.
 * Output is thus byte for byte what one thread writes, which test/cli/parallel.test.ts checks.
 *
 * A plain file is read by the workers themselves (each reads its byte range); a gzip file is
 * decompressed by the main thread, which hands the decompressed bytes on. Memory is bounded by
 * the segments in flight: about two per worker (one for parse, whose output waits), plus the one
 * being cut.
 */
import { availableParallelism } from 'node:os';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FlowLogFormat } from '../service/formatModel';
import { FlowLogStream } from '../service/stream';
import { describeError, displayName, openInput, CHUNK_BYTES, Utf8Pieces } from './input';
import type { ParsedArgs } from './args';
import { ProgressBar, wantsProgress } from './progress';
import { UsageError, type Io } from './run';
import { findCut, MAX_LOOKAHEAD_BYTES } from './segmentCuts';
import { joinSegments, type Planned, type SegmentedFeed, type SegmentedRun } from './segmentJoin';
import type { PoolHolder, WorkerPool } from './segmentPool';
import type { HeadSource, SegmentSource } from './segmentWorker';
import { terminalSafe } from './terminal';

/** Inputs smaller than this (on disk) are read by one thread: starting workers would cost more than they save. */
const PARALLEL_MIN_BYTES = 24 * 1024 * 1024;
/** A gzip file decompresses to several times its size. */
const PARALLEL_MIN_GZIP_BYTES = 6 * 1024 * 1024;
/**
 * With pairing on the main thread (`pairCells`: lint's reply-rejected, conversations, explain) the
 * workers pay off on larger inputs only: two isolates starting and three threads' garbage collection
 * cost about what they save below some 130 MB (session 9, lint: 60 MB 0.71 s on one thread against
 * 0.74-0.85 s with workers, 134 MB even, 270 MB 2.39-2.55 s against 1.90-1.92 s).
 */
const PAIRING_MIN_BYTES = 128 * 1024 * 1024;
const PAIRING_MIN_GZIP_BYTES = 32 * 1024 * 1024;
/** Bytes per segment (decompressed): large enough that a segment's overhead is small, small enough to bound memory. */
const SEGMENT_BYTES = 4 * 1024 * 1024;
/** The format must be known within this many bytes, else the input is read by one thread. */
const MAX_HEAD_BYTES = 16 * 1024 * 1024;

export { PoolHolder } from './segmentPool';
export type { SegmentedFeed, SegmentedRun } from './segmentJoin';

/** Threads to use: `--threads N`, else FLOWLOG_THREADS, else the machine's CPUs (at most 8). */
export function threadCount(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): number {
  const value = args.values.get('threads') ?? env.FLOWLOG_THREADS;
  if (value === undefined || value === '') return Math.min(8, availableParallelism());
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--threads: expected a positive integer, got '${value}'`);
  return Math.min(64, Number(value));
}

/** Test hooks: smaller segments and threshold make many cuts in small files. */
function tuning(env: NodeJS.ProcessEnv, pairing: boolean): { segmentBytes: number; minBytes: number; minGzipBytes: number } {
  const segment = Number(env.FLOWLOG_SEGMENT_BYTES);
  const min = Number(env.FLOWLOG_PARALLEL_MIN_BYTES);
  const hooked = min >= 0 && env.FLOWLOG_PARALLEL_MIN_BYTES !== undefined;
  return {
    segmentBytes: segment > 0 ? segment : SEGMENT_BYTES,
    minBytes: hooked ? min : pairing ? PAIRING_MIN_BYTES : PARALLEL_MIN_BYTES,
    minGzipBytes: hooked ? min : pairing ? PAIRING_MIN_GZIP_BYTES : PARALLEL_MIN_GZIP_BYTES,
  };
}

/**
 * Runs `path` in segments when it is large enough and threads > 1; undefined when the caller
 * should read it with one thread (small, standard input, format not known early).
 */
export async function runSegmented(io: Io, path: string, pools: PoolHolder, run: SegmentedRun, progressAllowed: boolean): Promise<SegmentedFeed | undefined> {
  if (!pools.enabled) return undefined;
  const candidate = segmentCandidate(path, run.pairCells === true);
  if (!candidate) return undefined;
  const { size, gzip } = candidate;
  const { segmentBytes } = tuning(process.env, run.pairCells === true);
  const pool = pools.get();
  const name = displayName(path);
  const progress = wantsProgress(io.stderr.isTTY, size, !progressAllowed) ? new ProgressBar(io.stderr, `flowlog ${run.command} ${terminalSafe(name)}`, size) : undefined;
  if (progress && io.stdoutIsTTY) io.stdout.beforeWrite = () => progress.clear();
  try {
    return gzip ? await runGzip(io, path, run, pool, segmentBytes, progress) : await runFile(io, path, size, run, pool, segmentBytes, progress);
  } finally {
    progress?.clear();
    io.stdout.beforeWrite = undefined;
  }
}

/**
 * Whether `path` is large enough to be run in segments (`pairing`: lint's reply-rejected and the
 * other paired commands take workers only on larger inputs); undefined for standard input, a file
 * that cannot be opened, or a small one. The format is checked later (runSegmented).
 */
export function segmentCandidate(path: string, pairing: boolean): { size: number; gzip: boolean } | undefined {
  if (path === '-') return undefined;
  const { minBytes, minGzipBytes } = tuning(process.env, pairing);
  let fd: number;
  let size: number;
  let gzip: boolean;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(2);
    size = fstatSync(fd).size;
    gzip = readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
  if (size < (gzip ? minGzipBytes : minBytes)) return undefined;
  if (!gzip && /\.gz$/i.test(path)) return undefined;
  return { size, gzip };
}

/** The format from the input's first pieces, pushed as a one-thread run pushes them. */
class HeadDetector {
  primary: FlowLogFormat | undefined;
  readonly pieces: Uint8Array[] = [];
  length = 0;
  private readonly text = new Utf8Pieces(true);
  private readonly stream: FlowLogStream;

  constructor(explicitFormat: string | undefined) {
    this.stream = new FlowLogStream({ format: (format) => (this.primary = format) }, { explicitFormat, validate: false });
  }

  push(piece: Uint8Array): void {
    this.pieces.push(piece);
    this.length += piece.length;
    this.stream.push(this.text.write(Buffer.from(piece.buffer, piece.byteOffset, piece.length)));
  }
}

async function runFile(io: Io, path: string, size: number, run: SegmentedRun, pool: WorkerPool, segmentBytes: number, progress: ProgressBar | undefined): Promise<SegmentedFeed | undefined> {
  const fd = openSync(path, 'r');
  let planned: Planned[];
  let head: HeadDetector;
  try {
    head = new HeadDetector(run.explicitFormat);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    while (!head.primary && head.length < Math.min(size, MAX_HEAD_BYTES)) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, head.length);
      if (read <= 0) break;
      head.push(Buffer.from(buffer.subarray(0, read)));
    }
    if (!head.primary) return undefined;
    planned = planFile(fd, path, size, Math.max(segmentBytes, head.length + CHUNK_BYTES), segmentBytes);
  } finally {
    closeSync(fd);
  }
  if (planned.length < 2 || !run.accepts(head.primary)) return undefined;
  run.format(head.primary);
  const headSource: HeadSource = { kind: 'file', path, length: head.length };
  return joinSegments(io, path, run, pool, head.primary, headSource, toAsync(planned), progress);
}

/** Cuts of a plain file, found by reading small windows around every `segmentBytes`. */
function planFile(fd: number, path: string, size: number, first: number, segmentBytes: number): Planned[] {
  const planned: Planned[] = [];
  const window = Buffer.allocUnsafe(256 * 1024);
  const before = 9 * 1024;
  let start = 0;
  let nominal = first;
  while (nominal < size) {
    const windowStart = Math.max(start, nominal - before);
    const read = readSync(fd, window, 0, Math.min(window.length, size - windowStart), windowStart);
    const atEnd = windowStart + read >= size;
    const cut = findCut(window.subarray(0, read), nominal - windowStart, atEnd, windowStart === start);
    if (!cut) {
      if (atEnd) break;
      nominal = windowStart + read - MAX_LOOKAHEAD_BYTES;
      continue;
    }
    const end = windowStart + cut.at;
    if (end >= size) break;
    planned.push({ source: { kind: 'file', path, start, end }, lookahead: cut.lookahead, ending: 'segment', nextPreviousRecordCount: cut.previousRecordCount, progress: end });
    start = end;
    nominal = start + segmentBytes;
  }
  planned.push({ source: { kind: 'file', path, start, end: size }, lookahead: '', ending: 'end', nextPreviousRecordCount: -1, progress: size });
  return planned;
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function runGzip(io: Io, path: string, run: SegmentedRun, pool: WorkerPool, segmentBytes: number, progress: ProgressBar | undefined): Promise<SegmentedFeed | undefined> {
  const input = await openInput(path, io.stdin);
  const head = new HeadDetector(run.explicitFormat);
  const chunks = input.bytes()[Symbol.asyncIterator]();
  // The head is read first: without a format early on, the file is read again by one thread.
  while (!head.primary && head.length < MAX_HEAD_BYTES) {
    const next = await chunks.next().catch(() => undefined);
    if (!next || next.done) break;
    head.push(next.value);
  }
  if (!head.primary || !run.accepts(head.primary)) {
    input.close();
    return undefined;
  }
  run.format(head.primary);
  const headSource: HeadSource = { kind: 'bytes', pieces: head.pieces };
  try {
    // Room for a segment, its lookahead and the chunk that crosses the cut, without growing.
    const segment = new SegmentBuffer(segmentBytes + 2 * MAX_LOOKAHEAD_BYTES + 2 * CHUNK_BYTES);
    return await joinSegments(io, path, run, pool, head.primary, headSource, planGzip(segment, head.pieces, chunks, segmentBytes, input), progress, (bytes) => segment.recycle(bytes));
  } finally {
    input.close();
  }
}

/**
 * Segments of decompressed bytes, cut as they arrive; piece ends keep the boundaries of the
 * chunks as decompressed. Each chunk is copied once, into the buffer of the segment being
 * filled, which is handed to a worker whole (transferred, not copied).
 */
async function* planGzip(segment: SegmentBuffer, headPieces: Uint8Array[], rest: AsyncIterator<Buffer>, segmentBytes: number, input: { readonly bytesRead: number }): AsyncGenerator<Planned> {
  for (const piece of headPieces) segment.append(piece);
  let first = true;
  let tryAt = Math.max(segmentBytes, segment.size + CHUNK_BYTES) + MAX_LOOKAHEAD_BYTES;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await rest.next();
    } catch (error) {
      yield { source: segment.take(segment.size), lookahead: '', ending: 'cutoff', failure: describeError(error), nextPreviousRecordCount: -1, progress: input.bytesRead };
      return;
    }
    if (next.done) break;
    segment.append(next.value);
    if (segment.size < tryAt) continue;
    const from = first ? tryAt - MAX_LOOKAHEAD_BYTES : segmentBytes;
    const cut = findCut(segment.view(), Math.min(from, segment.size), false, true);
    if (!cut) {
      tryAt = segment.size + 1024 * 1024;
      continue;
    }
    yield { source: segment.take(cut.at), lookahead: cut.lookahead, ending: 'segment', nextPreviousRecordCount: cut.previousRecordCount, progress: input.bytesRead };
    first = false;
    tryAt = segmentBytes + MAX_LOOKAHEAD_BYTES;
  }
  yield { source: segment.take(segment.size), lookahead: '', ending: 'end', nextPreviousRecordCount: -1, progress: input.bytesRead };
}

/**
 * The bytes of the segment being cut, with the ends of the chunks they came in. Buffers the
 * workers handed back are used again: memory then stays at the segments in flight instead of
 * waiting for the main thread's collector to free each one.
 */
class SegmentBuffer {
  private bytes: Uint8Array;
  private ends: number[] = [];
  private readonly spare: ArrayBuffer[] = [];
  size = 0;

  constructor(private readonly capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  append(piece: Uint8Array): void {
    if (this.size + piece.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.size + piece.length));
      grown.set(this.bytes.subarray(0, this.size));
      this.bytes = grown;
    }
    this.bytes.set(piece, this.size);
    this.size += piece.length;
    this.ends.push(this.size);
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.size);
  }

  /** The first `length` bytes as a segment; the rest starts the next one. */
  take(length: number): SegmentSource {
    const bytes = this.bytes.subarray(0, length);
    const pieceEnds = this.ends.filter((end) => end < length);
    pieceEnds.push(length);
    const rest = this.bytes.subarray(length, this.size);
    const restEnds = this.ends.filter((end) => end > length).map((end) => end - length);
    const spare = rest.length <= this.capacity ? this.spare.pop() : undefined;
    this.bytes = spare ? new Uint8Array(spare) : new Uint8Array(Math.max(this.capacity, rest.length));
    this.bytes.set(rest);
    this.size = rest.length;
    this.ends = restEnds;
    return { kind: 'bytes', bytes, pieceEnds };
  }

  /** A segment's bytes, done with (its result is joined). */
  recycle(bytes: Uint8Array): void {
    const buffer = bytes.buffer as ArrayBuffer;
    if (buffer.byteLength >= this.capacity && this.spare.length < 8 && !this.spare.includes(buffer)) this.spare.push(buffer);
  }
}

/**
 * Input files as streams of text: a path or `-` for stdin, gzip recognised by its magic bytes
 * (not only by the `.gz` name) and decompressed on the fly, UTF-8 decoded across chunk
 * boundaries, a leading BOM dropped as editors do. Files are only ever opened for reading.
 */
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/**
 * Bytes per read (and per gunzip output). Kept under V8's 128 KiB limit for ordinary heap
 * objects: larger strings go to the large-object space, which only a full GC frees, and memory
 * then grows with the input instead of staying flat.
 */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Bytes per read of a gzip file and per gunzip output. zlib's cost per call (a stream write, a
 * callback, a buffer) is the same for 64 KiB as for 256 KiB, and at 64 KiB it was a fifth of
 * decompression's CPU; the output is still handed on in CHUNK_BYTES views (Buffers live outside
 * V8's heap, so only the strings decoded from them are bound by the limit above).
 */
export const GZIP_CHUNK_BYTES = 256 * 1024;

/** A problem with an input, already phrased for `flowlog: FILE: <message>`. */
export class InputError extends Error {}

export interface Input {
  /** Name for messages: the path as given, or `<stdin>`. */
  readonly name: string;
  /** Size on disk, for regular files. */
  readonly size: number | undefined;
  /** Bytes read so far (compressed bytes for gzip). */
  readonly bytesRead: number;
  text(): AsyncGenerator<string>;
  /** The bytes as text() decodes them (decompressed), in the same pieces. */
  bytes(): AsyncGenerator<Buffer>;
  close(): void;
}

/** What messages call standard input (the path `-`). */
export const STDIN_NAME = '<stdin>';

/** An input's name in messages: the path as given, or STDIN_NAME for `-`. */
export function displayName(path: string): string {
  return path === '-' ? STDIN_NAME : path;
}

export async function openInput(path: string, stdin: Readable): Promise<Input> {
  if (path === '-') return new StreamInput(STDIN_NAME, stdin, undefined, false);
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new InputError(describeError(error));
  });
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError('is a directory');
    const gzipByName = /\.gz$/i.test(path);
    const stream = handle.createReadStream({ highWaterMark: gzipByName ? GZIP_CHUNK_BYTES : CHUNK_BYTES });
    return new StreamInput(path, stream, info.isFile() ? info.size : undefined, gzipByName);
  } catch (error) {
    await handle.close();
    throw error instanceof InputError ? error : new InputError(describeError(error));
  }
}

class StreamInput implements Input {
  bytesRead = 0;
  private gunzip: ReturnType<typeof createGunzip> | undefined;

  constructor(readonly name: string, private readonly raw: Readable, readonly size: number | undefined, private readonly gzipByName: boolean) {}

  async *text(): AsyncGenerator<string> {
    const decoder = new Utf8Pieces(true);
    for await (const buffer of this.bytes()) {
      const text = decoder.write(buffer);
      if (text.length > 0) yield text;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  }

  async *bytes(): AsyncGenerator<Buffer> {
    const chunks = this.counted();
    // Two bytes tell gzip apart; a pipe may deliver fewer in its first read.
    let head: Buffer = Buffer.alloc(0);
    let next = await chunks.next();
    while (!next.done && head.length + next.value.length < 2) {
      head = Buffer.concat([head, next.value]);
      next = await chunks.next();
    }
    if (!next.done) head = head.length ? Buffer.concat([head, next.value]) : next.value;
    const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    if (!gzip && this.gzipByName) throw new InputError(head.length === 0 ? 'empty file, not gzip data' : 'not gzip data (the name ends in .gz but the content does not start with the gzip magic bytes)');
    if (head.length === 0) return;
    const bytes = gzip ? this.decompress(head, chunks) : prepend(head, chunks);
    for await (const buffer of bytes) yield buffer as Buffer;
  }

  close(): void {
    this.gunzip?.destroy();
    if (this.name !== STDIN_NAME) this.raw.destroy();
  }

  private async *counted(): AsyncGenerator<Buffer> {
    for await (const chunk of this.raw) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      this.bytesRead += buffer.length;
      yield buffer;
    }
  }

  private async *decompress(head: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
    const gunzip = createGunzip({ chunkSize: GZIP_CHUNK_BYTES });
    this.gunzip = gunzip;
    // Errors of either side end the pipeline and surface while iterating the gunzip stream.
    pipeline(Readable.from(prepend(head, rest)), gunzip, () => undefined);
    for await (const output of gunzip) {
      const buffer = output as Buffer;
      for (let start = 0; start < buffer.length; start += CHUNK_BYTES) yield buffer.subarray(start, start + CHUNK_BYTES);
    }
  }
}

async function* prepend(head: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** One short phrase for an I/O or zlib error. */
export function describeError(error: unknown): string {
  if (error instanceof InputError) return error.message;
  const { code, message } = error as { code?: string; message?: string };
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'EIO':
      return 'input/output error';
    case 'Z_BUF_ERROR':
      return 'truncated gzip data (unexpected end of file)';
    case 'Z_DATA_ERROR':
      return `corrupt gzip data (${message ?? 'invalid data'})`;
    default:
      // System and zlib errors carry a code; anything else is a fault of flowlog itself.
      return code ? (message ?? code) : `internal error: ${message ?? String(error)}`;
  }
}

/**
 * UTF-8 text of bytes that arrive in pieces (a character may be cut between two), with the byte
 * order mark at the start of an input dropped: one definition for the reader and the workers.
 */
export class Utf8Pieces {
  private readonly decoder = new StringDecoder('utf8');

  /** `atInputStart`: these bytes begin an input, so a leading byte order mark is dropped. */
  constructor(private atInputStart: boolean) {}

  write(bytes: Buffer): string {
    return this.dropMark(this.decoder.write(bytes));
  }

  end(): string {
    return this.dropMark(this.decoder.end());
  }

  private dropMark(text: string): string {
    if (!this.atInputStart || text.length === 0) return text;
    this.atInputStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

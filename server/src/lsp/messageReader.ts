/**
 * A JSON-RPC message reader for stream transports (stdio, sockets, pipes) that keeps memory low
 * for very large messages. vscode-jsonrpc's reader holds a 50 MB `didOpen` as its chunks, then as
 * one Buffer, then as a decoded JSON string, then as the parsed object, partly all at once (about
 * 4× the document). This one reads the base protocol itself:
 *
 * - bodies below `smallBodyBytes` are collected and parsed with `JSON.parse`, as usual;
 * - larger bodies are decoded while they arrive (`LargeBodyDecoder`): the text of a `didOpen` or
 *   of a full-text `didChange` comes out as `textPieces` (see `PiecewiseText`), so the reader never
 *   holds more than a chunk of the body besides the decoded text.
 *
 * Bad headers and bodies that are not JSON are reported through `onError`; reading goes on with
 * the next message (after a header without a usable Content-Length, from the next
 * `Content-Length` header found in the stream).
 */
import type { Readable } from 'node:stream';
import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-languageserver/node';
import { LargeBodyDecoder, type LargeBodyOptions } from './jsonTextPieces';

export interface LeanReaderOptions extends LargeBodyOptions {
  /** Bodies of at least this many bytes are decoded as they arrive. Default 1 MB. */
  smallBodyBytes?: number;
}

const SMALL_BODY_BYTES = 1024 * 1024;
/** A header section longer than this is not a header section. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
const CONTENT_LENGTH = Buffer.from('Content-Length', 'ascii');

type Body =
  | { kind: 'small'; bytes: Buffer; filled: number }
  | { kind: 'large'; decoder: LargeBodyDecoder; remaining: number }
  | { kind: 'skip'; remaining: number };

interface Header {
  length?: number;
  problem?: string;
}

/** Reads the header lines; a problem is set when the message cannot be read as sent. */
function parseHeader(text: string): Header {
  const header: Header = {};
  for (const line of text.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) {
      header.problem ??= `Message header must separate key and value using ':' (got ${JSON.stringify(line.slice(0, 100))})`;
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-length') {
      if (/^\d+$/.test(value) && Number(value) <= Number.MAX_SAFE_INTEGER) header.length = Number(value);
      else header.problem ??= `Content-Length value must be a number. Got ${JSON.stringify(value.slice(0, 100))}`;
    } else if (key === 'content-type') {
      const charset = /(?:^|;)\s*charset\s*=\s*"?([^";\s]*)/i.exec(value)?.[1].toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') header.problem ??= `The message charset ${charset} is not supported (only utf-8)`;
    }
  }
  if (header.length === undefined) header.problem ??= 'Header must provide a Content-Length property.';
  return header;
}

export class LeanMessageReader extends AbstractMessageReader {
  private callback: DataCallback | undefined;
  /** Header bytes received so far when a header section spans chunks. */
  private headerBytes: Buffer[] = [];
  private headerLength = 0;
  private body: Body | undefined;
  /** After a header without a usable length: bytes kept while looking for the next Content-Length. */
  private resync: Buffer | undefined;
  private closed = false;
  private readonly smallBodyBytes: number;

  constructor(
    private readonly readable: Readable,
    private readonly options: LeanReaderOptions = {},
  ) {
    super();
    this.smallBodyBytes = options.smallBodyBytes ?? SMALL_BODY_BYTES;
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer | string): void => this.onData(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    const onError = (error: Error): void => this.fireError(error);
    const onClose = (): void => {
      if (this.closed) return;
      this.closed = true;
      this.fireClose();
    };
    this.readable.on('data', onData);
    this.readable.on('error', onError);
    this.readable.on('end', onClose);
    this.readable.on('close', onClose);
    return Disposable.create(() => {
      this.readable.off('data', onData);
      this.readable.off('error', onError);
      this.readable.off('end', onClose);
      this.readable.off('close', onClose);
    });
  }

  private onData(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.resync !== undefined) {
        const joined = this.resync.length > 0 ? Buffer.concat([this.resync, chunk.subarray(at)]) : chunk.subarray(at);
        const found = joined.indexOf(CONTENT_LENGTH);
        if (found < 0) {
          this.resync = Buffer.from(joined.subarray(Math.max(0, joined.length - CONTENT_LENGTH.length + 1)));
          return;
        }
        this.resync = undefined;
        chunk = joined;
        at = found;
      }
      at = this.body === undefined ? this.readHeader(chunk, at) : this.readBody(chunk, at, this.body);
    }
  }

  /** Reads header bytes from `chunk[at…]`; returns where the header section ends, or the chunk's end. */
  private readHeader(chunk: Buffer, at: number): number {
    if (this.headerLength === 0) {
      const end = chunk.indexOf(HEADER_END, at);
      if (end >= 0 && end - at <= MAX_HEADER_BYTES) {
        this.startBody(chunk.toString('ascii', at, end));
        return end + HEADER_END.length;
      }
    }
    // The section spans chunks: keep its bytes until the blank line arrives.
    const previous = this.headerLength;
    const take = Math.min(chunk.length - at, MAX_HEADER_BYTES + HEADER_END.length - previous);
    this.headerBytes.push(chunk.subarray(at, at + take));
    this.headerLength += take;
    const joined = Buffer.concat(this.headerBytes, this.headerLength);
    const end = joined.indexOf(HEADER_END, Math.max(0, previous - HEADER_END.length + 1));
    if (end >= 0) {
      this.headerBytes = [];
      this.headerLength = 0;
      this.startBody(joined.toString('ascii', 0, end));
      return at + (end + HEADER_END.length - previous);
    }
    this.headerBytes = [joined];
    if (this.headerLength > MAX_HEADER_BYTES) {
      this.headerBytes = [];
      this.headerLength = 0;
      this.fail(`Message header is longer than ${MAX_HEADER_BYTES} bytes without an empty line after it`);
      this.resync = Buffer.alloc(0);
    }
    return at + take;
  }

  private startBody(headerText: string): void {
    const header = parseHeader(headerText);
    if (header.length === undefined) {
      this.fail(header.problem as string);
      this.resync = Buffer.alloc(0);
      return;
    }
    if (header.problem !== undefined) {
      this.fail(header.problem);
      this.body = { kind: 'skip', remaining: header.length };
    } else if (header.length < this.smallBodyBytes) {
      this.body = { kind: 'small', bytes: Buffer.allocUnsafe(header.length), filled: 0 };
    } else {
      this.body = { kind: 'large', decoder: new LargeBodyDecoder(this.options), remaining: header.length };
    }
    if (header.length === 0) this.readBody(Buffer.alloc(0), 0, this.body);
  }

  /** Reads body bytes from `chunk[at…]`; returns where the body ends, or the chunk's end. */
  private readBody(chunk: Buffer, at: number, body: Body): number {
    if (body.kind === 'small') {
      const wanted = body.bytes.length - body.filled;
      if (body.filled === 0 && chunk.length - at >= wanted) {
        // The whole body is in this chunk: parse it where it is.
        this.body = undefined;
        this.deliver(() => JSON.parse(chunk.toString('utf8', at, at + wanted)));
        return at + wanted;
      }
      const count = Math.min(wanted, chunk.length - at);
      chunk.copy(body.bytes, body.filled, at, at + count);
      body.filled += count;
      if (body.filled === body.bytes.length) {
        this.body = undefined;
        this.deliver(() => JSON.parse(body.bytes.toString('utf8')));
      }
      return at + count;
    }
    const count = Math.min(body.remaining, chunk.length - at);
    body.remaining -= count;
    if (body.kind === 'large') {
      try {
        body.decoder.feed(chunk, at, at + count);
      } catch (error) {
        // Not expected (the decoder reports bad JSON at the end); skip the rest of this body.
        this.fail(error instanceof Error ? error.message : String(error));
        this.body = { kind: 'skip', remaining: body.remaining };
        return at + count;
      }
    }
    if (body.remaining === 0) {
      this.body = undefined;
      if (body.kind === 'large') this.deliver(() => body.decoder.finish());
    }
    return at + count;
  }

  /** Decodes a message and hands it over; the reader's state is already past it, whatever happens. */
  private deliver(decode: () => unknown): void {
    let message: unknown;
    try {
      message = decode();
    } catch (error) {
      this.fail(`Message body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    try {
      this.callback?.(message as Message);
    } catch (error) {
      this.fireError(error);
    }
  }

  private fail(reason: string): void {
    this.fireError(new Error(`flowlog message reader: ${reason}`));
  }
}

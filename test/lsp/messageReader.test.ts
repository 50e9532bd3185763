/**
 * The lean JSON-RPC message reader (server/src/lsp/messageReader.ts) fed through real streams:
 * every message must come out as JSON.parse makes it (large texts as pieces that join back to
 * the text), in order, whatever the chunking; bad headers and bodies are reported and the
 * messages after them still arrive.
 */
import { mulberry32 } from '../../bench/generate';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { PIECE_BYTES, safeCut } from '../../server/src/lsp/jsonTextPieces';
import { LeanMessageReader, type LeanReaderOptions } from '../../server/src/lsp/messageReader';
import { TestClient } from './lspClient';

interface ReadResult {
  messages: unknown[];
  errors: string[];
}

function frame(body: string | Buffer, header = ''): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n${header}\r\n`, 'ascii'), bytes]);
}

/** Writes `chunks` to a stream read by a LeanMessageReader; resolves once the stream has ended. */
function read(chunks: Buffer[], options?: LeanReaderOptions): Promise<ReadResult> {
  const stream = new PassThrough();
  const reader = new LeanMessageReader(stream, options);
  const result: ReadResult = { messages: [], errors: [] };
  reader.onError((error) => result.errors.push(error.message));
  const closed = new Promise<ReadResult>((resolve) => reader.onClose(() => resolve(result)));
  reader.listen((message) => result.messages.push(message));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return closed;
}

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  return chunks;
}

function randomSplit(bytes: Buffer, random: () => number, meanChunk: number): Buffer[] {
  const cuts: number[] = [];
  for (let at = Math.ceil(random() * meanChunk * 2); at < bytes.length; at += 1 + Math.floor(random() * meanChunk * 2)) cuts.push(at);
  return splitAt(bytes, cuts);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A delivered message with its text pieces joined back, for comparison with JSON.parse. */
function joined(message: unknown): unknown {
  if (Array.isArray(message)) return message.map(joined);
  if (typeof message !== 'object' || message === null) return message;
  const record = message as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (key === 'textPieces') continue;
    Object.defineProperty(copy, key, { value: joined(record[key]), enumerable: true, writable: true, configurable: true });
  }
  if (Array.isArray(record.textPieces)) {
    assert.equal(record.text, '', 'text is empty when textPieces are given');
    copy.text = (record.textPieces as string[]).join('');
  }
  return copy;
}

/** Text with everything a JSON encoder must escape or may leave raw. */
function awkwardText(random: () => number, bytes: number): string {
  const ALPHABET = [' ', '\t', '"', '\\', '/', '\r\n', '\n', '\b', '\f', '\u0001', '\u001f', 'é', '日本', '😀', '\u2028', 'ÿ', '\uD83D\uDE00'];
  const record = '2 123456789010 eni-1235b8ca 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const part = random() < 0.5 ? ALPHABET[Math.floor(random() * ALPHABET.length)] : record.slice(0, 1 + Math.floor(random() * record.length));
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

/** A JSON string literal for `text` that also uses the escapes JSON.stringify never writes. */
function encodeString(text: string, random: () => number): string {
  let out = '"';
  for (const char of text) {
    const roll = random();
    if (roll < 0.15 || char === '\u2028') {
      for (let unit = 0; unit < char.length; unit++) {
        const hex = char.charCodeAt(unit).toString(16).padStart(4, '0');
        out += `\\u${roll < 0.07 ? hex.toUpperCase() : hex}`;
      }
    } else if (char === '/' && roll < 0.5) {
      out += '\\/';
    } else {
      out += JSON.stringify(char).slice(1, -1);
    }
  }
  return `${out}"`;
}

/** A body whose `text` (found at the placeholder) is written by encodeString. */
function bodyWithText(message: Json, text: string, random: () => number): string {
  return JSON.stringify(message).replace('"@TEXT@"', () => encodeString(text, random));
}

const SMALL_MESSAGES: string[] = [
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: 'file:///tmp/é', capabilities: {} } }),
  '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.log","languageId":"flowlog","version":1,"text":"2 1 eni-1 \\"x\\"\\u00e9 日本 😀\\uD83D\\uDE00\\r\\n"}}}',
  '{"jsonrpc":"2.0","id":"x","result":[1,2.5e3,-0,true,false,null,{"__proto__":{"a":1}}]}',
];

describe('LeanMessageReader, small messages', () => {
  const stream = Buffer.concat(SMALL_MESSAGES.map((body) => frame(body)));
  const expected = SMALL_MESSAGES.map((body) => JSON.parse(body) as unknown);

  it('delivers every message, in order, whatever byte the stream is split at', async () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const result = await read(splitAt(stream, [cut]));
      assert.deepEqual(result.errors, [], `split at ${cut}`);
      assert.deepEqual(result.messages, expected, `split at ${cut}`);
    }
  });

  it('delivers every message when each byte arrives alone, and when all arrive in one chunk', async () => {
    const bytes = await read(splitAt(stream, Array.from({ length: stream.length - 1 }, (_, index) => index + 1)));
    assert.deepEqual(bytes.messages, expected);
    const whole = await read([stream]);
    assert.deepEqual(whole.messages, expected);
  });

  it('keeps an own __proto__ property as JSON.parse does', async () => {
    const [, , response] = (await read([stream])).messages as { result: unknown[] }[];
    const holder = response.result[6] as object;
    assert.ok(Object.prototype.hasOwnProperty.call(holder, '__proto__'));
    assert.equal(Object.getPrototypeOf(holder), Object.prototype);
  });

  it('accepts a utf-8 Content-Type and headers in any case', async () => {
    const body = Buffer.from(SMALL_MESSAGES[1]);
    const bytes = Buffer.concat([Buffer.from(`content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH: ${body.length}\r\n\r\n`), body]);
    assert.deepEqual(await read([bytes]), { messages: [expected[1]], errors: [] });
  });
});

describe('LeanMessageReader, bad input', () => {
  const good = JSON.stringify({ jsonrpc: '2.0', method: 'exit' });

  async function afterBad(bad: Buffer): Promise<ReadResult> {
    const bytes = Buffer.concat([frame(good), bad, frame(good)]);
    const whole = await read([bytes]);
    // The same stream a byte at a time must give the same result.
    const bytewise = await read(splitAt(bytes, Array.from({ length: bytes.length - 1 }, (_, index) => index + 1)));
    assert.deepEqual(bytewise, whole);
    return whole;
  }

  const CASES: [string, Buffer, RegExp][] = [
    ['no Content-Length', Buffer.from(`Content-Type: application/vscode-jsonrpc\r\n\r\n${good}`), /Content-Length/],
    ['a Content-Length that is not a number', Buffer.from(`Content-Length: 12x\r\n\r\n${good}`), /must be a number/],
    ['a header line without a colon', Buffer.from(`Content-Length: ${good.length}\r\nnonsense\r\n\r\n${good}`), /separate key and value/],
    ['another charset', Buffer.from(`Content-Length: ${good.length}\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n${good}`), /charset latin1/],
    ['a body that is not JSON', frame('{"jsonrpc":"2.0",'), /not valid JSON/],
    ['an empty body', frame(''), /not valid JSON/],
    ['garbage instead of a header', Buffer.from('x'.repeat(20_000)), /longer than/],
  ];
  for (const [name, bad, message] of CASES) {
    it(`reports ${name} and reads the next message`, async () => {
      const result = await afterBad(bad);
      assert.equal(result.errors.length, 1, result.errors.join('\n'));
      assert.match(result.errors[0], message);
      assert.deepEqual(result.messages, [JSON.parse(good), JSON.parse(good)]);
    });
  }

  it('reports bad JSON in a large body (a bad escape, a raw control character, an unterminated string) and goes on', async () => {
    const bodies = ['{"text":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\x"}', '{"text":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u0001aaaaaaa"}', '{"text":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}'];
    const optionSets = [{ smallBodyBytes: 0, largeStringBytes: 8, pieceBytes: 8 }, { smallBodyBytes: 0, largeStringBytes: 8, pieceBytes: 64, parseBytes: 6 }];
    for (const [body, options] of bodies.flatMap((b) => optionSets.map((o) => [b, o] as const))) {
      const result = await read([Buffer.concat([frame(good), frame(body), frame(good)])], options);
      assert.equal(result.errors.length, 1, body);
      assert.match(result.errors[0], /not valid JSON/);
      assert.deepEqual(result.messages, [JSON.parse(good), JSON.parse(good)]);
    }
  });
});

describe('LeanMessageReader, large messages', () => {
  it('hands the text of a large didOpen over in pieces (random splits; method after params)', async () => {
    const random = mulberry32(4);
    // A few pieces of PIECE_BYTES (960 KB) each.
    const text = awkwardText(random, 4_500_000);
    const body = bodyWithText({ jsonrpc: '2.0', params: { textDocument: { uri: 'file:///big.log', languageId: 'flowlog', version: 3, text: '@TEXT@' } }, method: 'textDocument/didOpen' }, text, random);
    const bytes = Buffer.concat([frame(SMALL_MESSAGES[0]), frame(body), frame(SMALL_MESSAGES[2])]);
    for (const meanChunk of [65_536, 4_000, 700_000]) {
      const result = await read(randomSplit(bytes, random, meanChunk));
      assert.deepEqual(result.errors, []);
      assert.equal(result.messages.length, 3);
      const open = result.messages[1] as { params: { textDocument: { text: string; textPieces?: string[] } } };
      const pieces = open.params.textDocument.textPieces;
      assert.ok(pieces !== undefined && pieces.length >= Buffer.byteLength(text) / PIECE_BYTES, `the text comes in ${pieces?.length} pieces`);
      assert.equal(open.params.textDocument.text, '');
      for (const piece of pieces.slice(0, -1)) {
        assert.ok(piece.length > PIECE_BYTES / 8 && Buffer.byteLength(piece) <= PIECE_BYTES, `piece of ${piece.length} characters`);
        assert.ok(!/[\uD800-\uDBFF]$/.test(piece), 'no piece ends inside a surrogate pair');
      }
      assert.equal(pieces.join(''), text);
      const atLineEnd = pieces.slice(0, -1).filter((piece) => piece.endsWith('\n')).length;
      assert.equal(atLineEnd, pieces.length - 1, `${atLineEnd} of ${pieces.length - 1} pieces end at a line break`);
      assert.deepEqual(result.messages.map(joined), [SMALL_MESSAGES[0], body, SMALL_MESSAGES[2]].map((json) => JSON.parse(json) as unknown));
    }
  });

  it('decodes an all-ASCII body (read as Latin-1, pieces of about 1 MB) exactly, \\u escapes of any character included', async () => {
    const random = mulberry32(8);
    const text = awkwardText(random, 3_000_000);
    const message = { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///ascii.log', languageId: 'flowlog', version: 1, text } } };
    // JSON.stringify leaves é, 日本 and 😀 raw; escaping them leaves only ASCII bytes in the body.
    const body = JSON.stringify(message).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    assert.ok(/^[\x00-\x7f]*$/.test(body) && body.length > 2 * PIECE_BYTES);
    const result = await read(randomSplit(frame(body), random, 65_536));
    assert.deepEqual(result.errors, []);
    const pieces = (result.messages[0] as { params: { textDocument: { textPieces?: string[] } } }).params.textDocument.textPieces;
    assert.ok(pieces !== undefined && pieces.length >= 2);
    assert.equal(pieces.join(''), text);
    assert.deepEqual(result.messages.map(joined), [message]);
  });

  it('hands full-text didChange texts over in pieces and leaves ranged changes as strings', async () => {
    const random = mulberry32(5);
    const [full, ranged] = [awkwardText(random, 1_500_000), awkwardText(random, 300_000)];
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: 'file:///big.log', version: 4 }, contentChanges: [{ range, text: '@RANGED@' }, { text: '@TEXT@' }] } })
      .replace('"@RANGED@"', () => encodeString(ranged, random))
      .replace('"@TEXT@"', () => encodeString(full, random));
    const result = await read(randomSplit(frame(body), random, 65_536));
    assert.deepEqual(result.errors, []);
    const changes = (result.messages[0] as { params: { contentChanges: { text: string; textPieces?: string[] }[] } }).params.contentChanges;
    assert.equal(changes[0].text, ranged);
    assert.equal(changes[0].textPieces, undefined);
    assert.ok(changes[1].textPieces !== undefined && changes[1].text === '');
    assert.deepEqual(result.messages.map(joined), [JSON.parse(body)]);
  });

  it('delivers large strings anywhere else whole, exactly as JSON.parse does', async () => {
    const random = mulberry32(6);
    const big = (): string => awkwardText(random, 200_000);
    const body = `{"jsonrpc":"2.0","id":7,"method":"flowlog/custom","params":{"list":[${encodeString(big(), random)},{"text":${encodeString(big(), random)}}],"__proto__":${encodeString(big(), random)},"textDocument":{"text":${encodeString(big(), random)}},"n":[1e2, -3.5, true, null, "\\ud800"]}}`;
    const result = await read(randomSplit(frame(body), random, 30_000));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.messages, [JSON.parse(body)]);
    const params = (result.messages[0] as { params: object }).params;
    assert.ok(Object.prototype.hasOwnProperty.call(params, '__proto__'));
  });

  it('decodes small pieces exactly whatever the escapes and the split (tiny thresholds, every split point)', async () => {
    const random = mulberry32(7);
    // Pieces parsed whole, and pieces parsed in parts of a few bytes and joined.
    for (let round = 0; round < 24; round++) {
      const options = round % 2 === 0 ? { smallBodyBytes: 0, largeStringBytes: 4, pieceBytes: 8 } : { smallBodyBytes: 0, largeStringBytes: 4, pieceBytes: 48, parseBytes: 5 };
      const text = awkwardText(random, 40);
      const body = bodyWithText({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'u', text: '@TEXT@' }, other: ['@X@'] } }, text, random).replace('"@X@"', () => encodeString(awkwardText(random, 30), random));
      const bytes = frame(body);
      for (let cut = 1; cut < bytes.length; cut++) {
        const result = await read(splitAt(bytes, [cut]), options);
        assert.deepEqual(result.errors, [], body);
        assert.deepEqual(result.messages.map(joined), [JSON.parse(body)], `${body} split at ${cut}`);
        const pieces = (result.messages[0] as { params: { textDocument: { textPieces: string[] } } }).params.textDocument.textPieces;
        for (const piece of pieces.slice(0, -1)) assert.ok(!/[\uD800-\uDBFF]$/.test(piece), `a piece ends in a high surrogate: ${body}`);
      }
    }
  });
});

describe('safeCut', () => {
  it('ends a piece after the last line break in its second half, else as near the target as it can', () => {
    const cut = (content: string, target: number): number => safeCut(Buffer.from(content + ' '.repeat(16)), target, content.length + 16);
    assert.equal(cut('aaaa\\nbbbbbbbb\\ncc', 20), 16);
    assert.equal(cut('aaaa\\nbbbbbbbb\\\\ncc', 20), 20, 'an escaped backslash before n is no line break');
    assert.equal(cut('a\\nbbbbbbbbbbbbbbbbbbb', 20), 20, 'a line break in the first half is too early');
    assert.equal(cut('aaaaaaaaaaaaaaaaaa\\tbbbb', 19), 18, 'not inside an escape');
    assert.equal(cut('aaaaaaaaaaaaaaaaaaé', 19), 18, 'not inside a UTF-8 sequence');
  });


  it('never cuts inside an escape, a UTF-8 sequence or an escaped surrogate pair', () => {
    const random = mulberry32(8);
    for (let round = 0; round < 3000; round++) {
      const content = Buffer.from(encodeString(awkwardText(random, 60), random).slice(1, -1), 'utf8');
      for (let target = 1; target + 16 <= content.length; target++) {
        const cut = safeCut(content, target, content.length);
        assert.ok(cut > 0 && cut <= target + 12, `cut ${cut} for target ${target}`);
        const head = content.toString('utf8', 0, cut);
        const tail = content.toString('utf8', cut);
        const [first, second] = [JSON.parse(`"${head}"`) as string, JSON.parse(`"${tail}"`) as string];
        assert.equal(first + second, JSON.parse(`"${content.toString('utf8')}"`));
        assert.ok(!/[\uD800-\uDBFF]$/.test(first) || !/^[\uDC00-\uDFFF]/.test(second), `pair split at ${cut}: ${content.toString('utf8')}`);
      }
    }
  });
});

describe('the built server over stdio with the lean reader', () => {
  const RECORD = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
  const BAD = RECORD.replace(/OK$/, '0K');

  /** A 2.5 MB document (CRLF, non-ASCII comments) with a bad record on each of `badLines`. */
  function documentText(badLines: number[]): string {
    const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
    for (let line = 1; line < 22_000; line++) lines.push(badLines.includes(line) ? BAD : line % 1000 === 0 ? `# "note" \\ é 日本 😀 ${line}` : RECORD);
    return lines.join('\r\n');
  }

  /**
   * Lines of the bad records once `count` are reported: when validation takes longer than the
   * server's first-results delay (a loaded machine), the problems found so far are pushed first
   * and the complete list follows.
   */
  async function badLinesReported(client: TestClient, uri: string, version: number, count: number): Promise<number[]> {
    const badLines = (): number[] | undefined => {
      const found = client.published.get(uri);
      if (!found || found.version !== version) return undefined;
      return found.diagnostics.filter((diagnostic) => diagnostic.range.start.line > 0).map((diagnostic) => diagnostic.range.start.line);
    };
    await client.pushedDiagnostics(uri, version);
    return client.waitFor(() => {
      const lines = badLines();
      return lines && lines.length >= count ? lines : undefined;
    }, `${count} bad lines of ${uri} v${version}`).catch(() => badLines() ?? []);
  }

  it('validates a large didOpen and a large full-text didChange (both arrive in pieces)', async () => {
    const client = await TestClient.start({ pull: false });
    try {
      const uri = 'file:///large.log';
      const opened = [1, 9_999, 21_999];
      await client.open(uri, documentText(opened));
      assert.deepEqual(await badLinesReported(client, uri, 1, opened.length), opened);
      const changed = [2, 12_345];
      await client.change(uri, 2, [{ text: documentText(changed) }]);
      assert.deepEqual(await badLinesReported(client, uri, 2, changed.length), changed);
      assert.ok(client.alive);
    } finally {
      await client.stop();
    }
  });
});

/**
 * Records as JSON (service/recordJson.ts) against the way `flowlog parse` wrote them before it:
 * `parseLine` → typed tokens → `recordObject`, serialised with bigints as digits. The writer
 * and the CLI's JsonLinesStream must give the same bytes for every record of every text —
 * generated benchmark files, the conformance files, random documents and random records — and
 * the stream must hand out the same records at the same points as FlowLogStream's parse mode,
 * however the text is cut into chunks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FIELD_NAMES, generate, KINDS } from '../../bench/generate';
import { JsonLinesStream } from '../../server/src/cli/parse';
import { recordObject, TIMESTAMP_KEY, type ParsedLine } from '../../server/src/service/parse';
import { RecordJsonWriter } from '../../server/src/service/recordJson';
import { FlowLogStream } from '../../server/src/service/stream';
import { anyDocumentText, check, explicitFormat, REAL_DOCUMENTS, REAL_RECORDS } from '../property/arbitraries';

/** Characters a terminal acts on that JSON.stringify leaves raw: the writer writes them as `\uXXXX`. */
const TERMINAL_CONTROLS = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The JSON `flowlog parse` wrote before the writer: format order for distinct names, recordObject's
 * keys otherwise; JSON.stringify's strings with terminal controls escaped.
 */
function referenceJson(parsed: ParsedLine): string {
  const string = (v: unknown): string => JSON.stringify(v).replace(TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const value = (v: unknown): string => (typeof v === 'bigint' ? v.toString() : string(v));
  const { names } = parsed.format;
  // The CloudWatch Logs time of a prefixed or JSON line comes first.
  const stamp = parsed.timestamp ? `${string(TIMESTAMP_KEY)}:${value(Number.isFinite(parsed.timestamp.millis) ? parsed.timestamp.millis : null)},` : '';
  if (new Set(names).size === names.length) return `{${stamp}${parsed.tokens.map((t) => `${string(t.name)}:${value(t.value)}`).join(',')}}`;
  return `{${Object.entries(recordObject(parsed)).map(([k, v]) => `${string(k)}:${value(v)}`).join(',')}}`;
}

/** Every record line of a text as FlowLogStream's parse mode reads it, with the line's text. */
function parsedRecords(text: string, format?: string): { parsed: ParsedLine; line: string; wellFormed: boolean }[] {
  const lines = text.split(/\r\n|\r|\n/);
  const found: { parsed: ParsedLine; line: string; wellFormed: boolean }[] = [];
  const stream = new FlowLogStream({ record: (parsed, wellFormed) => void found.push({ parsed, line: lines[parsed.line], wellFormed }) }, { explicitFormat: format, validate: false, parse: true });
  stream.push(text);
  stream.end();
  return found;
}

const decoder = new TextDecoder();

/** Checks the writer's three ways of writing on every record of a text; returns the records compared. */
function compareWriter(writer: RecordJsonWriter, text: string, format?: string): number {
  let compared = 0;
  for (const { parsed, line, wellFormed } of parsedRecords(text, format)) {
    // A message of a JSON line is handed over on its own, with its event's timestamp.
    const [start, end] = parsed.json && parsed.recordSpan ? [parsed.recordSpan.start, parsed.recordSpan.end] : [0, line.length];
    const [stampStart, stampEnd] = parsed.json && parsed.timestamp ? [parsed.timestamp.start, parsed.timestamp.end] : [-1, -1];
    const appended = writer.appendLine(line, start, end, parsed.format, stampStart, stampEnd);
    const bytes = decoder.decode(writer.take());
    if (!wellFormed) {
      assert.equal(appended, false, line);
      assert.equal(bytes, '', line);
      assert.equal(writer.record(line, start, end, parsed.format, stampStart, stampEnd), undefined, line);
      continue;
    }
    const expected = referenceJson(parsed);
    assert.equal(bytes, `${expected}\n`, line);
    assert.equal(writer.record(line, start, end, parsed.format, stampStart, stampEnd), expected, line);
    assert.equal(writer.parsed(parsed), expected, line);
    compared++;
  }
  return compared;
}

/** Values that steer the writer off its one-pass copy, or keep it there. */
const cell = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...new Set(REAL_RECORDS.flatMap((line) => line.split(/\s+/)).filter(Boolean))) },
  { weight: 4, arbitrary: fc.constantFrom('-', '0', '00', '007', '9007199254740991', '9007199254740992', '9007199254740993', '18446744073709551616', '123456789012345', '1234567890123456') },
  { weight: 3, arbitrary: fc.constantFrom('99999999999999999999', '999999999999999999999', '-5', '+5', '1e3', '0x1F', '--', '#x', 'a#b', '{"message":"x"}', '{x', '2021-03-26T03:28:12.000Z') },
  { weight: 2, arbitrary: fc.constantFrom('"', 'a"b', 'back\\slash', '\u0001', '\u007f', 'é', '😀', '\ud800', '\u2028', '__proto__', 'constructor', '\ufeff1') },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 22n }).map(String) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).filter((s) => !/[\s\r\n]/.test(s)) },
);

/** Clean generated records of each kind, as cells, and their field names. */
const CLEAN = KINDS.map((kind) => ({
  names: FIELD_NAMES[kind],
  records: generate({ kind, bytes: 20_000, seed: 3, malformedRate: 0 }).split('\n').filter((line) => /^\d/.test(line)).map((line) => line.split(' ')),
}));

/**
 * A clean record with a few cells replaced, maybe a column short or long, maybe rotated so that
 * a string column comes first, with one space between values or not, and something around it.
 */
const randomRecord = fc
  .record({
    kind: fc.nat(KINDS.length - 1),
    pick: fc.nat(),
    rotate: fc.boolean(),
    changes: fc.array(fc.record({ at: fc.nat(), value: cell }), { maxLength: 2 }),
    widthChange: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1) }),
    separator: fc.oneof({ weight: 8, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: fc.constantFrom('  ', '\t') }),
    around: fc.oneof(
      { weight: 8, arbitrary: fc.constant(['', '']) },
      { weight: 1, arbitrary: fc.constantFrom([' ', ''], ['', ' '], ['', ' # note'], ['2021-03-26T03:28:12.000Z ', ''], ['{"message":"', '"}'], ['\ufeff', '']) },
    ),
  })
  .map(({ kind, pick, rotate, changes, widthChange, separator, around }) => {
    const { names, records } = CLEAN[kind];
    const cells = [...records[pick % records.length]];
    for (const { at, value } of changes) cells[at % cells.length] = value;
    if (widthChange < 0) cells.pop();
    if (widthChange > 0) cells.push('1');
    const turn = <T>(list: readonly T[]): T[] => (rotate ? [...list.slice(1), list[0]] : [...list]);
    return { format: turn(names).join(' '), line: around[0] + turn(cells).join(separator) + around[1] };
  });

describe('RecordJsonWriter', () => {
  it('writes typed values: integers as they stand, without leading zeros, past 2^53 with all digits; - as null', () => {
    const writer = new RecordJsonWriter();
    const [record] = parsedRecords('2 123456789010 eni-1 1.2.3.4 ::1 007 - 6 9007199254740993 99999999999999999999999 1 2 ACCEPT OK\n', 'default');
    const json = writer.record(record.line, 0, record.line.length, record.parsed.format) ?? '';
    assert.match(json, /"srcport":7,"dstport":null,"protocol":6,"packets":9007199254740993,"bytes":99999999999999999999999,/);
    assert.equal(json, referenceJson(record.parsed));
  });

  it('a value of an integer field that is not an integer is null, never a string, and its record is counted', () => {
    const writer = new RecordJsonWriter();
    const text = [
      '2 123456789010 eni-1 1.2.3.4 5.6.7.8 2O 443 6 -1 +5 1 1e3 ACCEPT OK',
      '2 123456789010 eni-1 1.2.3.4 5.6.7.8 20 443 6 1 5 1 2 ACCEPT OK',
      '2O 123456789010 eni-1 1.2.3.4 5.6.7.8 20 443 6 1 5 1 2 ACCEPT OK',
    ].join('\n');
    const records = parsedRecords(`${text}\n`, 'default');
    const json = records.map(({ line, parsed }) => {
      assert.equal(writer.appendLine(line, 0, line.length, parsed.format), true);
      return JSON.parse(decoder.decode(writer.take()));
    });
    assert.deepEqual([json[0].srcport, json[0].dstport, json[0].packets, json[0].bytes, json[0].start, json[0].end], [null, 443, null, null, 1, null]);
    assert.equal(json[1].srcport, 20);
    assert.equal(json[2].version, null);
    assert.equal(writer.badIntegerRecords, 2);
    for (const { parsed } of records) assert.equal(writer.parsed(parsed), referenceJson(parsed));
    assert.equal(writer.badIntegerRecords, 4);
  });

  it('escapes what JSON must escape and keeps other characters', () => {
    const writer = new RecordJsonWriter();
    const line = '2 123456789010 eni-"x" a\\b \u0001 1 2 6 1 1 1 1 é\ud800 OK';
    const [record] = parsedRecords(`${line}\n`, 'default');
    const json = writer.record(line, 0, line.length, record.parsed.format) ?? '';
    assert.match(json, /"interface-id":"eni-\\"x\\"","srcaddr":"a\\\\b","dstaddr":"\\u0001",.*"action":"é\\ud800"/);
    assert.equal(json, referenceJson(record.parsed));
  });

  it('a repeated name keeps its first place and its last value, as recordObject does', () => {
    const writer = new RecordJsonWriter();
    const [record] = parsedRecords('version version srcaddr\n2 3 1.1.1.1\n');
    assert.equal(writer.record(record.line, 0, record.line.length, record.parsed.format), '{"version":3,"srcaddr":"1.1.1.1"}');
  });

  it('lines the one-pass copy must leave to the scanner come out as before', () => {
    const writer = new RecordJsonWriter();
    // String columns, so that a timestamp or a blank is not caught as a non-digit in an integer column.
    const strings = ['2021-03-26T03:28:12.000Z 1.1.1.1 2.2.2.2 ACCEPT', '2021-03-26T03:28:12.000Z 1.1.1.1 2.2.2.2 ACCEPT OK', '1.1.1.1  2.2.2.2 ACCEPT'];
    assert.equal(compareWriter(writer, `${strings.join('\n')}\n`, 'srcaddr dstaddr action log-status'), 1);
    const stringFirst = 'srcaddr dstaddr srcport action';
    const lines = [
      '1.1.1.1  2.2.2.2 443',
      ' 1.1.1.1 2.2.2.2 443',
      '1.1.1.1 2.2.2.2 443 ',
      '1.1.1.1 #2.2.2.2 443 ACCEPT',
      '1.1.1.1 2.2.2.2 443 ACCEPT #',
      '{"message":"1.1.1.1 2.2.2.2 443 ACCEPT"}',
      '1.1.1.1 2.2.2.2 -5 ACCEPT',
      '1.1.1.1 2.2.2.2 - -',
      '1.1.1.1\t2.2.2.2 443 ACCEPT',
    ];
    assert.equal(compareWriter(writer, `${lines.join('\n')}\n`, stringFirst), 5);
  });

  it('same bytes as the old route on generated files of every kind, with damaged lines', () => {
    const writer = new RecordJsonWriter();
    for (const kind of KINDS) {
      const compared = compareWriter(writer, generate({ kind, bytes: 400_000, seed: 11, malformedRate: 0.02 }));
      assert.ok(compared > 500, `${kind}: ${compared} records`);
    }
  });

  it('same bytes on every conformance file, with each explicit format', () => {
    const writer = new RecordJsonWriter();
    let compared = 0;
    for (const text of REAL_DOCUMENTS) {
      for (const format of [undefined, 'default', 'all-v5', 'tgw-default']) compared += compareWriter(writer, text, format);
    }
    assert.ok(compared > 50, String(compared));
  });

  it('same bytes on random records, clean ones with a few odd cells (property)', () => {
    const writer = new RecordJsonWriter();
    check(
      'record-json-random-records',
      fc.property(fc.array(randomRecord, { minLength: 1, maxLength: 12 }), (records) => {
        for (const { format, line } of records) compareWriter(writer, `${line}\n`, format);
      }),
    );
  });

  it('same bytes on random documents (property)', () => {
    const writer = new RecordJsonWriter();
    check(
      'record-json-documents',
      fc.property(anyDocumentText, explicitFormat, (text, format) => void compareWriter(writer, text, format)),
    );
  });
});

describe('JsonLinesStream (flowlog parse)', () => {
  /** What the old route wrote after each chunk, and what the new one writes. */
  function both(chunks: readonly string[], options: { explicitFormat?: string; maxLineLength?: number }): void {
    const old: string[] = [];
    const oldOverlong: number[] = [];
    const stream = new FlowLogStream(
      { record: (parsed, wellFormed) => void (wellFormed && old.push(`${referenceJson(parsed)}\n`)), overlong: (line) => void oldOverlong.push(line) },
      { ...options, validate: false, parse: true },
    );
    let written = '';
    const overlong: number[] = [];
    const formats: string[][] = [];
    const lines = new JsonLinesStream(
      { format: (format) => void formats.push([...format.names]), write: (bytes) => void (written += decoder.decode(bytes)), overlong: (line) => void overlong.push(line) },
      options,
    );
    for (const chunk of chunks) {
      stream.push(chunk);
      lines.push(chunk);
      // A run cut short (a failed read) must have written the same records so far.
      assert.equal(written, old.join(''), `after ${JSON.stringify(chunk)}`);
    }
    stream.end();
    lines.end();
    assert.equal(written, old.join(''));
    assert.equal(lines.malformed, stream.stats.malformed);
    assert.deepEqual(overlong, oldOverlong);
    assert.deepEqual(formats, stream.format ? [[...stream.format.names]] : []);
  }

  it('writes the same records at the same points however the text is cut (property)', () => {
    check(
      'record-json-stream-chunks',
      fc.property(
        anyDocumentText,
        explicitFormat,
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.option(fc.integer({ min: 1, max: 120 })),
        (text, format, cuts, maxLineLength) => {
          const chunks: string[] = [];
          for (let at = 0, k = 0; at < text.length; k++) {
            const size = cuts[k % cuts.length];
            chunks.push(text.slice(at, at + size));
            at += size;
          }
          both(chunks, { explicitFormat: format, maxLineLength: maxLineLength ?? undefined });
        },
      ),
    );
  });

  it('the same on generated files in 64 KB chunks, and past a batch of carried lines', () => {
    for (const kind of KINDS) {
      const text = generate({ kind, bytes: 300_000, seed: 5, malformedRate: 0.02 });
      const chunks = Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) => text.slice(i * 65536, (i + 1) * 65536));
      both(chunks, {});
      both(text.match(/[^]{1,777}/g) ?? [], { maxLineLength: 200 });
    }
  });
});

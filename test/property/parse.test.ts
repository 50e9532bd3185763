/**
 * Properties of line parsing: tokens lie inside their line in order and are the line's text,
 * tokenAt finds the token under a character, recordObject agrees with the tokens, and a valid
 * record re-joined with single spaces gives back its tokens and its values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lookupField } from '../../server/src/catalog/fields';
import { typedValue } from '../../server/src/catalog/values';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { lineText as textOfLine } from '../../server/src/service/lines';
import { parseLine, recordObject, tokenAt, type ParsedLine, TIMESTAMP_KEY } from '../../server/src/service/parse';
import { anyDocumentText, check, explicitFormat, lineLength, REAL_RECORDS, V2_HEADER } from './arbitraries';

function assertParsedLineInside(doc: FlowLogDocument, parsed: ParsedLine): void {
  const { line } = parsed;
  const length = lineLength(doc, line);
  const lineText = textOfLine(doc.lines, line);
  let previousEnd = 0;
  parsed.tokens.forEach((token, i) => {
    assert.equal(token.index, i, 'tokens numbered in order');
    assert.ok(token.start >= previousEnd && token.start < token.end && token.end <= length, `token ${i} [${token.start}, ${token.end}) in a line of ${length}`);
    assert.equal(token.text, lineText.slice(token.start, token.end), 'token text is the line text');
    assert.ok(!/[ \t]/.test(token.text), 'no separator inside a token');
    assert.equal(token.name, parsed.format.names[i] ?? `column-${i + 1}`);
    previousEnd = token.end;
  });
  if (parsed.timestamp) {
    assert.ok(parsed.timestamp.start >= 0 && parsed.timestamp.start < parsed.timestamp.end && parsed.timestamp.end <= (parsed.tokens[0]?.start ?? length));
  }
  if (parsed.commentStart !== undefined) {
    assert.ok(parsed.commentStart >= previousEnd && parsed.commentStart < length && lineText[parsed.commentStart] === '#', 'comment after the tokens');
  }
  for (const name of parsed.names ?? []) {
    assert.ok(name.start >= 0 && name.start < name.end && name.end <= length, `declared name [${name.start}, ${name.end}) in a line of ${length}`);
  }
}

describe('parseLine, tokenAt, recordObject (property)', () => {
  it('every line of any text parses to tokens inside the line, in order, equal to its text', () => {
    check(
      'parse-every-line',
      fc.property(anyDocumentText, explicitFormat, (text, format) => {
        const doc = new FlowLogDocument(text, format);
        for (let line = 0; line < doc.lines.lineCount; line++) {
          const parsed = parseLine(doc, line);
          assert.equal(parsed.line, line);
          if (parsed.kind !== 'record') assert.equal(parsed.tokens.length, 0, `a ${parsed.kind} line has no record tokens`);
          assertParsedLineInside(doc, parsed);
          assert.deepEqual(parseLine(doc, line), parsed, 'deterministic');
        }
      }),
    );
  });

  it('lines outside the document parse as blank; non-integer lines do not throw', () => {
    check(
      'parse-outside',
      fc.property(anyDocumentText, fc.oneof(fc.integer({ min: -5, max: -1 }), fc.integer({ min: 0, max: 5 }), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, 0.5)), (text, offset) => {
        const doc = new FlowLogDocument(text);
        const line = Number.isInteger(offset) && offset >= 0 ? doc.lines.lineCount + offset : offset;
        const parsed = parseLine(doc, line);
        // Non-integers are not lines: they only must not throw.
        if (!Number.isInteger(line)) return;
        assert.equal(parsed.kind, 'blank');
        assert.deepEqual(parsed.tokens, []);
      }), 20);
  });

  it('tokenAt returns the token under the character, or nothing between tokens', () => {
    check(
      'token-at',
      fc.property(anyDocumentText, fc.nat(), fc.integer({ min: -3, max: 400 }), (text, lineSeed, character) => {
        const doc = new FlowLogDocument(text);
        const parsed = parseLine(doc, lineSeed % doc.lines.lineCount);
        const token = tokenAt(parsed, character);
        const touching = parsed.tokens.filter((t) => character >= t.start && character <= t.end);
        if (touching.length === 0) assert.equal(token, undefined);
        else assert.ok(token !== undefined && touching.includes(token), `token at ${character}`);
        const inside = parsed.tokens.find((t) => character > t.start && character < t.end);
        if (inside) assert.equal(token, inside, 'strictly inside a token: that token');
      }),
    );
  });

  it('recordObject maps each name to the typed value of its token', () => {
    check(
      'record-object',
      fc.property(anyDocumentText, fc.nat(), (text, lineSeed) => {
        const doc = new FlowLogDocument(text);
        const parsed = parseLine(doc, lineSeed % doc.lines.lineCount);
        const object = recordObject(parsed);
        const expected = new Map<string, unknown>();
        // A CloudWatch Logs time in front of the record comes first, in milliseconds.
        if (parsed.timestamp) expected.set(TIMESTAMP_KEY, Number.isFinite(parsed.timestamp.millis) ? parsed.timestamp.millis : null);
        for (const token of parsed.tokens) expected.set(token.name, token.value);
        assert.deepEqual(new Map(Object.entries(object)), expected);
        for (const token of parsed.tokens) {
          if (token.index < parsed.format.names.length) assert.deepEqual(token.value, typedValue(token.field, token.text));
          else assert.equal(token.value, token.text, 'a value past the format width stays text');
        }
      }),
    );
  });
});

// ---- round trip of valid records ----------------------------------------------------------------

const hex = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: min, maxLength: max });

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'));

/** A valid default-format (v2) record: values that fit each field and agree with each other. */
const validV2Record = fc
  .record({
    account: fc.oneof(fc.stringMatching(/^\d{12}$/), fc.constant('unknown')),
    eni: fc.oneof(hex(8, 8), hex(17, 17)).map((body) => `eni-${body}`),
    src: fc.oneof(ipv4, fc.ipV6()),
    dst: fc.oneof(ipv4, fc.ipV6()),
    srcport: fc.integer({ min: 0, max: 65535 }),
    dstport: fc.integer({ min: 0, max: 65535 }),
    protocol: fc.integer({ min: 0, max: 255 }),
    packets: fc.nat(),
    bytes: fc.maxSafeNat(),
    start: fc.integer({ min: 1_000_000_000, max: 4_102_444_800 - 600 }),
    window: fc.integer({ min: 0, max: 600 }),
    action: fc.constantFrom('ACCEPT', 'REJECT'),
  })
  .map((r) => ({
    ...r,
    text: ['2', r.account, r.eni, r.src, r.dst, r.srcport, r.dstport, r.protocol, r.packets, r.bytes, r.start, r.start + r.window, r.action, 'OK'].join(' '),
  }));

/** Blanks that a sloppy export puts between, before and after values. */
const blanks = fc.constantFrom(' ', '  ', '\t', ' \t ', '   ');

describe('round trip of valid records (property)', () => {
  it('a generated valid v2 record has no problems and parses back to its values', () => {
    check(
      'round-trip-generated-v2',
      fc.property(fc.array(validV2Record, { minLength: 1, maxLength: 5 }), fc.boolean(), (records, header) => {
        const text = (header ? [V2_HEADER] : []).concat(records.map((r) => r.text)).join('\n');
        const doc = new FlowLogDocument(text);
        assert.deepEqual(collectProblems(doc), [], text);
        const first = header ? 1 : 0;
        records.forEach((r, i) => {
          const parsed = parseLine(doc, first + i);
          assert.equal(parsed.kind, 'record');
          assert.equal(parsed.tokens.map((t) => t.text).join(' '), r.text, 'tokens re-joined give the record');
          const object = recordObject(parsed);
          assert.equal(object.srcport, r.srcport);
          assert.equal(object.bytes, r.bytes);
          assert.equal(object.end, r.start + r.window);
          assert.equal(object['account-id'], r.account, 'account ids stay strings');
          assert.equal(object.srcaddr, r.src);
        });
      }),
    );
  });

  it('a real record re-spaced with runs of blanks parses to the same tokens, which re-join to the record', () => {
    check(
      'round-trip-respaced-real',
      fc.property(fc.constantFrom(...REAL_RECORDS), fc.array(blanks, { minLength: 60, maxLength: 60 }), fc.boolean(), (record, gaps, edges) => {
        const fields = record.replace(/\s+#.*$/, '').split(/\s+/);
        const respaced = (edges ? gaps[59] : '') + fields.map((f, i) => (i === 0 ? f : gaps[i % 59] + f)).join('') + (edges ? gaps[58] : '');
        const canonical = new FlowLogDocument(fields.join(' '));
        const sloppy = new FlowLogDocument(respaced, canonical.formats.primary.names.join(' '));
        const parsed = parseLine(sloppy, 0);
        assert.deepEqual(parsed.tokens.map((t) => t.text), fields);
        assert.equal(parsed.tokens.map((t) => t.text).join(' '), fields.join(' '));
        assert.deepEqual(recordObject(parsed), recordObject(parseLine(new FlowLogDocument(fields.join(' '), canonical.formats.primary.names.join(' ')), 0)));
      }),
    );
  });

  it('typed values are exact: integer fields give numbers up to 2^53 and exact bigints past it', () => {
    const spec = lookupField('bytes');
    check(
      'typed-value-exact',
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), (n) => {
        const value = typedValue(spec, n.toString());
        if (n <= BigInt(Number.MAX_SAFE_INTEGER)) assert.equal(value, Number(n));
        else assert.equal(value, n);
      }), 20);
  });

  it('recordObject keeps a column whose name is __proto__ (a header is untrusted input)', () => {
    const doc = new FlowLogDocument('version __proto__ srcaddr\n2 x 10.0.0.1\n');
    assert.deepEqual(Object.keys(recordObject(parseLine(doc, 1))), ['version', '__proto__', 'srcaddr']);
  });
});

/**
 * Shared pieces of the property tests: the run settings, generators of flow log text (arbitrary
 * unicode, and real records from shared/conformance mutated the ways files break in practice),
 * and the checks every result must pass (ranges inside the document).
 *
 * FLOWLOG_FUZZ_RUNS (default 200) sets the cases per property and FLOWLOG_FUZZ_SEED (default
 * fixed) the seed; `npm run fuzz` raises the first and randomises the second.
 */
import { CONFORMANCE_DIR } from '../fixtures/paths';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { KNOWN_LAYOUTS } from '../../server/src/catalog/layouts';
import type { FlowLogDocument } from '../../server/src/service/document';
import { LineIndex, type Position, type Range } from '../../server/src/service/lines';

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name}=${raw} is not an integer`);
  return value;
}

export const RUNS = Math.max(1, envInteger('FLOWLOG_FUZZ_RUNS', 200));
export const SEED = envInteger('FLOWLOG_FUZZ_SEED', 20260525);

/**
 * Runs a property with the suite's seed and run count. Each property gets its own seed derived
 * from the name, so adding a property does not change the cases of the others. With
 * FLOWLOG_FUZZ_TALLY set to a file, the number of cases run is appended there (RELIABILITY.md).
 */
export function check<T>(name: string, property: fc.IProperty<T>, weight = 1): void {
  let seed = SEED;
  for (let i = 0; i < name.length; i++) seed = (Math.imul(seed, 31) + name.charCodeAt(i)) | 0;
  // Cheap properties (a catalog function, one line) run `weight` times as many cases as those
  // that build documents, so that a CI run tries over 100,000 cases in about a minute.
  const details = fc.check(property, { seed, numRuns: Math.max(1, Math.round(RUNS * weight)) });
  const tally = process.env.FLOWLOG_FUZZ_TALLY;
  if (tally) appendFileSync(tally, `${name}\t${details.numRuns}\n`);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${name} (suite seed ${SEED}): ${cause}\n${fc.defaultReportMessage(details)}`, { cause: details.errorInstance });
  }
}

// ---- real data --------------------------------------------------------------------------------

const CONFORMANCE = CONFORMANCE_DIR;

/** Every conformance file with records, as a document text (comments and headers included). */
export const REAL_DOCUMENTS: readonly string[] = readdirSync(CONFORMANCE, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(join(CONFORMANCE, dir.name))
      .filter((file) => /\.(txt|log)$/.test(file))
      .map((file) => readFileSync(join(CONFORMANCE, dir.name, file), 'utf8')),
  );

/** Every record line of the conformance files (several formats). */
export const REAL_RECORDS: readonly string[] = REAL_DOCUMENTS.flatMap((text) =>
  text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#') && /^[\d-]/.test(line)),
);

/** Header lines: those of the conformance files and one per known layout. */
export const HEADERS: readonly string[] = [
  ...REAL_DOCUMENTS.flatMap((text) => text.split(/\r?\n/).filter((line) => /^[a-z][a-z-]+ [a-z]/.test(line))),
  ...KNOWN_LAYOUTS.map((layout) => layout.fields.join(' ')),
];

export const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
export const V2_RECORD = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

/** Distinct tokens of the real records: fragments for generated text. */
const REAL_TOKENS: readonly string[] = [...new Set(REAL_RECORDS.flatMap((line) => line.split(/\s+/)).filter(Boolean))];

// ---- text -------------------------------------------------------------------------------------

/** Lone surrogates: invalid UTF-16 that editors still hand over. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Any code points, lone surrogates included. */
export const unicodeText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogate), maxLength: 100 }),
);

const EOLS = ['\n', '\r\n', '\r'] as const;

/** Pieces that steer the scanner into its special cases. */
const SPECIAL = [
  ' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '\r', '-', '#', '# fields: ', '# format: ', '{"message":"', '{"message": "', '"}',
  '\ufeff', '\0', '\u00a0', '${', '}', '2018-09-22T20:28:14.000Z ', '0K', 'ACCEPT', 'NODATA', '::', '.',
] as const;

/** Text made of real tokens, headers, separators and odd characters: mostly flow-log shaped. */
export const flowishText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...REAL_TOKENS) },
      { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
      { weight: 1, arbitrary: fc.constantFrom(...HEADERS) },
      { weight: 1, arbitrary: fc.constantFrom(...REAL_RECORDS) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

// ---- mutations of real records ------------------------------------------------------------------

const LOOK_ALIKES: Readonly<Record<string, string>> = {
  a: '\u0430', c: '\u0441', e: '\u0435', i: '\u0456', o: '\u043e', p: '\u0440', x: '\u0445', b: '\u0184',
  '0': 'O', '1': 'l', '-': '\u2010', '.': '\u2024', ':': '\u2236', K: '\u041a', O: '\u041e', T: '\u0422',
};

/** Replaces the first look-alike-able character at or after `at` (a Cyrillic letter in an id). */
export function lookAlike(value: string, at: number): string {
  for (let k = 0; k < value.length; k++) {
    const i = (at + k) % value.length;
    const swap = LOOK_ALIKES[value[i]];
    if (swap) return value.slice(0, i) + swap + value.slice(i + 1);
  }
  return value;
}

/** Values a corrupted field may take. */
const badValue = fc.oneof(
  fc.bigInt({ min: 2n ** 53n - 5n, max: 10n ** 30n }).map(String),
  fc.bigInt({ min: -(10n ** 25n), max: -1n }).map(String),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('', '-', '--', '0x1F', '1e9', '+5', '007', '65536', '256', '4294967296', 'NaN', '0K', 'accept', 'Ok', 'IPv5', '::', '1.2.3', '999.1.1.1', 'eni-', 'unknown'),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => String.fromCharCode(...bytes)),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

type FieldOp =
  | { op: 'drop' | 'duplicate'; at: number }
  | { op: 'swap'; at: number; other: number }
  | { op: 'corrupt'; at: number; value: string }
  | { op: 'lookAlike'; at: number; char: number };

const fieldOp: fc.Arbitrary<FieldOp> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('corrupt' as const), at: fc.nat(), value: badValue }),
  fc.record({ op: fc.constant('lookAlike' as const), at: fc.nat(), char: fc.nat() }),
);

function applyFieldOp(fields: string[], op: FieldOp): string[] {
  if (fields.length === 0) return fields;
  const at = op.at % fields.length;
  const out = [...fields];
  switch (op.op) {
    case 'drop':
      out.splice(at, 1);
      break;
    case 'duplicate':
      out.splice(at, 0, out[at]);
      break;
    case 'swap': {
      const other = op.other % fields.length;
      [out[at], out[other]] = [out[other], out[at]];
      break;
    }
    case 'corrupt':
      out[at] = op.value;
      break;
    case 'lookAlike':
      out[at] = lookAlike(out[at], op.char);
      break;
  }
  return out;
}

type LineOp =
  | { op: 'fields'; at: number; ops: FieldOp[] }
  | { op: 'drop' | 'duplicate' | 'join' | 'iso' | 'wrap' | 'trailing' | 'tabs' | 'double' | 'blank' | 'comment'; at: number }
  | { op: 'swap'; at: number; other: number }
  | { op: 'split'; at: number; field: number }
  | { op: 'header'; at: number; header: string }
  | { op: 'insert'; at: number; text: string };

const lineOp: fc.Arbitrary<LineOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('fields' as const), at: fc.nat(), ops: fc.array(fieldOp, { minLength: 1, maxLength: 3 }) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom('drop', 'duplicate', 'join', 'iso', 'wrap', 'trailing', 'tabs', 'double', 'blank', 'comment') as fc.Arbitrary<
        'drop' | 'duplicate' | 'join' | 'iso' | 'wrap' | 'trailing' | 'tabs' | 'double' | 'blank' | 'comment'
      >,
      at: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('split' as const), at: fc.nat(), field: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('header' as const), at: fc.nat(), header: fc.constantFrom(...HEADERS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: unicodeText }) },
);

function applyLineOp(lines: string[], op: LineOp): string[] {
  const out = [...lines];
  if (out.length === 0) out.push('');
  const at = op.at % out.length;
  const line = out[at];
  switch (op.op) {
    case 'fields':
      out[at] = op.ops.reduce(applyFieldOp, line.split(' ')).join(' ');
      break;
    case 'drop':
      out.splice(at, 1);
      break;
    case 'duplicate':
      out.splice(at, 0, line);
      break;
    case 'swap': {
      const other = op.other % out.length;
      [out[at], out[other]] = [out[other], out[at]];
      break;
    }
    case 'join':
      if (at + 1 < out.length) out.splice(at, 2, `${line} ${out[at + 1]}`);
      break;
    case 'split': {
      const fields = line.split(' ');
      const cut = op.field % (fields.length + 1);
      out.splice(at, 1, fields.slice(0, cut).join(' '), fields.slice(cut).join(' '));
      break;
    }
    case 'iso':
      out[at] = `2021-03-26T03:28:12.000Z ${line}`;
      break;
    case 'wrap':
      out[at] = `{"message":"${line}"}`;
      break;
    case 'trailing':
      out[at] = `${line}   `;
      break;
    case 'tabs':
      out[at] = line.replace(/ /g, '\t');
      break;
    case 'double':
      out[at] = line.replace(' ', '  ');
      break;
    case 'blank':
      out.splice(at, 0, '');
      break;
    case 'comment':
      out.splice(at, 0, '# a comment');
      break;
    case 'header':
      out.splice(at, 0, op.header);
      break;
    case 'insert': {
      const cut = line.length === 0 ? 0 : op.at % (line.length + 1);
      out[at] = line.slice(0, cut) + op.text + line.slice(cut);
      break;
    }
  }
  return out;
}

/** Joins lines with line breaks chosen per line (LF, CRLF, lone CR), maybe a BOM and a final break. */
const joinLines = fc
  .record({ eols: fc.array(fc.constantFrom(...EOLS), { minLength: 1, maxLength: 4 }), bom: fc.boolean(), final: fc.boolean() })
  .map(({ eols, bom, final }) => (lines: string[]): string => {
    let text = bom ? '\ufeff' : '';
    lines.forEach((line, i) => {
      text += line;
      if (i < lines.length - 1 || final) text += eols[i % eols.length];
    });
    return text;
  });

/** Lines of a starting document: a real file, or real records of one or several formats, maybe under a header. */
const baseLines = fc.oneof(
  fc.constantFrom(...REAL_DOCUMENTS).map((text) => text.split(/\r?\n/)),
  fc.record({ header: fc.option(fc.constantFrom(...HEADERS)), records: fc.array(fc.constantFrom(...REAL_RECORDS), { minLength: 1, maxLength: 8 }) }).map(
    ({ header, records }) => (header ? [header, ...records] : records),
  ),
);

/** A real flow log broken the ways files break: dropped, duplicated, swapped, corrupted fields and lines. */
export const mutatedFlowLog = fc
  .record({ lines: baseLines, ops: fc.array(lineOp, { maxLength: 6 }), join: joinLines })
  .map(({ lines, ops, join }) => join(ops.reduce(applyLineOp, lines)));

/** All the kinds of document text, for properties that must hold for any input. */
export const anyDocumentText = fc.oneof({ weight: 1, arbitrary: unicodeText }, { weight: 2, arbitrary: flowishText }, { weight: 4, arbitrary: mutatedFlowLog });

/** An explicit format setting: none, a layout id, a field list or nonsense. */
export const explicitFormat = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom(...KNOWN_LAYOUTS.map((layout) => layout.id), 'DEFAULT', ' default ', '') },
  { weight: 1, arbitrary: fc.constantFrom(...HEADERS) },
  { weight: 1, arbitrary: fc.constantFrom(...HEADERS).map((header) => header.replace(/-/g, '_')) },
  { weight: 1, arbitrary: fc.constantFrom(...HEADERS).map((header) => header.split(' ').map((name) => `\${${name}}`).join(' ')) },
  { weight: 1, arbitrary: unicodeText },
);

/** A position anywhere, most of them near or inside a small document, some far outside it. */
export const anyPosition = fc.record({
  line: fc.oneof(fc.integer({ min: -2, max: 30 }), fc.integer()),
  character: fc.oneof(fc.integer({ min: -2, max: 400 }), fc.integer()),
});

// ---- checks -----------------------------------------------------------------------------------

export function lineLength(doc: FlowLogDocument, line: number): number {
  return doc.lines.lineEnd(line) - doc.lines.lineStart(line);
}

export function assertPositionInside(doc: FlowLogDocument, position: Position, what: string): void {
  const { line, character } = position;
  assert.ok(Number.isInteger(line) && Number.isInteger(character), `${what}: integer position ${JSON.stringify(position)}`);
  assert.ok(line >= 0 && line < doc.lines.lineCount, `${what}: line ${line} outside 0..${doc.lines.lineCount - 1}`);
  const length = lineLength(doc, line);
  assert.ok(character >= 0 && character <= length, `${what}: character ${character} outside 0..${length} on line ${line}`);
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function assertRangeInside(doc: FlowLogDocument, range: Range, what: string): void {
  assertPositionInside(doc, range.start, `${what} start`);
  assertPositionInside(doc, range.end, `${what} end`);
  assert.ok(comparePositions(range.start, range.end) <= 0, `${what}: start after end ${JSON.stringify(range)}`);
}

/** Applies LSP text edits (non-overlapping, positions in the original text) to the text. */
export function applyTextEdits(doc: FlowLogDocument, edits: readonly { range: Range; newText: string }[]): string {
  const text = doc.getText();
  const index = new LineIndex(text);
  const spans = edits
    .map((edit) => ({ start: index.offsetAt(edit.range.start), end: index.offsetAt(edit.range.end), text: edit.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) assert.fail(`edits overlap: ${JSON.stringify(spans.slice(i - 1, i + 1))}`);
  }
  const parts: string[] = [];
  let at = 0;
  for (const span of spans) {
    parts.push(text.slice(at, span.start), span.text);
    at = span.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

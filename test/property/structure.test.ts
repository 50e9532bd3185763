/**
 * Properties of the document structure and Go to Time: on any text, the structure, folding ranges
 * and symbols never throw and stay inside the document; read a slice at a time it is the same as
 * in one go; and Go to Time finds the same record as a plain reading of every record, whether it
 * bisects (records sorted by start) or scans, with blank lines, comments, repeated headers and
 * JSON lines of several records among them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FlowLogDocument } from '../../server/src/service/document';
import { foldingRanges } from '../../server/src/service/folding';
import { buildStructure, StructureScan } from '../../server/src/service/structure';
import { documentSymbols } from '../../server/src/service/symbols';
import { findTime } from '../../server/src/service/timeSearch';
import { anyDocumentText, assertRangeInside, check, V2_HEADER } from './arbitraries';

const T0 = 1_700_000_000;

function record(start: number, duration: number, eni: number): string {
  return `2 123456789010 eni-${eni} 10.0.0.1 10.0.0.2 443 49152 6 10 840 ${start} ${start + duration} ACCEPT OK`;
}

/** A line between records: a record, a blank, a comment, the header again, or a subscription envelope of two records. */
const item = fc.record({
  gap: fc.integer({ min: 0, max: 120 }),
  duration: fc.integer({ min: 0, max: 700 }),
  eni: fc.integer({ min: 0, max: 3 }),
  shape: fc.constantFrom('record', 'record', 'record', 'blank', 'comment', 'header', 'json'),
});

interface Built {
  text: string;
  /** Every record in line order: its line, start and end (seconds). */
  records: { line: number; start: number; end: number }[];
}

function build(items: { gap: number; duration: number; eni: number; shape: string }[], shuffle: boolean): Built {
  const lines = [V2_HEADER];
  const records: Built['records'] = [];
  let time = T0;
  for (const [index, { gap, duration, eni, shape }] of items.entries()) {
    // Unsorted: every third record starts well before the previous ones.
    const start = shuffle && index % 3 === 2 ? time - 900 : (time += gap);
    if (shape === 'blank') lines.push('');
    else if (shape === 'comment') lines.push('# note');
    else if (shape === 'header') lines.push(V2_HEADER);
    else if (shape === 'json') {
      const events = [0, 1].map((k) => `{"id":"${k}","timestamp":${(start + k) * 1000},"message":"${record(start + k, duration, eni)}"}`).join(',');
      lines.push(`{"messageType":"DATA_MESSAGE","logEvents":[${events}]}`);
      records.push({ line: lines.length - 1, start, end: start + duration }, { line: lines.length - 1, start: start + 1, end: start + 1 + duration });
    } else {
      lines.push(record(start, duration, eni));
      records.push({ line: lines.length - 1, start, end: start + duration });
    }
  }
  return { text: lines.join('\n'), records };
}

/** What Go to Time must find: the first record in line order containing the time, else the earliest start after it. */
function expected(records: Built['records'], seconds: number): number | undefined {
  const containing = records.find((r) => r.start <= seconds && r.end >= seconds);
  if (containing) return containing.line;
  let next: Built['records'][number] | undefined;
  for (const r of records) if (r.start > seconds && (!next || r.start < next.start)) next = r;
  return next?.line;
}

describe('document structure (properties)', () => {
  it('never throws on any text, and what it returns lies inside the document', () => {
    check(
      'structure: inside the document',
      fc.property(anyDocumentText, (text) => {
        const doc = new FlowLogDocument(text);
        const structure = buildStructure(doc);
        for (const range of foldingRanges(structure)) assert.ok(range.startLine < range.endLine && range.endLine < doc.lines.lineCount);
        const visit = (symbols: ReturnType<typeof documentSymbols>): void => {
          for (const symbol of symbols) {
            assertRangeInside(doc, symbol.range, 'symbol range');
            assertRangeInside(doc, symbol.selectionRange, 'selection range');
            visit(symbol.children ?? []);
          }
        };
        visit(documentSymbols(structure, doc.lines));
      }),
    );
  });

  it('is the same read a slice at a time as in one go', () => {
    check(
      'structure: slices',
      fc.property(anyDocumentText, fc.integer({ min: 1, max: 5 }), (text, slice) => {
        const doc = new FlowLogDocument(text);
        const scan = new StructureScan(doc);
        while (!scan.advance(slice));
        assert.deepEqual(scan.structure, buildStructure(doc));
      }),
    );
  });

  it('Go to Time finds the record a plain reading finds, bisecting or scanning', () => {
    check(
      'structure: go to time',
      fc.property(fc.array(item, { minLength: 1, maxLength: 60 }), fc.boolean(), fc.integer({ min: -1000, max: 8000 }), (items, shuffle, offset) => {
        const { text, records } = build(items, shuffle);
        const doc = new FlowLogDocument(text);
        const structure = buildStructure(doc);
        const seconds = T0 + offset;
        const result = findTime(doc, structure, seconds * 1000);
        if (records.length === 0) return assert.equal(result.match, undefined);
        const first = Math.min(...records.map((r) => r.start));
        const last = Math.max(...records.map((r) => r.end));
        if (seconds < first || seconds > last) return assert.equal(result.match, undefined);
        assert.equal(result.match?.line, expected(records, seconds));
        assert.equal(result.match?.method, structure.sortedByStart ? 'bisection' : 'scan');
      }),
      0.5,
    );
  });
});

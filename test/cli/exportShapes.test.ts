/**
 * The corpus of export shapes (test/fixtures/export-shapes, written by its generate.mjs): every
 * file read by `flowlog parse` and by the language service must give exactly the expected
 * records, `flowlog lint` and the service must report exactly the expected problems, and nothing
 * is lost silently: the records parsed plus the records the problems stand for make the records
 * in the file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { doHover } from '../../server/src/service/hover';
import { parseLine, recordObject } from '../../server/src/service/parse';
import { ROOT, runCli } from './helpers';

const DIR = path.join(ROOT, 'test', 'fixtures', 'export-shapes');

interface Entry {
  description: string;
  recordsInFile: number;
  parsed: number;
  lost: number;
  problems: Record<string, number>;
  gzip?: string;
  /** Columns (1-based) that inference can only guess: parse says so, and they are marked ambiguous. */
  guesses?: number[];
}

const MANIFEST = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as Record<string, Entry>;
/** Problems that stand for a record not parsed. */
const LOSS_CODES = new Set(['field-count', 'two-records', 'wrapped-record', 'unreadable-json']);

function countCodes(codes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

const expectedJsonl = (name: string): string => readFileSync(path.join(DIR, `${name}.expected.jsonl`), 'utf8');
const rows = (jsonl: string): unknown[] => jsonl.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);

/** Every record of a document as the service reads it: one per record line, one per message of a JSON line. */
function serviceRecords(doc: FlowLogDocument): unknown[] {
  const found: unknown[] = [];
  for (let line = 0; line < doc.lines.lineCount; line++) {
    const first = parseLine(doc, line);
    if (first.kind !== 'record') continue;
    for (let index = 0; index < first.recordCount; index++) {
      const parsed = parseLine(doc, line, { record: index });
      if (parsed.tokens.length === parsed.format.names.length) found.push(JSON.parse(JSON.stringify(recordObject(parsed))));
    }
  }
  return found;
}

describe('corpus of export shapes', () => {
  for (const [name, entry] of Object.entries(MANIFEST)) {
    describe(name, () => {
      const file = path.join(DIR, name);
      const inputs = entry.gzip ? [file, path.join(DIR, entry.gzip)] : [file];

      for (const input of inputs) {
        it(`flowlog parse ${path.basename(input)} writes the expected records`, async () => {
          const result = await runCli(['parse', '--no-progress', input]);
          assert.equal(result.code, 0, result.stderr);
          assert.equal(result.stdout, expectedJsonl(name));
          if (entry.lost > 0) assert.match(result.stderr, /skipped/, 'a loss is said, never silent');
          else if (entry.guesses) assert.match(result.stderr, new RegExp(`columns ${entry.guesses[0]} \\(`), 'the guessed columns are named');
          else assert.equal(result.stderr, '');
        });

        it(`flowlog lint ${path.basename(input)} reports what the file holds, and nothing is lost silently`, async () => {
          const result = await runCli(['lint', '--no-progress', '--format', 'json', input]);
          const [report] = JSON.parse(result.stdout) as { problems: { code: string }[] }[];
          const codes = report.problems.map((p) => p.code);
          assert.deepEqual(countCodes(codes), entry.problems);
          const lost = codes.filter((code) => LOSS_CODES.has(code)).length;
          assert.equal(rows(expectedJsonl(name)).length + lost, entry.recordsInFile, 'parsed + reported = records in the file');
          assert.equal(result.code, codes.some((code) => code === 'unreadable-json' || code === 'field-count') ? 1 : 0);
        });
      }

      it('the language service reads the same records and reports the same problems', () => {
        const bytes = readFileSync(file);
        const text = new TextDecoder().decode(entry.gzip ? gunzipSync(readFileSync(path.join(DIR, entry.gzip))) : bytes);
        const doc = new FlowLogDocument(text);
        assert.deepEqual(serviceRecords(doc), rows(expectedJsonl(name)));
        assert.deepEqual(countCodes(collectProblems(doc, { maxProblems: 1000 }).map((p) => p.code)), entry.problems);
        // Inference names what it is sure of and marks the rest, never naming a guess with certainty.
        assert.deepEqual(doc.formats.primary.ambiguousColumns.map((column) => column + 1), entry.guesses ?? []);
      });

      it('hover on a record’s CloudWatch time gives that time in UTC', () => {
        const doc = new FlowLogDocument(readFileSync(file, 'utf8'));
        const expected = rows(expectedJsonl(name)) as Record<string, unknown>[];
        const times = expected.map((row) => row['cloudwatch-timestamp']).filter((time): time is number => typeof time === 'number');
        const shown: number[] = [];
        for (let line = 0; line < doc.lines.lineCount; line++) {
          const first = parseLine(doc, line);
          for (let index = 0; index < first.recordCount; index++) {
            const parsed = parseLine(doc, line, { record: index });
            if (!parsed.timestamp || parsed.tokens.length !== parsed.format.names.length) continue;
            const hover = doHover(doc, { line, character: parsed.timestamp.start });
            const value = (hover?.contents as { value: string } | undefined)?.value ?? '';
            assert.match(value, /CloudWatch Logs timestamp/);
            const utc = /\*\*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) UTC\*\*/.exec(value);
            assert.ok(utc, value);
            shown.push(Date.parse(`${utc[1].replace(' ', 'T')}Z`));
          }
        }
        assert.deepEqual(shown, times);
      });
    });
  }
});

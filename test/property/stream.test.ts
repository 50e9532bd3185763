/**
 * Properties of the streaming driver the CLI uses: any text cut into any chunks never throws,
 * gives the same problems and records however it is cut, and reports what the whole-document
 * service reports for the same text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { parseLine, type ParsedLine } from '../../server/src/service/parse';
import { FlowLogStream, type StreamOptions } from '../../server/src/service/stream';
import type { Problem } from '../../server/src/service/validate';
import { anyDocumentText, check, explicitFormat } from './arbitraries';

/** Cut points as fractions of the text, so that shrinking keeps them meaningful. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

function chunksOf(text: string, fractions: readonly number[]): string[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(text.slice(from, point));
    from = point;
  }
  chunks.push(text.slice(from));
  return chunks;
}

interface StreamResult {
  problems: Problem[];
  records: { line: number; tokens: string[]; values: unknown[]; wellFormed: boolean }[];
  lines: number;
}

function runStream(chunks: readonly string[], options: StreamOptions = {}): StreamResult {
  const result: StreamResult = { problems: [], records: [], lines: 0 };
  const stream = new FlowLogStream(
    {
      problem: (problem) => {
        result.problems.push({ ...problem });
      },
      record: (record: ParsedLine, wellFormed) => {
        result.records.push({ line: record.line, tokens: record.tokens.map((t) => t.text), values: record.tokens.map((t) => t.value), wellFormed });
      },
    },
    { parse: true, ...options },
  );
  for (const chunk of chunks) stream.push(chunk);
  result.lines = stream.end().lines;
  return result;
}

/** Problems in a comparable order (the stream sorts per batch, the document puts declarations first). */
function comparable(problems: readonly Problem[]): string[] {
  return problems
    .filter((p) => p.code !== 'problem-limit')
    .map((p) => JSON.stringify([p.line, p.start, p.endLine ?? p.line, p.end, p.code, p.severity]))
    .sort();
}

/** Lines as the stream counts them: a final line without a line break counts, an empty one does not. */
function streamLineCount(doc: FlowLogDocument): number {
  const last = doc.lines.lineCount - 1;
  return doc.lines.lineStart(last) === doc.lines.lineEnd(last) ? last : last + 1;
}

describe('streaming driver (property)', () => {
  it('any text in any chunks: never throws, problems and records lie on real lines', () => {
    check(
      'stream-any',
      fc.property(anyDocumentText, cuts, explicitFormat, (text, fractions, explicit) => {
        const doc = new FlowLogDocument(text);
        const result = runStream(chunksOf(text, fractions), { explicitFormat: explicit });
        assert.equal(result.lines, streamLineCount(doc), 'lines counted as documented: a final line without a break counts, the empty one after a final break does not');
        for (const problem of result.problems) {
          assert.ok(problem.line >= 0 && problem.line < doc.lines.lineCount, `problem line ${problem.line}`);
          if (problem.endLine !== undefined) assert.ok(problem.endLine >= problem.line && problem.endLine < doc.lines.lineCount);
        }
        for (const record of result.records) assert.ok(record.line >= 0 && record.line < doc.lines.lineCount, `record line ${record.line}`);
      }),
    );
  });

  it('the way the text is cut into chunks changes nothing', () => {
    check(
      'stream-chunking-invariant',
      fc.property(anyDocumentText, cuts, (text, fractions) => {
        const whole = runStream([text]);
        const cut = runStream(chunksOf(text, fractions));
        assert.deepEqual(cut, whole);
      }),
    );
  });

  it('the stream reports the problems and records of the whole document', () => {
    check(
      'stream-equals-document',
      fc.property(anyDocumentText, cuts, (text, fractions) => {
        const doc = new FlowLogDocument(text);
        const result = runStream(chunksOf(text, fractions));
        assert.deepEqual(comparable(result.problems), comparable(collectProblems(doc, { maxProblems: Number.MAX_SAFE_INTEGER })), 'problems');
        const records: StreamResult['records'] = [];
        for (let line = 0; line < doc.lines.lineCount; line++) {
          const first = parseLine(doc, line, { maxTokens: 0 });
          if (first.kind !== 'record') continue;
          // One record per message of a JSON line (none when it holds no readable message);
          // parse mode counts values past the format's width without handing them over.
          for (let index = 0; index < first.recordCount; index++) {
            const parsed = parseLine(doc, line, { record: index, maxTokens: 0 });
            records.push({ line, tokens: parsed.tokens.map((t) => t.text), values: parsed.tokens.map((t) => t.value), wellFormed: parsed.tokenCount === parsed.format.names.length });
          }
        }
        assert.deepEqual(result.records, records, 'records');
      }),
    );
  });
});

/**
 * The streaming driver (service/stream.ts) on strings: however the text is cut into chunks, it
 * reports the problems the whole-document service reports, with the same absolute lines; it
 * parses the same records; and it keeps its own promises (line counts, stopping, overlong lines).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { parseLine, recordObject } from '../../server/src/service/parse';
import { severityTable, type SeverityTable } from '../../server/src/service/rules';
import { FlowLogStream, WRAP_LOOKAHEAD, type StreamOptions } from '../../server/src/service/stream';
import type { Problem } from '../../server/src/service/validate';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const ok = (i: number): string => `2 123456789010 eni-1235b8ca123456789 10.0.${i % 250}.1 10.0.0.2 ${20000 + i} 443 6 10 840 1418530010 1418530070 ACCEPT OK`;
const [WRAP_A, WRAP_B, WRAP_C] = ['2 123456789010 eni-1235b8ca123456789 172.31.16.139', '172.31.16.21 20641 22 6 20', '4249 1418530010 1418530070 ACCEPT OK'];

/** Texts that exercise every kind of problem and every place a batch boundary can fall. */
const TEXTS: Record<string, string> = {
  problems: [
    ok(1),
    '2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443 70000 6 10 840 1418530010 1418530070 ACCEPT OK',
    `${ok(2)} ${ok(3)}`,
    WRAP_A,
    WRAP_B,
    WRAP_C,
    '2 123456789010 eni-1235b8ca123456789 10.0.0.1  10.0.0.2 443 80 6 10 840 1418530010 1418530070 ACCEPT OK',
    '2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443 80 6 10 840 1418530010 1418530070 ACCEPT 0K',
    '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA',
    '2 123456789010 eni-1235b8ca123456789 10.0.0.1 - - - - - - 1431280876 1431280934 - NODATA',
    '# a comment',
    '',
    '2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443',
    ok(4),
  ].join('\n'),
  headers: [
    HEADER,
    ok(1),
    ok(2),
    HEADER,
    ok(3),
    'version account-id interface-id srcadr dstaddr srcport dstport protocol packets bytes start end action log-status version',
    '2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443 80 6 10 840 1418530010 1418530070 ACCEPT OK 2',
    '# fields: version srcaddr dstaddr',
    '2 10.0.0.1 10.0.0.2',
    '2 10.0.0.1',
  ].join('\n'),
  crlf: `${HEADER}\r\n${ok(1)}\r\n${WRAP_A}\r\n${WRAP_B}\r\n${WRAP_C}\r\n${ok(2)}\r${ok(3)}  \r\n`,
  commentsThenHeader: `# exported from S3\n\n${HEADER}\n${ok(1)}\n${ok(2)} extra\n`,
  inferred: Array.from({ length: 260 }, (_, i) => (i === 230 ? `${WRAP_A}\n${WRAP_B}\n${WRAP_C}` : ok(i))).join('\n'),
  ambiguous: Array.from({ length: 30 }, (_, i) => `${i % 7} ${i * 3} ${i % 2 ? 'x' : 'y'} 5`).join('\n'),
  prose: 'Flow logs capture IP traffic.\nThey are written every ten minutes.\n\nSee the documentation.',
  empty: '',
  bom: `\ufeff${HEADER}\n${ok(1)}`,
};

function collect(chunks: readonly string[], options: StreamOptions = {}): { problems: Problem[]; lines: number } {
  const problems: Problem[] = [];
  const stream = new FlowLogStream({ problem: (p) => void problems.push({ ...p }) }, options);
  for (const chunk of chunks) stream.push(chunk);
  return { problems, lines: stream.end().lines };
}

function expected(text: string, explicit?: string, severities?: SeverityTable): string[] {
  return sorted(collectProblems(new FlowLogDocument(text, explicit), { maxProblems: 1e9, severities }).filter((p) => p.code !== 'problem-limit'));
}

const sorted = (problems: readonly Problem[]): string[] => problems.map((p) => JSON.stringify(p)).sort();

function cut(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

/** Deterministic chunk sizes (a linear congruential generator), so failures reproduce. */
function randomCuts(text: string, seed: number): string[] {
  const chunks: string[] = [];
  let state = seed;
  for (let i = 0; i < text.length; ) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % 97);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

describe('stream: same problems as the whole document', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    it(`${name}: one chunk, two chunks split anywhere, one character at a time`, () => {
      const want = expected(text);
      assert.deepEqual(sorted(collect([text]).problems), want);
      // Every split position of the small texts; for the long one, every line end and a stride.
      const positions = Array.from({ length: text.length + 1 }, (_, at) => at).filter((at) => text.length < 4000 || at % 211 === 0 || text[at - 1] === '\n');
      for (const at of positions) {
        assert.deepEqual(sorted(collect([text.slice(0, at), text.slice(at)]).problems), want, `split at ${at}`);
      }
      assert.deepEqual(sorted(collect(cut(text, 1)).problems), want, 'one character per chunk');
    });
  }

  it('a long file in random chunks (many batches, wraps across their boundaries)', () => {
    const lines: string[] = [HEADER];
    for (let i = 0; i < 3000; i++) {
      if (i % 97 === 0) lines.push(WRAP_A, WRAP_B, WRAP_C);
      else if (i % 101 === 0) lines.push(`${ok(i)} ${ok(i + 1)}`);
      else if (i % 499 === 0) lines.push(HEADER);
      else lines.push(ok(i));
    }
    const text = lines.join('\n');
    const want = expected(text);
    assert.ok(want.filter((p) => p.includes('wrapped-record')).length >= 30);
    for (const seed of [1, 2, 3]) assert.deepEqual(sorted(collect(randomCuts(text, seed)).problems), want, `seed ${seed}`);
  });

  it('an explicit format, including one a header line contradicts', () => {
    for (const text of [TEXTS.problems, TEXTS.headers]) {
      assert.deepEqual(sorted(collect(cut(text, 13), { explicitFormat: 'default' }).problems), expected(text, 'default'));
      assert.deepEqual(sorted(collect(cut(text, 13), { explicitFormat: 'version srcaddr dstaddr' }).problems), expected(text, 'version srcaddr dstaddr'));
    }
  });

  it('rules turned off, wrapped-record included', () => {
    const severities = severityTable({ 'wrapped-record': 'off', 'irregular-spacing': 'off', 'invalid-port': 'hint' });
    const got = collect(cut(TEXTS.problems, 1), { severities }).problems;
    assert.deepEqual(sorted(got), expected(TEXTS.problems, undefined, severities));
    assert.ok(!got.some((p) => p.code === 'wrapped-record' || p.code === 'irregular-spacing'));
    // The two halves of the wrap are still not reported as records of their own.
    assert.ok(!got.some((p) => p.line === 4 || p.line === 5));
  });
});

describe('stream: its own behaviour', () => {
  it('reports problems in line order with absolute lines', () => {
    const { problems } = collect(cut(TEXTS.headers, 5));
    const lines = problems.map((p) => p.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    assert.ok(problems.some((p) => p.code === 'unknown-field' && p.line === 5));
    assert.ok(problems.some((p) => p.code === 'multiple-formats' && p.line === 7));
  });

  it('a header after leading comments is a header, not a bad record', () => {
    const { problems } = collect(cut(TEXTS.commentsThenHeader, 3));
    assert.deepEqual(problems.map((p) => [p.line, p.code]), [[4, 'field-count']]);
  });

  it('counts lines as wc -l does, plus a last line without a line break', () => {
    assert.equal(collect(['']).lines, 0);
    assert.equal(collect(['a\nb\n']).lines, 2);
    assert.equal(collect(['a\nb']).lines, 2);
    assert.equal(collect(['a\r', '\nb\r', 'c\r']).lines, 3);
    assert.equal(collect(cut(TEXTS.inferred, 7)).lines, 262);
  });

  it('stops validating when the handler says so, and still counts every line', () => {
    const seen: Problem[] = [];
    const stream = new FlowLogStream({ problem: (p) => (seen.push(p), seen.length < 2) });
    for (const chunk of cut(TEXTS.problems, 4)) stream.push(chunk);
    const stats = stream.end();
    assert.equal(seen.length, 2);
    assert.equal(stats.stoppedAtLine, seen[1].line + 1);
    assert.equal(stats.lines, 14);
  });

  it('skips and reports an overlong line, keeping the line numbers after it', () => {
    const long = `2 ${'9'.repeat(5000)}`;
    const text = [ok(1), long, ok(2), '2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443 70000 6 10 840 1418530010 1418530070 ACCEPT OK'].join('\r\n');
    // The limit bounds buffering: it applies to a line still incomplete at the end of a chunk.
    for (const size of [7, 1000, 4096]) {
      const overlong: number[] = [];
      const problems: Problem[] = [];
      const stream = new FlowLogStream({ problem: (p) => void problems.push(p), overlong: (line) => void overlong.push(line) }, { maxLineLength: 1000, explicitFormat: 'default' });
      for (const chunk of cut(text, size)) stream.push(chunk);
      assert.equal(stream.end().lines, 4, `chunks of ${size}`);
      assert.deepEqual(overlong, [1], `chunks of ${size}`);
      assert.deepEqual(problems.map((p) => [p.line, p.code]), [[1, 'field-count'], [3, 'invalid-port']], `chunks of ${size}`);
    }
  });

  it('decides the format from the first lines and says so once', () => {
    const formats: string[] = [];
    const stream = new FlowLogStream({ format: (f) => void formats.push(`${f.source} ${f.layoutId}`) });
    for (const chunk of cut(TEXTS.inferred, 50)) stream.push(chunk);
    stream.end();
    assert.deepEqual(formats, [`inferred default`]);
    const explicit: string[] = [];
    new FlowLogStream({ format: (f) => void explicit.push(f.source) }, { explicitFormat: 'tgw-default' }).end();
    assert.deepEqual(explicit, ['option']);
  });

  it('parse mode hands over the records parseLine gives for the whole document (values past the width counted, not kept)', () => {
    for (const text of [TEXTS.problems, TEXTS.headers, TEXTS.crlf]) {
      const doc = new FlowLogDocument(text);
      const want: string[] = [];
      for (let line = 0; line < doc.lines.lineCount; line++) {
        const parsed = parseLine(doc, line, { maxTokens: 0 });
        if (parsed.kind === 'record') want.push(JSON.stringify([line, recordObject(parsed), parsed.tokenCount === parsed.format.names.length]));
      }
      const got: string[] = [];
      const stream = new FlowLogStream({ record: (r, wellFormed) => void got.push(JSON.stringify([r.line, recordObject(r), wellFormed])) }, { parse: true, validate: false });
      for (const chunk of cut(text, 11)) stream.push(chunk);
      const stats = stream.end();
      assert.deepEqual(got, want);
      assert.equal(stats.records, want.length);
      assert.equal(stats.malformed, want.filter((w) => w.endsWith('false]')).length);
    }
  });

  it('carries enough lines between batches for the longest wrap the validator joins', () => {
    // Eight continuation lines of two fields each after a six-field start: 6 + 8 × 1 = 14 fields.
    const start = '2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 443';
    const rest = ['80', '6', '10', '840', '1418530010', '1418530070', 'ACCEPT', 'OK'];
    assert.equal(rest.length, WRAP_LOOKAHEAD);
    const text = [HEADER, ok(1), start, ...rest, ok(2)].join('\n');
    const want = expected(text);
    assert.ok(want.some((p) => p.includes('"wrapped-record"')), 'the validator joins it');
    assert.deepEqual(sorted(collect(cut(text, 1)).problems), want);
  });
});

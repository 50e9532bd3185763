/**
 * Properties of documents, formats and diagnostics over arbitrary and broken flow logs: nothing
 * throws, every problem lies inside the document, results are deterministic, and a document
 * edited incrementally reports exactly what a fresh document of the same text reports.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FIELDS } from '../../server/src/catalog/fields';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument, type TextEdit } from '../../server/src/service/document';
import { parseFieldList } from '../../server/src/service/fieldList';
import { detectFormats } from '../../server/src/service/format';
import { declarationLineOf, type DocumentFormats } from '../../server/src/service/formatModel';
import { LineIndex, lineText } from '../../server/src/service/lines';
import { RULES, severityTable } from '../../server/src/service/rules';
import type { Problem } from '../../server/src/service/validate';
import { anyDocumentText, assertRangeInside, check, explicitFormat, flowishText, mutatedFlowLog, unicodeText } from './arbitraries';

const CODES = new Set<string>(RULES.map((rule) => rule.code));


function assertFormatsWellFormed(doc: FlowLogDocument, formats: DocumentFormats): void {
  const { segments, primary } = formats;
  assert.ok(segments.length >= 1, 'at least one segment');
  assert.equal(segments[0].fromLine, 0);
  assert.equal(segments[0].format, primary);
  for (let i = 0; i < segments.length; i++) {
    const { fromLine, format } = segments[i];
    if (i > 0) assert.ok(fromLine > segments[i - 1].fromLine, 'segments sorted by line, one per line');
    const declared = declarationLineOf(segments[i]);
    if (segments[i].declaration) {
      assert.ok(declared >= fromLine && declared < doc.lines.lineCount, `declaration line ${declared} inside its segment`);
      if (format.source === 'header' || format.source === 'directive') assert.equal(format.line, declared, 'the format names its declaration line');
    }
    assert.ok(fromLine < doc.lines.lineCount, `segment line ${fromLine} inside the document`);
    assert.equal(format.fields.length, format.names.length, 'one field entry per name');
    assert.ok(format.confidence >= 0 && format.confidence <= 1, `confidence ${format.confidence}`);
    for (const column of format.ambiguousColumns) assert.ok(column >= 0 && column < format.names.length, `ambiguous column ${column}`);
    if (format.line !== undefined) assert.ok(format.line >= 0 && format.line < doc.lines.lineCount);
  }
}

function assertProblemsInside(doc: FlowLogDocument, problems: readonly Problem[], limit: number): void {
  assert.ok(problems.length <= limit + 1, `${problems.length} problems for a limit of ${limit}`);
  for (const problem of problems) {
    assert.ok(CODES.has(problem.code), `known code ${problem.code}`);
    assert.ok(problem.message.length > 0, 'a message');
    const range = { start: { line: problem.line, character: problem.start }, end: { line: problem.endLine ?? problem.line, character: problem.end } };
    assertRangeInside(doc, range, `${problem.code} problem`);
  }
}

/** What a client needs to compare: everything but object identity. */
function plain(formats: DocumentFormats): unknown {
  return JSON.parse(JSON.stringify(formats));
}

describe('documents and diagnostics (property)', () => {
  it('any text: the document, its formats and its problems never throw and stay inside the document', () => {
    check(
      'document-any-text',
      fc.property(anyDocumentText, explicitFormat, (text, format) => {
        const doc = new FlowLogDocument(text, format);
        assert.equal(doc.getText(), text);
        assertFormatsWellFormed(doc, doc.formats);
        const problems = collectProblems(doc);
        assertProblemsInside(doc, problems, 1000);
      }),
    );
  });

  it('problems are deterministic: the same text twice gives deep-equal formats and problems', () => {
    check(
      'document-deterministic',
      fc.property(anyDocumentText, explicitFormat, (text, format) => {
        const first = new FlowLogDocument(text, format);
        const second = new FlowLogDocument(text, format);
        assert.deepEqual(plain(first.formats), plain(second.formats));
        const problems = collectProblems(first);
        assert.deepEqual(problems, collectProblems(second));
        // Asking again on the same document (cached formats) changes nothing either.
        assert.deepEqual(collectProblems(first), problems);
      }),
    );
  });

  it('setExplicitFormat gives the formats and problems of a document opened with that format', () => {
    check(
      'document-set-explicit-format',
      fc.property(mutatedFlowLog, explicitFormat, explicitFormat, (text, first, second) => {
        const doc = new FlowLogDocument(text, first);
        collectProblems(doc);
        doc.setExplicitFormat(second);
        const fresh = new FlowLogDocument(text, second);
        assert.deepEqual(plain(doc.formats), plain(fresh.formats));
        assert.deepEqual(collectProblems(doc), collectProblems(fresh));
      }),
    );
  });

  it('the problem cap holds for any limit, with one summary problem when it is reached', () => {
    check(
      'document-problem-cap',
      fc.property(mutatedFlowLog, fc.integer({ min: -3, max: 6 }), (text, maxProblems) => {
        const doc = new FlowLogDocument(text);
        const limit = Math.max(1, maxProblems);
        const problems = collectProblems(doc, { maxProblems });
        assertProblemsInside(doc, problems, limit);
        const all = collectProblems(doc, { maxProblems: Number.MAX_SAFE_INTEGER });
        if (all.length > limit) {
          assert.equal(problems.length, limit + 1);
          assert.equal(problems[limit].code, 'problem-limit');
          assert.deepEqual(problems.slice(0, limit), all.slice(0, limit));
        } else {
          assert.deepEqual(problems, all);
        }
      }),
    );
  });

  it('rule severities from any settings: unknown rules and values are reported, never thrown', () => {
    const setting = fc.oneof(fc.constantFrom('error', 'warning', 'info', 'hint', 'off'), fc.anything());
    const code = fc.oneof(fc.constantFrom(...CODES), fc.string());
    check(
      'document-severity-settings',
      fc.property(mutatedFlowLog, fc.dictionary(code, setting, { maxKeys: 6 }), (text, overrides) => {
        const invalid: string[] = [];
        const severities = severityTable(overrides, { invalid });
        const doc = new FlowLogDocument(text);
        const problems = collectProblems(doc, { severities });
        assertProblemsInside(doc, problems, 1000);
        for (const problem of problems) {
          if (problem.code === 'problem-limit') continue;
          assert.equal(problem.severity, severities.get(problem.code), `${problem.code} has its configured severity`);
        }
        for (const [name, value] of Object.entries(overrides)) {
          if (value === 'off' && CODES.has(name)) assert.ok(!problems.some((p) => p.code === name && name !== 'problem-limit'), `${name} is off`);
        }
      }),
    );
  });

  it('line ranges: validating any window of lines reports the problems of those lines only', () => {
    check(
      'document-line-window',
      fc.property(mutatedFlowLog, fc.nat(), fc.nat(), (text, a, b) => {
        const doc = new FlowLogDocument(text);
        const count = doc.lines.lineCount;
        const fromLine = a % (count + 1);
        const toLine = fromLine + (b % (count + 1));
        const problems = collectProblems(doc, { fromLine, toLine });
        assertProblemsInside(doc, problems, 1000);
      }),
    );
  });
});

/** Random LSP content changes: ranges anywhere (also outside the text), texts with any line breaks. */
const edit = fc.record({
  start: fc.record({ line: fc.integer({ min: -1, max: 25 }), character: fc.integer({ min: -1, max: 200 }) }),
  length: fc.record({ lines: fc.integer({ min: 0, max: 3 }), character: fc.integer({ min: 0, max: 200 }) }),
  text: fc.oneof(flowishText, unicodeText, fc.constantFrom('', '\n', '\r', '\r\n', '\n\n', ' ', '#', 'version srcaddr dstaddr\n')),
});

function toEdit(e: { start: { line: number; character: number }; length: { lines: number; character: number }; text: string }): TextEdit {
  const end = { line: e.start.line + e.length.lines, character: e.length.lines === 0 ? e.start.character + e.length.character : e.length.character };
  return { range: { start: e.start, end }, text: e.text };
}

/** The text an LSP client computes for the same edits, independently of LineIndex. */
function referenceApply(text: string, edits: readonly TextEdit[]): string {
  for (const e of edits) {
    if (!e.range) {
      text = e.text;
      continue;
    }
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (c === '\r' || c === '\n') starts.push(i + 1);
    }
    const offset = (p: { line: number; character: number }): number => {
      if (p.line < 0) return 0;
      if (p.line >= starts.length) return text.length;
      const lineStart = starts[p.line];
      const next = p.line + 1 < starts.length ? starts[p.line + 1] : -1;
      const lineEnd = next < 0 ? text.length : next - (text[next - 1] === '\n' && text[next - 2] === '\r' ? 2 : 1);
      return Math.min(lineStart + Math.max(0, p.character), lineEnd);
    };
    const start = offset(e.range.start);
    const end = Math.max(start, offset(e.range.end));
    text = text.slice(0, start) + e.text + text.slice(end);
  }
  return text;
}

describe('incremental edits (property)', () => {
  /** Edits a document batch by batch and compares it with a fresh document of the same text. */
  function editAndCompare(text: string, batches: readonly (readonly TextEdit[])[], blockSize?: number): void {
    // Small blocks put block boundaries everywhere: edits join, split and merge blocks.
    const doc = new FlowLogDocument(text, undefined, { blockSize });
    // Formats are computed before the edits, as the server does on open.
    collectProblems(doc);
    let expected = text;
    for (const edits of batches) {
      const touched = doc.applyEdits(edits);
      expected = referenceApply(expected, edits);
      assert.equal(doc.getText(), expected, 'text after edits');
      assert.ok(touched.firstLine >= 0 && touched.firstLine <= touched.lastLine && touched.lastLine < doc.lines.lineCount, `touched lines ${JSON.stringify(touched)}`);
    }
    const fresh = new FlowLogDocument(expected);
    assert.equal(doc.lines.lineCount, fresh.lines.lineCount, 'line count');
    assert.equal(doc.lines.length, expected.length, 'length');
    for (let line = 0; line < fresh.lines.lineCount; line++) assert.equal(lineText(doc.lines, line), lineText(fresh.lines, line), `line ${line}`);
    assert.deepEqual(plain(doc.formats), plain(fresh.formats), 'formats');
    assert.deepEqual(collectProblems(doc), collectProblems(fresh), 'problems');
  }

  const batches = fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }).map((b) => b.map(toEdit)), { minLength: 1, maxLength: 4 });

  it('after any edits the text, line index, formats and problems equal those of a fresh document', () => {
    check(
      'edits-equal-fresh-document',
      fc.property(anyDocumentText, batches, fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }), (text, edits, blockSize) => editAndCompare(text, edits, blockSize)),
    );
  });

  it('a full-text replacement resets the document', () => {
    check(
      'edits-full-replacement',
      fc.property(anyDocumentText, anyDocumentText, (before, after) => {
        const doc = new FlowLogDocument(before);
        collectProblems(doc);
        const touched = doc.applyEdits([{ text: after }]);
        assert.equal(doc.getText(), after);
        assert.ok(touched.formatsChanged);
        assert.deepEqual(collectProblems(doc), collectProblems(new FlowLogDocument(after)));
      }),
    );
  });
});

describe('format detection and field lists (property)', () => {
  it('detectFormats never throws, for any text and any explicit format', () => {
    check(
      'detect-any',
      fc.property(anyDocumentText, explicitFormat, fc.option(fc.integer({ min: -5, max: 300 })), (text, explicit, sampleLines) => {
        const formats = detectFormats(new LineIndex(text), { explicit, sampleLines: sampleLines ?? undefined });
        assertFormatsWellFormed(new FlowLogDocument(text), formats);
        // An explicit format rules unless the text opens with a header line or directive, which wins.
        if (explicit !== undefined && parseFieldList(explicit).names.length > 0) {
          const opened = detectFormats(new LineIndex(text)).segments[0].declaration !== undefined;
          assert.equal(formats.primary.source, opened ? detectFormats(new LineIndex(text)).primary.source : 'option');
          assert.equal(formats.explicitUnused === true, opened);
        } else {
          assert.equal(formats.explicitUnused, undefined);
        }
      }),
    );
  });

  it('parseFieldList of any string: consistent lists, spans inside the string', () => {
    check(
      'field-list-any',
      fc.property(fc.oneof(unicodeText, flowishText, explicitFormat.map((s) => s ?? '')), (value) => {
        const list = parseFieldList(value);
        assert.equal(list.fields.length, list.names.length);
        for (const unknown of list.unknown) {
          assert.ok(unknown.index >= 0 && unknown.index < list.names.length);
          assert.equal(list.fields[unknown.index], undefined);
        }
        for (const duplicate of list.duplicates) assert.ok(duplicate.index > 0 && duplicate.index < list.names.length);
        for (const span of list.spans ?? []) {
          assert.ok(span.start >= 0 && span.start < span.end && span.end <= value.length, `span ${JSON.stringify(span)} in ${value.length}`);
        }
        assert.deepEqual(parseFieldList(value), list, 'deterministic');
      }), 10);
  });

  it('a list of catalog names round-trips, written with hyphens, underscores or as a LogFormat string', () => {
    const names = fc.uniqueArray(fc.constantFrom(...FIELDS.map((f) => f.name)), { minLength: 1, maxLength: 40 });
    check(
      'field-list-round-trip',
      fc.property(names, fc.constantFrom('plain', 'underscore', 'logformat', 'spaced'), (wanted, style) => {
        const written = wanted.map((name) => (style === 'underscore' ? name.replace(/-/g, '_') : style === 'logformat' ? `\${${name}}` : name));
        const list = parseFieldList(style === 'spaced' ? `  ${written.join(' \t ')}  ` : written.join(' '));
        assert.deepEqual(list.names, wanted);
        assert.deepEqual(list.unknown, []);
        assert.deepEqual(list.duplicates, []);
        assert.deepEqual(list.fields.map((f) => f?.name), wanted);
      }), 10);
  });

  it('a repeated catalog name is reported as a duplicate at its second position', () => {
    const names = fc.uniqueArray(fc.constantFrom(...FIELDS.map((f) => f.name)), { minLength: 1, maxLength: 20 });
    check(
      'field-list-duplicate',
      fc.property(names, fc.nat(), fc.nat(), (wanted, pick, place) => {
        const repeated = wanted[pick % wanted.length];
        const at = (pick % wanted.length) + 1 + (place % (wanted.length - (pick % wanted.length)));
        const written = [...wanted.slice(0, at), repeated, ...wanted.slice(at)];
        const list = parseFieldList(written.join(' '));
        assert.deepEqual(list.duplicates, [{ index: at, name: repeated }]);
      }), 10);
  });
});

describe('settings values (example)', () => {
  it('a rule setting whose toString is not a function is reported as invalid, not thrown', () => {
    const invalid: string[] = [];
    const severities = severityTable(JSON.parse('{"field-count": {"toString": false}, "two-records": [{"toString": 0}]}') as Record<string, unknown>, { invalid });
    assert.equal(invalid.length, 2);
    assert.equal(severities.get('field-count'), 'error');
  });

  it('a document with exactly maxProblems problems gets no problem-limit summary', () => {
    check(
      'document-exact-limit',
      fc.property(mutatedFlowLog, (text) => {
        const doc = new FlowLogDocument(text);
        const all = collectProblems(doc, { maxProblems: Number.MAX_SAFE_INTEGER });
        fc.pre(all.length > 0);
        assert.deepEqual(collectProblems(doc, { maxProblems: all.length }), all);
      }),
    );
  });
});

/**
 * Hostile file content (issue 16, item 5): a corpus of markdown, HTML, control-character and
 * oversized payloads placed in every column of every known layout (and as header names,
 * directive names and headerless records), run through hover, inlay hints, semantic tokens, code
 * actions, completion and problems. Nothing may throw, no payload may come out as active
 * markdown or HTML (an image with a remote URL leaks the viewer's address; a link invites a
 * click), and plain-text surfaces must not carry raw control or bidi characters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hover, MarkupContent, Range } from 'vscode-languageserver-types';
import { FIELDS } from '../../server/src/catalog/fields';
import { KNOWN_LAYOUTS } from '../../server/src/catalog/layouts';
import { codeActions } from '../../server/src/service/codeActions';
import { complete } from '../../server/src/service/completion';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { doHover } from '../../server/src/service/hover';
import { inlayHints } from '../../server/src/service/inlayHints';
import { semanticTokens } from '../../server/src/service/semanticTokens';
import { MARKER, PAYLOADS, validValue } from './hostilePayloads';
import { markdownProblems, plainTextProblems } from './markdownSafety';

const BY_NAME = new Map(FIELDS.map((spec) => [spec.name, spec]));

/** Documents that put `payload` where a file's own text goes, with a label for failures. */
function hostileDocuments(payload: string): { label: string; text: string; line: number }[] {
  const documents: { label: string; text: string; line: number }[] = [];
  for (const layout of KNOWN_LAYOUTS) {
    const valid = layout.fields.map((name) => validValue(BY_NAME.get(name)));
    const header = layout.fields.join(' ');
    for (let column = 0; column < layout.fields.length; column++) {
      const record = valid.map((value, i) => (i === column ? payload : value)).join(' ');
      documents.push({ label: `${layout.id} column ${column + 1} (${layout.fields[column]})`, text: `${header}\n${valid.join(' ')}\n${record}\n`, line: 2 });
    }
    const names = [...layout.fields];
    names[Math.floor(names.length / 2)] = payload;
    documents.push({ label: `${layout.id} header name`, text: `${names.join(' ')}\n${valid.join(' ')}\n`, line: 0 });
    documents.push({ label: `${layout.id} directive name`, text: `# fields: ${names.join(' ')}\n${valid.join(' ')}\n`, line: 0 });
  }
  const defaults = KNOWN_LAYOUTS[0].fields.map((name) => validValue(BY_NAME.get(name)));
  for (let column = 0; column < defaults.length; column++) {
    const record = defaults.map((value, i) => (i === column ? payload : value)).join(' ');
    documents.push({ label: `headerless column ${column + 1}`, text: `${defaults.join(' ')}\n${defaults.join(' ')}\n${record}\n`, line: 2 });
  }
  documents.push({ label: 'directive keyword', text: `#${payload}: version\n`, line: 0 });
  documents.push({ label: 'CloudWatch prefix', text: `2018-09-22T20:28:14.000Z ${payload} ${defaults.join(' ')}\n`, line: 0 });
  documents.push({ label: 'comment', text: `# ${payload}\n${defaults.join(' ')}\n`, line: 0 });
  return documents;
}

/**
 * Where to ask on a line: the middle of every cell (hover on action, log-status or tcp-flags
 * summarises the whole record, payload included), and the start, middle and end of the cells
 * that hold the payload.
 */
function cellOffsets(line: string): { hover: number[]; payload: number[] } {
  const hover: number[] = [];
  const payload: number[] = [];
  for (const match of line.matchAll(/[^ \t]+/g)) {
    const middle = match.index + Math.floor(match[0].length / 2);
    hover.push(middle);
    if (match[0].includes(MARKER)) payload.push(match.index, middle, match.index + match[0].length);
  }
  return { hover, payload };
}

function fail(what: string, label: string, payload: string, problems: string[], content: string): never {
  assert.fail(`${what} of ${label} with payload ${JSON.stringify(payload.slice(0, 60))}: ${problems.join('; ')}\n${content.slice(0, 600)}`);
}

function checkHover(hover: Hover | undefined, label: string, payload: string): void {
  if (!hover) return;
  const { value } = hover.contents as MarkupContent;
  const problems = markdownProblems(value, MARKER);
  if (problems.length) fail('hover', label, payload, problems, value);
}

function checkDocument(label: string, text: string, line: number, payload: string): void {
  const doc = new FlowLogDocument(text);
  const lineText = text.split('\n')[line];
  const whole: Range = { start: { line: 0, character: 0 }, end: { line: doc.lines.lineCount, character: 0 } };
  const offsets = cellOffsets(lineText);
  for (const character of [...offsets.hover, ...offsets.payload]) checkHover(doHover(doc, { line, character }), label, payload);
  for (const character of offsets.payload) {
    for (const item of complete(doc, { line, character })) {
      const documentation = item.documentation as MarkupContent | undefined;
      const problems = [...(documentation ? markdownProblems(documentation.value, MARKER) : []), ...plainTextProblems(item.label), ...plainTextProblems(item.detail ?? '')];
      if (problems.length) fail('completion', label, payload, problems, JSON.stringify(item));
    }
  }
  for (const hint of inlayHints(doc, whole, { fieldNames: true, decodedValues: true })) {
    const text = typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
    const problems = [...plainTextProblems(text, 200), ...(hint.tooltip ? markdownProblems(typeof hint.tooltip === 'string' ? hint.tooltip : hint.tooltip.value, MARKER) : [])];
    if (problems.length) fail('inlay hint', label, payload, problems, JSON.stringify(hint));
  }
  const data = semanticTokens(doc);
  assert.equal(data.length % 5, 0);
  let tokenLine = 0;
  for (let i = 0; i < data.length; i += 5) {
    assert.ok(data.slice(i, i + 5).every((n) => Number.isInteger(n) && n >= 0), `semantic tokens of ${label}`);
    tokenLine += data[i];
    assert.ok(tokenLine < doc.lines.lineCount, `semantic token past the last line in ${label}`);
  }
  const problems = collectProblems(doc);
  for (const problem of problems) {
    const found = plainTextProblems(problem.message, 400);
    if (found.length) fail('problem message', label, payload, found, problem.message);
  }
  for (const action of codeActions(doc, whole, problems)) {
    const found = plainTextProblems(action.title, 200);
    if (found.length) fail('code action title', label, payload, found, action.title);
  }
}

describe('hostile content in every column, name and prefix', () => {
  for (const payload of PAYLOADS) {
    it(`stays inert: ${JSON.stringify(payload.length > 50 ? `${payload.slice(0, 50)}…` : payload)}`, () => {
      for (const { label, text, line } of hostileDocuments(payload)) checkDocument(label, text, line, payload);
    });
  }

  it('the checker itself catches each kind of active markup', () => {
    const active = [
      `Flow: ![${MARKER}](https://evil.example/p.png)`,
      `[${MARKER}](https://evil.example/)`,
      `<img src=x>${MARKER}`,
      `\`\`${MARKER}\`\n\n![x](https://e/p.png)`,
      `www.evil.example ${MARKER}`,
      `**${MARKER}**`,
      `\`a\u202eb\``,
      `\`a\nb\``,
    ];
    for (const markdown of active) assert.notDeepEqual(markdownProblems(markdown, MARKER), [], markdown);
    for (const inert of [`\`![${MARKER}](https://evil.example/p.png)\``, `\\!\\[${MARKER}\\]\\(https\\:\\/\\/evil\\.example\\)`, `\`\` \`${MARKER}\` \`\``]) {
      assert.deepEqual(markdownProblems(inert, MARKER), [], inert);
    }
  });
});

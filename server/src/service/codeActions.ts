/**
 * Code actions: quick fixes built from the fix hints validation attaches to problems (split two
 * records, join a wrapped record, collapse irregular spacing, replace a value or name, remove a
 * duplicate header name, insert a header line), and source actions that act on the whole
 * document. Plain data with LSP text edits; the server adapter maps them to LSP CodeActions.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { showable } from '../catalog/decodeText';
import { layoutById } from '../catalog/layouts';
import type { FlowLogDocument } from './document';
import { isRecognised, type FlowLogFormat } from './formatModel';
import { isBlankOrComment, isJsonLine, scanLineRecord, scanRecord, skipBlanks, TokenBuffer, unwrapMessage } from './scan';
import { jsonRecords, JsonRecords } from './exportShapes';
import type { Problem } from './problems';
import { CR, HASH, LF, SPACE, TAB } from '../catalog/charCodes';

export interface FlowLogCodeAction {
  title: string;
  kind: 'quickfix' | 'source';
  edits: TextEdit[];
  isPreferred?: boolean;
  /** The problem the action fixes (quick fixes only). */
  problem?: Problem;
  /** A whole-document action offered without its edits: `wholeDocumentEdits(doc, resolve)` makes them. */
  resolve?: WholeDocumentAction;
}

export type WholeDocumentAction = 'normalize-spacing' | 'insert-header';

export interface CodeActionOptions {
  /**
   * How whole-document actions are offered: `lazy` without edits (the client resolves the one it
   * picks), `eager` with them (clients that cannot resolve, small documents), `none` not at all.
   */
  wholeDocument?: 'lazy' | 'eager' | 'none';
}

/** Past this many edits, a whole-document action is one edit replacing the lines it changes. */
const MAX_SEPARATE_EDITS = 1000;

const isBlank = (c: number): boolean => c === SPACE || c === TAB;

function rangeOf(startLine: number, start: number, endLine: number, end: number): Range {
  return { start: { line: startLine, character: start }, end: { line: endLine, character: end } };
}

/** The document's line break, so inserted lines match the rest of the file. */
function lineBreak(doc: FlowLogDocument): string {
  if (doc.lines.lineCount < 2) return '\n';
  const text = doc.lines.textOf(0);
  const end = doc.lines.lineEnd(0);
  if (text.charCodeAt(end) !== CR) return '\n';
  return text.charCodeAt(end + 1) === LF ? '\r\n' : '\r';
}

function isCommentOrBlank(doc: FlowLogDocument, line: number): boolean {
  return isBlankOrComment(doc.lines.textOf(line), doc.lines.lineStart(line), doc.lines.lineEnd(line));
}

// ---- spacing --------------------------------------------------------------------------------

const scratch = new TokenBuffer();
const scratchJson = new JsonRecords();

/** Edits that make one line's separators single spaces, without touching a trailing comment. */
function lineSpacingEdits(doc: FlowLogDocument, line: number, out: TextEdit[]): void {
  const text = doc.lines.textOf(line);
  const lineStart = doc.lines.lineStart(line);
  const lineEnd = doc.lines.lineEnd(line);
  if (isCommentOrBlank(doc, line)) return;
  const first = skipBlanks(text, lineStart, lineEnd);
  if (isJsonLine(text, first)) {
    // Each message of a JSON line on its own, inside its quotes.
    jsonRecords(text, first, lineEnd, scratchJson);
    for (let index = 0; index < scratchJson.count; index++) {
      scanLineRecord(text, first, lineEnd, index, scratchJson, scratch);
      recordSpacingEdits(text, line, lineStart, scratchJson.starts[index], scratchJson.ends[index], out);
    }
    return;
  }
  scanRecord(text, lineStart, lineEnd, scratch);
  // Blanks before an export prefix (a time, a CSV column) are the line's; after it, the record's.
  const from = scratch.recordStart > first ? scratch.recordStart : lineStart;
  recordSpacingEdits(text, line, lineStart, from, scratch.quotedEnd >= 0 ? scratch.quotedEnd : lineEnd, out);
}

/** Spacing edits of the record just scanned into `scratch`, which lies on text[from, to). */
function recordSpacingEdits(text: string, line: number, lineStart: number, from: number, to: number, out: TextEdit[]): void {
  // Values in line order: the tokens, then the start of a trailing comment.
  const spans: [number, number][] = [];
  for (let i = 0; i < scratch.count; i++) spans.push([scratch.starts[i], scratch.ends[i]]);
  const comment = scratch.commentStart;
  if (comment >= 0) spans.push([comment, comment + 1]);
  if (spans.length === 0) return;
  const edit = (start: number, end: number, newText: string): void => {
    out.push({ range: rangeOf(line, start - lineStart, line, end - lineStart), newText });
  };
  let leading = spans[0][0];
  while (leading > from && isBlank(text.charCodeAt(leading - 1))) leading--;
  if (leading < spans[0][0]) edit(leading, spans[0][0], '');
  for (let i = 1; i < spans.length; i++) {
    const gapStart = spans[i - 1][1];
    const gapEnd = spans[i][0];
    if (gapEnd - gapStart !== 1 || text.charCodeAt(gapStart) !== SPACE) edit(gapStart, gapEnd, ' ');
  }
  if (comment < 0) {
    const lastEnd = spans[spans.length - 1][1];
    let trailing = lastEnd;
    while (trailing < to && isBlank(text.charCodeAt(trailing))) trailing++;
    if (trailing > lastEnd) edit(lastEnd, trailing, '');
  }
}

/**
 * Edits that collapse runs of spaces and tabs between values into single spaces and remove
 * leading and trailing blanks: on one line, or on every record and header line of the document.
 * Comment lines and the text of trailing comments are left as they are.
 */
export function normalizeSpacingEdits(doc: FlowLogDocument, line?: number): TextEdit[] {
  const edits: TextEdit[] = [];
  if (line !== undefined) {
    if (line >= 0 && line < doc.lines.lineCount) lineSpacingEdits(doc, line, edits);
    return edits;
  }
  let firstChanged = -1;
  let lastChanged = -1;
  let many = false;
  const scratchEdits: TextEdit[] = [];
  for (let l = 0; l < doc.lines.lineCount; l++) {
    if (doc.lines.lineEnd(l) - doc.lines.lineStart(l) > doc.maxLineLength) continue;
    scratchEdits.length = 0;
    lineSpacingEdits(doc, l, scratchEdits);
    if (scratchEdits.length === 0) continue;
    if (firstChanged < 0) firstChanged = l;
    lastChanged = l;
    if (many) continue;
    edits.push(...scratchEdits);
    // One edit per separator made a 481 MB reply for a 40 MB tab-separated file: past a
    // thousand, the changed lines are replaced at once (a reply about the size of the text).
    many = edits.length > MAX_SEPARATE_EDITS;
  }
  return many ? [replaceLines(doc, firstChanged, lastChanged)] : edits;
}

/** One edit that replaces lines [from, to] (without the last line break) by their normalized text. */
function replaceLines(doc: FlowLogDocument, from: number, to: number): TextEdit {
  const { lines } = doc;
  const parts: string[] = [];
  const lineEdits: TextEdit[] = [];
  for (let line = from; line <= to; line++) {
    const text = lines.textOf(line);
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    lineEdits.length = 0;
    if (end - start <= doc.maxLineLength) lineSpacingEdits(doc, line, lineEdits);
    // Edits of one line are in order and do not overlap. One string per line: millions of
    // small parts for a 40 MB file cost hundreds of MB.
    const lineParts: string[] = [];
    let at = start;
    for (const edit of lineEdits) {
      lineParts.push(text.slice(at, start + edit.range.start.character), edit.newText);
      at = start + edit.range.end.character;
    }
    lineParts.push(text.slice(at, end));
    if (line < to) lineParts.push(lineBreakAfter(text, end));
    parts.push(lineParts.join(''));
  }
  return { range: rangeOf(from, 0, to, lines.lineEnd(to) - lines.lineStart(to)), newText: parts.join('') };
}

function lineBreakAfter(text: string, end: number): string {
  const c = text.charCodeAt(end);
  if (c === CR) return text.charCodeAt(end + 1) === LF ? '\r\n' : '\r';
  return c === LF ? '\n' : '';
}

/** The edits of a whole-document action offered lazily (undefined when it no longer applies). */
export function wholeDocumentEdits(doc: FlowLogDocument, action: WholeDocumentAction): TextEdit[] | undefined {
  if (action === 'insert-header') {
    const edit = isRecognised(doc.formats) ? headerLineEdit(doc) : undefined;
    return edit ? [edit] : undefined;
  }
  const edits = normalizeSpacingEdits(doc);
  return edits.length > 0 ? edits : undefined;
}

// ---- header ---------------------------------------------------------------------------------

function formatLabel(format: FlowLogFormat): string {
  const layout = format.layoutId ? layoutById(format.layoutId) : undefined;
  if (layout) return layout.label;
  return `${format.kind === 'tgw' ? 'Transit Gateway' : 'VPC'} v${format.maxVersion || '?'} (${format.names.length} fields)`;
}

function hasDeclaredFormat(doc: FlowLogDocument): boolean {
  const source = doc.formats.primary.source;
  return source === 'header' || source === 'directive';
}

/**
 * An edit inserting a header line with the detected format's field names above the first record,
 * after a BOM and any leading comments; undefined when the format already comes from a header or
 * directive. Names of columns inference could not name (`column-3`) are kept, so that the new
 * header's problems show which ones still need a name.
 */
export function headerLineEdit(doc: FlowLogDocument): TextEdit | undefined {
  const format = doc.formats.primary;
  if (hasDeclaredFormat(doc) || format.names.length === 0) return undefined;
  const { lines } = doc;
  const eol = lineBreak(doc);
  const header = format.names.join(' ');
  const line = doc.firstRecordLine();
  if (line >= lines.lineCount) {
    // Only comments so far: the header goes after them.
    const end = lines.endPosition();
    const atLineStart = end.character === 0;
    return { range: rangeOf(end.line, end.character, end.line, end.character), newText: atLineStart ? header + eol : eol + header + eol };
  }
  const character = line === 0 && lines.textOf(0).charCodeAt(0) === 0xfeff ? 1 : 0;
  return { range: rangeOf(line, character, line, character), newText: header + eol };
}

function insertHeaderAction(doc: FlowLogDocument, kind: FlowLogCodeAction['kind'], problem?: Problem, lazy = false): FlowLogCodeAction | undefined {
  // Text that is not a flow log would get a header of `column-N` names: no help.
  if (!isRecognised(doc.formats)) return undefined;
  const title = `Insert header line for ${formatLabel(doc.formats.primary)}`;
  if (lazy) return hasDeclaredFormat(doc) || doc.formats.primary.names.length === 0 ? undefined : { title, kind, edits: [], resolve: 'insert-header' };
  const edit = headerLineEdit(doc);
  if (!edit) return undefined;
  return { title, kind, edits: [edit], problem };
}

// ---- quick fixes ----------------------------------------------------------------------------

function splitEdits(doc: FlowLogDocument, problem: Problem, offsets: readonly number[]): TextEdit[] {
  const text = doc.lines.textOf(problem.line);
  const lineStart = doc.lines.lineStart(problem.line);
  const lineEnd = doc.lines.lineEnd(problem.line);
  // Records inside a `{"message":"…"}` wrapper are split into wrapped lines of their own, so
  // that every line stays a JSON object (a bare line break inside the string would break it).
  const first = lineStart < lineEnd && text.charCodeAt(lineStart) === 0xfeff ? lineStart + 1 : lineStart;
  const inner = text.charCodeAt(first) === 123 ? unwrapMessage(text, first, lineEnd) : undefined;
  const separator = inner ? `${text.slice(inner[1], lineEnd)}${lineBreak(doc)}${text.slice(first, inner[0])}` : lineBreak(doc);
  const edits: TextEdit[] = [];
  for (const offset of offsets) {
    let gap = offset;
    while (gap > 0 && isBlank(text.charCodeAt(lineStart + gap - 1))) gap--;
    edits.push({ range: rangeOf(problem.line, gap, problem.line, offset), newText: separator });
  }
  return edits;
}

/** Joins the problem's line with the following ones up to its end line (the next line by default). */
function joinEdits(doc: FlowLogDocument, problem: Problem): TextEdit[] {
  const { lines } = doc;
  const last = Math.min(problem.endLine ?? problem.line + 1, lines.lineCount - 1);
  const edits: TextEdit[] = [];
  for (let line = problem.line; line < last; line++) {
    const text = lines.textOf(line);
    const start = lines.lineStart(line);
    let end = lines.lineEnd(line);
    while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
    const nextStart = lines.lineStart(line + 1);
    const next = skipBlanks(lines.textOf(line + 1), nextStart, lines.lineEnd(line + 1));
    edits.push({ range: rangeOf(line, end - start, line + 1, next - nextStart), newText: ' ' });
  }
  return edits;
}

/** Removes a duplicate name with one separator, and the `${…}` around it in a LogFormat list. */
function removeFieldEdit(doc: FlowLogDocument, problem: Problem): TextEdit {
  const text = doc.lines.textOf(problem.line);
  const lineStart = doc.lines.lineStart(problem.line);
  const lineEnd = doc.lines.lineEnd(problem.line);
  let from = lineStart + problem.start;
  let to = lineStart + problem.end;
  if (text.startsWith('${', from - 2) && text.charCodeAt(to) === 125) {
    from -= 2;
    to += 1;
  }
  let after = to;
  while (after < lineEnd && isBlank(text.charCodeAt(after))) after++;
  if (after < lineEnd && text.charCodeAt(after) !== HASH && after > to) {
    to = after;
  } else {
    while (from > lineStart && isBlank(text.charCodeAt(from - 1))) from--;
  }
  return { range: rangeOf(problem.line, from - lineStart, problem.line, to - lineStart), newText: '' };
}

/**
 * Whether a problem's range covers one whole word of its line. Replacing or removing anything
 * else would damage the text, so such fixes are not offered for a misplaced range.
 */
function coversWord(doc: FlowLogDocument, problem: Problem): boolean {
  if (problem.line < 0 || problem.line >= doc.lines.lineCount || (problem.endLine ?? problem.line) !== problem.line) return false;
  const text = doc.lines.textOf(problem.line);
  const lineStart = doc.lines.lineStart(problem.line);
  const length = doc.lines.lineEnd(problem.line) - lineStart;
  if (problem.start < 0 || problem.end > length || problem.start >= problem.end) return false;
  const before = problem.start === 0 ? SPACE : text.charCodeAt(lineStart + problem.start - 1);
  const after = problem.end === length ? SPACE : text.charCodeAt(lineStart + problem.end);
  return (isBlank(before) || before === 123 || before === 0xfeff || before === 34) && (isBlank(after) || after === 125 || after === HASH || after === 34);
}

function quickFix(doc: FlowLogDocument, problem: Problem): FlowLogCodeAction | undefined {
  const fix = problem.fix;
  if (!fix) return undefined;
  if ((fix.kind === 'replace' || fix.kind === 'remove-field') && !coversWord(doc, problem)) return undefined;
  // The text a fix replaces, quoted in its title: cut, with control and bidi characters escaped.
  const written = (): string => {
    const lineStart = doc.lines.lineStart(problem.line);
    const text = doc.lines.textOf(problem.line).slice(lineStart + problem.start, lineStart + Math.min(problem.end, problem.start + 41));
    return showable(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  };
  switch (fix.kind) {
    case 'split': {
      if (fix.offsets.length === 0) return undefined;
      const title = `Split into ${fix.offsets.length + 1} records, one per line`;
      return { title, kind: 'quickfix', edits: splitEdits(doc, problem, fix.offsets), isPreferred: true, problem };
    }
    case 'join': {
      const edits = joinEdits(doc, problem);
      if (edits.length === 0) return undefined;
      const title = edits.length === 1 ? 'Join with the next line (wrapped record)' : `Join the ${edits.length + 1} lines of the wrapped record`;
      return { title, kind: 'quickfix', edits, isPreferred: true, problem };
    }
    case 'normalize-spacing': {
      const edits = normalizeSpacingEdits(doc, problem.line);
      return edits.length ? { title: 'Normalize spacing on this line', kind: 'quickfix', edits, isPreferred: true, problem } : undefined;
    }
    case 'replace':
      return {
        title: `Replace '${written()}' with '${fix.replacement}'`,
        kind: 'quickfix',
        edits: [{ range: rangeOf(problem.line, problem.start, problem.line, problem.end), newText: fix.replacement }],
        isPreferred: true,
        problem,
      };
    case 'remove-field':
      return { title: `Remove duplicate '${written()}'`, kind: 'quickfix', edits: [removeFieldEdit(doc, problem)], isPreferred: true, problem };
    case 'insert-header':
      return insertHeaderAction(doc, 'quickfix', problem);
  }
}

function touches(problem: Problem, range: Range): boolean {
  return problem.line <= range.end.line && (problem.endLine ?? problem.line) >= range.start.line;
}

/**
 * Actions for a range: quick fixes for the problems on its lines, then source actions. `problems`
 * are the document's current problems (as validated); the whole-document spacing action is
 * offered from a line with a spacing problem when the document has several. Whole-document
 * actions scan every line, so `options.wholeDocument` says whether to build them now, leave
 * them to be resolved, or not offer them.
 */
export function codeActions(doc: FlowLogDocument, range: Range, problems: readonly Problem[], options: CodeActionOptions = {}): FlowLogCodeAction[] {
  const whole = options.wholeDocument ?? 'eager';
  const actions: FlowLogCodeAction[] = [];
  let spacingProblems = 0;
  let spacingHere = false;
  let headerOffered = false;
  for (const problem of problems) {
    if (problem.fix?.kind === 'normalize-spacing') spacingProblems++;
    if (!touches(problem, range)) continue;
    const action = quickFix(doc, problem);
    if (!action) continue;
    if (problem.fix?.kind === 'normalize-spacing') spacingHere = true;
    if (problem.fix?.kind === 'insert-header') {
      if (headerOffered) continue;
      headerOffered = true;
    }
    actions.push(action);
  }
  if (spacingHere && spacingProblems > 1 && whole !== 'none') {
    const title = 'Normalize spacing in the whole document';
    if (whole === 'lazy') {
      actions.push({ title, kind: 'source', edits: [], resolve: 'normalize-spacing' });
    } else {
      const edits = normalizeSpacingEdits(doc);
      if (edits.length) actions.push({ title, kind: 'source', edits });
    }
  }
  if (!headerOffered && whole !== 'none') {
    const header = insertHeaderAction(doc, 'source', undefined, whole === 'lazy');
    if (header) actions.push(header);
  }
  return actions;
}

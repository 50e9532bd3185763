/**
 * Problems of the document as a whole rather than of one record: header lines and directives
 * that name unknown or duplicate fields, several formats in one file, and a format that had to be
 * inferred (ambiguous columns) or could not be recognised at all — reported once, not per line.
 */
import { showable } from '../catalog/decodeText';
import { declarationLineOf, isRecognised, type DocumentFormats } from './formatModel';
import { firstRecordLineBefore } from './format';
import type { LineSource } from './lines';
import { emitProblem, type FixHint, type MessageHost, type ProblemSink } from './problems';
import type { RuleCode, SeverityTable } from './rules';

export type { MessageHost };

export interface DeclarationInput {
  readonly lines: LineSource;
  readonly formats: DocumentFormats;
  readonly severities: SeverityTable;
  /** Default 'editor'. */
  readonly host?: MessageHost;
  /** Lines longer than this are not records (see MAX_LINE_LENGTH). */
  readonly maxLineLength?: number;
}

/** How the user gives a format explicitly, in each host's words. */
const EXPLICIT_FORMAT = {
  editor: { name: 'flowlog.format', advice: 'set flowlog.format' },
  cli: { name: '--fields', advice: 'pass --fields' },
} as const;

export function checkDeclarations(input: DeclarationInput, sink: ProblemSink): boolean {
  const { lines, formats, severities } = input;
  const explicit = EXPLICIT_FORMAT[input.host ?? 'editor'];
  const emit = (code: RuleCode, line: number, start: number, end: number, message: string, fix?: FixHint): boolean =>
    emitProblem(sink, severities, code, line, start, end, () => message, fix);
  const first = formats.segments[0].format;
  for (const segment of formats.segments) {
    const list = segment.declaration;
    if (!list || !list.spans) continue;
    const line = declarationLineOf(segment);
    for (const unknown of list.unknown) {
      const span = list.spans[unknown.index];
      const message = `'${clip(unknown.written)}' is not a flow log field.${unknown.suggestion ? ` Did you mean '${unknown.suggestion}'?` : ''}${lookAlike(unknown.written)}`;
      const fix = unknown.suggestion ? { kind: 'replace' as const, replacement: unknown.suggestion } : undefined;
      if (!emit('unknown-field', line, span.start, span.end, message, fix)) return false;
    }
    for (const duplicate of list.duplicates) {
      const span = list.spans[duplicate.index];
      if (!emit('duplicate-field', line, span.start, span.end, `'${duplicate.name}' appears more than once in this field list.`, { kind: 'remove-field' })) return false;
    }
    const format = segment.format;
    if (formats.explicitUnused && format === first) {
      const end = lines.lineEnd(line) - lines.lineStart(line);
      const what = format.source === 'directive' ? 'directive' : 'header line';
      const message = `This ${what} gives the file's format, so ${explicit.name} was not used: it applies only to files without a header line.`;
      if (!emit('explicit-format-unused', line, 0, end, message)) return false;
    }
    if (format !== first && format.names.join(' ') !== first.names.join(' ')) {
      const end = lines.lineEnd(line) - lines.lineStart(line);
      const message = `This file changes format here: ${format.names.length} fields (${first.names.length} before). Records of several formats in one file are hard to query together.`;
      if (!emit('multiple-formats', line, 0, end, message)) return false;
    }
  }
  if (first.source !== 'inferred') return true;
  const recordLine = firstRecordLineBefore(lines, lines.lineCount, input.maxLineLength);
  if (recordLine < 0) return true;
  const end = lines.lineEnd(recordLine) - lines.lineStart(recordLine);
  if (!isRecognised(formats)) {
    return emit('not-flow-log', recordLine, 0, end, `This does not look like a flow log: no header line, and the ${first.names.length} columns match no known format. Add a header line of field names, a '# fields: …' directive, or ${explicit.advice}.`);
  }
  if (first.ambiguousColumns.length > 0) {
    const columns = first.ambiguousColumns.map((c) => `${c + 1} (${first.names[c]}?)`).join(', ');
    return emit('ambiguous-format', recordLine, 0, end, `The format was inferred from the values; columns ${columns} are guesses. Add a header line or ${explicit.advice}.`, { kind: 'insert-header' });
  }
  return true;
}

/** Names the first non-ASCII character, which is often a look-alike letter pasted from elsewhere. */
function lookAlike(name: string): string {
  const match = /[^\x20-\x7e]/u.exec(name);
  if (!match) return '';
  const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return ` It contains the non-ASCII character '${showable(match[0])}' (U+${code}).`;
}

/** Keeps messages readable when a name is absurdly long. */
function clip(text: string): string {
  return showable(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

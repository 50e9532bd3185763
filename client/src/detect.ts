/**
 * Whether the start of a text is a flow log, for switching `.log` and plain text documents to
 * the flowlog language. Pure (no `vscode`), so it is unit-tested on strings; the decision is the
 * language service's own format detection run on the first lines.
 */
import { FlowLogDocument } from '../../server/src/service/document';
import { parseLine } from '../../server/src/service/parse';
import { isRecognised } from '../../server/src/service/formatModel';

/** Lines of the document that are looked at. */
export const DETECTION_LINES = 20;
/** Longest line taken into account; longer lines are cut (a minified JSON file is not a flow log). */
const MAX_LINE_LENGTH = 4096;
/** Fewest field names a header line must have to count. */
const MIN_HEADER_FIELDS = 3;
/** Fewest values a record line must have: every known format has more. */
const MIN_RECORD_FIELDS = 5;

/** The first lines of `text`, blank lines skipped, each line cut to a sane length. */
export function leadingLines(text: string, count = DETECTION_LINES): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, Math.min(end, start + MAX_LINE_LENGTH)).replace(/\r$/, '');
    if (line.trim() !== '') lines.push(line);
    start = end + 1;
  }
  return lines;
}

/**
 * True when the first non-blank lines are a header line of field names, a `# fields:` directive,
 * or records whose values the service recognises as a flow log format.
 */
export function looksLikeFlowLog(lines: readonly string[]): boolean {
  if (lines.length === 0) return false;
  const document = new FlowLogDocument(lines.join('\n'));
  const formats = document.formats;
  const primary = formats.primary;
  if (primary.source === 'header' || primary.source === 'directive') {
    const known = primary.fields.filter((field) => field !== undefined).length;
    return known >= MIN_HEADER_FIELDS;
  }
  if (primary.source !== 'inferred' || !isRecognised(formats)) return false;
  if (primary.names.length < MIN_RECORD_FIELDS) return false;
  // Most record lines must have the format's width: a log whose lines merely contain an address
  // or a number is not a flow log.
  const width = primary.names.length;
  let records = 0;
  let fitting = 0;
  for (let line = 0; line < document.lines.lineCount; line++) {
    const parsed = parseLine(document, line);
    if (parsed.kind !== 'record') continue;
    records++;
    if (parsed.tokens.length % width === 0) fitting++;
  }
  return records > 0 && fitting * 2 > records && primary.confidence >= 0.5;
}

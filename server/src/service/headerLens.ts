/**
 * Code lenses for a file without a header line: above its first record, a lens that inserts the
 * detected format's field names as a header line, and the names themselves (what a header line
 * would say) with where they came from (clicking them runs Set Record Format…). Nothing changes until the user clicks: the insert lens runs the
 * Insert Header Line command, which asks for the same edit as the quick fix (`headerLineEdit`).
 */
import type { FlowLogDocument } from './document';
import { headerLineEdit } from './codeActions';
import { describeFormat, isRecognised } from './formatModel';

/** Client commands the lenses run (contributed by the VS Code extension). */
export const INSERT_HEADER_COMMAND = 'flowlog.insertHeader';
export const SET_FORMAT_COMMAND = 'flowlog.setFormat';

export interface HeaderLens {
  line: number;
  title: string;
  command: typeof INSERT_HEADER_COMMAND | typeof SET_FORMAT_COMMAND;
}

/** Field names shown in full up to this many characters (a v5 header is about 300). */
const MAX_TITLE_NAMES = 600;

export function headerLenses(doc: FlowLogDocument): HeaderLens[] {
  const formats = doc.formats;
  const format = formats.primary;
  // Nothing to read yet (an empty file, or comments only): no lens.
  if (doc.firstRecordLine() >= doc.lines.lineCount) return [];
  const edit = headerLineEdit(doc);
  if (!edit) return [];
  const line = edit.range.start.line;
  if (!isRecognised(formats)) {
    return [{ line, title: 'Record format not recognised: set it…', command: SET_FORMAT_COMMAND }];
  }
  let names = format.names.join(' ');
  if (names.length > MAX_TITLE_NAMES) names = `${names.slice(0, names.lastIndexOf(' ', MAX_TITLE_NAMES))} …`;
  // The short lens first: VS Code lays lenses out on one line, and the names may run past the window.
  return [
    { line, title: 'Insert as header line', command: INSERT_HEADER_COMMAND },
    { line, title: `${names}  (${describeFormat(format)})`, command: SET_FORMAT_COMMAND },
  ];
}

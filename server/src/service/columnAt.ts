/**
 * The column under a cursor, named: the status bar shows `dstport · col 7 · 443 HTTPS` from it,
 * and Select Column / Copy Column Values (columnValues.ts) start from it.
 */
import type { Position } from 'vscode-languageserver-types';
import { decodeValue } from '../catalog/decoders';
import type { FlowLogDocument } from './document';
import { isRecognised } from './formatModel';
import { decodeContext } from './hover';
import { parseLine, tokenAt } from './parse';

/** What the status bar says about the column under a cursor. */
export interface ColumnAtPosition {
  /** The field name (`dstport`), or `column-N` past the format's width or for an unnamed column. */
  name: string;
  /** 0-based column in the line's format. */
  column: number;
  /** The value under the cursor; absent on a header name. */
  value?: string;
  /** Its short decoding (`HTTPS`, `TCP`, a UTC time), when it says more than the value. */
  decoded?: string;
  /** Whether the cursor is on the header line's name of the column. */
  header?: boolean;
}

/** Short decodings that add nothing to the value in a status bar. */
const SAYS_NOTHING = new Set(['', 'null', 'no port', 'default format']);

/**
 * The column under a position: on a record value (or touching one), or on a header name.
 * Undefined off the columns: blank lines, comments, CloudWatch time prefixes, gaps far from a
 * value, text that is not a flow log.
 */
export function columnAtPosition(doc: FlowLogDocument, position: Position): ColumnAtPosition | undefined {
  const { line, character } = position;
  if (!Number.isInteger(line) || !Number.isInteger(character) || line < 0 || character < 0 || line >= doc.lines.lineCount) return undefined;
  if (character > doc.lines.lineEnd(line) - doc.lines.lineStart(line)) return undefined;
  const parsed = parseLine(doc, line, { focus: character });
  if (parsed.kind === 'header') {
    const index = parsed.names?.findIndex((name) => character >= name.start && character <= name.end) ?? -1;
    return index < 0 ? undefined : { name: parsed.format.names[index] ?? `column-${index + 1}`, column: index, header: true };
  }
  if (parsed.kind !== 'record') return undefined;
  if (parsed.format === doc.formats.primary && !isRecognised(doc.formats)) return undefined;
  if (parsed.commentStart !== undefined && character > parsed.commentStart) return undefined;
  const token = tokenAt(parsed, character);
  if (!token) return undefined;
  const result: ColumnAtPosition = { name: token.name, column: token.index, value: token.text };
  if (token.field) {
    const short = decodeValue(token.field, token.text, decodeContext(parsed))?.short;
    if (short !== undefined && !SAYS_NOTHING.has(short) && short !== token.text) result.decoded = short;
  }
  return result;
}


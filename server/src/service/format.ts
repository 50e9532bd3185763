/**
 * The record format of a document. Sources, strongest first: a header line of field names (S3)
 * or a `# fields:` directive that opens the file, an explicit format (setting or `--fields`, for
 * files without one), inference from the values; with nothing to go on, the default v2 format.
 * A file's own header wins over the explicit format because it is written by what wrote the
 * records; `explicitUnused` then says so, and a note tells the user. Header lines may repeat mid-file where S3
 * objects were concatenated; each starts a segment with its own format.
 */
import { fieldListFromTokens, looksLikeFieldList, parseFieldList, readNameTokens, type ParsedFieldList } from './fieldList';
import { DEFAULT_FORMAT, formatFromList, segmentIndexAt, type DocumentFormats, type FlowLogFormat, type FormatSegment } from './formatModel';
import { inferFromSamples } from './infer';
import { BlockText } from './blocks';
import { MAX_LINE_LENGTH, type LineSource } from './lines';
import { directiveBodyStart, isJsonLine, isNonRecordLine, scanLineRecord, scanRecord, skipBlanks, TokenBuffer } from './scan';
import { jsonRecords, JsonRecords } from './exportShapes';
import { DASH, HASH, NINE, ZERO } from '../catalog/charCodes';

/** Record lines inference samples, in the editor and the CLI alike (the same file, the same format). */
export const INFERENCE_SAMPLE_LINES = 200;

export interface DetectOptions {
  /** Explicit format: a field list, LogFormat string or layout id. */
  explicit?: string;
  /** How many record lines inference samples (default INFERENCE_SAMPLE_LINES). */
  sampleLines?: number;
  /** Lines longer than this are read as blank (see MAX_LINE_LENGTH). */
  maxLineLength?: number;
}

/** A declaration line found while scanning: a header or a directive. */
interface Declaration {
  line: number;
  list: ParsedFieldList;
  source: 'header' | 'directive';
}

/** Reads the header or directive on a line, if there is one. */
export function readDeclaration(text: string, start: number, end: number, tokens: TokenBuffer): { list: ParsedFieldList; source: 'header' | 'directive' } | undefined {
  const first = skipBlanks(text, start, end);
  if (first >= end) return undefined;
  const c = text.charCodeAt(first);
  if (c === HASH) {
    const body = directiveBodyStart(text, first);
    if (body < 0) return undefined;
    // Stop at a parenthesised remark, as in `# format: version … (default v2)`.
    const paren = text.indexOf('(', body);
    const names = readNameTokens(text, body, paren >= 0 && paren < end ? paren : end);
    return names.length > 0 ? { list: lineRelative(fieldListFromTokens(names), start), source: 'directive' } : undefined;
  }
  // Header lines start with a field name; records start with digits, `-` or ids.
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36)) return undefined;
  scanRecord(text, first, end, tokens);
  const names = readNameTokens(text, first, tokens.commentStart >= 0 ? tokens.commentStart : end);
  if (!looksLikeFieldList(names, tokens.count)) return undefined;
  return { list: lineRelative(fieldListFromTokens(names), start), source: 'header' };
}

/** Spans within the line survive edits on other lines; absolute offsets would not. */
function lineRelative(list: ParsedFieldList, lineStart: number): ParsedFieldList {
  return { ...list, spans: list.spans?.map((span) => ({ start: span.start - lineStart, end: span.end - lineStart })) };
}

function collectDeclarations(lines: LineSource, tokens: TokenBuffer, maxLineLength: number): Declaration[] {
  const found: Declaration[] = [];
  // Nearly every line is a record, rejected by its first character: a document in blocks is read
  // block by block, so that no line costs two searches for its block (in a fresh server, about
  // 8 ms of opening the 50 MB v2 document, which first diagnostics wait for).
  const runs = lines instanceof BlockText ? lines.runs() : [{ lines, firstLine: 0, lineCount: lines.lineCount }];
  for (const run of runs) {
    const source = run.lines;
    for (let line = 0; line < run.lineCount; line++) {
      const text = source.textOf(line);
      const start = source.lineStart(line);
      const c = text.charCodeAt(start);
      // Cheap reject: records start with a digit or '-' in nearly every format.
      if ((c >= ZERO && c <= NINE) || c === DASH) continue;
      const end = source.lineEnd(line);
      if (end - start > maxLineLength) continue;
      const declaration = readDeclaration(text, start, end, tokens);
      if (declaration) found.push({ line: run.firstLine + line, ...declaration });
    }
  }
  return found;
}

const json = new JsonRecords();

function rowOf(text: string, tokens: TokenBuffer): string[] {
  const row: string[] = [];
  for (let i = 0; i < tokens.count; i++) row.push(tokens.text(text, i));
  return row;
}

/** Token lists of the first record lines of [fromLine, toLine), for inference. */
function sampleRecords(lines: LineSource, fromLine: number, toLine: number, limit: number, tokens: TokenBuffer, maxLineLength: number): { samples: string[][]; end: number } {
  const samples: string[][] = [];
  let line = fromLine;
  for (; line < toLine && samples.length < limit; line++) {
    const text = lines.textOf(line);
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    if (end - start > maxLineLength) continue;
    const first = skipBlanks(text, start, end);
    if (first >= end || isNonRecordLine(text, first, end)) continue;
    if (isJsonLine(text, first)) {
      // Every message of a JSON line is a record.
      jsonRecords(text, first, end, json);
      for (let index = 0; index < json.count && samples.length < limit; index++) {
        scanLineRecord(text, first, end, index, json, tokens);
        if (tokens.count > 0) samples.push(rowOf(text, tokens));
      }
      continue;
    }
    scanRecord(text, first, end, tokens);
    if (tokens.count > 0) samples.push(rowOf(text, tokens));
  }
  return { samples, end: line };
}

/** Finds the formats of a whole document. */
export function detectFormats(lines: LineSource, options: DetectOptions = {}): DocumentFormats {
  const tokens = new TokenBuffer();
  const maxLineLength = options.maxLineLength ?? MAX_LINE_LENGTH;
  const declarations = collectDeclarations(lines, tokens, maxLineLength);
  const segments: FormatSegment[] = [];
  let initial: FlowLogFormat | undefined;
  let initialDeclaration: ParsedFieldList | undefined;
  let explicit: FlowLogFormat | undefined;
  if (options.explicit && options.explicit.trim()) {
    const list = parseFieldList(options.explicit);
    if (list.names.length > 0) explicit = formatFromList(list, 'option');
  }
  const firstDeclaration = declarations[0];
  let initialDeclarationLine: number | undefined;
  if (firstDeclaration && firstRecordLineBefore(lines, firstDeclaration.line, maxLineLength) < 0) {
    // The file opens with its header or directive (after comments or blanks): it rules from the
    // top, also over an explicit format.
    initial = formatFromList(firstDeclaration.list, firstDeclaration.source, firstDeclaration.line);
    initialDeclaration = firstDeclaration.list;
    initialDeclarationLine = firstDeclaration.line;
    declarations.shift();
  }
  const explicitUnused = explicit !== undefined && initial !== undefined;
  initial ??= explicit;
  let inferenceEnd: number | undefined;
  if (!initial) {
    const until = declarations[0]?.line ?? lines.lineCount;
    const { samples, end } = sampleRecords(lines, 0, until, options.sampleLines ?? INFERENCE_SAMPLE_LINES, tokens, maxLineLength);
    initial = samples.length > 0 ? inferFromSamples(samples) : DEFAULT_FORMAT;
    inferenceEnd = end;
  }
  segments.push({ fromLine: 0, format: initial, declaration: initialDeclaration, declarationLine: initialDeclarationLine });
  for (const declaration of declarations) {
    segments.push({
      fromLine: declaration.line,
      format: formatFromList(declaration.list, declaration.source, declaration.line),
      declaration: declaration.list,
    });
  }
  return explicitUnused ? { primary: initial, segments, explicitUnused, inferenceEnd } : { primary: initial, segments, inferenceEnd };
}

/** First record line before `limit`, or -1 when only blanks, comments (and overlong lines) precede it. */
export function firstRecordLineBefore(lines: LineSource, limit: number, maxLineLength = MAX_LINE_LENGTH): number {
  for (let line = 0; line < limit; line++) {
    const text = lines.textOf(line);
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    if (end - start > maxLineLength) continue;
    const first = skipBlanks(text, start, end);
    if (first < end && !isNonRecordLine(text, first, end)) return line;
  }
  return -1;
}

/** Segment that governs a line (segments are sorted by fromLine). */
export function segmentAt(formats: DocumentFormats, line: number): FormatSegment {
  return formats.segments[segmentIndexAt(formats.segments, line)];
}

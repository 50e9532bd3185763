/**
 * Inlay hints: the field name before each record value (`srcport:`) and, after values whose raw
 * form says little, what they mean (`18` → `SYN-ACK`, `6` → `TCP`, epoch → UTC time, bytes →
 * KiB/MiB, traffic-path and encryption-status codes). Only the lines of the requested range are
 * read.
 *
 * A viewport of wide records holds thousands of hints, so the reply is kept lean: each hint has
 * only what changes how it looks (position, label, kind, the padding on the side of the value),
 * field-name labels are made once per column, and a decoded label is computed once per distinct
 * value in a request (ports, protocols and flags repeat on almost every line).
 *
 * Within a record, hints come most useful first (times, tcp-flags, protocol…, then field names),
 * not in position order: VS Code sorts them by position to draw them, and a client that cuts a
 * line's hints to a length (the extension does, to `editor.inlayHints.maximumLength`) keeps the
 * first ones.
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import type { FlowLogDocument } from './document';
import { isRecognised, type FlowLogFormat } from './formatModel';
import { forEachRecordLine } from './recordLines';
import { isJsonLine, scanLineRecord, scanRecord, skipBlanks, TokenBuffer } from './scan';
import { jsonRecords, JsonRecords } from './exportShapes';
import { layoutForRecord } from './layoutSwitch';
import { hintPriority, planOf, recordLabels, type FormatPlan } from './hintLabels';

export interface InlayHintOptions {
  fieldNames: boolean;
  decodedValues: boolean;
}

/**
 * Most hints one request returns. A viewport of wide records (40 fields × 2 hints × ~60 lines)
 * stays below it; a client asking for a huge range gets the first 5000 rather than a reply
 * too big to render.
 */
export const MAX_INLAY_HINTS = 5000;

/** Lines the range covers; an end at character 0 of a later line does not include that line. */
function rangeLines(doc: FlowLogDocument, range: Range): [number, number] {
  const last = doc.lines.lineCount - 1;
  let endLine = range.end.line;
  if (range.end.character === 0 && endLine > range.start.line) endLine--;
  return [Math.max(0, range.start.line), Math.min(last, endLine)];
}

const scratch = new TokenBuffer();
const scratchJson = new JsonRecords();
const scratchLabels: string[] = [];

/** A hint of the record being read, with the rank of what it shows. */
interface RankedHint {
  hint: InlayHint;
  rank: number;
  column: number;
}

/**
 * Hints of the record just scanned into `scratch`, most useful first (hintLabels.ts
 * `hintPriority`), then in column order: a client that cuts a line's hints keeps the best ones.
 */
function recordHints(text: string, lineStart: number, line: number, format: FlowLogFormat, plans: Map<FlowLogFormat, FormatPlan>, options: InlayHintOptions, hints: InlayHint[]): void {
  // A headerless file may mix layouts: a record of another known layout is read by it.
  format = layoutForRecord(format, text, scratch) ?? format;
  const plan = planOf(plans, format);
  const count = Math.min(scratch.count, format.names.length);
  if (options.decodedValues) recordLabels(plan, format, text, scratch, scratchLabels);
  const ranked: RankedHint[] = [];
  for (let column = 0; column < count; column++) {
    const start = scratch.starts[column];
    const end = scratch.ends[column];
    if (options.fieldNames) {
      ranked.push({ rank: hintPriority(undefined), column, hint: { position: { line, character: start - lineStart }, label: plan.nameLabels[column], kind: InlayHintKind.Parameter, paddingRight: true } });
    }
    const label = options.decodedValues ? scratchLabels[column] : '';
    if (label === '') continue;
    ranked.push({ rank: hintPriority(plan.decoded[column]), column, hint: { position: { line, character: end - lineStart }, label, kind: InlayHintKind.Type, paddingLeft: true } });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.column - b.column);
  for (const { hint } of ranked) {
    if (hints.length >= MAX_INLAY_HINTS) return;
    hints.push(hint);
  }
}

export function inlayHints(doc: FlowLogDocument, range: Range, options: InlayHintOptions): InlayHint[] {
  const hints: InlayHint[] = [];
  if (!options.fieldNames && !options.decodedValues) return hints;
  const [from, to] = rangeLines(doc, range);
  const primaryReadable = isRecognised(doc.formats);
  const plans = new Map<FlowLogFormat, FormatPlan>();
  forEachRecordLine(doc.lines, doc.formats, from, to + 1, (text, lineStart, lineEnd, segment, line) => {
    const format = segment.format;
    if (!primaryReadable && format === doc.formats.primary) return;
    const first = skipBlanks(text, lineStart, lineEnd);
    if (!isJsonLine(text, first)) {
      scanRecord(text, lineStart, lineEnd, scratch);
      recordHints(text, lineStart, line, format, plans, options, hints);
      return hints.length < MAX_INLAY_HINTS;
    }
    // Every message of a JSON line is a record.
    jsonRecords(text, first, lineEnd, scratchJson);
    for (let index = 0; index < scratchJson.count && hints.length < MAX_INLAY_HINTS; index++) {
      scanLineRecord(text, first, lineEnd, index, scratchJson, scratch);
      recordHints(text, lineStart, line, format, plans, options, hints);
    }
    return hints.length < MAX_INLAY_HINTS;
  });
  return hints;
}

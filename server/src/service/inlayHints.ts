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
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import { decodeValue } from '../catalog/decoders';
import { clip, showable } from '../catalog/decodeText';
import type { FieldSpec } from '../catalog/fields';
import { VALUE_KINDS } from '../catalog/kinds';
import { typedValue } from '../catalog/values';
import type { FlowLogDocument } from './document';
import { isRecognised, type FlowLogFormat } from './formatModel';
import { forEachRecordLine } from './recordLines';
import { isJsonLine, scanLineRecord, scanRecord, skipBlanks, TokenBuffer } from './scan';
import { jsonRecords, JsonRecords } from './exportShapes';
import { layoutForRecord } from './layoutSwitch';

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

/** Short decodings that repeat what the value already says, so they are not shown. */
const NOISE = new Set(['', 'null', 'ephemeral', 'no port', 'default format']);

/** Whether a field's decoding is worth a hint after every value: its kind's, with two exceptions. */
function hintsValue(spec: FieldSpec): boolean {
  // Packets would repeat the average size already shown after bytes.
  if (spec.name === 'packets') return false;
  // Only coded enums (encryption-status 0–3) decode to something the value does not say.
  if (spec.name === 'encryption-status') return true;
  return VALUE_KINDS[spec.kind].inlayHint;
}

/**
 * Whether a field's short decoding depends on the record's protocol (a port's service, flags of a
 * non-TCP flow). The short decodings of the other hinted kinds depend on the value alone; the unit
 * tests compare every label with `decodeValue` given the whole record's context.
 */
function dependsOnProtocol(spec: FieldSpec): boolean {
  return spec.kind === 'port' || spec.kind === 'tcpFlags';
}

/** Lines the range covers; an end at character 0 of a later line does not include that line. */
function rangeLines(doc: FlowLogDocument, range: Range): [number, number] {
  const last = doc.lines.lineCount - 1;
  let endLine = range.end.line;
  if (range.end.character === 0 && endLine > range.start.line) endLine--;
  return [Math.max(0, range.start.line), Math.min(last, endLine)];
}

const scratch = new TokenBuffer();
const scratchJson = new JsonRecords();

/** What a request keeps per format: labels per column, and decoded labels per distinct value. */
interface FormatPlan {
  /** `srcport:` per column of the format. */
  nameLabels: string[];
  /** Per column: the field when its values get a decoded hint, else undefined. */
  decoded: (FieldSpec | undefined)[];
  /** Per column: raw value (prefixed by the protocol where that matters) → label, '' for none. */
  labels: Map<string, string>[];
  protocolColumn: number;
  tgw: boolean;
}

function planFor(format: FlowLogFormat): FormatPlan {
  const { names, fields } = format;
  return {
    // A header's unknown names are anyone's text: cut, control and bidi characters escaped.
    nameLabels: names.map((name) => `${showable(clip(name, 40))}:`),
    decoded: names.map((_, i) => (fields[i] && hintsValue(fields[i]) ? fields[i] : undefined)),
    labels: names.map(() => new Map<string, string>()),
    protocolColumn: names.indexOf('protocol'),
    tgw: format.kind === 'tgw',
  };
}

/** The record's protocol number as decoders read it; undefined when absent or not a number. */
function protocolOf(plan: FormatPlan, format: FlowLogFormat, text: string): number | undefined {
  const column = plan.protocolColumn;
  if (column < 0 || column >= scratch.count) return undefined;
  const value = typedValue(format.fields[column], text.slice(scratch.starts[column], scratch.ends[column]));
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
}

/** The decoded label of a value, '' when it gets no hint; computed once per distinct value. */
function decodedLabel(plan: FormatPlan, column: number, spec: FieldSpec, raw: string, protocol: number | undefined): string {
  const key = dependsOnProtocol(spec) ? `${protocol ?? ''} ${raw}` : raw;
  const cache = plan.labels[column];
  let label = cache.get(key);
  if (label === undefined) {
    label = decodeValue(spec, raw, { protocol, tgw: plan.tgw })?.short ?? '';
    if (NOISE.has(label)) label = '';
    cache.set(key, label);
  }
  return label;
}

/** Hints of the record just scanned into `scratch`. */
function recordHints(text: string, lineStart: number, line: number, format: FlowLogFormat, plans: Map<FlowLogFormat, FormatPlan>, options: InlayHintOptions, hints: InlayHint[]): void {
  // A headerless file may mix layouts: a record of another known layout is read by it.
  format = layoutForRecord(format, text, scratch) ?? format;
  let plan = plans.get(format);
  if (!plan) plans.set(format, (plan = planFor(format)));
  const count = Math.min(scratch.count, format.names.length);
  const protocol = options.decodedValues ? protocolOf(plan, format, text) : undefined;
  // A date shared by start and end is shown once, after start.
  let startDate: string | undefined;
  for (let column = 0; column < count && hints.length < MAX_INLAY_HINTS; column++) {
    const start = scratch.starts[column];
    const end = scratch.ends[column];
    if (options.fieldNames) {
      hints.push({ position: { line, character: start - lineStart }, label: plan.nameLabels[column], kind: InlayHintKind.Parameter, paddingRight: true });
    }
    const spec = options.decodedValues ? plan.decoded[column] : undefined;
    if (!spec || hints.length >= MAX_INLAY_HINTS) continue;
    let label = decodedLabel(plan, column, spec, text.slice(start, end), protocol);
    if (label === '') continue;
    if (spec.kind === 'time') {
      const date = label.slice(0, 10);
      if (spec.name === 'start') startDate = date;
      else if (spec.name === 'end' && date === startDate) label = label.slice(11);
    }
    hints.push({ position: { line, character: end - lineStart }, label, kind: InlayHintKind.Type, paddingLeft: true });
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

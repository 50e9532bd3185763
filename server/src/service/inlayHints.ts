/**
 * Inlay hints: the field name before each record value (`srcport:`) and, after values whose raw
 * form says little, what they mean (`18` → `SYN-ACK`, `6` → `TCP`, epoch → UTC time, bytes →
 * KiB/MiB, traffic-path and encryption-status codes). Only the lines of the requested range are
 * parsed.
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import { decodeValue } from '../catalog/decoders';
import type { FieldSpec } from '../catalog/fields';
import type { FlowLogDocument } from './document';
import { decodeContext } from './hover';
import { parseLine } from './parse';
import { isRecognised } from './validate';

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

/** Whether a field's decoding is worth a hint after every value. */
function hintsValue(spec: FieldSpec): boolean {
  switch (spec.kind) {
    case 'tcpFlags':
    case 'protocol':
    case 'time':
    case 'trafficPath':
    case 'port':
    case 'accountId':
    case 'text':
      return true;
    case 'count':
      // Packets would repeat the average size already shown after bytes.
      return spec.name !== 'packets';
    case 'enum':
      // Only coded enums (encryption-status 0–3) decode to something the value does not say.
      return spec.name === 'encryption-status';
    default:
      return false;
  }
}

/** Lines the range covers; an end at character 0 of a later line does not include that line. */
function rangeLines(doc: FlowLogDocument, range: Range): [number, number] {
  const last = doc.lines.lineCount - 1;
  let endLine = range.end.line;
  if (range.end.character === 0 && endLine > range.start.line) endLine--;
  return [Math.max(0, range.start.line), Math.min(last, endLine)];
}

export function inlayHints(doc: FlowLogDocument, range: Range, options: InlayHintOptions): InlayHint[] {
  const hints: InlayHint[] = [];
  if (!options.fieldNames && !options.decodedValues) return hints;
  const [from, to] = rangeLines(doc, range);
  const primaryReadable = isRecognised(doc.formats);
  for (let line = from; line <= to && hints.length < MAX_INLAY_HINTS; line++) {
    const parsed = parseLine(doc, line);
    if (parsed.kind !== 'record') continue;
    if (!primaryReadable && parsed.format === doc.formats.primary) continue;
    const width = parsed.format.names.length;
    const context = options.decodedValues ? decodeContext(parsed) : {};
    // A date shared by start and end is shown once, after start.
    let startDate: string | undefined;
    for (const token of parsed.tokens) {
      if (token.index >= width || hints.length >= MAX_INLAY_HINTS) break;
      if (options.fieldNames) {
        hints.push({ position: { line, character: token.start }, label: `${token.name}:`, kind: InlayHintKind.Parameter, paddingRight: true });
      }
      const spec = token.field;
      if (!options.decodedValues || !spec || !hintsValue(spec) || hints.length >= MAX_INLAY_HINTS) continue;
      let short = decodeValue(spec, token.text, context)?.short ?? '';
      if (NOISE.has(short)) continue;
      if (spec.kind === 'time') {
        const date = short.slice(0, 10);
        if (spec.name === 'start') startDate = date;
        else if (spec.name === 'end' && date === startDate) short = short.slice(11);
      }
      hints.push({ position: { line, character: token.end }, label: short, kind: InlayHintKind.Type, paddingLeft: true });
    }
  }
  return hints;
}

/**
 * The short decodings drawn after record values (`6` → `TCP`, epoch → UTC time), shared by the
 * inlay hints (inlayHints.ts) and the aligned columns (columnLayout.ts), which must agree on every
 * label: alignment reserves room for exactly the label the hints would show. A label is computed
 * once per distinct value and column in a request (ports, protocols and flags repeat on almost
 * every line).
 */
import { decodeValue } from '../catalog/decoders';
import { clip, showable } from '../catalog/decodeText';
import type { FieldSpec } from '../catalog/fields';
import { VALUE_KINDS } from '../catalog/kinds';
import type { ValueKind } from '../catalog/fields';
import { typedValue } from '../catalog/values';
import type { FlowLogFormat } from './formatModel';
import type { TokenBuffer } from './scan';

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

/**
 * Which decodings matter most, lowest first. VS Code cuts a line's hints after
 * `editor.inlayHints.maximumLength` characters in position order; the hints of a line are sent in
 * this order so that a client keeping only what fits keeps the times, flags and protocol rather
 * than the byte counts that come before them in a record.
 */
const KIND_PRIORITY: Partial<Record<ValueKind, number>> = { time: 0, tcpFlags: 1, protocol: 2, enum: 3, trafficPath: 4, port: 5, count: 6, accountId: 7 };

/** Rank of a field's decoded hint (lower first); field-name hints rank after every decoding. */
export function hintPriority(spec: FieldSpec | undefined): number {
  return spec ? (KIND_PRIORITY[spec.kind] ?? 8) : 9;
}

/** What a request keeps per format: labels per column, and decoded labels per distinct value. */
export interface FormatPlan {
  /** `srcport:` per column of the format. */
  nameLabels: string[];
  /** Per column: the field when its values get a decoded hint, else undefined. */
  decoded: (FieldSpec | undefined)[];
  /** Per column: raw value (prefixed by the protocol where that matters) → label, '' for none. */
  labels: Map<string, string>[];
  protocolColumn: number;
  tgw: boolean;
}

export function planFor(format: FlowLogFormat): FormatPlan {
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

/** The plan of a format, made once per request. */
export function planOf(plans: Map<FlowLogFormat, FormatPlan>, format: FlowLogFormat): FormatPlan {
  let plan = plans.get(format);
  if (!plan) plans.set(format, (plan = planFor(format)));
  return plan;
}

/** The record's protocol number (in `tokens`) as decoders read it; undefined when absent or not a number. */
export function protocolOf(plan: FormatPlan, format: FlowLogFormat, text: string, tokens: TokenBuffer): number | undefined {
  const column = plan.protocolColumn;
  if (column < 0 || column >= tokens.count) return undefined;
  const value = typedValue(format.fields[column], text.slice(tokens.starts[column], tokens.ends[column]));
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
}

/** The decoded label of a value, '' when it gets no hint; computed once per distinct value. */
export function decodedLabel(plan: FormatPlan, column: number, spec: FieldSpec, raw: string, protocol: number | undefined): string {
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

/**
 * The labels of the record in `tokens`, per column ('' for none), into `out`: the end time shows
 * only its time of day when it shares the start's date.
 */
export function recordLabels(plan: FormatPlan, format: FlowLogFormat, text: string, tokens: TokenBuffer, out: string[]): void {
  const count = Math.min(tokens.count, format.names.length);
  out.length = count;
  const protocol = protocolOf(plan, format, text, tokens);
  let startDate: string | undefined;
  for (let column = 0; column < count; column++) {
    const spec = plan.decoded[column];
    let label = spec ? decodedLabel(plan, column, spec, text.slice(tokens.starts[column], tokens.ends[column]), protocol) : '';
    if (label !== '' && spec?.kind === 'time') {
      const date = label.slice(0, 10);
      if (spec.name === 'start') startDate = date;
      else if (spec.name === 'end' && date === startDate) label = label.slice(11);
    }
    out[column] = label;
  }
}

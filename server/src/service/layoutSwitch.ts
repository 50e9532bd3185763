/**
 * Headerless files that mix layouts: a default-format CloudWatch export with Transit Gateway
 * default records (36 fields) or all-v5 records (29 fields) appended. Without a header nothing
 * says where the layout changes, so a record whose field count differs from the file's format is
 * read by the known layout of that field count whose fields its values fit, as validation,
 * parsing and the features all do (and validation reports `multiple-formats` where the layout
 * changes). Files with a header or an explicit format keep to it: there a different count is a
 * field-count problem.
 */
import { lookupField, type FieldSpec } from '../catalog/fields';
import { KNOWN_LAYOUTS, type KnownLayout } from '../catalog/layouts';
import { makeFormat, type FlowLogFormat } from './formatModel';
import { scoreLayout } from './infer';
import type { TokenBuffer } from './scan';

/** How well the values must fit the layout: a record of another layout with a bad value or two stays a field-count problem. */
const SURE_FIT = 0.9;

interface Candidate {
  layout: KnownLayout;
  fields: (FieldSpec | undefined)[];
  format: FlowLogFormat;
}

let byWidth: Map<number, Candidate[]> | undefined;

function candidatesOfWidth(width: number): Candidate[] | undefined {
  if (!byWidth) {
    byWidth = new Map();
    for (const layout of KNOWN_LAYOUTS) {
      const fields = layout.fields.map((name) => lookupField(name));
      const format = makeFormat(layout.fields, fields, 'inferred', { confidence: 1, layoutId: layout.id });
      const list = byWidth.get(layout.fields.length) ?? [];
      list.push({ layout, fields, format });
      byWidth.set(layout.fields.length, list);
    }
  }
  return byWidth.get(width);
}

/** True for a format that no header, directive or explicit setting declared. */
export function isHeaderless(format: FlowLogFormat): boolean {
  return format.source === 'inferred' || format.source === 'default';
}

/**
 * The known layout that reads the record in `tokens` (scanned from `text`) in place of its
 * file's `format`, or undefined: when the counts agree, the format was declared, no known layout
 * has the record's field count, or its values do not fit one.
 */
export function layoutForRecord(format: FlowLogFormat, text: string, tokens: TokenBuffer): FlowLogFormat | undefined {
  const count = tokens.count;
  if (count === format.names.length || count === 0 || !isHeaderless(format)) return undefined;
  const candidates = candidatesOfWidth(count);
  if (!candidates) return undefined;
  const row: string[] = [];
  for (let i = 0; i < count; i++) row.push(text.slice(tokens.starts[i], tokens.ends[i]));
  let best: Candidate | undefined;
  let bestScore = SURE_FIT;
  for (const candidate of candidates) {
    const score = scoreLayout(candidate.fields, [row]);
    if (score > bestScore || (score === bestScore && !best)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best?.format;
}

/** The label of a known layout read this way, for messages. */
export function layoutLabel(format: FlowLogFormat): string {
  const layout = KNOWN_LAYOUTS.find((known) => known.id === format.layoutId);
  return layout ? `the known layout “${layout.label}” (${format.names.length} fields)` : `a layout of ${format.names.length} fields`;
}

/**
 * Field lists as people write them: S3 header lines (`version account-id …`), `# fields:`
 * directives, the `flowlog.format` setting and `--fields`, which may also be a LogFormat string
 * (`${version} ${srcaddr} …`), use underscores (Vector, Athena) or name a known layout.
 */
import { FIELDS, lookupField, type FieldSpec } from '../catalog/fields';
import { layoutById, KNOWN_LAYOUTS } from '../catalog/layouts';

export interface NameToken {
  /** Offsets of the name inside the text it was read from (without `${`/`}`). */
  start: number;
  end: number;
  /** The name as written. */
  written: string;
  /** Hyphenated catalog name, or undefined when unknown. */
  field?: FieldSpec;
}

/** Names are whatever stands between blanks or commas, so a look-alike letter stays inside its name. */
const NAME_CHARS = /[^\s,]+/g;

/** Reads the names of a field list in text[start, end). */
export function readNameTokens(text: string, start = 0, end = text.length): NameToken[] {
  const tokens: NameToken[] = [];
  const slice = text.slice(start, end);
  NAME_CHARS.lastIndex = 0;
  for (let match = NAME_CHARS.exec(slice); match; match = NAME_CHARS.exec(slice)) {
    let from = match.index;
    let to = from + match[0].length;
    // Strip the `${…}` of LogFormat strings.
    if (slice.startsWith('${', from)) from += 2;
    if (slice.charCodeAt(to - 1) === 125) to--;
    if (to <= from) continue;
    const written = slice.slice(from, to);
    tokens.push({ start: start + from, end: start + to, written, field: lookupField(written) });
  }
  return tokens;
}

/** True when the words of a line look like a header: mostly known field names, no values. */
export function looksLikeFieldList(tokens: readonly NameToken[], tokenCount: number): boolean {
  if (tokens.length === 0 || tokens.length !== tokenCount) return false;
  let known = 0;
  for (const token of tokens) if (token.field) known++;
  return known * 2 >= tokens.length && /^[a-z$]/i.test(tokens[0].written);
}

export interface ParsedFieldList {
  names: string[];
  fields: (FieldSpec | undefined)[];
  layoutId?: string;
  /** Names that are not fields, with a suggestion. */
  unknown: { index: number; written: string; suggestion?: string }[];
  duplicates: { index: number; name: string }[];
  /** Where each name stands in its header or directive line (offsets within the line), when read from text. */
  spans?: { start: number; end: number }[];
}

/** Parses a setting or option value: a layout id (`default`, `tgw-default`, …) or a field list. */
export function parseFieldList(value: string): ParsedFieldList {
  const layout = layoutById(value.trim());
  if (layout) {
    return { names: [...layout.fields], fields: layout.fields.map((name) => lookupField(name)), layoutId: layout.id, unknown: [], duplicates: [] };
  }
  return fieldListFromTokens(readNameTokens(value));
}

export function fieldListFromTokens(tokens: readonly NameToken[]): ParsedFieldList {
  const names: string[] = [];
  const fields: (FieldSpec | undefined)[] = [];
  const unknown: ParsedFieldList['unknown'] = [];
  const duplicates: ParsedFieldList['duplicates'] = [];
  const seen = new Set<string>();
  tokens.forEach((token, index) => {
    const name = token.field?.name ?? token.written;
    if (!token.field) unknown.push({ index, written: token.written, suggestion: suggestFieldName(token.written) });
    else if (seen.has(name)) duplicates.push({ index, name });
    seen.add(name);
    names.push(name);
    fields.push(token.field);
  });
  const known = KNOWN_LAYOUTS.find((layout) => sameNames(layout.fields, names));
  const spans = tokens.map((token) => ({ start: token.start, end: token.end }));
  return { names, fields, layoutId: known?.id, unknown, duplicates, spans };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  const previous = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest catalog name to a misspelt one, if it is close enough to be a likely typo. */
export function suggestFieldName(written: string): string | undefined {
  // No field name is longer than 30 characters; a long word is not a typo of one.
  if (written.length > 40) return undefined;
  const normalized = written.toLowerCase().replace(/_/g, '-');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const spec of FIELDS) {
    const distance = editDistance(normalized, spec.name);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = spec.name;
    }
  }
  const allowed = Math.max(2, Math.floor(normalized.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

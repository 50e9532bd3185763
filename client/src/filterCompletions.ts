/**
 * Completions for the filter input box: field names (the document's, and addr/port), then
 * operators after a field, then the names of values after an operator (protocols, services,
 * TCP flags, traffic paths, enumeration values) from the catalog. No editor API, so it is unit
 * tested on plain strings.
 */
import { FIELDS, lookupField } from '../../server/src/catalog/fields';
import { valueNamesOf } from '../../server/src/catalog/valueNames';

const KEYWORDS = ['and', 'or'];
const OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'has'];
const PSEUDO = [
  { name: 'addr', detail: 'srcaddr or dstaddr (or a pkt- address)' },
  { name: 'port', detail: 'srcport or dstport' },
];

/** Completions for the word being typed at the end of `value`: fields, operators or values. */
export function filterCompletions(value: string, fields: readonly string[]): { label: string; detail: string; value: string }[] {
  const words = value.match(/"[^"]*"?|[^\s(),]+|[(),]/g) ?? [];
  const endsWithSpace = /[\s(,]$/.test(value) || value === '';
  const partial = endsWithSpace ? '' : (words.pop() ?? '');
  const previous = words[words.length - 1];
  const beforePrevious = words[words.length - 2];
  const head = value.slice(0, value.length - partial.length);
  const choices: { label: string; detail: string }[] = [];
  const field = (name: string | undefined) => (name ? (lookupField(name.toLowerCase()) ?? (PSEUDO.some((p) => p.name === name) ? lookupField(name === 'addr' ? 'srcaddr' : 'srcport') : undefined)) : undefined);
  if (previous && field(previous) && !OPERATORS.includes(previous)) {
    for (const op of OPERATORS) choices.push({ label: op, detail: 'operator' });
  } else if (previous && OPERATORS.includes(previous) && field(beforePrevious)) {
    const spec = field(beforePrevious);
    for (const name of spec ? valueNamesOf(spec) : []) choices.push({ label: /\s/.test(name.name) ? JSON.stringify(name.name) : name.name, detail: name.detail });
    choices.push({ label: '-', detail: 'no value' });
  } else if (previous && !['(', ',', 'not', 'and', 'or'].includes(previous.toLowerCase())) {
    for (const keyword of KEYWORDS) choices.push({ label: keyword, detail: 'keyword' });
  } else {
    const known = fields.length > 0 ? fields : FIELDS.map((f) => f.name);
    for (const name of known) choices.push({ label: name, detail: lookupField(name)?.title ?? 'field' });
    for (const pseudo of PSEUDO) choices.push({ label: pseudo.name, detail: pseudo.detail });
    if (previous?.toLowerCase() !== 'not') choices.push({ label: 'not', detail: 'keyword' });
  }
  const lower = partial.toLowerCase();
  return choices.filter((c) => c.label.toLowerCase().startsWith(lower) && c.label.toLowerCase() !== lower).slice(0, 60).map((c) => ({ ...c, value: `${head}${c.label} ` }));
}


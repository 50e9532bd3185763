/**
 * The grammar's field-name alternation is generated from the field catalog, so the catalog stays
 * the only place that lists fields. `--check` exits 1 when the grammar is out of date.
 * Run: node --import tsx scripts/sync-grammar.ts [--check]
 */
import { join } from 'node:path';
import { syncFile } from './syncFile';
import { FIELDS } from '../server/src/catalog/fields';

export const GRAMMAR_PATH = join(__dirname, '..', 'syntaxes', 'flowlog.tmLanguage.json');

/** Longest names first, so that `tgw-id` does not match the start of `tgw-id-…`. */
export function fieldAlternation(): string {
  const names = FIELDS.map((f) => f.name).sort((a, b) => b.length - a.length || a.localeCompare(b));
  return names.map((name) => name.replace(/-/g, '[-_]')).join('|');
}

/** The grammar with every field alternation replaced by the catalog's. */
export function syncedGrammar(grammar: string): string {
  // An alternation of field names is the group that contains `account[-_]id|`.
  return grammar.replace(/\(\?:((?:[a-z0-9]+(?:\[-_\])?)+(?:\|(?:[a-z0-9]+(?:\[-_\])?)+)+)\)/g, (whole, body: string) =>
    body.includes('account[-_]id') ? `(?:${fieldAlternation()})` : whole,
  );
}

if (require.main === module) syncFile(GRAMMAR_PATH, syncedGrammar, 'node --import tsx scripts/sync-grammar.ts');

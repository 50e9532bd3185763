import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { FIELDS } from '../../server/src/catalog/fields';
import { fieldAlternation, GRAMMAR_PATH, syncedGrammar } from '../../scripts/sync-grammar';

it('the grammar lists exactly the catalog’s fields (run scripts/sync-grammar.ts after adding one)', () => {
  const grammar = readFileSync(GRAMMAR_PATH, 'utf8');
  assert.equal(syncedGrammar(grammar), grammar);
  // Header, field-name and placeholder rules all use the alternation.
  assert.equal(grammar.split(JSON.stringify(fieldAlternation()).slice(1, -1)).length - 1, 3);
});

it('a grammar missing a field is rewritten with it', () => {
  const grammar = readFileSync(GRAMMAR_PATH, 'utf8');
  const stale = grammar.split('|next[-_]hop[-_]vpc[-_]id').join('');
  assert.notEqual(stale, grammar);
  assert.equal(syncedGrammar(stale), grammar);
  for (const field of FIELDS) assert.ok(fieldAlternation().includes(field.name.replace(/-/g, '[-_]')));
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { FIELDS } from '../../server/src/catalog/fields';
import { RULES } from '../../server/src/service/rules';
import { README_PATH, syncedReadme } from '../../scripts/sync-readme';

it('the README’s rule, field and layout tables match the code (run scripts/sync-readme.ts)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  assert.equal(syncedReadme(readme), readme);
  for (const rule of RULES) assert.ok(readme.includes(`\`${rule.code}\``), rule.code);
  for (const field of FIELDS) assert.ok(readme.includes(`| \`${field.name}\` |`), field.name);
});

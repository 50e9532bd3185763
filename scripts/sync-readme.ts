/**
 * The README's rule and field tables are generated from the rule table and the field catalog, so
 * they cannot drift. `--check` exits 1 when README.md is out of date.
 * Run: node --import tsx scripts/sync-readme.ts [--check]
 */
import { join } from 'node:path';
import { syncFile } from './syncFile';
import { FIELDS } from '../server/src/catalog/fields';
import { KNOWN_LAYOUTS } from '../server/src/catalog/layouts';
import { RULES } from '../server/src/service/rules';

export const README_PATH = join(__dirname, '..', 'README.md');

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function rulesTable(): string {
  const rows = RULES.map((rule) => `| <a id="rule-${rule.code}"></a>\`${rule.code}\` | ${rule.severity} | ${cell(rule.summary)} |`);
  return ['| code | default | what it reports |', '|---|---|---|', ...rows].join('\n');
}

export function fieldsTable(): string {
  const rows = FIELDS.map((field) => {
    const family = field.family === 'both' ? 'VPC, TGW' : field.family.toUpperCase();
    const values = field.values ? field.values.map((v) => `\`${v.value}\``).join(' ') : '';
    return `| \`${field.name}\` | ${field.version} | ${family} | ${cell(field.title)}${field.secondary ? ' (secondary source)' : ''} | ${values} |`;
  });
  return ['| field | version | family | meaning | values |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function layoutsTable(): string {
  const rows = KNOWN_LAYOUTS.map((layout) => `| \`${layout.id}\` | ${layout.fields.length} | ${cell(layout.label)} | ${cell(layout.source)} |`);
  return ['| id | fields | layout | seen in |', '|---|---|---|---|', ...rows].join('\n');
}

const SECTIONS: Record<string, () => string> = { rules: rulesTable, fields: fieldsTable, layouts: layoutsTable };

export function syncedReadme(readme: string): string {
  let result = readme;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const begin = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = result.indexOf(begin);
    const to = result.indexOf(end);
    if (from < 0 || to < from) continue;
    result = `${result.slice(0, from + begin.length)}\n${render()}\n${result.slice(to)}`;
  }
  return result;
}

if (require.main === module) syncFile(README_PATH, syncedReadme, 'node --import tsx scripts/sync-readme.ts');

#!/usr/bin/env node
// Keeps the generated parts of package.json in step with the language service, so that the
// catalog and the rule table stay the only places that list fields and rules:
//   - contributes.configuration: one `flowlog.rules.<code>` setting per rule (RULES), and the
//     layout ids in the description of `flowlog.format` (KNOWN_LAYOUTS);
//   - contributes.semanticTokenTypes / semanticTokenModifiers / semanticTokenScopes
//     (SEMANTIC_TOKEN_TYPES, SEMANTIC_TOKEN_TYPE_INFO, SEMANTIC_TOKEN_SCOPES);
//   - the language's `firstLine` pattern (field names from FIELDS).
//
//   node scripts/gen-manifest.mjs [--check] [--manifest <path>]
//
// --check changes nothing and exits 1 when the manifest is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const load = (file) => tsImport(path.join(root, file), import.meta.url);

const { RULES } = await load('server/src/service/rules.ts');
const { KNOWN_LAYOUTS } = await load('server/src/catalog/layouts.ts');
const { FIELDS } = await load('server/src/catalog/fields.ts');
const tokens = await load('server/src/service/semanticTokens.ts');

const RULE_PREFIX = 'flowlog.rules.';

const MODIFIER_DESCRIPTIONS = {
	invalid: 'A value that does not fit its field, an unknown field name, or a value past the format’s width',
	ambiguous: 'A value in a column whose field was only guessed by format inference',
};

/** The README on the repository's web page, where each rule has an anchor `rule-<code>`. */
function readmeUrl(manifest) {
	const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url ?? '';
	return `${repository.replace(/^git\+/, '').replace(/\.git$/, '')}/blob/main/README.md`;
}

function ruleSettings(README) {
	const settings = {};
	for (const rule of RULES) {
		settings[`${RULE_PREFIX}${rule.code}`] = {
			type: 'string',
			enum: ['error', 'warning', 'info', 'hint', 'off'],
			default: rule.severity,
			scope: 'resource',
			markdownDescription: `${rule.summary} ([rule \`${rule.code}\`](${README}#rule-${rule.code}))`,
		};
	}
	return settings;
}

function formatDescription() {
	const ids = KNOWN_LAYOUTS.map((layout) => `\`${layout.id}\` (${layout.label})`).join(', ');
	return `Record format for files without a header line: field names in record order (\`version account-id interface-id …\`), a \`\${…}\` LogFormat string, or a known layout id: ${ids}. A header line or \`# fields:\` directive at the top of a file wins over it (a note says the setting was not used). An invalid value is not applied: the format is detected, with a message. Empty: detect it from the file.`;
}

/** A header line starts with three field names; a default-format record with version, account and ENI. */
function firstLinePattern() {
	const names = FIELDS.map((field) => field.name)
		.sort((a, b) => b.length - a.length || a.localeCompare(b))
		.join('|');
	const record = String.raw`\d+ (?:\d{12}|unknown) eni-`;
	const cloudWatch = String.raw`\d{4}-\d\d-\d\dT[\d:.]+Z ${record}`;
	return `^(?:\\s*(?:${names})(?: (?:${names})){2,}(?: |$)|${record}|${cloudWatch}|#\\s*(?:fields|format):)`;
}

function synced(manifest) {
	const next = structuredClone(manifest);
	const contributes = (next.contributes ??= {});
	const configuration = (contributes.configuration ??= { title: 'Flow Log', properties: {} });
	const properties = (configuration.properties ??= {});
	for (const key of Object.keys(properties)) if (key.startsWith(RULE_PREFIX)) delete properties[key];
	Object.assign(properties, ruleSettings(readmeUrl(manifest)));
	if (properties['flowlog.format']) properties['flowlog.format'].markdownDescription = formatDescription();
	contributes.semanticTokenTypes = tokens.SEMANTIC_TOKEN_TYPES.map((id) => ({ id, ...tokens.SEMANTIC_TOKEN_TYPE_INFO[id] }));
	contributes.semanticTokenModifiers = tokens.SEMANTIC_TOKEN_MODIFIERS.map((id) => ({ id, description: MODIFIER_DESCRIPTIONS[id] ?? id }));
	contributes.semanticTokenScopes = [{ language: 'flowlog', scopes: Object.fromEntries(tokens.SEMANTIC_TOKEN_TYPES.map((id) => [id, [...tokens.SEMANTIC_TOKEN_SCOPES[id]]])) }];
	const language = (contributes.languages ?? []).find((entry) => entry.id === 'flowlog');
	if (language) language.firstLine = firstLinePattern();
	return next;
}

const args = process.argv.slice(2);
const at = args.indexOf('--manifest');
const file = at >= 0 ? path.resolve(args[at + 1]) : path.join(root, 'package.json');
const current = readFileSync(file, 'utf8');
const indent = /^\{\n(\s+)"/.exec(current)?.[1] ?? '  ';
const wanted = JSON.stringify(synced(JSON.parse(current)), null, indent) + '\n';
if (args.includes('--check')) {
	if (wanted !== current) {
		console.error(`${path.relative(process.cwd(), file)} is out of date with the rules, layouts and semantic tokens: run node scripts/gen-manifest.mjs`);
		process.exit(1);
	}
	console.log(`${path.relative(process.cwd(), file)} is in sync`);
} else if (wanted !== current) {
	writeFileSync(file, wanted);
	console.log(`updated ${path.relative(process.cwd(), file)}`);
} else {
	console.log(`${path.relative(process.cwd(), file)} already in sync`);
}

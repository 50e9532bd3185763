#!/usr/bin/env node
// Runs an extension's mocha suite in desktop VS Code via @vscode/test-electron,
// using an existing VS Code build given by $VSCODE_EXECUTABLE. Never downloads:
// without VSCODE_EXECUTABLE it prints a skip message and exits 0.
//
//   VSCODE_EXECUTABLE=/path/to/code node scripts/test-desktop.mjs --extension <dir> --tests <node-tests-entry.js>
//        [--folder <workspace>] [--timeout <seconds, default 300>]
//
// The tests entry is a Node (CommonJS) bundle exporting run(): Promise<void>,
// loaded by the desktop extension host (the extension's `main` entry is used).
// On Linux the desktop build needs a display: run under `xvfb-run -a` when
// there is no $DISPLAY.

import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT, parseArgs } from './vscode-web.mjs';

const require = createRequire(import.meta.url);
const SKIP = 'desktop VS Code e2e: skipped (set VSCODE_EXECUTABLE to a VS Code build to run it)';
const USAGE = 'usage: VSCODE_EXECUTABLE=<code> node scripts/test-desktop.mjs --extension <dir> --tests <node-tests-entry.js> [--folder <dir>] [--timeout <s>]';

function usage(message) {
	console.error(`test-desktop: ${message}\n${USAGE}`);
	process.exit(2);
}

let args;
try {
	args = parseArgs(process.argv.slice(2), { booleans: ['help'] });
} catch (e) {
	usage(e.message);
}
if (args.help) {
	console.log(USAGE);
	process.exit(0);
}

const executable = process.env.VSCODE_EXECUTABLE;
if (!executable) {
	console.log(SKIP);
	process.exit(0);
}
if (!existsSync(executable)) {
	console.error(`test-desktop: VSCODE_EXECUTABLE=${executable} does not exist`);
	process.exit(1);
}
if (!args.extension || !args.tests) {
	usage('--extension and --tests are required');
}
const extension = path.resolve(args.extension);
const tests = path.resolve(args.tests);
const folder = args.folder ? path.resolve(args.folder) : undefined;
const timeoutMs = Number(args.timeout ?? 300) * 1000;
if (!existsSync(path.join(extension, 'package.json'))) {
	usage(`${extension} has no package.json`);
}
if (!existsSync(tests)) {
	usage(`tests entry ${tests} does not exist (build it first)`);
}
if (folder && !(existsSync(folder) && statSync(folder).isDirectory())) {
	usage(`workspace folder ${folder} does not exist`);
}
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
	usage('--timeout must be a positive number of seconds');
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
	console.warn('test-desktop: warning: no $DISPLAY; desktop VS Code will probably fail to start (run under `xvfb-run -a`)');
}

const { runTests } = require('@vscode/test-electron');
const profileDir = path.join(REPO_ROOT, '.vscode-test', 'desktop-e2e');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

const timer = setTimeout(() => {
	console.error(`test-desktop: FAILED (timed out after ${timeoutMs / 1000}s)`);
	killChildren(process.pid);
	process.exit(1);
}, timeoutMs);

try {
	await runTests({
		vscodeExecutablePath: executable,
		extensionDevelopmentPath: extension,
		extensionTestsPath: tests,
		launchArgs: [
			...(folder ? [folder] : []),
			'--disable-extensions', // only the extension under development
			'--disable-gpu',
			'--disable-telemetry',
			'--disable-chromium-sandbox',
			`--user-data-dir=${path.join(profileDir, 'user-data')}`,
			`--extensions-dir=${path.join(profileDir, 'extensions')}`,
		],
	});
	clearTimeout(timer);
	console.log(`test-desktop: passed in ${elapsed()}`);
	process.exit(0);
} catch (e) {
	clearTimeout(timer);
	console.error(`test-desktop: FAILED after ${elapsed()}: ${e?.message ?? e}`);
	process.exit(1);
}

// Kills the process tree below `pid` (only processes this script started).
function killChildren(pid) {
	let children = [];
	try {
		children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
			.split('\n')
			.map((s) => Number.parseInt(s.trim(), 10))
			.filter((n) => Number.isInteger(n) && n > 0);
	} catch {
		// no children or no ps
	}
	for (const child of children) {
		killChildren(child);
		try {
			process.kill(child, 'SIGKILL');
		} catch {
			// already gone
		}
	}
}

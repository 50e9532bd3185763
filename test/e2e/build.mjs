#!/usr/bin/env node
// Bundles the end-to-end suite with esbuild into dist/test/e2e/ (inside the extension folder,
// where the test hosts load it from):
//   web.js   browser CommonJS bundle for scripts/test-web.mjs (web extension host)
//   node.js  Node CommonJS bundle for scripts/test-desktop.mjs (desktop extension host)
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const common = { bundle: true, format: 'cjs', sourcemap: 'inline', logLevel: 'warning', absWorkingDir: root, target: 'es2022' };

try {
	await Promise.all([
		esbuild.build({
			...common,
			platform: 'browser',
			entryPoints: ['test/e2e/suite/index.web.ts'],
			outfile: 'dist/test/e2e/web.js',
			external: ['vscode'],
			// mocha's browser build refers to `global`.
			define: { global: 'globalThis' },
		}),
		esbuild.build({
			...common,
			platform: 'node',
			target: 'node20',
			entryPoints: ['test/e2e/suite/index.node.ts'],
			outfile: 'dist/test/e2e/node.js',
			external: ['vscode', 'mocha'],
		}),
	]);
	console.log('e2e suite built: dist/test/e2e/web.js, dist/test/e2e/node.js');
} catch {
	process.exit(1);
}

// Bundles the spike extension and its test entries with esbuild.
//   web:  dist/web/extension.js, dist/web/test/index.js, dist/web/test/index-fail.js  (browser, cjs)
//   node: dist/node/extension.js, dist/node/test/index.js                              (node, cjs)
// Usage: node test/e2e/spike/build.mjs
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const common = {
	bundle: true,
	format: 'cjs',
	external: ['vscode'],
	sourcemap: 'inline',
	logLevel: 'warning',
	absWorkingDir: here,
};

await Promise.all([
	esbuild.build({
		...common,
		platform: 'browser',
		target: 'es2022',
		entryPoints: {
			'extension': 'src/extension.ts',
			'test/index': 'src/test/index.ts',
			'test/index-fail': 'src/test/index-fail.ts',
		},
		outdir: path.join(here, 'dist/web'),
		// mocha's browser build expects `global`/`process` shims to be optional; define `global`.
		define: { global: 'globalThis' },
	}),
	esbuild.build({
		...common,
		platform: 'node',
		target: 'node20',
		entryPoints: {
			'extension': 'src/extension.ts',
			'test/index': 'src/test/index-node.ts',
		},
		outdir: path.join(here, 'dist/node'),
		external: ['vscode', 'mocha'],
	}),
]);
console.log(`spike built into ${path.relative(process.cwd(), path.join(here, 'dist'))}/{web,node}`);

#!/usr/bin/env node
// PNG screenshot of an HTML report of `flowlog report` in headless system Chromium, light or dark
// (prefers-color-scheme), the whole page:
//
//   node scripts/screenshot-report.mjs --file report.html --out docs/images/report-light.png
//        [--scheme light|dark] [--width 1200] [--height 900]
import * as path from 'node:path';
import { launchChromium, parseArgs } from './vscode-web.mjs';

const args = parseArgs(process.argv.slice(2));
if (!args.file || !args.out) {
	console.error('usage: node scripts/screenshot-report.mjs --file <report.html> --out <png> [--scheme light|dark] [--width W] [--height H]');
	process.exit(2);
}
const scheme = args.scheme ?? 'light';
if (scheme !== 'light' && scheme !== 'dark') {
	console.error(`screenshot-report: --scheme is light or dark, not ${scheme}`);
	process.exit(2);
}
const browser = await launchChromium();
try {
	const page = await browser.newPage({ viewport: { width: Number(args.width ?? 1200), height: Number(args.height ?? 900) }, colorScheme: scheme });
	await page.goto(`file://${path.resolve(args.file)}`);
	await page.waitForFunction(`document.getElementById('summary').getAttribute('aria-busy') === 'false'`);
	await page.screenshot({ path: args.out, fullPage: true });
	console.log(`screenshot-report: wrote ${args.out} (${scheme})`);
} finally {
	await browser.close();
}

/**
 * The self-contained HTML file of `flowlog report`: the summary renderer (dist/summary-view.js,
 * chart.js inside) and its CSS inlined, the data as JSON in a non-executable script element, and
 * a Content-Security-Policy that allows exactly those two inline blocks (by hash) and nothing
 * else: no network, no eval, no other script. It opens from disk in any current browser.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { summaryPageHtml } from '../../../client/summary/src/page';
import type { SummaryReport } from '../service/summary/model';

export interface ReportAssets {
  script: string;
  css: string;
}

/** Thrown when the renderer is not built (a source checkout without `npm run build`). */
export class MissingAssetsError extends Error {}

/**
 * The renderer files: beside the bundled CLI (dist/), or in dist/ of the checkout when the CLI
 * runs from its sources (tests with tsx).
 */
export function loadReportAssets(): ReportAssets {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [here, path.resolve(here, '../../../dist'), path.resolve(process.cwd(), 'dist')];
  for (const folder of candidates) {
    try {
      return { script: readFileSync(path.join(folder, 'summary-view.js'), 'utf8'), css: readFileSync(path.join(folder, 'summary-view.css'), 'utf8') };
    } catch {
      // Next place.
    }
  }
  throw new MissingAssetsError('the report renderer (summary-view.js) is missing beside the CLI; run `npm run build`');
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** A script's text may not hold `</script` (it would end the element early); the bundle never does, but say so if it ever did. */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  if (new RegExp(`</${tag}`, 'i').test(text)) throw new Error(`the ${tag} to inline contains </${tag}>`);
  return text;
}

export function reportHtml(report: SummaryReport, files: readonly string[], assets: ReportAssets, generatedAt: Date): string {
  const script = inlineSafe(assets.script, 'script');
  const css = inlineSafe(assets.css, 'style');
  const cspMeta = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${sha256(script)}; style-src ${sha256(css)}; img-src 'none'; base-uri 'none'; form-action 'none'">`;
  const names = files.map((file) => path.basename(file));
  const title = `Traffic summary: ${names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`}`;
  return summaryPageHtml({
    title,
    cspMeta,
    head: `<style>${css}</style>`,
    scripts: `<script>${script}</script>`,
    data: { report, files },
    subtitle: `flowlog report · written ${generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    selection: true,
  });
}

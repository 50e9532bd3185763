/**
 * The HTML around the summary page, shared by the webview (client/src/summary.ts) and the report
 * of `flowlog report` (server/src/cli/report.ts). Strings only, no DOM: both build it in Node or
 * in the extension host. Everything from a file (names, values) is escaped or JSON-encoded here.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a `<script type="application/json">`: no `</script>` or `<!--` can end or bend it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export const DATA_ELEMENT_ID = 'flowlog-summary-data';

export interface PageParts {
  title: string;
  /** The page's heading when not the title (the webview's tab already names the file). */
  heading?: string;
  /**
   * The `<meta http-equiv="Content-Security-Policy" …>` tag, written out by each caller where it
   * builds the page, so that the policy is read (and checked by scripts/check-security.mjs) there.
   */
  cspMeta: string;
  /** `<link>`/`<style>` for the CSS and `<script>` for the renderer, already built by the caller. */
  head: string;
  scripts: string;
  /** The report's data (the report embeds it; the webview receives it in a message). */
  data?: unknown;
  /** Shown under the title: what was summarised. */
  subtitle: string;
  /** The report shows what a clicked mark selects here; the editor opens the records instead. */
  selection: boolean;
}

export function summaryPageHtml(parts: PageParts): string {
  const data = parts.data === undefined ? '' : `<script type="application/json" id="${DATA_ELEMENT_ID}">${scriptJson(parts.data)}</script>\n`;
  const selection = parts.selection
    ? `<section id="selection" class="selection" aria-live="polite" hidden><h2>Selected</h2><p id="selection-what"></p><p>Its records: <code id="selection-command"></code></p></section>\n`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${parts.cspMeta}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
${parts.head}
</head>
<body>
<header class="page-header"><h1>${escapeHtml(parts.heading ?? parts.title)}</h1><p class="subtitle">${escapeHtml(parts.subtitle)}</p><p id="status" class="status" role="status" aria-live="polite"></p></header>
<main id="summary" aria-busy="true"></main>
${selection}${data}${parts.scripts}
</body>
</html>
`;
}

/**
 * Opens an HTML report in headless Chromium (Debian chromium through playwright-core, as
 * scripts/vscode-web.mjs starts it) and records what a reader would care about: console errors,
 * page errors, Content-Security-Policy violations and every request the page makes.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs module of the test scripts, without type declarations.
import { CHROMIUM_ARGS, resolveChromium } from '../../scripts/vscode-web.mjs';

export interface OpenedReport {
  page: Page;
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** CSP violations, as `directive: blocked URI`. */
  violations: string[];
  /** Every URL the page requested (the report itself included). */
  requests: string[];
}

let browser: Browser | undefined;

/** The little of the page's globals the helpers read (this project's types are a worker's, without the DOM). */
export interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null; getAttribute(name: string): string | null } | null };
}

export async function openReport(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedReport> {
  browser ??= await chromium.launch({ executablePath: resolveChromium() as string, args: CHROMIUM_ARGS as string[] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme });
  const opened: OpenedReport = { page, errors: [], violations: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') opened.errors.push(message.text());
  });
  page.on('pageerror', (error) => opened.errors.push(error.message));
  page.on('request', (request) => opened.requests.push(request.url()));
  await page.exposeFunction('reportViolation', (text: string) => opened.violations.push(text));
  // Page code as strings: this project's types are a worker's, without the DOM.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => reportViolation(event.effectiveDirective + ': ' + event.blockedURI))`);
  await page.goto(`file://${file}`);
  // A function, not a string: Playwright evals a string predicate inside the page, which the report's CSP forbids.
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return document.getElementById('summary')?.getAttribute('aria-busy') === 'false' || document.getElementById('status')?.textContent !== '';
  });
  return opened;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

export interface Rendered {
  charts: { id: string; painted: number }[];
  tableRows: number;
}

export function rendered(page: Page): Promise<Rendered> {
  return page.evaluate<Rendered>('flowlogSummary.rendered()');
}

export function barPoint(page: Page, target: string): Promise<{ x: number; y: number } | undefined> {
  return page.evaluate<{ x: number; y: number } | undefined>(`flowlogSummary.barPoint(${JSON.stringify(target)})`);
}

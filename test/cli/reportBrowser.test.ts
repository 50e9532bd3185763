/**
 * The HTML report in headless Chromium: the charts really draw (painted pixels), every chart has
 * its table, nothing breaks the strict CSP or reaches the network, values from the file stay text,
 * and a clicked bar or a key press shows the command that prints its records.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { loadReportAssets, reportHtml } from '../../server/src/cli/reportHtml';
import { HOSTILE_REPORT, HOSTILE_VALUE, TGW_REPORT, VPC_REPORT } from '../fixtures/summary/reports';
import type { SummaryReport } from '../../server/src/service/summary/model';
import { tempDir } from './helpers';
import { barPoint, closeBrowser, openReport, rendered, type PageGlobals } from './reportPage';

after(closeBrowser);

function writeReport(report: SummaryReport, files: string[]): string {
  const file = path.join(tempDir(), 'report.html');
  writeFileSync(file, reportHtml(report, files, loadReportAssets(), new Date(Date.UTC(2026, 0, 2))));
  return file;
}

test('a report draws its charts with a table behind each, with no console error, CSP violation or request', async () => {
  const file = writeReport(VPC_REPORT, ['capture.log']);
  const { page, errors, violations, requests } = await openReport(file);
  const drawn = await rendered(page);
  assert.deepEqual(drawn.charts.map((c) => c.id), ['timeline-chart', 'top0-chart', 'top1-chart', 'verdicts-chart']);
  for (const chart of drawn.charts) assert.ok(chart.painted > 1000, `${chart.id} painted ${chart.painted} pixels`);
  // One table per chart: the 72 buckets, the two top-N panels and the verdicts.
  assert.equal(await page.locator('table').count(), 4);
  assert.equal(drawn.tableRows, 72 + 6 + 6 + 4);
  assert.equal(await page.locator('#top0 caption').textContent(), 'Top talkers, by bytes: 6 of 1,834 distinct');
  assert.equal(await page.locator('#top0 tbody tr').first().locator('td').nth(1).textContent(), '1.4 GB');
  assert.deepEqual(errors, []);
  assert.deepEqual(violations, []);
  assert.deepEqual(requests, [pathToFileURL(file).href]);
});

/** The command the selection shows once `act` changed it (chart.js handles pointer events on the next animation frame). */
async function commandAfter(page: Page, act: () => Promise<void>): Promise<string> {
  const before = await page.locator('#selection-command').textContent();
  await act();
  // A function, not a string: Playwright evals a string predicate inside the page, which the report's CSP forbids.
  await page.waitForFunction((previous) => (globalThis as unknown as PageGlobals).document.getElementById('selection-command')?.textContent !== previous, before, { timeout: 5000 });
  return (await page.locator('#selection-command').textContent()) ?? '';
}

test('clicking a bar, a row or pressing Enter on a chart shows the filter command for its records', async () => {
  const { page, errors } = await openReport(writeReport(VPC_REPORT, ['capture.log', "it's here.log"]));
  assert.equal(await page.locator('#selection').isHidden(), true);
  const bar = await barPoint(page, 'bar:top1-chart:1');
  assert.ok(bar, 'the second destination-port bar exists');
  assert.equal(await commandAfter(page, () => page.mouse.click(bar.x, bar.y)), `flowlog filter 'dstport = 22' capture.log 'it'\\''s here.log'`);
  assert.equal(await page.locator('#selection-what').textContent(), 'Records of 22 (SSH)');
  // The REJECT part of the 31st timeline column (the burst).
  const column = await barPoint(page, 'bar:timeline-chart:30:1');
  assert.ok(column);
  assert.equal(
    await commandAfter(page, () => page.mouse.click(column.x, column.y)),
    `flowlog filter 'start >= 2026-01-01T12:30:00Z and start < 2026-01-01T12:35:00Z and action = reject' capture.log 'it'\\''s here.log'`,
  );
  const row = await commandAfter(page, () => page.locator('#top0 tbody tr').nth(2).getByRole('button').click());
  assert.match(row, /^flowlog filter 'srcaddr = 172\.31\.9\.8 and dstaddr = 52\.94\.133\.131' /);
  // Keyboard: focus the talkers chart, move to the second bar, choose it.
  await page.locator('#top0-chart').focus();
  const keyed = await commandAfter(page, async () => {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
  });
  assert.match(keyed, /^flowlog filter 'srcaddr = 10\.0\.2\.40 and dstaddr = 10\.0\.1\.15' /);
  assert.deepEqual(errors, []);
});

test('the grouping and N are chosen in the report, and the timeline table can be shown', async () => {
  const { page } = await openReport(writeReport(VPC_REPORT, ['capture.log']));
  await page.locator('#top0-grouping').selectOption({ label: 'Rejected destinations, by records' });
  assert.equal(await page.locator('#top0 h2').textContent(), 'Rejected destinations, by records');
  assert.equal(await page.locator('#top0 tbody tr').count(), 3);
  await page.locator('#top1-n').selectOption('5');
  assert.equal(await page.locator('#top1 tbody tr').count(), 5);
  const width = async () => (await page.locator('#timeline-table').boundingBox())?.width ?? 0;
  assert.ok((await width()) <= 1, 'the timeline table is for screen readers until shown');
  await page.getByRole('button', { name: 'Show table' }).click();
  assert.ok((await width()) > 500, 'shown');
  assert.equal(await page.getByRole('button', { name: 'Hide table' }).getAttribute('aria-expanded'), 'true');
  await page.locator('#timeline-measure').selectOption('bytes');
  assert.equal(await page.locator('#timeline-heading').textContent(), 'Bytes per 5 min (UTC)');
  const drawn = await rendered(page);
  assert.ok(drawn.charts.every((c) => c.painted > 1000), 'charts drawn again after each choice');
});

test('hostile values in the data are shown as text, never run or parsed as markup', async () => {
  const { page, errors, violations } = await openReport(writeReport(HOSTILE_REPORT, ['<img src=x onerror=alert(1)>.log']));
  assert.equal(await page.title(), 'Traffic summary: <img src=x onerror=alert(1)>.log');
  assert.equal(await page.locator('img, b, script:not([type="application/json"]) ~ script').count(), 0);
  assert.equal(await page.locator('#top0 tbody th').first().textContent(), `${HOSTILE_VALUE} (<script>alert(1)</script>) → 10.0.0.1`);
  assert.match(await page.locator('.facts').textContent() ?? '', /<\/script><script>document\.title="owned"<\/script>/);
  assert.equal(await page.evaluate<number>('document.scripts.length'), 2, 'the data element and the renderer, nothing injected');
  assert.deepEqual(errors, []);
  assert.deepEqual(violations, []);
});

test('Transit Gateway data (no action) draws one series, and the palette follows prefers-color-scheme', async () => {
  const file = writeReport(TGW_REPORT, ['a.log', 'b.log']);
  const light = await openReport(file, 'light');
  const dark = await openReport(file, 'dark');
  const legend = (await rendered(light.page)).charts.map((c) => c.id);
  assert.deepEqual(legend, ['timeline-chart', 'top0-chart']);
  assert.equal(await light.page.locator('#timeline-table thead th').count(), 2, 'interval and records');
  const colour = (page: typeof light.page) => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  assert.equal(await colour(light.page), 'rgb(255, 255, 255)');
  assert.equal(await colour(dark.page), 'rgb(13, 17, 23)');
});

/**
 * `flowlog report FILE… -o report.html`: the file it writes (one HTML page holding its script, CSS
 * and data, a CSP meta tag) opened in headless Chromium, and its clear errors: no -o, an
 * unreadable input, a file that is not a flow log, a place it cannot write.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { SummaryReport } from '../../server/src/service/summary/model';
import { fixture, runCli, tempDir } from './helpers';
import { closeBrowser, openReport, rendered } from './reportPage';

after(closeBrowser);

const ACCEPT_REJECT = fixture('awsdocs', 'v2_default_accept_reject.txt');
const SERVICE_PATH = fixture('awsdocs', 'v5_custom_service_path_direction.txt');
const TGW = fixture('flowlogs-reader', 's3_v6_file_with_header.log');

/** The data a report embeds. */
function embedded(html: string): { report: SummaryReport; files: string[] } {
  const match = /<script type="application\/json" id="flowlog-summary-data">(.*?)<\/script>/s.exec(html);
  assert.ok(match, 'the report embeds its data as JSON');
  return JSON.parse(match[1]) as { report: SummaryReport; files: string[] };
}

describe('flowlog report', () => {
  test('writes one self-contained page that draws its charts offline, with the records flowlog parse reads', async () => {
    const out = path.join(tempDir(), 'report.html');
    const result = await runCli(['report', ACCEPT_REJECT, SERVICE_PATH, TGW, '-o', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^flowlog: wrote .*report\.html \(3 files, \d+ KB\); open it in a browser\n$/);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; img-src 'none'; base-uri 'none'; form-action 'none'">/);
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/, 'nothing loaded from elsewhere');
    const { report, files } = embedded(html);
    assert.deepEqual(files, [ACCEPT_REJECT, SERVICE_PATH, TGW]);
    assert.equal(report.totals.files, 3);
    // An independent count: the records `flowlog parse` prints, one JSON line each.
    const parsed = await runCli(['parse', ACCEPT_REJECT, SERVICE_PATH, TGW]);
    assert.equal(Number(report.totals.records), parsed.stdout.trim().split('\n').length);
    assert.ok(report.verdicts && report.verdicts.length > 0, 'conversation verdicts are in the report');

    const { page, errors, violations, requests } = await openReport(out);
    const drawn = await rendered(page);
    assert.ok(drawn.charts.length >= 3, `charts: ${drawn.charts.map((c) => c.id).join(', ')}`);
    for (const chart of drawn.charts) assert.ok(chart.painted > 500, `${chart.id} painted ${chart.painted} pixels`);
    assert.equal(await page.locator('table').count(), drawn.charts.length, 'a table per chart');
    assert.deepEqual(errors, []);
    assert.deepEqual(violations, []);
    assert.deepEqual(requests, [pathToFileURL(out).href]);
  });

  test('--group-by, --top and --interval shape the tables and the timeline; -o - writes to standard output', async () => {
    const result = await runCli(['report', '--group-by', 'dstport', '--group-by', 'srcaddr,dstaddr', '--top', '2', '--interval', '1m', '-o', '-', ACCEPT_REJECT]);
    assert.equal(result.code, 0, result.stderr);
    const { report } = embedded(result.stdout);
    assert.deepEqual(report.top.map((table) => table.fields), [['dstport'], ['srcaddr', 'dstaddr']]);
    assert.ok(report.top.every((table) => table.rows.length <= 2));
    assert.equal(report.timeline?.intervalSeconds, 60);
  });

  test('clear errors: no -o, a bad option, an unreadable input, not a flow log, a place it cannot write', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'report.html');
    const noOutput = await runCli(['report', ACCEPT_REJECT]);
    assert.equal(noOutput.code, 2);
    assert.match(noOutput.stderr, /^flowlog: missing -o FILE: where to write the HTML report/);

    const badGrouping = await runCli(['report', '--group-by', 'dstprot', '-o', out, ACCEPT_REJECT]);
    assert.equal(badGrouping.code, 2);
    assert.match(badGrouping.stderr, /--group-by: `dstprot` is not a field; did you mean `dstport`\?/);
    const badInterval = await runCli(['report', '--interval', 'soon', '-o', out, ACCEPT_REJECT]);
    assert.match(badInterval.stderr, /--interval: expected a duration such as 30s, 5m, 1h or 1d, got 'soon'/);

    const missing = await runCli(['report', path.join(dir, 'nope.log'), '-o', out]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.log: .*\nflowlog: report: no flow log was read; .*report\.html not written\n$/);
    assert.equal(existsSync(out), false);

    const notLog = await runCli(['report', path.join(fixture('..', '..', '..'), 'package.json'), '-o', out]);
    assert.equal(notLog.code, 1);
    assert.match(notLog.stderr, /package\.json: does not look like a flow log .*left out of the report/);
    assert.equal(existsSync(out), false, 'nothing written when no input is a flow log');

    const mixed = await runCli(['report', ACCEPT_REJECT, path.join(dir, 'nope.log'), '-o', out]);
    assert.equal(mixed.code, 2, 'a file that could not be read is an error');
    assert.equal(existsSync(out), true, 'the readable files are reported');

    const unwritable = await runCli(['report', ACCEPT_REJECT, '-o', path.join(dir, 'no', 'such', 'dir', 'r.html')]);
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.stderr, /r\.html: cannot write the report: /);
  });

  test('help names the command and its options', async () => {
    const main = await runCli(['--help']);
    assert.match(main.stdout, /^ {2}report {3}the traffic summary as one self-contained HTML file/m);
    const help = await runCli(['report', '--help']);
    assert.match(help.stdout, /^Usage: flowlog report \[options\] FILE… -o FILE/);
    for (const option of ['-o, --output FILE', '--group-by F[,F]', '--top N', '--by MEASURE', '--interval DURATION']) assert.ok(help.stdout.includes(option), option);
  });
});

/**
 * Flow Log: Show Summary in a real VS Code: the webview opens beside the log, its charts draw
 * (pixels painted inside the webview), clicking a bar or a table row opens the records through
 * Filter Records, and the numbers follow an edit of the log.
 */
import * as vscode from 'vscode';
import { columnOf, equal, flowlogApi, ok, openFile, waitFor } from './helpers';

const S3_FILE = '123456789010_vpcflowlogs_us-east-1_fl-0aaaaaaaaaaaaaaaa_20260101T0000Z_e2e00001.log';

suite('flowlog summary view', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await flowlogApi();
    // Start from one editor group: the suites before leave results and reports open beside.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Show Summary draws its charts, and a clicked bar or row opens its records', async () => {
    const api = await flowlogApi();
    const source = await openFile(S3_FILE);
    await vscode.commands.executeCommand('flowlog.showSummary', source.uri);
    const rendered = await api.summary.open(source.uri);
    const ids = rendered.charts.map((chart) => chart.id);
    ok(ids.includes('timeline-chart') && ids.includes('top0-chart') && ids.includes('top1-chart'), `charts: ${ids.join(', ')}`);
    for (const chart of rendered.charts) ok(chart.painted > 200, `${chart.id} painted ${chart.painted} pixels`);
    ok(rendered.tableRows > 0, 'tables behind the charts');
    ok(rendered.facts.includes('Records: 6'), `facts: ${rendered.facts.join(' | ')}`);

    /** Clicks a mark in the webview; resolves with the filter result it opened, and the filter. */
    const opened = (target: string) =>
      new Promise<{ filter: string; document: vscode.TextDocument }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no records opened after clicking ${target}`)), 20_000);
        const listening = api.summary.onDidOpenRecords((event) => {
          if (event.source !== source.uri.toString()) return;
          clearTimeout(timer);
          listening.dispose();
          resolve(event);
        });
        api.summary.click(source.uri, target);
      });
    const report = api.summary.report(source.uri);
    ok(report, 'the view has its report');
    const fromBar = await opened('bar:top0-chart:0');
    equal(fromBar.filter, report.top[0].rows[0].filter, 'the first bar of the first panel applies its row filter');
    equal(fromBar.document.uri.scheme, 'flowlog-filter', 'through Filter Records');
    ok(/^srcaddr = \S+ and dstaddr = \S+$/.test(fromBar.filter), `a talker pair: ${fromBar.filter}`);
    ok(fromBar.document.lineAt(0).text.startsWith(`# flowlog filter: ${fromBar.filter} · `), `result: ${fromBar.document.lineAt(0).text}`);

    const fromRow = await opened('row:top1:1');
    equal(fromRow.filter, report.top[1].rows[1].filter, 'the second row of the second panel applies its filter');
    ok(/ · [1-6] of 6 records /.test(fromRow.document.lineAt(0).text), `records matched: ${fromRow.document.lineAt(0).text}`);

    const fromTimeline = await opened('bar:timeline-chart:0:0');
    ok(/^start >= \S+Z and start < \S+Z and action = accept$/.test(fromTimeline.filter), `a timeline bucket: ${fromTimeline.filter}`);
    ok(/ · [1-6] of 6 records /.test(fromTimeline.document.lineAt(0).text), `records matched: ${fromTimeline.document.lineAt(0).text}`);
  });

  test('the summary follows edits of the log', async () => {
    const api = await flowlogApi();
    const source = await openFile(S3_FILE);
    await api.summary.open(source.uri);
    const line = 1;
    const at = columnOf(source, line, 'ACCEPT');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(source.uri, new vscode.Range(line, at, line, at + 'ACCEPT'.length), 'REJECT');
    ok(await vscode.workspace.applyEdit(edit), 'edit applied');
    try {
      const rejected = (facts: string[]) => facts.find((fact) => fact.startsWith('Rejected: '));
      const after = await waitFor(api.summary.onDidRender, () => {
        const fact = rejected(api.summary.rendered(source.uri)?.facts ?? []);
        return fact === 'Rejected: 1 (16.7 %)' ? fact : undefined;
      }, 'the summary to count the rejected record');
      ok(after, 'updated');
    } finally {
      const undo = new vscode.WorkspaceEdit();
      undo.replace(source.uri, new vscode.Range(line, at, line, at + 'REJECT'.length), 'ACCEPT');
      await vscode.workspace.applyEdit(undo);
    }
  });

  test('a summary panel VS Code restores after a reload shows its log again; one without a source closes', async () => {
    const api = await flowlogApi();
    const source = await openFile(S3_FILE);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // What VS Code does after a reload: a panel of the view type, handed to the serializer with the state the view saved.
    const restored = vscode.window.createWebviewPanel('flowlog.summary', 'Summary', vscode.ViewColumn.One, {});
    await api.summary.restore(restored, { measure: 'records', panels: [], timelineTable: false, source: source.uri.toString() });
    const rendered = await waitFor(api.summary.onDidRender, () => api.summary.rendered(source.uri), 'the restored summary to draw');
    ok(rendered.facts.includes('Records: 6'), `facts: ${rendered.facts.join(' | ')}`);
    equal(restored.title, `Summary: ${S3_FILE}`, 'titled after its log');

    const orphan = vscode.window.createWebviewPanel('flowlog.summary', 'Summary', vscode.ViewColumn.One, {});
    let closed = false;
    orphan.onDidDispose(() => (closed = true));
    await api.summary.restore(orphan, { measure: 'records', panels: [], timelineTable: false });
    ok(closed, 'a panel whose state names no log is closed, not left blank');
    restored.dispose();
  });
});

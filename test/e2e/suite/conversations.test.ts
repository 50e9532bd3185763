/**
 * Conversations in a real VS Code (web build in Chromium, or desktop): the Explain Rejections
 * command opens its read-only report, the hover has the Conversation section, Go to Definition
 * jumps to the counterpart and the reply-rejected diagnostic points at the request.
 */
import * as vscode from 'vscode';
import { codesOf, diagnosticsWhere, equal, flowlogApi, hoverText, ok, openFile } from './helpers';

/** The AWS guide's ping (accepted in, reply rejected out), an RDP request rejected and an SSH request with no reply. */
const PING = 'ping-nacl.flowlog';

suite('flowlog conversations', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await flowlogApi();
  });

  test('Flow Log: Explain Rejections opens a read-only report grouped by verdict, with links to the lines', async () => {
    const document = await openFile(PING);
    const reportUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('flowlog.explainRejections');
    ok(reportUri, 'the command returns the report it opened');
    equal(reportUri.scheme, 'flowlog-report', 'a virtual (read-only) document');
    const report = vscode.workspace.textDocuments.find((d) => d.uri.toString() === reportUri.toString());
    ok(report, 'the report is open');
    equal(report.languageId, 'markdown', 'the report is markdown');
    equal(vscode.window.activeTextEditor?.document.uri.toString(), reportUri.toString(), 'the report is shown');
    const text = report.getText();
    ok(text.startsWith('# Rejections in `ping-nacl.flowlog`'), `title: ${text.slice(0, 80)}`);
    ok(text.includes('2 of 3 conversations have a REJECT.'), 'counts');
    const replyRejected = text.indexOf('## Reply rejected after the request was accepted — a network ACL (1)');
    const requestRejected = text.indexOf('## Request rejected — a security group or a network ACL (1)');
    ok(replyRejected > 0 && requestRejected > replyRejected, 'grouped by verdict, reply rejected first');
    ok(text.includes(`[line 2](${document.uri.toString()}#L2)`), 'a link to the request line');
    ok(!text.includes('172.31.16.21'), 'the accepted SSH conversation is not listed');
  });

  test('hover shows the conversation; Go to Definition jumps to the counterpart', async () => {
    const document = await openFile(PING);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 3))) ?? [];
    const text = hoverText(hovers);
    ok(/\*\*Conversation\*\* · response-rejected/.test(text), `hover: ${JSON.stringify(text)}`);
    ok(/network ACL/.test(text), 'the reason');
    const locations = (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, new vscode.Position(2, 3))) ?? [];
    const lines = locations.map((l) => ('range' in l ? l.range : l.targetRange).start.line);
    equal(lines.join(','), '1', 'the reply goes to its request');
  });

  test('a large document is paired on the server\'s pairing thread, and its conversations are found', async function () {
    this.timeout(60_000);
    // 6,000 conversations (more than are paired at once, when first asked), the last one a ping whose reply is rejected.
    const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
    for (let i = 0; i < 6_000; i++) lines.push(`2 123456789010 eni-0a1b2c3d4e5f60718 10.1.${i >> 8}.${i & 255} 10.0.0.5 ${40_000 + (i % 20_000)} 443 6 10 840 1700000000 1700000060 ACCEPT OK`);
    lines.push('2 123456789010 eni-0a1b2c3d4e5f60718 203.0.113.12 172.31.16.139 0 0 1 4 336 1700000000 1700000060 ACCEPT OK');
    lines.push('2 123456789010 eni-0a1b2c3d4e5f60718 172.31.16.139 203.0.113.12 0 0 1 4 336 1700000000 1700000060 REJECT OK');
    // By default the thread is taken only on a machine with 4 or more cores.
    await vscode.workspace.getConfiguration('flowlog').update('pairingThread', 'on', vscode.ConfigurationTarget.Global);
    const document = await vscode.workspace.openTextDocument({ language: 'flowlog', content: lines.join('\n') + '\n' });
    await vscode.window.showTextDocument(document);
    const reportUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('flowlog.explainRejections');
    const report = vscode.workspace.textDocuments.find((d) => d.uri.toString() === reportUri?.toString());
    ok(report?.getText().includes('1 of 6,001 conversations have a REJECT.'), `report: ${report?.getText().slice(0, 200)}`);
    equal(await (await flowlogApi()).pairing(), 'thread', 'where the document was paired');
    const locations = (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, new vscode.Position(6_002, 3))) ?? [];
    equal(locations.map((l) => ('range' in l ? l.range : l.targetRange).start.line).join(','), '6001', 'the rejected reply goes to its request');
    await vscode.workspace.getConfiguration('flowlog').update('pairingThread', undefined, vscode.ConfigurationTarget.Global);
  });

  test('the rejected reply is an info diagnostic with the request as related information', async () => {
    const document = await openFile(PING);
    const diagnostics = await diagnosticsWhere(document.uri, (d) => codesOf(d).includes('reply-rejected'), 'the reply-rejected diagnostic');
    const diagnostic = diagnostics.find((d) => codesOf([d])[0] === 'reply-rejected');
    ok(diagnostic, 'found');
    equal(diagnostic.severity, vscode.DiagnosticSeverity.Information, 'default severity info');
    equal(diagnostic.range.start.line, 2, 'on the reply');
    equal(diagnostic.relatedInformation?.[0]?.location.range.start.line, 1, 'related: the request');
  });
});

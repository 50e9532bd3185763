/**
 * Conversations over LSP: the Conversation hover section, Go to Definition to the counterpart,
 * Find All References on an address, document highlights, the reply-rejected diagnostic with its
 * related information, updates after edits, the background build of a large document and the
 * Explain Rejections request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, DocumentHighlight, Hover, Location } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

const REQUEST = '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK';
const REPLY = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK';
const SSH = '2 123456789010 eni-1235b8ca123456789 198.51.100.7 172.31.16.139 50123 22 6 10 840 1432917030 1432917090 ACCEPT OK';
const PING = [REQUEST, REPLY, SSH].join('\n');

const markdownOf = (hover: Hover | null): string => (hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '');
const at = (line: number, character: number) => ({ line, character });

/**
 * 15,000 conversations (clients 10.`octet`.x.y to 10.0.0.5:443) of a request and a reply each,
 * two lines per conversation; every 1000th reply is rejected (15 in all).
 */
function largeLog(octet: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 15_000; i++) {
    const client = `10.${octet}.${i >> 8}.${i & 255}`;
    lines.push(`2 123456789010 eni-0a1b2c3d4e5f60718 ${client} 10.0.0.5 40000 443 6 3 180 1600000000 1600000060 ACCEPT OK`);
    lines.push(`2 123456789010 eni-0a1b2c3d4e5f60718 10.0.0.5 ${client} 443 40000 6 3 180 1600000001 1600000060 ${i % 1000 === 0 ? 'REJECT' : 'ACCEPT'} OK`);
  }
  return lines;
}

describe('conversations over LSP', () => {
  let client: TestClient;
  before(async () => {
    // The pairing thread takes large documents by default only on a machine with cores to spare: here it always does.
    client = await TestClient.start({ pull: true, settings: { pairingThread: 'on' } });
  });
  after(() => client.stop());

  it('announces definition, references and highlights', () => {
    const capabilities = client.initializeResult?.capabilities;
    assert.equal(capabilities?.definitionProvider, true);
    assert.equal(capabilities?.referencesProvider, true);
    assert.equal(capabilities?.documentHighlightProvider, true);
  });

  it('hover: the Conversation section with the counterpart as a link, counts each way, verdict and why', async () => {
    const uri = 'file:///conversations/ping.log';
    await client.open(uri, PING);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(1, REPLY.indexOf('REJECT') + 1) });
    const text = markdownOf(hover);
    assert.match(text, /\*\*Conversation\*\* · response-rejected/);
    assert.match(text, /ICMP `203\.0\.113\.12` → `172\.31\.16\.139` on `eni-1235b8ca123456789`/);
    assert.ok(text.includes(`| request | [line 1](${uri}#L1) | ACCEPT | 4 | 336 |`), text);
    assert.ok(text.includes(`| reply | [line 2](${uri}#L2) (this record) | REJECT | 4 | 336 |`), text);
    assert.match(text, /a network ACL, since security groups let replies out/);
    // The field's own hover is still there, above the section.
    assert.ok(text.indexOf('Conversation') > text.indexOf('REJECT'));
  });

  it('Go to Definition: a record jumps to its counterpart, both ways; a lone record has none', async () => {
    const uri = 'file:///conversations/ping.log';
    const fromRequest = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at(0, 5) });
    assert.deepEqual(fromRequest, [{ uri, range: { start: at(1, 0), end: at(1, REPLY.length) } }]);
    const fromReply = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at(1, 5) });
    assert.deepEqual(fromReply.map((l) => l.range.start.line), [0]);
    assert.deepEqual(await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at(2, 5) }), []);
  });

  it('Find All References on an address: every record holding it, in any address column', async () => {
    const uri = 'file:///conversations/ping.log';
    const character = REQUEST.indexOf('172.31.16.139') + 2;
    const references = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: at(0, character), context: { includeDeclaration: true } });
    const lines = PING.split('\n');
    assert.deepEqual(
      references.map((r) => [r.range.start.line, lines[r.range.start.line].slice(r.range.start.character, r.range.end.character)]),
      [
        [0, '172.31.16.139'],
        [1, '172.31.16.139'],
        [2, '172.31.16.139'],
      ],
    );
    // A port: only port columns, not the same digits elsewhere.
    const port = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: at(2, SSH.indexOf(' 22 ') + 1), context: { includeDeclaration: true } });
    assert.deepEqual(port.map((r) => r.range.start.line), [2]);
    // Not a value that identifies anything (packets): no references.
    assert.deepEqual(await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: at(0, REQUEST.indexOf(' 336 ') + 1), context: { includeDeclaration: true } }), []);
  });

  it('document highlights: the same value nearby, and the counterpart marked as read', async () => {
    const uri = 'file:///conversations/ping.log';
    const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri }, position: at(0, REQUEST.indexOf('203.0.113.12') + 1) });
    assert.deepEqual(
      highlights.map((h) => [h.range.start.line, h.kind]),
      [
        [0, 1],
        [1, 2],
      ],
    );
    // On a column whose value differs in the counterpart (start), the counterpart's start is marked.
    const start = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri }, position: at(0, REQUEST.indexOf('1432917027') + 1) });
    const lines = PING.split('\n');
    assert.deepEqual(start.map((h) => [h.range.start.line, lines[h.range.start.line].slice(h.range.start.character, h.range.end.character), h.kind]), [[1, '1432917094', 2]]);
  });

  it('reply-rejected: an info diagnostic on the reply with the request as related information; gone after an edit accepts it', async () => {
    const uri = 'file:///conversations/edit.log';
    await client.open(uri, PING);
    const diagnostics = await client.pull(uri);
    const replyRejected = diagnostics.filter((d) => d.code === 'reply-rejected');
    assert.equal(replyRejected.length, 1);
    const [diagnostic] = replyRejected;
    assert.equal(diagnostic.severity, 3);
    assert.equal(diagnostic.range.start.line, 1);
    assert.deepEqual(diagnostic.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[uri, 0]]);
    const column = REPLY.indexOf('REJECT');
    await client.change(uri, 2, [{ range: { start: at(1, column), end: at(1, column + 6) }, text: 'ACCEPT' }]);
    const after = await client.pull(uri);
    assert.deepEqual(after.filter((d: Diagnostic) => d.code === 'reply-rejected'), []);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(1, column + 1) });
    assert.match(markdownOf(hover), /\*\*Conversation\*\* · accepted/);
  });

  it('values from the file stay inside code spans in the hover', async () => {
    const uri = 'file:///conversations/markup.log';
    const eni = 'eni-[x](https://example.com/*b*)';
    await client.open(uri, [REQUEST.replace('eni-1235b8ca123456789', eni), REPLY.replace('eni-1235b8ca123456789', eni)].join('\n'));
    const text = markdownOf(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(0, 2) }));
    assert.match(text, /Conversation/);
    const outsideCode = text.replace(/`[^`]*`/g, '');
    assert.ok(!outsideCode.includes('example.com'), `file values outside code spans: ${outsideCode}`);
  });

  it('a large document: the first diagnostics do not wait for pairing; until it is done they carry no result id, then reply-rejected joins them', async () => {
    const uri = 'file:///conversations/large-first.log';
    const lines = largeLog(8);
    await client.open(uri, lines.join('\n'));
    // The first answer comes from the first validation step, before pairing (which rides along the rest) is done: partial, to be pulled again.
    const first = await client.request<{ kind: string; resultId?: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(first.kind, 'full');
    assert.equal(first.resultId, undefined);
    assert.equal(first.items.filter((d) => d.code === 'reply-rejected').length, 0);
    await client.request('flowlog/explainRejections', { uri });
    const complete = await client.request<{ kind: string; resultId?: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(complete.kind, 'full');
    assert.ok(complete.resultId);
    assert.equal(complete.items.filter((d) => d.code === 'reply-rejected').length, 15);
  });

  it('a large document is paired in the background, on the pairing thread; Explain Rejections waits for it and groups by verdict', async () => {
    const uri = 'file:///conversations/large.log';
    const lines = largeLog(9);
    await client.open(uri, lines.join('\n'));
    const report = await client.request<{ markdown: string } | null>('flowlog/explainRejections', { uri });
    assert.ok(report);
    assert.match(report.markdown, /^# Rejections in `large\.log`/);
    assert.match(report.markdown, /15 of 15,000 conversations have a REJECT\./);
    assert.match(report.markdown, /## Reply rejected after the request was accepted — a network ACL \(15\)/);
    assert.ok(report.markdown.includes(`[line 2](${uri}#L2)`));
    // Now built: the hover of a reply far down the file has its conversation.
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(20_003, 2) });
    assert.match(markdownOf(hover), /\*\*Conversation\*\* · accepted/);
    const diagnostics = await client.pull(uri);
    assert.equal(diagnostics.filter((d) => d.code === 'reply-rejected').length, 15);
    // Paired on the server's pairing thread, beside validation.
    assert.deepEqual(await client.request('flowlog/ping', {}), { recordCheck: 'webassembly', pairing: 'thread' });
  });

  it('flowlog.pairingThread off: a large document is paired on the server\'s own thread, to the same report', async () => {
    const alone = await TestClient.start({ pull: true, settings: { pairingThread: 'off' } });
    try {
      const uri = 'file:///conversations/large-here.log';
      await alone.open(uri, largeLog(9).join('\n'));
      const report = await alone.request<{ markdown: string } | null>('flowlog/explainRejections', { uri });
      assert.match(report?.markdown ?? '', /15 of 15,000 conversations have a REJECT\./);
      assert.deepEqual(await alone.request('flowlog/ping', {}), { recordCheck: 'webassembly', pairing: 'server' });
    } finally {
      await alone.stop();
    }
  });

  it('a large document edited while it is being validated and paired: the conversations are those of the edited text', async () => {
    const uri = 'file:///conversations/large-edited.log';
    const lines = largeLog(7);
    await client.open(uri, lines.join('\n'));
    // Right after the open, while validation (and the pairing riding along it) runs: the reply of
    // conversation 5000 (line 10002) is accepted now, and a record line is added above it.
    const line = 10_001;
    const column = lines[line].indexOf('REJECT');
    await client.change(uri, 2, [
      { range: { start: at(line, column), end: at(line, column + 6) }, text: 'ACCEPT' },
      { range: { start: at(3, 0), end: at(3, 0) }, text: `${lines[0].replace('10.7.0.0', '10.6.0.1')}\n` },
    ]);
    const report = await client.request<{ markdown: string } | null>('flowlog/explainRejections', { uri });
    assert.ok(report);
    assert.match(report.markdown, /14 of 15,001 conversations have a REJECT\./);
    const diagnostics = await client.pull(uri);
    assert.deepEqual(
      diagnostics.filter((d) => d.code === 'reply-rejected').map((d) => d.range.start.line),
      Array.from({ length: 15 }, (_, k) => 2 * 1000 * k + 1).filter((l) => l !== line).map((l) => (l > 3 ? l + 1 : l)),
    );
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(line + 1, 2) });
    assert.match(markdownOf(hover), /\*\*Conversation\*\* · accepted/);
  });

  it('a CloudWatch Logs envelope with several records on one line: each record is paired, definition, hover and the diagnostic point at the right one', async () => {
    const uri = 'file:///conversations/envelope.log';
    const envelope = JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [SSH, REQUEST, REPLY].map((message, i) => ({ id: String(i), timestamp: 1432917027000 + i, message })) });
    const offset = (message: string): number => envelope.indexOf(message);
    await client.open(uri, envelope);
    const definition = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at(0, offset(REQUEST) + 3) });
    assert.deepEqual(definition, [{ uri, range: { start: at(0, offset(REPLY)), end: at(0, offset(REPLY) + REPLY.length) } }]);
    const back = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at(0, offset(REPLY) + 3) });
    assert.deepEqual(back.map((l) => l.range.start.character), [offset(REQUEST)]);
    const hover = markdownOf(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(0, offset(REPLY) + REPLY.indexOf('REJECT') + 1) }));
    assert.match(hover, /\*\*Conversation\*\* · response-rejected/);
    assert.ok(hover.includes('REJECT | 4 | 336 |') && hover.includes('(this record)'), hover);
    const diagnostic = (await client.pull(uri)).find((d) => d.code === 'reply-rejected');
    assert.deepEqual(diagnostic?.range, { start: at(0, offset(REPLY)), end: at(0, offset(REPLY) + REPLY.length) });
    assert.deepEqual(diagnostic?.relatedInformation?.map((r) => r.location.range.start.character), [offset(REQUEST)]);
    const references = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: at(0, offset(REPLY) + REPLY.indexOf('203.0.113.12') + 1), context: { includeDeclaration: true } });
    assert.deepEqual(references.map((r) => r.range.start.character), [offset(REQUEST) + REQUEST.indexOf('203.0.113.12'), offset(REPLY) + REPLY.indexOf('203.0.113.12')]);
  });

  it('an unknown document: empty answers, and null for the report', async () => {
    const uri = 'file:///conversations/never-opened.log';
    assert.deepEqual(await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at(0, 0) }), []);
    assert.equal(await client.request('flowlog/explainRejections', { uri }), null);
  });
});

describe('conversations over LSP: the rule is settable', () => {
  it('flowlog.rules reply-rejected off removes the diagnostic', async () => {
    const client = await TestClient.start({ pull: true, settings: { rules: { 'reply-rejected': 'off' } } });
    try {
      const uri = 'file:///conversations/off.log';
      await client.open(uri, PING);
      const diagnostics = await client.pull(uri);
      assert.deepEqual(diagnostics.filter((d) => d.code === 'reply-rejected'), []);
    } finally {
      await client.stop();
    }
  });
});

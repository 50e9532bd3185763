/**
 * Conversations over JSON lines holding several records (CloudWatch Logs subscription envelopes,
 * one log event per record): every record takes part, and the lookups, counterparts, value search
 * and highlights point at the right record of the line, not at its first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentConversations } from '../../server/src/service/conversations/documentConversations';
import { conversationHighlights, counterpartSpan, findValue, recordIndexAt, recordSpan } from '../../server/src/service/conversations/navigation';
import { replyRejectedProblem } from '../../server/src/service/conversations/replyRejected';
import { FlowLogDocument } from '../../server/src/service/document';
import { severityTable } from '../../server/src/service/rules';

const ENI = 'eni-0a1b2c3d4e5f60718';
function v2(src: string, sport: number, dst: string, dport: number, protocol: number, action: string, start = 1000): string {
  return `2 123456789010 ${ENI} ${src} ${dst} ${sport} ${dport} ${protocol} 5 400 ${start} ${start + 60} ${action} OK`;
}
const envelope = (...messages: string[]): string =>
  JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: 'flows', logStream: `${ENI}-all`, logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1418530070000 + i, message })) });

// Line 0: an unrelated SSH, the ping request, its rejected reply; line 1: HTTPS both ways.
const SSH = v2('198.51.100.7', 50123, '10.0.0.5', 22, 6, 'ACCEPT');
const PING = v2('203.0.113.12', 0, '10.0.0.5', 0, 1, 'ACCEPT');
const PONG = v2('10.0.0.5', 0, '203.0.113.12', 0, 1, 'REJECT');
const HTTPS_IN = v2('10.0.0.5', 49152, '192.0.2.80', 443, 6, 'ACCEPT');
const HTTPS_OUT = v2('192.0.2.80', 443, '10.0.0.5', 49152, 6, 'ACCEPT');
const TEXT = `${envelope(SSH, PING, PONG)}\n${envelope(HTTPS_IN, HTTPS_OUT)}\n`;
const document = new FlowLogDocument(TEXT);
const line0 = TEXT.split('\n')[0];
/** Character offset of the start of `message` on line 0 (inside its JSON string). */
const offsetOf = (message: string, line = line0): number => line.indexOf(message);

describe('conversations of multi-record JSON lines', () => {
  const found = documentConversations(document);

  it('every record of an envelope takes part, not only the first', () => {
    assert.equal(found.list.length, 3);
    const verdicts = found.list.map((c) => `${c.initiator.addr}:${c.initiator.port} ${c.verdict}`).sort();
    assert.deepEqual(verdicts, ['10.0.0.5:49152 accepted', '198.51.100.7:50123 no-response', '203.0.113.12:null response-rejected']);
    const ping = found.at(0, 1);
    assert.equal(ping?.verdict, 'response-rejected');
    assert.deepEqual([ping?.request?.line, ping?.request?.record, ping?.response?.line, ping?.response?.record], [0, 1, 0, 2]);
    assert.equal(found.at(0, 0)?.initiator.addr, '198.51.100.7');
    assert.equal(found.at(1, 1), found.at(1, 0));
    assert.equal(found.at(0, 3), undefined);
  });

  it('the counterpart is the other record of the same line, and its span is that record', () => {
    assert.deepEqual(found.counterpart(0, 1), { line: 0, record: 2 });
    assert.deepEqual(found.counterpart(0, 2), { line: 0, record: 1 });
    assert.deepEqual(found.counterpart(1, 0), { line: 1, record: 1 });
    assert.equal(found.counterpart(0, 0), undefined);
    assert.equal(recordIndexAt(document, 0, offsetOf(PONG) + 3), 2);
    const span = counterpartSpan(document, found, 0, offsetOf(PING) + 3);
    assert.deepEqual(span, { line: 0, start: offsetOf(PONG), end: offsetOf(PONG) + PONG.length });
    assert.deepEqual(recordSpan(document, 0, 1), { line: 0, start: offsetOf(PING), end: offsetOf(PING) + PING.length });
  });

  it('a value is found in every record of a line, in any column of its kind', () => {
    const spans = findValue(document, 'address', '203.0.113.12', 100);
    const at = [offsetOf(PING) + PING.indexOf('203.0.113.12'), offsetOf(PONG) + PONG.indexOf('203.0.113.12')];
    assert.deepEqual(spans, at.map((start) => ({ line: 0, start, end: start + '203.0.113.12'.length })));
    assert.equal(findValue(document, 'address', '10.0.0.5', 100).length, 5);
  });

  it('highlights mark the counterpart record\'s token in the column under the cursor', () => {
    const cursor = offsetOf(PING) + PING.indexOf(' 1 ACCEPT') + 1; // the protocol column
    const highlights = conversationHighlights(document, found, 0, cursor).filter((h) => h.counterpart);
    const protocolInReply = offsetOf(PONG) + PONG.indexOf(' 1 REJECT') + 1;
    assert.deepEqual(highlights.map((h) => h.span), [{ line: 0, start: protocolInReply, end: protocolInReply + 1 }]);
  });

  it('reply-rejected sits on the rejected record and names the request\'s line', () => {
    const problems = found.list.map((c) => replyRejectedProblem(c, severityTable(), (place) => recordSpan(document, place.line, place.record))).filter((p) => p !== undefined);
    assert.equal(problems.length, 1);
    assert.deepEqual([problems[0].line, problems[0].start, problems[0].end], [0, offsetOf(PONG), offsetOf(PONG) + PONG.length]);
    assert.match(problems[0].message, /accepted \(line 1\)/);
    assert.equal(replyRejectedProblem(found.list[0], severityTable({ 'reply-rejected': 'off' })), undefined);
  });
});

/**
 * Properties of pairing: the conversations of a log do not depend on the order of its records
 * (nor on which direction comes first), every pairable record is in exactly one conversation, the
 * streaming builder finds what the whole-document one finds on a time-ordered log, pairing fed by
 * validation (lines the fast path proved, read from its bytes) finds what pairing alone finds, and
 * a document edited incrementally pairs exactly as a fresh document of the same text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConversationBuilder } from '../../server/src/service/conversations/builder';
import { documentConversations } from '../../server/src/service/conversations/documentConversations';
import { pairingColumns, readFlowRecord } from '../../server/src/service/conversations/flowRecord';
import { conversationLines, type Conversation } from '../../server/src/service/conversations/model';
import { FlowLogDocument } from '../../server/src/service/document';
import { DEFAULT_FORMAT } from '../../server/src/service/formatModel';
import { ConversationTask } from '../../server/src/service/conversations/documentConversations';
import { RemotePairing } from '../../server/src/service/conversations/pairingJob';
import { LoopbackLink } from '../unit/pairingLoopback';
import { DocumentValidation } from '../../server/src/service/documentValidation';
import { severityTable } from '../../server/src/service/rules';
import { TokenBuffer } from '../../server/src/service/scan';
import { anyDocumentText, applyTextEdits, check, V2_HEADER } from './arbitraries';

/** A scenario: a flow between two endpoints, its request and maybe its reply, each accepted or rejected. */
const flow = fc.record({
  client: fc.integer({ min: 1, max: 250 }),
  server: fc.integer({ min: 1, max: 250 }),
  clientPort: fc.integer({ min: 1, max: 65535 }),
  serverPort: fc.constantFrom(22, 80, 443, 3389, 5001, 8080, 50000),
  protocol: fc.constantFrom(1, 6, 17),
  eni: fc.constantFrom('eni-0aaaaaaaaaaaaaaaa', 'eni-0bbbbbbbbbbbbbbbb'),
  requestAction: fc.constantFrom('ACCEPT', 'REJECT'),
  reply: fc.option(fc.constantFrom('ACCEPT', 'REJECT'), { nil: undefined }),
  /** Minutes after the log's start; replies start a few seconds after their request. */
  minute: fc.integer({ min: 0, max: 120 }),
  replyDelay: fc.integer({ min: 1, max: 30 }),
});
type Flow = typeof flow extends fc.Arbitrary<infer T> ? T : never;

function record(eni: string, src: string, dst: string, sport: number, dport: number, protocol: number, action: string, start: number): string {
  return `2 123456789010 ${eni} ${src} ${dst} ${sport} ${dport} ${protocol} 3 180 ${start} ${start + 50} ${action} OK`;
}

/** Records of the flows, each tagged with an id that survives reordering. */
function recordsOf(flows: readonly Flow[]): { id: number; text: string; start: number }[] {
  const out: { id: number; text: string; start: number }[] = [];
  flows.forEach((f, i) => {
    const client = `10.1.${i}.${f.client}`;
    const server = `10.2.${i}.${f.server}`;
    const start = 1_600_000_000 + f.minute * 60;
    out.push({ id: out.length, text: record(f.eni, client, server, f.clientPort, f.serverPort, f.protocol, f.requestAction, start), start });
    if (f.reply) out.push({ id: out.length, text: record(f.eni, server, client, f.serverPort, f.clientPort, f.protocol, f.reply, start + f.replyDelay), start: start + f.replyDelay });
  });
  return out;
}

/** Conversations with lines replaced by record ids: comparable across orders. */
function canonical(conversations: readonly Conversation[], idOfLine: (line: number) => number): string[] {
  const ids = (lines: readonly number[] | undefined): string => (lines ?? []).map(idOfLine).sort((a, b) => a - b).join(',');
  return conversations
    .map((c) => `${c.initiator.addr}:${c.initiator.port}>${c.responder.addr}:${c.responder.port} ${c.verdict} ${c.rule} req[${ids(c.request?.lines)}] resp[${ids(c.response?.lines)}] hops ${c.hops.length}`)
    .sort();
}

describe('conversations (property)', () => {
  it('shuffled records, either direction first: the same conversations, each record in exactly one', () => {
    check(
      'conversations-shuffle',
      fc.property(fc.array(flow, { minLength: 1, maxLength: 12 }), fc.integer(), (flows, seed) => {
        const records = recordsOf(flows);
        const shuffled = fc.sample(fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }), { seed, numRuns: 1 })[0];
        const inOrder = documentConversations(new FlowLogDocument(records.map((r) => r.text).join('\n'))).list;
        const reordered = documentConversations(new FlowLogDocument(shuffled.map((r) => r.text).join('\n'))).list;
        assert.deepEqual(canonical(reordered, (line) => shuffled[line].id), canonical(inOrder, (line) => records[line].id));
        const lines = reordered.flatMap(conversationLines).sort((a, b) => a - b);
        assert.deepEqual(lines, shuffled.map((_, i) => i), 'every record in exactly one conversation');
        // One conversation per flow: flows have distinct address pairs.
        assert.equal(reordered.length, flows.length);
        for (const c of reordered) {
          const rejected = c.request?.action === 'REJECT' || c.response?.action === 'REJECT';
          assert.equal(rejected, c.verdict !== 'accepted' && c.verdict !== 'no-response', `${c.verdict} with ${c.request?.action}/${c.response?.action}`);
        }
      }),
    );
  });

  it('streaming a time-ordered log finds what the whole document finds', () => {
    check(
      'conversations-streaming',
      fc.property(fc.array(flow, { minLength: 1, maxLength: 20 }), (flows) => {
        const records = recordsOf(flows).sort((a, b) => a.start - b.start);
        const text = records.map((r) => r.text).join('\n');
        const whole = documentConversations(new FlowLogDocument(text)).list;
        const columns = pairingColumns(DEFAULT_FORMAT);
        assert.ok(columns);
        const streamed: Conversation[] = [];
        const builder = new ConversationBuilder((c) => streamed.push(c), { streaming: true, keepLines: true });
        const tokens = new TokenBuffer();
        records.forEach((r, line) => {
          const parsed = readFlowRecord(r.text, 0, r.text.length, line, columns, tokens);
          assert.ok(parsed);
          builder.add(parsed);
        });
        builder.finish();
        assert.deepEqual(canonical(streamed, (l) => l), canonical(whole, (l) => l));
      }),
    );
  });

  it('an edited document pairs as a fresh document of the same text', () => {
    const edit = fc.record({ line: fc.nat(30), character: fc.nat(120), length: fc.nat(40), text: fc.constantFrom('', ' ', '\n', 'REJECT', 'ACCEPT', '443', '10.0.0.1', `\n${V2_HEADER}\n`) });
    check(
      'conversations-edits',
      fc.property(fc.oneof(anyDocumentText, fc.array(flow, { minLength: 1, maxLength: 8 }).map((flows) => recordsOf(flows).map((r) => r.text).join('\n'))), fc.array(edit, { maxLength: 4 }), (text, edits) => {
        const doc = new FlowLogDocument(text, undefined, { blockSize: 256 });
        documentConversations(doc);
        for (const e of edits) {
          const line = Math.min(e.line, doc.lines.lineCount - 1);
          const start = { line, character: e.character };
          const end = { line, character: e.character + e.length };
          const expected = applyTextEdits(doc, [{ range: { start, end }, newText: e.text }]);
          doc.applyEdits([{ range: { start, end }, text: e.text }]);
          const fresh = new FlowLogDocument(expected);
          assert.deepEqual(canonical(documentConversations(doc).list, (l) => l), canonical(documentConversations(fresh).list, (l) => l));
        }
      }),
    );
  });

  it('pairing fed by validation, here or on a pairing thread, finds what pairing alone finds, whatever the addresses and interfaces look like', () => {
    // Addresses the fast path reads as numbers, and others it leaves to the exact path or interns as text.
    const address = fc.oneof(
      fc.tuple(fc.constantFrom(10, 172, 255), fc.nat(3), fc.nat(3)).map(([a, b, c]) => `${a}.${b}.0.${c}`),
      fc.constantFrom('2001:db8::1', '2001:db8::2', '010.0.0.1', '255.255.255.255', '10.0.0.1'),
    );
    const line = fc.record({
      eni: fc.constantFrom('eni-0aaaaaaaaaaaaaaaa', 'eni-0aaaaaaaaaaaaaaab', 'eni-1', 'eni-0aaaaaaaaaaaaaaa'),
      src: address,
      dst: address,
      sport: fc.constantFrom(80, 443, 50000),
      dport: fc.constantFrom(80, 443, 50000),
      protocol: fc.constantFrom(1, 6, 17),
      action: fc.constantFrom('ACCEPT', 'REJECT', '-'),
      minute: fc.nat(30),
      /** How many times the line repeats: runs of one interface. */
      run: fc.integer({ min: 1, max: 4 }),
    });
    check(
      'conversations-fed',
      fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), (lines) => {
        const text = lines.flatMap((l) => Array.from({ length: l.run }, (_, k) => record(l.eni, l.src, l.dst, l.sport, l.dport, l.protocol, l.action, 1_600_000_000 + (l.minute + k) * 60))).join('\n');
        const alone = documentConversations(new FlowLogDocument(text)).list;
        const document = new FlowLogDocument(text);
        const validation = new DocumentValidation(document, { severities: severityTable({}), maxProblems: 1_000_000 });
        const task = new ConversationTask(document);
        validation.feed = task.feed();
        while (!validation.step(0));
        let fed;
        while (!(fed = task.step(7)));
        // Everything a conversation says, interfaces and hops included, in the same order.
        assert.equal(JSON.stringify(fed.list), JSON.stringify(alone));
        assert.ok(task.fedRecords > 0, 'validation fed the records');
        // The same records handed to a pairing thread as cells (values copied, not interned), in batches of 3.
        const threaded = new DocumentValidation(document, { severities: severityTable({}), maxProblems: 1_000_000 });
        const remote = new ConversationTask(document, (lineCount) => new RemotePairing(new LoopbackLink(), lineCount, 3));
        threaded.feed = remote.feed();
        while (!threaded.step(0));
        let paired;
        while (!(paired = remote.step(7)));
        assert.ok(remote.pairedElsewhere);
        assert.equal(JSON.stringify(paired.list), JSON.stringify(alone));
      }),
    );
  });
});

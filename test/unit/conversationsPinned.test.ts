/**
 * Pairing pinned on generated logs (conversationScenarios.ts): every way the project reads
 * conversations — `pairRecords`, the streaming builder (small `maxOpen`, only rejected), a
 * document's list, lookups and counterparts of every record, the background task in slices,
 * `flowlog conversations` (JSON and text), `flowlog explain`, lint's reply-rejected problems and
 * the summary's verdict counts — gives exactly what the object-per-group builder gave when this
 * test was written (digests in test/fixtures/conversations-pinned.json), so a rewrite of the
 * pairing index is checked against the old implementation on thousands of conversations.
 *
 *   FLOWLOG_PIN=write   records the digests anew (only for an intended change of behaviour)
 *   FLOWLOG_PIN_DUMP=D  writes every output to directory D, to diff two implementations
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { parseArgs } from '../../server/src/cli/args';
import { conversationsCommand, explainCommand } from '../../server/src/cli/conversationsCommand';
import { lintCommand } from '../../server/src/cli/lint';
import { Output } from '../../server/src/cli/output';
import type { Io } from '../../server/src/cli/run';
import { ConversationBuilder } from '../../server/src/service/conversations/builder';
import { pairRecords } from '../../server/src/service/conversations/pairRecords';
import { ConversationTask, documentConversations, type DocumentConversations } from '../../server/src/service/conversations/documentConversations';
import { FlowRecordReader, type FlowRecord } from '../../server/src/service/conversations/flowRecord';
import type { Conversation } from '../../server/src/service/conversations/model';
import { replyRejectedPlaces } from '../../server/src/service/conversations/replyRejected';
import { FlowLogDocument } from '../../server/src/service/document';
import { FlowLogStream } from '../../server/src/service/stream';
import { VerdictCounter } from '../../server/src/service/summary/verdicts';
import { scenarios, type Scenario } from './conversationScenarios';

const PINNED = path.join(__dirname, '..', 'fixtures', 'conversations-pinned.json');

/** Every pairable record of a text, read as the CLI reads it (a stream, JSON lines message by message). */
function recordsOf(text: string): FlowRecord[] {
  const reader = new FlowRecordReader();
  const records: FlowRecord[] = [];
  const stream = new FlowLogStream(
    {
      recordText(t, start, end, format, line) {
        const record = reader.read(t, start, end, format, line);
        if (record) records.push(record);
        return reader.wellFormed;
      },
    },
    { validate: false, parse: true },
  );
  stream.push(text);
  stream.end();
  return records;
}

const json = (conversations: readonly Conversation[]): string => conversations.map((c) => JSON.stringify(c)).join('\n');

function streamedList(records: readonly FlowRecord[], options: ConstructorParameters<typeof ConversationBuilder>[1]): Conversation[] {
  const out: Conversation[] = [];
  const builder = new ConversationBuilder((c) => out.push(c), options);
  for (const record of records) builder.add(record);
  builder.finish();
  return out;
}

function streamed(records: readonly FlowRecord[], options: ConstructorParameters<typeof ConversationBuilder>[1]): string {
  return json(streamedList(records, options));
}

/** Lookups of every record place of the document: the conversation, its counterpart, its direction. */
function lookups(found: DocumentConversations, text: string): string {
  const out: string[] = [];
  text.split('\n').forEach((line, index) => {
    const places = line.startsWith('{') ? 6 : 1;
    for (let record = 0; record < places; record++) {
      const at = found.at(index, record);
      const other = found.counterpart(index, record);
      const direction = found.directionOf(index, record);
      out.push(`${index}.${record} ${at ? `${at.initiator.addr}>${at.responder.addr} ${at.verdict} ${at.interfaceId}` : '-'} ${other ? `${other.line}.${other.record}` : '-'} ${direction ? `${direction.isRequest} ${direction.hop.interfaceId} ${direction.records.line}` : '-'}`);
    }
  });
  return out.join('\n');
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A CLI command run in this process on a file holding `text`; its standard output. */
async function cli(command: (args: never, io: Io) => Promise<number>, argv: string[], text: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowlog-pin-'));
  try {
    const file = path.join(dir, 'flows.log');
    writeFileSync(file, text);
    const parsed = parseArgs([...argv, '--no-progress', file]);
    assert.equal(parsed.kind, 'run');
    const sink = new Collect();
    const io: Io = { stdout: new Output(sink), stdoutIsTTY: false, stderr: { write: () => true }, stdin: process.stdin, cwd: dir };
    await command(parsed.args as never, io);
    io.stdout.flush();
    return sink.text.split(file).join('FILE');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function outputs(scenario: Scenario): Promise<Record<string, string>> {
  const records = recordsOf(scenario.text);
  const found = documentConversations(new FlowLogDocument(scenario.text));
  const task = new ConversationTask(new FlowLogDocument(scenario.text));
  let sliced: DocumentConversations | undefined;
  while (!(sliced = task.step(17)));
  const counter = new VerdictCounter();
  const reader = new FlowRecordReader();
  const lint = await cli((args, io) => lintCommand(args, io, '0'), ['lint', '--format', 'json'], scenario.text);
  const replyRejected = (JSON.parse(lint) as { problems: { code: string }[] }[]).flatMap((file) => file.problems.filter((p) => p.code === 'reply-rejected'));
  const stream = new FlowLogStream({ recordText: (t, s, e, format, line) => (counter.add(t, s, e, format, line), reader.read(t, s, e, format, line), reader.wellFormed) }, { validate: false, parse: true });
  stream.push(scenario.text);
  stream.end();
  // The editor's reply-rejected diagnostics read a shortcut: the same conversations as filtering all rejected ones.
  assert.deepEqual(found.replyRejected(), found.rejected().filter((c) => replyRejectedPlaces(c) !== undefined));
  // Lint's stream judges only rejected groups logged both ways: the same rejected replies as judging every rejected group.
  const repliesRejected = (options: ConstructorParameters<typeof ConversationBuilder>[1]): string => json(streamedList(records, options).filter((c) => replyRejectedPlaces(c) !== undefined));
  assert.equal(repliesRejected({ streaming: true, onlyRepliesRejected: true }), repliesRejected({ streaming: true, onlyRejected: true }));
  return {
    records: String(records.length),
    pairRecords: json(pairRecords(records)),
    pairRecordsFirstLines: json(pairRecords(records, false)),
    streamedMaxOpen4: streamed(records, { streaming: true, keepLines: true, maxOpen: 4 }),
    streamedMaxOpen50: streamed(records, { streaming: true, maxOpen: 50 }),
    streamedRejected: streamed(records, { streaming: true, onlyRejected: true }),
    documentList: json(found.list),
    documentCount: String(found.count),
    documentRejected: json(found.rejected()),
    documentLookups: lookups(found, scenario.text),
    taskSlices: json(sliced.list),
    cliJson: await cli(conversationsCommand, ['conversations', '--format', 'json'], scenario.text),
    cliText: await cli(conversationsCommand, ['conversations'], scenario.text),
    cliExplain: await cli(explainCommand, ['explain'], scenario.text),
    lintReplyRejected: JSON.stringify(replyRejected, null, 1),
    verdictCounts: JSON.stringify(counter.report()),
  };
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 24);

describe('conversations pinned on generated logs', () => {
  const pinned = JSON.parse(readFileSync(PINNED, 'utf8')) as Record<string, Record<string, string>>;
  const fresh: Record<string, Record<string, string>> = {};
  const dump = process.env.FLOWLOG_PIN_DUMP;
  for (const scenario of scenarios()) {
    it(scenario.name, async () => {
      const out = await outputs(scenario);
      fresh[scenario.name] = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, digest(v)]));
      if (dump) {
        mkdirSync(dump, { recursive: true });
        for (const [k, v] of Object.entries(out)) writeFileSync(path.join(dump, `${scenario.name.replace(/[^a-z0-9]+/gi, '-')}.${k}.txt`), v);
      }
      if (process.env.FLOWLOG_PIN === 'write') return;
      // The scenario must pair something worth pinning.
      assert.ok(Number(out.records) > 100 && out.documentList.length > 1000, `${scenario.name}: ${out.records} records`);
      assert.deepEqual(fresh[scenario.name], pinned[scenario.name], `${scenario.name}: outputs differ from the pinned ones (FLOWLOG_PIN_DUMP=dir to compare)`);
    });
  }
  it('digests (FLOWLOG_PIN=write)', () => {
    if (process.env.FLOWLOG_PIN === 'write') writeFileSync(PINNED, `${JSON.stringify(fresh, null, 1)}\n`);
    assert.deepEqual(Object.keys(pinned).sort(), scenarios().map((s) => s.name).sort());
  });
});

/**
 * A document's conversations, with the line → conversation lookup the editor features need. Built
 * in slices (`ConversationTask.step`) so that a server can build a large document's conversations
 * in the background and answer other requests between slices.
 */
import type { FlowLogDocument } from '../document';
import { forEachRecordLine } from '../recordLines';
import { jsonRecords, JsonRecords } from '../exportShapes';
import { isJsonLine, skipBlanks, TokenBuffer } from '../scan';
import { ConversationBuilder } from './builder';
import { pairingColumns, readFlowRecord } from './flowRecord';
import { PLACE_STRIDE } from './group';
import { holdsRecord, type Conversation, type DirectionRecords, type Hop, type RecordPlace } from './model';

export class DocumentConversations {
  /** Conversations in the order of their first line. */
  readonly list: Conversation[];
  /** Conversation index + 1 of each line's first record (0: none); 4 bytes a line, no object per record. */
  private readonly byLine: Int32Array;
  /** The same for the further records of JSON lines holding several: line → conversation index + 1 per record. */
  private readonly furtherRecords = new Map<number, number[]>();

  constructor(conversations: Conversation[], lineCount: number) {
    this.list = conversations.sort((x, y) => firstLine(x) - firstLine(y));
    this.byLine = new Int32Array(lineCount);
    this.list.forEach((conversation, index) => {
      for (const hop of conversation.hops) {
        this.mark(hop.request, index + 1);
        this.mark(hop.response, index + 1);
      }
    });
  }

  private mark(records: DirectionRecords | null, value: number): void {
    if (!records) return;
    records.lines.forEach((line, i) => {
      const record = records.recordIndexes[i];
      if (record === 0) {
        this.byLine[line] = value;
        return;
      }
      let list = this.furtherRecords.get(line);
      if (!list) this.furtherRecords.set(line, (list = []));
      list[record] = value;
    });
  }

  /** The conversation of record `record` of `line` (0: the line's only or first record). */
  at(line: number, record = 0): Conversation | undefined {
    const index = line < 0 || line >= this.byLine.length ? 0 : record === 0 ? this.byLine[line] : (this.furtherRecords.get(line)?.[record] ?? 0);
    return index === 0 ? undefined : this.list[index - 1];
  }

  /**
   * The record that answers the one at (line, record) (or that it answers): the other direction
   * on the same interface when it was logged there, else the other direction of the conversation.
   */
  counterpart(line: number, record = 0): RecordPlace | undefined {
    const found = this.directionOf(line, record);
    if (!found) return undefined;
    const { conversation, hop, isRequest } = found;
    const other = isRequest ? (hop.response ?? conversation.response) : (hop.request ?? conversation.request);
    return other && other !== (isRequest ? hop.request : hop.response) ? { line: other.line, record: other.record } : undefined;
  }

  /** The direction (request or reply, on its hop) that holds record `record` of `line`. */
  directionOf(line: number, record = 0): { conversation: Conversation; hop: Hop; records: DirectionRecords; isRequest: boolean } | undefined {
    const conversation = this.at(line, record);
    if (!conversation) return undefined;
    for (const hop of conversation.hops) {
      if (hop.request && holdsRecord(hop.request, line, record)) return { conversation, hop, records: hop.request, isRequest: true };
      if (hop.response && holdsRecord(hop.response, line, record)) return { conversation, hop, records: hop.response, isRequest: false };
    }
    return undefined;
  }
}

function firstLine(conversation: Conversation): number {
  let line = Infinity;
  for (const hop of conversation.hops) line = Math.min(line, hop.request?.line ?? Infinity, hop.response?.line ?? Infinity);
  return line;
}

/** Pairing of one document version, a slice of lines at a time. */
export class ConversationTask {
  private next = 0;
  private readonly found: Conversation[] = [];
  private readonly builder = new ConversationBuilder((c) => this.found.push(c), { keepLines: true });
  private readonly tokens = new TokenBuffer();
  private readonly json = new JsonRecords();
  private result: DocumentConversations | undefined;

  constructor(private readonly document: FlowLogDocument) {}

  get done(): DocumentConversations | undefined {
    return this.result;
  }

  /** Reads up to `lines` more lines; returns the conversations once the whole document is read. */
  step(lines: number): DocumentConversations | undefined {
    if (this.result) return this.result;
    const { document } = this;
    const total = document.lines.lineCount;
    const to = Math.min(total, this.next + lines);
    let last = this.next;
    forEachRecordLine(document.lines, document.formats, this.next, to, (text, start, end, segment, line) => {
      last = line;
      const columns = pairingColumns(segment.format);
      if (!columns) return;
      const first = skipBlanks(text, start, end);
      if (!isJsonLine(text, first)) {
        const record = readFlowRecord(text, start, end, line, columns, this.tokens);
        if (record) this.builder.add(record);
        return;
      }
      // A JSON line (a CloudWatch Logs subscription envelope) may hold many records: each takes part.
      const { json } = this;
      jsonRecords(text, first, end, json);
      for (let index = 0; index < json.count && index < PLACE_STRIDE; index++) {
        const record = readFlowRecord(text, json.starts[index], json.ends[index], line, columns, this.tokens, index);
        if (record) this.builder.add(record);
      }
    });
    this.next = Math.max(to, last + 1);
    if (this.next < total) return undefined;
    this.builder.finish();
    this.result = new DocumentConversations(this.found, total);
    return this.result;
  }
}

/** A document's conversations in one go. */
export function documentConversations(document: FlowLogDocument): DocumentConversations {
  const task = new ConversationTask(document);
  return task.step(Number.MAX_SAFE_INTEGER) as DocumentConversations;
}

/**
 * A document's conversations, with the line → conversation lookup the editor features need. Built
 * in slices (`ConversationTask.step`) so that a server can build a large document's conversations
 * in the background and answer other requests between slices.
 */
import type { FlowLogDocument } from '../document';
import { forEachRecordLine } from '../recordLines';
import { TokenBuffer } from '../scan';
import { ConversationBuilder } from './builder';
import { pairingColumns, readFlowRecord } from './flowRecord';
import type { Conversation, DirectionRecords } from './model';

export class DocumentConversations {
  /** Conversations in the order of their first line. */
  readonly list: Conversation[];
  /** Conversation index + 1 per line (0: no conversation); 4 bytes a line, no object per record. */
  private readonly byLine: Int32Array;

  constructor(conversations: Conversation[], lineCount: number) {
    this.list = conversations.sort((x, y) => firstLine(x) - firstLine(y));
    this.byLine = new Int32Array(lineCount);
    this.list.forEach((conversation, index) => {
      for (const hop of conversation.hops) {
        for (const line of hop.request?.lines ?? []) this.byLine[line] = index + 1;
        for (const line of hop.response?.lines ?? []) this.byLine[line] = index + 1;
      }
    });
  }

  /** The conversation of the record on `line`. */
  at(line: number): Conversation | undefined {
    const index = line >= 0 && line < this.byLine.length ? this.byLine[line] : 0;
    return index === 0 ? undefined : this.list[index - 1];
  }

  /**
   * The record that answers the one on `line` (or that it answers): the other direction on the
   * same interface when it was logged there, else the other direction of the conversation.
   */
  counterpart(line: number): number | undefined {
    const conversation = this.at(line);
    if (!conversation) return undefined;
    for (const hop of conversation.hops) {
      const inRequest = hop.request?.lines.includes(line) ?? false;
      const inResponse = hop.response?.lines.includes(line) ?? false;
      if (!inRequest && !inResponse) continue;
      const other = inRequest ? (hop.response ?? conversation.response) : (hop.request ?? conversation.request);
      return other && other !== (inRequest ? hop.request : hop.response) ? other.line : undefined;
    }
    return undefined;
  }

  /** The direction (request or reply, on its hop) that holds `line`. */
  directionOf(line: number): { conversation: Conversation; records: DirectionRecords; isRequest: boolean } | undefined {
    const conversation = this.at(line);
    if (!conversation) return undefined;
    for (const hop of conversation.hops) {
      if (hop.request?.lines.includes(line)) return { conversation, records: hop.request, isRequest: true };
      if (hop.response?.lines.includes(line)) return { conversation, records: hop.response, isRequest: false };
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
      const record = readFlowRecord(text, start, end, line, columns, this.tokens);
      if (record) this.builder.add(record);
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

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
import { pairingColumns } from './flowRecord';
import { PLACE_STRIDE } from './group';
import { GroupFlag, type GroupStore } from './groupStore';
import { hasReject, holdsRecord, type Conversation, type DirectionRecords, type Hop, type RecordPlace } from './model';
import { toConversations } from './verdict';

/** Groups judged at once, kept for lookups: the hovers and highlights of a screen or two. */
const JUDGED_CACHE = 512;

export class DocumentConversations {
  /** Group index + 1 of each line's first record (0: none); 4 bytes a line, no object per record. */
  private readonly byLine: Int32Array;
  /** The same for the further records of JSON lines holding several: line → group index + 1 per record. */
  private readonly furtherRecords = new Map<number, number[]>();
  /** Conversations of recently looked-up groups (a Map keeps insertion order: the oldest goes first). */
  private readonly judged = new Map<number, Conversation[]>();
  private all: Conversation[] | undefined;

  /**
   * `groups` are the document's closed groups (rows of `store`) in the order of their first line.
   * They are judged (made into conversations, with verdicts and reasons) only when asked for: a 50
   * MB log has hundreds of thousands of conversations, and building them all at once stalled the
   * server.
   */
  constructor(private readonly store: GroupStore, private readonly groups: Int32Array, private readonly logHasAccept: boolean, lineCount: number) {
    this.byLine = new Int32Array(lineCount);
    const mark = (line: number, record: number): void => {
      if (record === 0) {
        this.byLine[line] = this.marking;
        return;
      }
      let list = this.furtherRecords.get(line);
      if (!list) this.furtherRecords.set(line, (list = []));
      list[record] = this.marking;
    };
    for (let index = 0; index < groups.length; index++) {
      this.marking = index + 1;
      store.forEachPlace(groups[index], mark);
    }
  }

  /** The value `mark` writes while the constructor walks a group's places. */
  private marking = 0;

  /** Every conversation, in the order of its first line (judges them all: tests and reports of small documents). */
  get list(): Conversation[] {
    this.all ??= Array.from(this.groups).flatMap((g) => toConversations(this.store.materialize(g), { logHasAccept: this.logHasAccept })).sort((x, y) => firstLine(x) - firstLine(y));
    return this.all;
  }

  /** How many conversations there are, without judging them. */
  get count(): number {
    let count = 0;
    for (const g of this.groups) count += this.store.conversationCount(g);
    return count;
  }

  /** The conversations with a REJECT, in the order of their first line: only groups that saw one are judged. */
  rejected(): Conversation[] {
    const out: Conversation[] = [];
    for (const g of this.groups) {
      if ((this.store.flags[g] & GroupFlag.AnyReject) === 0) continue;
      for (const conversation of toConversations(this.store.materialize(g), { logHasAccept: this.logHasAccept })) if (hasReject(conversation)) out.push(conversation);
    }
    return out.sort((x, y) => firstLine(x) - firstLine(y));
  }

  /** The conversation of record `record` of `line` (0: the line's only or first record). */
  at(line: number, record = 0): Conversation | undefined {
    const index = line < 0 || line >= this.byLine.length ? 0 : record === 0 ? this.byLine[line] : (this.furtherRecords.get(line)?.[record] ?? 0);
    if (index === 0) return undefined;
    const conversations = this.judge(index - 1);
    if (conversations.length === 1) return conversations[0];
    return conversations.find((c) => c.hops.some((hop) => holdsRecord(hop.request, line, record) || holdsRecord(hop.response, line, record)));
  }

  private judge(index: number): Conversation[] {
    let conversations = this.judged.get(index);
    if (conversations) return conversations;
    conversations = toConversations(this.store.materialize(this.groups[index]), { logHasAccept: this.logHasAccept });
    this.judged.set(index, conversations);
    if (this.judged.size > JUDGED_CACHE) this.judged.delete(this.judged.keys().next().value as number);
    return conversations;
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
  /** Dropped once the document is read: its lookup tables are not needed afterwards. */
  private builder: ConversationBuilder | undefined = new ConversationBuilder(() => undefined, { keepLines: true });
  private readonly tokens = new TokenBuffer();
  private readonly json = new JsonRecords();
  private result: DocumentConversations | undefined;

  constructor(private readonly document: FlowLogDocument) {}

  get done(): DocumentConversations | undefined {
    return this.result;
  }

  /** Reads up to `lines` more lines; returns the conversations once the whole document is read. */
  step(lines: number): DocumentConversations | undefined {
    const builder = this.builder;
    if (this.result || !builder) return this.result;
    const { document, tokens } = this;
    const total = document.lines.lineCount;
    const to = Math.min(total, this.next + lines);
    let last = this.next;
    forEachRecordLine(document.lines, document.formats, this.next, to, (text, start, end, segment, line) => {
      last = line;
      const columns = pairingColumns(segment.format);
      if (!columns) return;
      const first = skipBlanks(text, start, end);
      if (!isJsonLine(text, first)) {
        builder.addText(text, start, end, line, 0, columns, tokens);
        return;
      }
      // A JSON line (a CloudWatch Logs subscription envelope) may hold many records: each takes part.
      const { json } = this;
      jsonRecords(text, first, end, json);
      for (let index = 0; index < json.count && index < PLACE_STRIDE; index++) builder.addText(text, json.starts[index], json.ends[index], line, index, columns, tokens);
    });
    this.next = Math.max(to, last + 1);
    if (this.next < total) return undefined;
    const { store, groups, logHasAccept } = builder.finishGroups();
    this.builder = undefined;
    this.result = new DocumentConversations(store, groups, logHasAccept, total);
    return this.result;
  }
}

/** A document's conversations in one go. */
export function documentConversations(document: FlowLogDocument): DocumentConversations {
  const task = new ConversationTask(document);
  return task.step(Number.MAX_SAFE_INTEGER) as DocumentConversations;
}

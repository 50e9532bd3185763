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
import { hasReject, holdsRecord, type Conversation, type DirectionRecords, type Hop, type RecordPlace, type Verdict } from './model';
import { replyRejectedPlaces } from './replyRejected';
import { toConversations } from './verdict';
import { forEachColumnVerdict, type ColumnVerdict } from './columnVerdicts';
import type { RejectedTally } from './rejectedTally';
import { TaskFeed } from './taskFeed';
import { isRecognised } from '../formatModel';
import type { ValidationRangeFeed } from '../documentValidation';

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
  }

  /** Groups whose records are marked in `byLine` so far (`markLines`). */
  private marked = 0;
  /** The value `mark` writes while a group's places are walked. */
  private marking = 0;
  private readonly mark = (line: number, record: number): void => {
    if (record === 0) {
      this.byLine[line] = this.marking;
      return;
    }
    let list = this.furtherRecords.get(line);
    if (!list) this.furtherRecords.set(line, (list = []));
    list[record] = this.marking;
  };

  /** Marks the records of up to `budget` more groups in the line lookup; true once all are. */
  markLines(budget: number): boolean {
    const end = Math.min(this.groups.length, this.marked + budget);
    for (let index = this.marked; index < end; index++) {
      this.marking = index + 1;
      this.store.forEachPlace(this.groups[index], this.mark);
    }
    this.marked = end;
    return end === this.groups.length;
  }

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

  /**
   * The conversations with a REJECT, in the order of their first line: only groups that saw one
   * are judged (all at once: tests, and the reference the Explain Rejections report's tally is held to).
   */
  rejected(): Conversation[] {
    const out: Conversation[] = [];
    for (const g of this.groups) {
      if ((this.store.flags[g] & GroupFlag.AnyReject) === 0) continue;
      for (const conversation of toConversations(this.store.materialize(g), { logHasAccept: this.logHasAccept })) if (hasReject(conversation)) out.push(conversation);
    }
    return out.sort((x, y) => firstLine(x) - firstLine(y));
  }

  /**
   * Counts the verdicts of the groups [from, from + budget) into `tally`, read from the pairing
   * columns (columnVerdicts.ts): no conversation is made, so a large document's summary leaves no
   * garbage of them; returns where the next slice starts.
   */
  tallyVerdicts(from: number, budget: number, tally: Map<Verdict, number>): number {
    const end = Math.min(this.groups.length, from + budget);
    const count = (found: ColumnVerdict): void => {
      tally.set(found.verdict, (tally.get(found.verdict) ?? 0) + 1);
    };
    for (let index = from; index < end; index++) forEachColumnVerdict(this.store, this.groups[index], this.logHasAccept, count);
    return end;
  }

  /** How many groups there are: `tallyRejected` and `tallyVerdicts` walk them by index. */
  get groupCount(): number {
    return this.groups.length;
  }

  /**
   * `rejected()` a slice at a time (a server answers other requests between slices), for a report
   * that lists only the first conversations of each verdict: the groups [from, from + budget) are
   * read from the columns into `tally` (every conversation counted; the places of the rejected ones
   * it keeps), judging none; returns where the next slice starts.
   */
  tallyRejected(from: number, budget: number, tally: RejectedTally): number {
    const end = Math.min(this.groups.length, from + budget);
    let index = from;
    let ordinal = 0;
    const offer = (found: ColumnVerdict): void => {
      if (found.hasReject) tally.offer(found.verdict, found.firstLine, index, ordinal);
      ordinal++;
    };
    for (; index < end; index++) {
      const g = this.groups[index];
      tally.count += this.store.conversationCount(g);
      if ((this.store.flags[g] & GroupFlag.AnyReject) === 0) continue;
      ordinal = 0;
      forEachColumnVerdict(this.store, g, this.logHasAccept, offer);
    }
    return end;
  }

  /** The conversations `tally` kept, judged, by first line (as `rejected()` orders them). */
  judgeKept(tally: RejectedTally): Conversation[] {
    const places = tally.places();
    const out: Conversation[] = [];
    this.judgeKeptSlice(places, 0, places.length, out);
    return out;
  }

  /**
   * `judgeKept` a slice at a time: judges places [from, from + budget) of `tally.places()` into
   * `out`; returns where the next slice starts.
   */
  judgeKeptSlice(places: readonly { index: number; ordinal: number }[], from: number, budget: number, out: Conversation[]): number {
    const end = Math.min(places.length, from + budget);
    for (let i = from; i < end; i++) {
      const { index, ordinal } = places[i];
      // Not through `judge`: its cache is the hovers'. Places of one group follow each other.
      let conversations = this.keptJudged?.index === index ? this.keptJudged.conversations : undefined;
      if (!conversations) {
        conversations = toConversations(this.store.materialize(this.groups[index]), { logHasAccept: this.logHasAccept });
        this.keptJudged = { index, conversations };
      }
      out.push(conversations[ordinal]);
    }
    if (end === places.length) this.keptJudged = undefined;
    return end;
  }

  private keptJudged: { index: number; conversations: Conversation[] } | undefined;

  /**
   * The conversations whose accepted request's reply was rejected (the `reply-rejected` problems,
   * replyRejected.ts), in the order of their first line; kept, since every diagnostics pull asks.
   * Only groups with a REJECT and records both ways can hold one: the others are not judged.
   * A server finds them beforehand in slices (`findRepliesRejected`); what is left is found here.
   */
  replyRejected(): Conversation[] {
    while (!this.repliesRejected) this.findRepliesRejected(Number.POSITIVE_INFINITY);
    return this.repliesRejected;
  }

  /** Finds `replyRejected()` over the next `budget` groups; true once all are done. */
  findRepliesRejected(budget: number): boolean {
    if (this.repliesRejected) return true;
    const found = (this.repliesFound ??= { next: 0, out: [] });
    let holdsOne = false;
    const spot = (verdict: ColumnVerdict): void => {
      if (verdict.verdict === 'response-rejected' && verdict.bothWays) holdsOne = true;
    };
    const end = Math.min(this.groups.length, found.next + budget);
    for (let index = found.next; index < end; index++) {
      const g = this.groups[index];
      if ((this.store.flags[g] & GroupFlag.AnyReject) === 0 || this.store.directions(g) < 2) continue;
      // Judged in full only when the columns show a rejected reply to a logged request.
      holdsOne = false;
      forEachColumnVerdict(this.store, g, this.logHasAccept, spot);
      if (!holdsOne) continue;
      for (const conversation of toConversations(this.store.materialize(g), { logHasAccept: this.logHasAccept })) if (replyRejectedPlaces(conversation)) found.out.push(conversation);
    }
    found.next = end;
    if (end < this.groups.length) return false;
    this.repliesRejected = found.out.sort((x, y) => firstLine(x) - firstLine(y));
    this.repliesFound = undefined;
    return true;
  }

  private repliesFound: { next: number; out: Conversation[] } | undefined;
  private repliesRejected: Conversation[] | undefined;

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

/**
 * A fed task that is behind validation (the editor attaches it after the first validation step,
 * whose answer must not wait for the index to be allocated) reads the missing lines itself, at
 * most this many per range validation reads, while it is at most CATCH_UP_LINES behind.
 */
const CATCH_UP_PER_RANGE = 256;
const CATCH_UP_LINES = 20_000;

/**
 * Pairing of one document version, a slice of lines at a time: read by the task itself (`step`),
 * or fed by validation as it reads the lines (`feed`, the editor: one scan for both), or both in
 * turn. Either way records are added in line order, each once: the records of lines [0, next) are in.
 */
export class ConversationTask {
  private next = 0;
  /** Made by the first step (not when the task is made, which an edit's diagnostics wait for); dropped once the document is read. */
  private builder: ConversationBuilder | undefined;
  private readonly tokens = new TokenBuffer();
  private readonly json = new JsonRecords();
  /** Once the lines are read: the conversations, while their line lookup is filled in. */
  private marking: DocumentConversations | undefined;
  private result: DocumentConversations | undefined;
  private fed: ValidationRangeFeed | undefined;

  constructor(private readonly document: FlowLogDocument) {}

  get done(): DocumentConversations | undefined {
    return this.result;
  }

  /** Lines whose records are paired: [0, linesRead). */
  get linesRead(): number {
    return this.next;
  }

  /** Records fed by validation so far (tests, the bench). */
  fedRecords = 0;

  /** The feed validation hands its records to (documentValidation.ts `feed`). */
  feed(): ValidationRangeFeed {
    this.fed ??= new TaskFeed(this);
    return this.fed;
  }

  private ensureBuilder(): ConversationBuilder {
    this.builder ??= new ConversationBuilder(() => undefined, { keepLines: true, capacity: this.document.lines.lineCount });
    return this.builder;
  }

  /** Whether records of a range validation starts at `from` can be taken: only when nothing before it is missing. */
  beginFed(from: number): ConversationBuilder | undefined {
    // Validation reads no record of a document whose format is not recognised; pairing may.
    if (this.result || this.marking || (this.builder === undefined && this.next > 0) || !isRecognised(this.document.formats)) return undefined;
    if (from > this.next) {
      if (from - this.next > CATCH_UP_LINES) return undefined;
      this.readLines(Math.min(from, this.next + CATCH_UP_PER_RANGE));
      if (from > this.next) return undefined;
    }
    return this.ensureBuilder();
  }

  /** Whether a fed line is new (each line's records are added once, in order); marks it read. */
  takeLine(line: number): boolean {
    if (line < this.next) return false;
    this.next = line + 1;
    return true;
  }

  /** A fed range ended: every line before `resumeAt` was seen (when validation read the whole range). */
  endFed(resumeAt: number, complete: boolean): void {
    if (complete) this.next = Math.max(this.next, resumeAt);
  }

  /**
   * Reads up to `lines` more lines (then joins, then marks that many groups); returns the
   * conversations once the whole document is read and they are complete.
   */
  step(lines: number): DocumentConversations | undefined {
    if (this.marking) {
      if (!this.marking.markLines(lines)) return undefined;
      this.result = this.marking;
      this.marking = undefined;
      return this.result;
    }
    if (this.result) return this.result;
    const builder = this.ensureBuilder();
    const total = this.document.lines.lineCount;
    if (this.next >= total) {
      const finished = builder.finishGroups(lines);
      if (!finished) return undefined;
      this.builder = undefined;
      this.marking = new DocumentConversations(finished.store, finished.groups, finished.logHasAccept, total);
      return this.step(lines);
    }
    this.readLines(Math.min(total, this.next + lines));
    return this.next < total ? undefined : this.step(lines);
  }

  /** Reads the lines [next, to) itself (a wrapped record may take it a little past `to`). */
  private readLines(to: number): void {
    const builder = this.ensureBuilder();
    const { document, tokens } = this;
    let last = this.next;
    forEachRecordLine(document.lines, document.formats, this.next, to, (text, start, end, segment, line) => {
      last = line;
      const columns = pairingColumns(segment.format);
      // An overlong line is not read (validation does not read it either).
      if (!columns || end - start > document.maxLineLength) return;
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
  }
}

/** A document's conversations in one go. */
export function documentConversations(document: FlowLogDocument): DocumentConversations {
  const task = new ConversationTask(document);
  return task.step(Number.MAX_SAFE_INTEGER) as DocumentConversations;
}

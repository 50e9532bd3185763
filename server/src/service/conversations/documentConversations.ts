/**
 * A document's conversations, with the line → conversation lookup the editor features need. Built
 * in slices (`ConversationTask.step`) so that a server can build a large document's conversations
 * in the background and answer other requests between slices.
 */
import type { FlowLogDocument } from '../document';
import { ConversationTask } from './conversationTask';
import { GroupFlag, GroupStore, type StoreParts } from './groupStore';
import { hasReject, holdsRecord, type Conversation, type DirectionRecords, type Hop, type RecordPlace, type Verdict } from './model';
import { replyRejectedPlaces } from './replyRejected';
import { materialize } from './groupObjects';
import { toConversations } from './verdict';
import { forEachColumnVerdict, type ColumnVerdict } from './columnVerdicts';
import type { RejectedTally } from './rejectedTally';

/** Groups judged at once, kept for lookups: the hovers and highlights of a screen or two. */
const JUDGED_CACHE = 512;

/** A document's conversations as plain data, moved from the thread that paired them (pairingJob.ts). */
export interface ConversationsParts {
  store: StoreParts;
  groups: Int32Array;
  logHasAccept: boolean;
  byLine: Int32Array;
  furtherRecords: [number, number[]][];
}

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
  constructor(private readonly store: GroupStore, private readonly groups: Int32Array, private readonly logHasAccept: boolean, lineCount: number, byLine?: Int32Array) {
    this.byLine = byLine ?? new Int32Array(lineCount);
    if (byLine) this.marked = groups.length;
  }

  /** The conversations as parts, their lines all marked; the arrays are the receiver's afterwards. */
  toParts(): ConversationsParts {
    this.markLines(Number.POSITIVE_INFINITY);
    return { store: this.store.toParts(), groups: this.groups, logHasAccept: this.logHasAccept, byLine: this.byLine, furtherRecords: [...this.furtherRecords] };
  }

  static fromParts(parts: ConversationsParts): DocumentConversations {
    const conversations = new DocumentConversations(GroupStore.fromParts(parts.store), parts.groups, parts.logHasAccept, parts.byLine.length, parts.byLine);
    for (const [line, list] of parts.furtherRecords) conversations.furtherRecords.set(line, list);
    return conversations;
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
    this.all ??= Array.from(this.groups).flatMap((g) => toConversations(materialize(this.store, g), { logHasAccept: this.logHasAccept })).sort((x, y) => firstLine(x) - firstLine(y));
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
      for (const conversation of toConversations(materialize(this.store, g), { logHasAccept: this.logHasAccept })) if (hasReject(conversation)) out.push(conversation);
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
        conversations = toConversations(materialize(this.store, this.groups[index]), { logHasAccept: this.logHasAccept });
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
      for (const conversation of toConversations(materialize(this.store, g), { logHasAccept: this.logHasAccept })) if (replyRejectedPlaces(conversation)) found.out.push(conversation);
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
    conversations = toConversations(materialize(this.store, this.groups[index]), { logHasAccept: this.logHasAccept });
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

/** A document's conversations in one go. */
export function documentConversations(document: FlowLogDocument): DocumentConversations {
  const task = new ConversationTask(document);
  return task.step(Number.MAX_SAFE_INTEGER) as DocumentConversations;
}

export { ConversationTask, type Pairing } from './conversationTask';

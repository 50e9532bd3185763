/**
 * What the Explain Rejections report of a document shows, gathered without judging every rejected
 * conversation into an object: how many conversations there are, how many with a REJECT of each
 * verdict, and where the first `limit` of each verdict are (by first line, then in the order the
 * groups are walked: the order `rejected()` gives). Only those are then judged in
 * full (`DocumentConversations.judgeKept`); a 50 MB log has tens of thousands of rejected
 * conversations, and the report lists 500 of each verdict.
 */
import type { Verdict } from './model';

/** A rejected conversation by place: group index and which of the group's conversations. */
export interface KeptConversation {
  firstLine: number;
  /** Order in which the walk found it: ties of first line keep it. */
  seq: number;
  index: number;
  ordinal: number;
}

const byLineThenSeq = (x: KeptConversation, y: KeptConversation): number => x.firstLine - y.firstLine || x.seq - y.seq;

export class RejectedTally {
  /** Conversations walked, rejected or not. */
  count = 0;
  /** Conversations with a REJECT, per verdict. */
  readonly byVerdict = new Map<Verdict, number>();
  private readonly kept = new Map<Verdict, KeptConversation[]>();
  private seq = 0;

  constructor(readonly limit: number) {}

  /** Notes a rejected conversation. */
  offer(verdict: Verdict, firstLine: number, index: number, ordinal: number): void {
    this.byVerdict.set(verdict, (this.byVerdict.get(verdict) ?? 0) + 1);
    let list = this.kept.get(verdict);
    if (!list) this.kept.set(verdict, (list = []));
    list.push({ firstLine, seq: this.seq++, index, ordinal });
    // Cut back to the first `limit` now and then, so that the list stays short whatever the count.
    if (list.length >= 2 * this.limit + 64) this.kept.set(verdict, list.sort(byLineThenSeq).slice(0, this.limit));
  }

  /** The first `limit` rejected conversations of each verdict, all verdicts together, by first line. */
  places(): KeptConversation[] {
    return [...this.kept.values()].flatMap((list) => list.sort(byLineThenSeq).slice(0, this.limit)).sort(byLineThenSeq);
  }
}

/**
 * Conversation verdicts for the summary (the editor's view and `flowlog report` ask for them):
 * records are paired as they arrive, in bounded memory (service/conversations/builder.ts in
 * streaming mode), and each closed conversation counts for its verdict. Pairing reads the record
 * again, in place (the builder's own reader); plain `flowlog stats` does not ask, so it does not pay for it.
 * Merging adds counts: conversations split between two aggregators' inputs are counted in each.
 */
import { ConversationBuilder } from '../conversations/builder';
import { VERDICT_TITLES } from '../conversations/describe';
import { VERDICTS, type Verdict } from '../conversations/model';
import type { FlowLogFormat } from '../formatModel';
import type { VerdictCount } from './model';

export class VerdictCounter {
  private readonly tally = new Map<Verdict, number>();
  private builder = this.newBuilder();

  add(text: string, start: number, end: number, format: FlowLogFormat, line: number): void {
    this.builder.addStreamed(text, start, end, format, line);
  }

  /** Closes every open conversation (the end of a file: conversations do not span files). */
  finish(): void {
    this.builder.finish();
    this.builder = this.newBuilder();
  }

  counts(): Record<string, number> {
    this.finish();
    return Object.fromEntries(this.tally);
  }

  merge(other: Record<string, number>): void {
    for (const [verdict, count] of Object.entries(other)) this.tally.set(verdict as Verdict, (this.tally.get(verdict as Verdict) ?? 0) + count);
  }

  report(): VerdictCount[] {
    this.finish();
    return VERDICTS.filter((verdict) => this.tally.has(verdict)).map((verdict) => ({ verdict, description: VERDICT_TITLES[verdict], conversations: this.tally.get(verdict) ?? 0 }));
  }

  private newBuilder(): ConversationBuilder {
    return new ConversationBuilder((conversation) => this.tally.set(conversation.verdict, (this.tally.get(conversation.verdict) ?? 0) + 1), { streaming: true });
  }
}

/** Pairing of a whole set of records at once (tests, small inputs): the document mode of the builder. */
import { ConversationBuilder } from './builder';
import type { FlowRecord } from './flowRecord';
import type { Conversation } from './model';

/** Pairs the records, in the order of their first lines. */
export function pairRecords(records: Iterable<FlowRecord>, keepLines = true): Conversation[] {
  const conversations: Conversation[] = [];
  const builder = new ConversationBuilder((c) => conversations.push(c), { keepLines });
  for (const record of records) builder.add(record);
  builder.finish();
  return conversations.sort((x, y) => firstOf(x) - firstOf(y));
}

function firstOf(conversation: Conversation): number {
  return Math.min(conversation.request?.line ?? Infinity, conversation.response?.line ?? Infinity);
}

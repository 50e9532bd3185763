/**
 * The `reply-rejected` rule: a conversation whose request was accepted and whose reply was
 * rejected (a network ACL, since security groups let replies out). One definition of the problem,
 * read by the editor (lsp/conversations.ts, which adds the request as related information) and by
 * `flowlog lint` (`ReplyRejectedCheck`, pairing the records as they stream past).
 */
import { makeProblem, type Problem, type ProblemSink } from '../problems';
import type { SeverityTable } from '../rules';
import { ConversationBuilder } from './builder';
import type { Conversation, RecordPlace } from './model';

/** Where the rejected reply of a `response-rejected` conversation is, and its accepted request; undefined for any other conversation. */
export function replyRejectedPlaces(conversation: Conversation): { reply: RecordPlace; request: RecordPlace } | undefined {
  const { request, response } = conversation;
  if (conversation.verdict !== 'response-rejected' || !request || !response) return undefined;
  const reply = response.rejectLine >= 0 ? { line: response.rejectLine, record: response.rejectRecord } : { line: response.line, record: response.record };
  return { reply, request: { line: request.line, record: request.record } };
}

/**
 * The `reply-rejected` problem of a conversation, on the rejected reply (columns from `span`, the
 * reply record's place within its line, when the caller has the text; else the line's start), or
 * undefined when the rule is off or the conversation is not a rejected reply.
 */
export function replyRejectedProblem(
  conversation: Conversation,
  severities: SeverityTable,
  span?: (place: RecordPlace) => { start: number; end: number },
): Problem | undefined {
  const places = replyRejectedPlaces(conversation);
  if (!places) return undefined;
  const { start, end } = span?.(places.reply) ?? { start: 0, end: 0 };
  return makeProblem(
    severities,
    'reply-rejected',
    places.reply.line,
    start,
    end,
    () => `The reply was rejected although its request was accepted (line ${places.request.line + 1}): a network ACL drops it, since security groups let replies out.`,
  );
}

/**
 * `reply-rejected` over a stream: records are paired as they pass (conversations close once the
 * stream has moved past their window, so memory stays bounded) and each rejected reply becomes a
 * problem. Problems come when a conversation closes, so after problems of later lines.
 */
export class ReplyRejectedCheck {
  private readonly builder: ConversationBuilder;
  /** Once the sink stopped, no conversation is made into a problem. */
  private stopped = false;

  constructor(severities: SeverityTable, sink: ProblemSink) {
    this.builder = new ConversationBuilder(
      (conversation) => {
        if (this.stopped) return;
        const problem = replyRejectedProblem(conversation, severities);
        if (!problem) return;
        if (!sink(problem)) this.stopped = true;
      },
      { streaming: true, onlyRepliesRejected: true },
    );
  }

  /**
   * The builder, for a reader that adds the records itself: `flowlog lint` feeds it the records
   * validation reads (cli/pairingWindows.ts), so each line is scanned once.
   */
  get records(): ConversationBuilder {
    return this.builder;
  }

  /** Pairs the records still queued (the builder pairs a batch at a time): their problems go to the sink now. */
  flush(): void {
    this.builder.drain();
  }

  /** The end of the input: the conversations still open are judged. */
  finish(): void {
    this.builder.finish();
  }
}

/**
 * The editor's Explain Rejections report judges only the conversations it lists
 * (`tallyRejected`, `judgeKept`): the report must be the one made of every rejected conversation
 * judged at once, and what is kept must be the first conversations of each verdict in the order
 * of `rejected()`, whatever the limit and the slices.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentConversations } from '../../server/src/service/conversations/documentConversations';
import { explainReport, REPORT_LIMIT } from '../../server/src/service/conversations/markdown';
import { VERDICTS } from '../../server/src/service/conversations/model';
import { RejectedTally } from '../../server/src/service/conversations/rejectedTally';
import { FlowLogDocument } from '../../server/src/service/document';
import { scenarios } from './conversationScenarios';

describe('rejected conversations counted from the columns', () => {
  for (const scenario of scenarios()) {
    it(`${scenario.name}: the report and the conversations kept`, () => {
      const paired = documentConversations(new FlowLogDocument(scenario.text));
      const rejected = paired.rejected();
      for (const [limit, slice] of [[REPORT_LIMIT, Number.MAX_SAFE_INTEGER], [3, 7], [1, 1]]) {
        const tally = new RejectedTally(limit);
        for (let from = 0; from < paired.groupCount; ) from = paired.tallyRejected(from, slice, tally);
        assert.equal(tally.count, paired.count, 'every conversation is counted');
        const kept = paired.judgeKept(tally);
        const firstOfEach = new Set(VERDICTS.flatMap((verdict) => rejected.filter((c) => c.verdict === verdict).slice(0, limit)));
        const expected = rejected.filter((c) => firstOfEach.has(c));
        assert.deepEqual(JSON.stringify(kept), JSON.stringify(expected), `limit ${limit}, slices of ${slice}`);
        for (const verdict of VERDICTS) assert.equal(tally.byVerdict.get(verdict) ?? 0, rejected.filter((c) => c.verdict === verdict).length, verdict);
        if (limit === REPORT_LIMIT) assert.equal(explainReport(kept, 'file:///x.log', 'x.log', tally.count, tally.byVerdict), explainReport(rejected, 'file:///x.log', 'x.log', paired.count));
      }
    });
  }
});

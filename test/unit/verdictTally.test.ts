/**
 * The summary's verdict counts come from `DocumentConversations.tallyVerdicts`, a slice of groups
 * at a time, without keeping the conversations: they must equal the verdicts of every
 * conversation judged at once (`list`), whatever the slice size.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentConversations } from '../../server/src/service/conversations/documentConversations';
import type { Verdict } from '../../server/src/service/conversations/model';
import { FlowLogDocument } from '../../server/src/service/document';
import { scenarios } from './conversationScenarios';

describe('verdict tally in slices', () => {
  for (const scenario of scenarios()) {
    it(`${scenario.name}: counts equal the verdicts of the whole list`, () => {
      const paired = documentConversations(new FlowLogDocument(scenario.text));
      const expected = new Map<Verdict, number>();
      for (const conversation of paired.list) expected.set(conversation.verdict, (expected.get(conversation.verdict) ?? 0) + 1);
      assert.ok(expected.size > 0, 'the scenario pairs something');
      for (const slice of [1, 7, Number.MAX_SAFE_INTEGER]) {
        const tally = new Map<Verdict, number>();
        for (let from = 0; from < paired.groupCount; ) from = paired.tallyVerdicts(from, slice, tally);
        assert.deepEqual(new Map([...tally].sort()), new Map([...expected].sort()), `slices of ${slice} groups`);
      }
    });
  }
});

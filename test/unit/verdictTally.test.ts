/**
 * The summary's verdict counts come from `DocumentConversations.tallyVerdicts`, a slice of groups
 * at a time, read from the pairing columns (columnVerdicts.ts) without making the conversations:
 * they must equal the verdicts of every conversation judged at once (`list`), whatever the slice
 * size, and the column reading must agree with verdict.ts on every conversation of every group.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachColumnVerdict, type ColumnVerdict } from '../../server/src/service/conversations/columnVerdicts';
import { documentConversations } from '../../server/src/service/conversations/documentConversations';
import { materialize } from '../../server/src/service/conversations/groupObjects';
import type { GroupStore } from '../../server/src/service/conversations/groupStore';
import { hasReject, type Verdict } from '../../server/src/service/conversations/model';
import { toConversations } from '../../server/src/service/conversations/verdict';
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

    it(`${scenario.name}: the columns give each group's verdicts as verdict.ts judges them`, () => {
      // The index's own rows: what tallyVerdicts reads.
      const { store, groups, logHasAccept } = documentConversations(new FlowLogDocument(scenario.text)) as unknown as { store: GroupStore; groups: Int32Array; logHasAccept: boolean };
      let rejected = 0;
      for (const g of groups) {
        const read: ColumnVerdict[] = [];
        forEachColumnVerdict(store, g, logHasAccept, (found) => read.push({ ...found }));
        const judged = toConversations(materialize(store, g), { logHasAccept }).map((c) => ({ verdict: c.verdict, hasReject: hasReject(c), bothWays: c.request !== null && c.response !== null, firstLine: Math.min(...c.hops.flatMap((hop) => [hop.request?.line ?? Infinity, hop.response?.line ?? Infinity])) }));
        assert.deepEqual(read, judged, `group ${g}`);
        rejected += judged.filter((c) => c.hasReject).length;
      }
      if (scenario.text.includes('REJECT')) assert.ok(rejected > 0, 'the scenario has rejected conversations');
    });
  }
});

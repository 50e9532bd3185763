/**
 * Pairing on another thread (pairingJob.ts): the cells validation writes, posted in batches,
 * paired by PairingJobs and moved back as parts, give exactly the conversations of pairing on
 * one thread, on the pinned scenarios; every message crosses a structured clone with its buffers
 * transferred, as between threads. A thread that fails mid-way hands the document back, which is
 * then paired here from its first line. The link is the server's own PairingThread.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversationTask, documentConversations, type DocumentConversations } from '../../server/src/service/conversations/documentConversations';
import { RemotePairing } from '../../server/src/service/conversations/pairingJob';
import { LoopbackLink } from './pairingLoopback';
import { FlowLogDocument } from '../../server/src/service/document';
import { DocumentValidation } from '../../server/src/service/documentValidation';
import { severityTable } from '../../server/src/service/rules';
import { conversationsSummary, scenarios } from './conversationScenarios';

/** Every conversation and the rejected ones, their count, and each record place's conversation and counterpart. */
function summary(found: DocumentConversations, lineCount: number): string {
  return `${conversationsSummary(found, lineCount)}\n${JSON.stringify(found.rejected())}\n${found.count}`;
}

/** Validation feeds the task, as in the editor, with its records paired over `link`. */
function pairedOver(document: FlowLogDocument, link: LoopbackLink, maxProblems = 1_000_000, batchRecords = 4096): DocumentConversations {
  const validation = new DocumentValidation(document, { severities: severityTable({}), maxProblems }, { linesPerClockRead: 7, syncSearchLines: 5 });
  const task = new ConversationTask(document, (lineCount) => new RemotePairing(link, lineCount, batchRecords));
  validation.feed = task.feed();
  while (!validation.step(0));
  let found: DocumentConversations | undefined;
  for (let steps = 0; !(found = task.step(50)); steps++) assert.ok(steps < 1_000_000, 'the task ends');
  return found;
}

describe('pairing on another thread', () => {
  for (const scenario of scenarios()) {
    it(scenario.name, () => {
      const document = new FlowLogDocument(scenario.text);
      const lineCount = document.lines.lineCount;
      const alone = summary(documentConversations(document), lineCount);
      const link = new LoopbackLink();
      assert.equal(summary(pairedOver(document, link), lineCount), alone);
      assert.deepEqual([link.posted[0], link.posted.at(-1)], ['start', 'finish']);
      assert.ok(link.posted.includes('cells'), 'records went over as cells');
      // Batches of 7 records: values named across batches, buffers the thread gave back written again.
      const small = new LoopbackLink();
      assert.equal(summary(pairedOver(document, small, 1_000_000, 7), lineCount), alone);
      assert.ok(small.posted.filter((kind) => kind === 'cells').length > 10, 'many batches');
            // A problem cap stops validation early: the task writes the rest of the cells itself.
      assert.equal(summary(pairedOver(document, new LoopbackLink(), 3), lineCount), alone);
      // The thread dies after its second message: the document is paired here instead.
      const dying = new LoopbackLink(2);
      assert.equal(summary(pairedOver(document, dying), lineCount), alone);
      assert.ok(dying.posted.length > 2);
    });
  }

  it('a cancelled job is dropped by the pairing thread', () => {
    const link = new LoopbackLink();
    const pairing = new RemotePairing(link, 10);
    pairing.dispose();
    assert.deepEqual(link.posted, ['start', 'cancel']);
    // A finish after the cancel finds no job: nothing comes back.
    link.jobs.handle({ kind: 'finish', job: 1 });
    assert.equal(pairing.finish(), undefined);
  });
});

/**
 * Pairing fed by validation (the editor: each validation step pairs the records it read) gives
 * exactly the conversations of pairing alone, on the pinned scenarios: with chunk edges
 * everywhere, with a problem cap that stops validation early (the task reads the rest itself),
 * when validation started before pairing was attached (a catch-up), and after a settings change
 * restarts validation over lines already paired.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversationTask, documentConversations, type DocumentConversations } from '../../server/src/service/conversations/documentConversations';
import { FlowLogDocument } from '../../server/src/service/document';
import { DocumentValidation } from '../../server/src/service/documentValidation';
import { severityTable } from '../../server/src/service/rules';
import { conversationsSummary, scenarios } from './conversationScenarios';

const summary = conversationsSummary;

interface FedRun {
  found: DocumentConversations;
  fedRecords: number;
  readAfterValidation: number;
  capped: boolean;
}

/** Validates `document` in steps with the task's feed attached after `stepsBefore` steps, then finishes the task; `restartAt`: a settings change after that many steps. */
function fed(document: FlowLogDocument, options: { maxProblems?: number; stepsBefore?: number; restartAt?: number } = {}): FedRun {
  const settings = { severities: severityTable({}), maxProblems: options.maxProblems ?? 1_000_000 };
  const validation = new DocumentValidation(document, settings, { linesPerClockRead: 7, syncSearchLines: 5 });
  const task = new ConversationTask(document);
  let steps = 0;
  if (!options.stepsBefore) validation.feed = task.feed();
  // A zero budget: every step validates one block.
  while (!validation.step(0)) {
    steps++;
    if (steps === (options.stepsBefore ?? 0)) validation.feed = task.feed();
    if (steps === options.restartAt) validation.reset();
  }
  const readAfterValidation = task.linesRead;
  let found: DocumentConversations | undefined;
  while (!(found = task.step(50)));
  return { found, fedRecords: task.fedRecords, readAfterValidation, capped: validation.snapshot().capped };
}

describe('pairing fed by validation', () => {
  for (const scenario of scenarios()) {
    it(scenario.name, () => {
      const document = new FlowLogDocument(scenario.text);
      const lineCount = document.lines.lineCount;
      const alone = summary(documentConversations(document), lineCount);
      const whole = fed(document);
      // Validation fed every record, and pairing had nothing left to read once it ended.
      assert.ok(whole.fedRecords > 100, `${whole.fedRecords} records fed`);
      assert.equal(whole.readAfterValidation, lineCount);
      assert.equal(summary(whole.found, lineCount), alone);
      const capped = fed(document, { maxProblems: 3 });
      // (A log without problems is validated whole.)
      if (capped.capped) assert.ok(capped.readAfterValidation < lineCount, 'the cap stops validation before the end');
      assert.equal(summary(capped.found, lineCount), alone);
      assert.equal(summary(fed(document, { stepsBefore: 3 }).found, lineCount), alone);
      assert.equal(summary(fed(document, { stepsBefore: 0, restartAt: 40 }).found, lineCount), alone);
    });
  }
});

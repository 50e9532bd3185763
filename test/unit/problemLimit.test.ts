/**
 * The problem-limit summary honours its rule's severity setting, in the editor (whole-document and
 * incremental validation) as in the CLI (test/cli), and is left out when the rule is off.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { DocumentValidation } from '../../server/src/service/documentValidation';
import type { Problem } from '../../server/src/service/problems';
import { severityTable } from '../../server/src/service/rules';
import { RULE_EXAMPLES } from './ruleExamples';

const { text, maxProblems = 1 } = RULE_EXAMPLES['problem-limit'];

function editorProblems(rules: Record<string, string>): Problem[] {
  const validation = new DocumentValidation(new FlowLogDocument(text), { severities: severityTable(rules), maxProblems });
  while (!validation.step(1000));
  return validation.snapshot().problems;
}

const summaries = (problems: Problem[]): Problem[] => problems.filter((problem) => problem.code === 'problem-limit');

describe('problem-limit in the editor', () => {
  for (const severity of ['error', 'warning', 'hint'] as const) {
    it(`takes the severity ${severity} from the settings`, () => {
      const whole = summaries(collectProblems(new FlowLogDocument(text), { maxProblems, severities: severityTable({ 'problem-limit': severity }) }));
      assert.deepEqual(whole.map((problem) => problem.severity), [severity]);
      assert.deepEqual(summaries(editorProblems({ 'problem-limit': severity })).map((problem) => problem.severity), [severity]);
    });
  }

  it('is left out when the rule is off, and the list is still cut at the limit', () => {
    const whole = collectProblems(new FlowLogDocument(text), { maxProblems, severities: severityTable({ 'problem-limit': 'off' }) });
    assert.equal(whole.length, maxProblems);
    assert.deepEqual(summaries(whole), []);
    const editor = editorProblems({ 'problem-limit': 'off' });
    assert.equal(editor.length, maxProblems);
    assert.deepEqual(summaries(editor), []);
  });

  it('keeps the default severity info', () => {
    assert.deepEqual(summaries(editorProblems({})).map((problem) => problem.severity), ['info']);
  });
});

/**
 * Every rule of the rules table fires on its example (ruleExamples.ts), on each path that reports
 * problems: the whole-document check (collectProblems), the editor's incremental validation
 * (DocumentValidation) and the CLI's stream. A rule declared but emitted nowhere, or a new rule
 * without an example, fails here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentConversations } from '../../server/src/service/conversations/documentConversations';
import { BuilderFeed } from '../../server/src/service/conversations/validationFeed';
import { ReplyRejectedCheck, replyRejectedProblem } from '../../server/src/service/conversations/replyRejected';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { DocumentValidation } from '../../server/src/service/documentValidation';
import { RULES, severityTable } from '../../server/src/service/rules';
import { FlowLogStream } from '../../server/src/service/stream';
import { RULE_EXAMPLES } from './ruleExamples';

describe('rule examples', () => {
  it('exist for every rule in the table, and only for rules in it', () => {
    const codes = RULES.map((rule) => rule.code).sort();
    assert.deepEqual(Object.keys(RULE_EXAMPLES).sort(), codes);
  });

  for (const { code } of RULES) {
    const example = RULE_EXAMPLES[code];
    if (example.conversations) {
      // Reported from pairing, in the editor (test/lsp/conversations.test.ts) and by `flowlog lint` from the same check.
      it(`${code} fires on its example in the document's conversations and in the CLI's stream`, () => {
        const document = new FlowLogDocument(example.text, example.format);
        const fromDocument = documentConversations(document).list.map((c) => replyRejectedProblem(c, severityTable())?.code);
        assert.ok(fromDocument.includes(code), `the document's conversations found ${fromDocument.join(', ') || 'nothing'}`);
        const found: string[] = [];
        const check = new ReplyRejectedCheck(severityTable(), (problem) => (found.push(problem.code), true));
        // As flowlog lint feeds it: the records validation reads.
        const stream = new FlowLogStream({ problem: () => true, feed: new BuilderFeed(check.records) }, { severities: severityTable(), host: 'cli' });
        stream.push(example.text);
        stream.end();
        check.finish();
        assert.ok(found.includes(code), `the stream found ${found.join(', ') || 'nothing'}`);
      });
      continue;
    }
    it(`${code} fires on its example in the document check and in the editor`, () => {
      const document = new FlowLogDocument(example.text, example.format);
      const found = collectProblems(document, { maxProblems: example.maxProblems }).map((problem) => problem.code);
      assert.ok(found.includes(code), `collectProblems found ${found.join(', ') || 'nothing'}`);
      const editor = new DocumentValidation(document, { severities: severityTable(), maxProblems: example.maxProblems ?? 1000 });
      while (!editor.step(1000));
      const shown = editor.snapshot().problems.map((problem) => problem.code);
      assert.ok(shown.includes(code), `the editor found ${shown.join(', ') || 'nothing'}`);
    });
    // The CLI adds the problem-limit summary itself (cli/lint.ts); the stream stops at the limit.
    if (code === 'problem-limit') continue;
    it(`${code} fires on its example in the CLI's stream`, () => {
      const found: string[] = [];
      const stream = new FlowLogStream({ problem: (problem) => (found.push(problem.code), true) }, { explicitFormat: example.format });
      stream.push(example.text);
      stream.end();
      assert.ok(found.includes(code), `the stream found ${found.join(', ') || 'nothing'}`);
    });
  }

  it('turned off, a rule fires nowhere', () => {
    for (const { code } of RULES) {
      const example = RULE_EXAMPLES[code];
      if (example.conversations) continue;
      const found = collectProblems(new FlowLogDocument(example.text, example.format), { maxProblems: example.maxProblems, severities: severityTable({ [code]: 'off' }) });
      assert.ok(!found.some((problem) => problem.code === code), code);
    }
  });
});

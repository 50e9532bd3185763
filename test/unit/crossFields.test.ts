/**
 * The cross-field rules (service/crossFields.ts) hold on both validation paths: on each rule's
 * example the exact path reports the rule and the fast path does not prove the record clean (a
 * rule that fires on one path only fails here), and on a near miss, a record just inside the rule,
 * the exact path reports nothing and the fast path proves it clean.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CROSS_FIELD_RULES, MAX_WINDOW_SECONDS, ROLE_FIELDS } from '../../server/src/service/crossFields';
import { FlowLogDocument } from '../../server/src/service/document';
import { fastPlan, provenClean } from '../../server/src/service/fastPath';
import { recordColumns } from '../../server/src/service/recordColumns';
import type { RuleCode } from '../../server/src/service/rules';
import { severityTable } from '../../server/src/service/rules';
import { Validator, type Problem } from '../../server/src/service/validate';
import { RULE_EXAMPLES, V2_HEADER, V5_HEADER, v2, v5 } from './ruleExamples';

/** Per cross-field rule, a record that comes as close as a clean record can. */
const NEAR_MISSES: Partial<Record<RuleCode, string>> = {
  'start-after-end': `${V2_HEADER}\n${v2({ start: '1700000000', end: '1700000000' })}\n`,
  'window-too-long': `${V2_HEADER}\n${v2({ end: String(1700000000 + MAX_WINDOW_SECONDS) })}\n`,
  'nodata-with-traffic': `${V2_HEADER}\n${v2({ srcaddr: '-', dstaddr: '-', srcport: '-', dstport: '-', protocol: '-', packets: '-', bytes: '-', action: '-', 'log-status': 'SKIPDATA' })}\n`,
  'ok-missing-traffic': `${V2_HEADER}\n${v2({ srcport: '-', dstport: '-' })}\n`,
  'tcp-flags-non-tcp': `${V5_HEADER}\n${v5({ protocol: '17', 'tcp-flags': '0' })}\n`,
  'type-mismatch': `${V5_HEADER}\n${v5({ type: 'IPv6', srcaddr: '2001:db8::2', dstaddr: '2001:db8::1' })}\n`,
  'traffic-path-ingress': `${V5_HEADER}\n${v5({ 'flow-direction': 'ingress', 'traffic-path': '-' })}\n`,
};

function exactProblems(text: string): RuleCode[] {
  const document = new FlowLogDocument(text);
  const found: Problem[] = [];
  new Validator({ lines: document.lines, formats: document.formats, severities: severityTable(), exactOnly: true }).validateLines(0, document.lines.lineCount, (problem) => {
    found.push(problem);
    return true;
  });
  return found.map((problem) => problem.code);
}

/** Whether the fast path proves the record on line 1 (after the header) clean. */
function fastProves(text: string): boolean {
  const document = new FlowLogDocument(text);
  const format = document.formats.primary;
  const plan = fastPlan(format.fields, recordColumns(format), MAX_WINDOW_SECONDS);
  assert.ok(plan, 'the format allows the fast path');
  const line = text.split('\n')[1];
  const bytes = new TextEncoder().encode(line);
  return provenClean(bytes, 0, bytes.length, plan, line, 0);
}

describe('cross-field rules', () => {
  for (const rule of CROSS_FIELD_RULES) {
    it(`${rule.code}: reported by the exact path and not proven clean by the fast path`, () => {
      const { text } = RULE_EXAMPLES[rule.code];
      const header = text.split('\n')[0].split(' ');
      for (const role of rule.roles) assert.ok(header.includes(ROLE_FIELDS[role]), `the example has ${ROLE_FIELDS[role]}`);
      assert.deepEqual(exactProblems(text), [rule.code]);
      assert.equal(fastProves(text), false);
    });

    it(`${rule.code}: a near miss is clean on both paths`, () => {
      const text = NEAR_MISSES[rule.code];
      assert.ok(text, `a near miss for ${rule.code}`);
      assert.deepEqual(exactProblems(text), []);
      assert.equal(fastProves(text), true);
    });
  }
});

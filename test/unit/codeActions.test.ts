import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Range } from 'vscode-languageserver-types';
import { codeActions, headerLineEdit, normalizeSpacingEdits, type FlowLogCodeAction } from '../../server/src/service/codeActions';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { applyEdits, conformanceText, seedLines } from './helpers';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const V3_FLAGS = 'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status';
const V5_EXAMPLE = 'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status';
const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

const lineRange = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 0 } });

/** Problems of a text, without the summary entries a capped run would add. */
function problemsOf(text: string) {
  return collectProblems(new FlowLogDocument(text));
}

function actionsAt(text: string, line: number): FlowLogCodeAction[] {
  const doc = new FlowLogDocument(text);
  return codeActions(doc, lineRange(line), collectProblems(doc));
}

function only(actions: FlowLogCodeAction[], title: RegExp): FlowLogCodeAction {
  const matching = actions.filter((action) => title.test(action.title));
  assert.equal(matching.length, 1, `one action matching ${title} in ${JSON.stringify(actions.map((a) => a.title))}`);
  return matching[0];
}

function assertClean(text: string): void {
  assert.deepEqual(problemsOf(text).map((p) => `${p.line}: ${p.code} ${p.message}`), []);
}

describe('quick fixes', () => {
  it('splits the seed’s two records on one line into two valid records', () => {
    const [twoRecords] = seedLines(99, 99);
    const text = `# fields: ${V3_FLAGS}\n${twoRecords}\n`;
    assert.deepEqual(problemsOf(text).map((p) => p.code), ['two-records']);
    const action = only(actionsAt(text, 1), /^Split into 2 records/);
    assert.equal(action.kind, 'quickfix');
    assert.equal(action.isPreferred, true);
    assert.equal(action.problem?.code, 'two-records');
    const fixed = applyEdits(text, action.edits);
    const lines = fixed.split('\n');
    assert.equal(lines.length, 4);
    assert.ok(lines[1].endsWith('ACCEPT 2 OK') && lines[2].startsWith('3 vpc-abcdefab012345678'), fixed);
    assertClean(fixed);
  });

  it('keeps CRLF line breaks when splitting', () => {
    const [twoRecords] = seedLines(113, 113);
    const text = `# fields: ${V3_FLAGS}\r\n${twoRecords}\r\n`;
    const fixed = applyEdits(text, only(actionsAt(text, 1), /^Split/).edits);
    assert.equal(fixed.split('\r\n').length, 4);
    assert.ok(!/[^\r]\n/.test(fixed));
    assertClean(fixed);
  });

  it('joins the seed’s record wrapped over two lines', () => {
    const wrapped = seedLines(189, 190);
    const text = `# fields: ${V5_EXAMPLE}\n${wrapped.join('\n')}\n`;
    assert.deepEqual(problemsOf(text).map((p) => p.code), ['wrapped-record']);
    const action = only(actionsAt(text, 2), /^Join with the next line/);
    const fixed = applyEdits(text, action.edits);
    assert.equal(fixed, `# fields: ${V5_EXAMPLE}\n${wrapped[0]} ${wrapped[1]}\n`);
    assertClean(fixed);
  });

  it('joins a wrapped record whose continuation is indented, with one space', () => {
    const text = `${V2_HEADER}\n2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21   \n   20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n`;
    const fixed = applyEdits(text, only(actionsAt(text, 1), /^Join/).edits);
    assert.equal(fixed, `${V2_HEADER}\n${SSH}\n`);
  });

  it('joins every line of a wrap the problem spans', () => {
    const doc = new FlowLogDocument(`${V2_HEADER}\n2 123456789010\neni-1235b8ca123456789 172.31.16.139\n172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK`);
    const problem = { code: 'wrapped-record' as const, severity: 'error' as const, message: 'wrapped', line: 1, start: 0, end: 14, endLine: 3, fix: { kind: 'join' as const } };
    const action = only(codeActions(doc, lineRange(1), [problem]), /^Join the 3 lines/);
    assert.equal(applyEdits(doc.getText(), action.edits), `${V2_HEADER}\n${SSH}`);
  });

  it('joins the seed’s IPv6 record wrapped over three lines', () => {
    const text = `${V2_HEADER}\n${seedLines(64, 66).join('\n')}\n`;
    const join = actionsAt(text, 1).find((action) => action.title.startsWith('Join'));
    assert.ok(join, 'a join action');
  });

  it('collapses AWS’s double space and keeps the rest of the file', () => {
    const text = conformanceText('awsdocs-amazon-vpc-user-guide', 'v3_custom_tcp_flag_sequence.txt');
    const problems = problemsOf(text);
    assert.deepEqual(problems.map((p) => p.code), ['irregular-spacing']);
    const action = only(actionsAt(text, problems[0].line), /^Normalize spacing on this line/);
    assert.equal(action.edits.length, 1);
    const fixed = applyEdits(text, action.edits);
    assert.equal(fixed, text.replace('5001 43638  10.0.0.62', '5001 43638 10.0.0.62'));
    assertClean(fixed);
  });

  it('replaces the seed’s 0K with OK', () => {
    const record = seedLines(64, 66).map((line) => line.trim()).join(' ');
    assert.ok(record.endsWith(' ACCEPT 0K'));
    const text = `${V2_HEADER}\n${record}\n`;
    const action = only(actionsAt(text, 1), /^Replace '0K' with 'OK'$/);
    assert.equal(action.isPreferred, true);
    const fixed = applyEdits(text, action.edits);
    assert.ok(fixed.endsWith(' ACCEPT OK\n'));
    assertClean(fixed);
  });

  it('replaces a misspelt header name with the suggestion', () => {
    const text = `${V2_HEADER.replace('protocol', 'protocl')}\n${SSH}\n`;
    const fixed = applyEdits(text, only(actionsAt(text, 0), /^Replace 'protocl' with 'protocol'$/).edits);
    assert.equal(fixed, `${V2_HEADER}\n${SSH}\n`);
    assertClean(fixed);
  });

  it('removes a duplicate header name', () => {
    const text = `${V2_HEADER.replace('srcaddr', 'srcaddr srcaddr')}\n${SSH}\n`;
    const fixed = applyEdits(text, only(actionsAt(text, 0), /^Remove duplicate 'srcaddr'$/).edits);
    assert.equal(fixed, `${V2_HEADER}\n${SSH}\n`);
    assertClean(fixed);
  });

  it('removes a duplicate LogFormat name with its ${…}', () => {
    const text = '# format: ${version} ${srcaddr} ${dstaddr} ${srcaddr}\n2 10.0.0.1 10.0.0.2\n';
    const fixed = applyEdits(text, only(actionsAt(text, 0), /^Remove duplicate/).edits);
    assert.equal(fixed, '# format: ${version} ${srcaddr} ${dstaddr}\n2 10.0.0.1 10.0.0.2\n');
    assertClean(fixed);
  });

  it('inserts a header for an inferred format with ambiguous columns', () => {
    const text = '10.0.0.1 10.0.0.2 443 51000 6 1418530010 1418530070\n10.0.0.2 10.0.0.1 51000 443 6 1418530010 1418530070\n';
    const problems = problemsOf(text);
    assert.deepEqual(problems.map((p) => p.code), ['ambiguous-format']);
    const actions = actionsAt(text, 0);
    const action = only(actions, /^Insert header line/);
    assert.equal(action.kind, 'quickfix');
    const fixed = applyEdits(text, action.edits);
    assert.equal(fixed.split('\n')[0], 'srcaddr dstaddr srcport dstport protocol start end');
    assertClean(fixed);
  });

  it('offers fixes only for problems on the lines of the range', () => {
    const text = `${V2_HEADER}\n${SSH.replace(' OK', ' 0K')}\n${SSH}\n${SSH.replace('ACCEPT', 'accept')}\n`;
    assert.deepEqual(actionsAt(text, 2), []);
    assert.deepEqual(actionsAt(text, 3).map((a) => a.title), ["Replace 'accept' with 'ACCEPT'"]);
  });
});

describe('source actions', () => {
  it('inserts a header line for the detected format when there is none (flowlogs-reader CloudWatch records)', () => {
    const text = conformanceText('obsrvbl-flowlogs-reader', 'cwl_v2_records.txt');
    const action = only(actionsAt(text, 0), /^Insert header line for VPC default \(v2\)$/);
    assert.equal(action.kind, 'source');
    const fixed = applyEdits(text, action.edits);
    assert.equal(fixed, `${V2_HEADER}\n${text}`);
    assert.equal(new FlowLogDocument(fixed).formats.primary.source, 'header');
    assertClean(fixed);
  });

  it('offers no header line when the file has one', () => {
    const text = `${V2_HEADER}\n${SSH}\n`;
    assert.equal(headerLineEdit(new FlowLogDocument(text)), undefined);
    assert.deepEqual(actionsAt(text, 1), []);
  });

  it('keeps a BOM and leading comments above the inserted header', () => {
    const text = `\uFEFF# exported from CloudWatch\n\n# second note\r\n${SSH}\r\n`;
    const edit = headerLineEdit(new FlowLogDocument(text));
    assert.ok(edit);
    const fixed = applyEdits(text, [edit]);
    assert.equal(fixed, `\uFEFF# exported from CloudWatch\n\n# second note\r\n${V2_HEADER}\n${SSH}\r\n`);
  });

  it('puts the header after the BOM when the file starts with a record', () => {
    const text = `\uFEFF${SSH}\n`;
    const fixed = applyEdits(text, [headerLineEdit(new FlowLogDocument(text))!]);
    assert.equal(fixed, `\uFEFF${V2_HEADER}\n${SSH}\n`);
    assertClean(fixed);
  });

  it('validates a header inserted below comments', () => {
    const text = `# exported\n${SSH}\n`;
    assertClean(applyEdits(text, [headerLineEdit(new FlowLogDocument(text))!]));
  });

  it('normalizes spacing in the whole document when several lines need it', () => {
    const text = `${V2_HEADER}\n ${SSH.replace(' 22 ', '\t22  ')}\n${SSH}\n${SSH.replace(' ACCEPT', '   ACCEPT')} \n${SSH} #a  note\n`;
    const problems = problemsOf(text);
    assert.equal(problems.filter((p) => p.code === 'irregular-spacing').length, 2);
    const action = only(actionsAt(text, 3), /^Normalize spacing in the whole document$/);
    assert.equal(action.kind, 'source');
    const fixed = applyEdits(text, action.edits);
    assert.equal(fixed, `${V2_HEADER}\n${SSH}\n${SSH}\n${SSH}\n${SSH} #a  note\n`);
    assertClean(fixed);
    // One spacing problem alone gets only the line fix.
    const single = `${V2_HEADER}\n${SSH.replace(' 22 ', '  22 ')}\n`;
    assert.deepEqual(actionsAt(single, 1).map((a) => a.title), ['Normalize spacing on this line']);
  });

  it('normalizes a CloudWatch-stamped line and a Firehose-wrapped record', () => {
    const text = `2018-09-22T20:28:14.000Z  ${SSH.replace(' 6 ', '  6 ')}\n{"message":" ${SSH}  "}\n`;
    const doc = new FlowLogDocument(text);
    assert.equal(applyEdits(text, normalizeSpacingEdits(doc, 0)), `2018-09-22T20:28:14.000Z ${SSH}\n{"message":" ${SSH}  "}\n`);
    assert.equal(applyEdits(text, normalizeSpacingEdits(doc, 1)), `2018-09-22T20:28:14.000Z  ${SSH.replace(' 6 ', '  6 ')}\n{"message":"${SSH}"}\n`);
    assert.deepEqual(normalizeSpacingEdits(doc, 5), []);
  });
});

describe('misplaced problems', () => {
  it('offers no replacement or removal for a range that does not cover a whole word', () => {
    const doc = new FlowLogDocument(`# Source: github.com/awsdocs/amazon-vpc-user-guide\n${SSH}\n`);
    const misplaced = { code: 'unknown-field' as const, severity: 'error' as const, message: "'protocl' is not a flow log field.", line: 0, start: 22, end: 29, fix: { kind: 'replace' as const, replacement: 'protocol' } };
    const pastEnd = { ...misplaced, line: 1, start: SSH.length + 2, end: SSH.length + 9 };
    const duplicate = { ...misplaced, code: 'duplicate-field' as const, fix: { kind: 'remove-field' as const } };
    assert.deepEqual(codeActions(doc, lineRange(0), [misplaced, duplicate]).filter((a) => a.kind === 'quickfix'), []);
    assert.deepEqual(codeActions(doc, lineRange(1), [pastEnd]).filter((a) => a.kind === 'quickfix'), []);
  });
});

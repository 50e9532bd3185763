import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { FIELDS } from '../../server/src/catalog/fields';
import { complete, completeFieldList } from '../../server/src/service/completion';
import { FlowLogDocument } from '../../server/src/service/document';
import { applyEdits, conformanceText, docWithCursor } from './helpers';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

function completeAt(fixture: string): { items: CompletionItem[]; text: string } {
  const { doc, position, text } = docWithCursor(fixture);
  return { items: complete(doc, position), text };
}

const labels = (items: CompletionItem[]): string[] => items.map((item) => item.label);
const byLabel = (items: CompletionItem[], label: string): CompletionItem => {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no item ${label} in ${labels(items).join(' ')}`);
  return item;
};
const edit = (item: CompletionItem): TextEdit => item.textEdit as TextEdit;

describe('field name completion', () => {
  it('offers the names a header line does not have yet, in AWS table order', () => {
    const { items, text } = completeAt(`version account-id sr|\n${SSH}`);
    const names = labels(items);
    assert.ok(!names.includes('version') && !names.includes('account-id'));
    assert.ok(names.includes('srcaddr') && names.includes('srcport') && names.includes('tgw-id'));
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
    const tableOrder = FIELDS.map((f) => f.name).filter((n) => names.includes(n));
    assert.deepEqual(sorted, tableOrder);
    const srcaddr = byLabel(items, 'srcaddr');
    assert.equal(srcaddr.detail, 'v2 · VPC, TGW');
    assert.match((srcaddr.documentation as MarkupContent).value, /^\*\*Source address\*\* · `srcaddr`/);
    assert.equal(applyEdits(text, [edit(srcaddr)]), `version account-id srcaddr\n${SSH}`);
  });

  it('offers Transit Gateway names in a list that has a TGW field', () => {
    const names = labels(completeAt('# fields: version resource-type tgw-id |').items);
    assert.ok(names.includes('tgw-attachment-id') && names.includes('srcaddr') && names.includes('packets-lost-no-route'));
    assert.ok(!names.includes('action') && !names.includes('vpc-id') && !names.includes('tgw-id'));
  });

  it('offers VPC names in a list that has a VPC-only field', () => {
    const { items } = completeAt(`# format: version interface-id |`);
    const names = labels(items);
    assert.ok(names.includes('vpc-id') && names.includes('action') && names.includes('ecs-task-id'));
    assert.ok(!names.some((n) => n.startsWith('tgw-')));
    assert.equal(byLabel(items, 'traffic-path').detail, 'v5 · VPC');
  });

  it('writes ${…} names in a LogFormat list and replaces what was typed', () => {
    const { items, text } = completeAt('# format: ${version} ${srcaddr} ${ds|');
    const dstaddr = byLabel(items, 'dstaddr');
    assert.equal(edit(dstaddr).newText, '${dstaddr}');
    assert.equal(dstaddr.filterText, '${dstaddr}');
    assert.equal(applyEdits(text, [edit(dstaddr)]), '# format: ${version} ${srcaddr} ${dstaddr}');
    assert.ok(!labels(items).includes('srcaddr'));
  });

  it('keeps a list’s underscore spelling', () => {
    const { items } = completeAt('version account_id interface_id lo|');
    assert.equal(edit(byLabel(items, 'log_status')).newText, 'log_status');
    assert.ok(!labels(items).includes('account_id'));
  });

  it('offers names on an empty first line above records, not in a record', () => {
    assert.ok(labels(completeAt(`|\n${SSH}`).items).includes('version'));
    assert.deepEqual(labels(completeAt(`${V2_HEADER}\n${SSH.replace('172.31.16.139', '172.31|.16.139')}`).items), []);
  });

  it('offers the directive keywords after #', () => {
    const { items, text } = completeAt('# fi|');
    assert.deepEqual(labels(items), ['# fields:', '# format:']);
    assert.equal(applyEdits(text, [edit(items[0])]), '# fields: ');
  });

  it('offers nothing in a directive’s remark or an ordinary comment', () => {
    assert.deepEqual(completeAt(`# format: ${V2_HEADER} (default |v2)`).items, []);
    assert.deepEqual(completeAt('# exported by | me').items, []);
  });
});

describe('record value completion', () => {
  it('offers ACCEPT and REJECT in the action column, replacing the value', () => {
    const { items, text } = completeAt(`${V2_HEADER}\n${SSH.replace('ACCEPT', 'REJ|')}`);
    assert.deepEqual(labels(items), ['ACCEPT', 'REJECT', '-']);
    const reject = byLabel(items, 'REJECT');
    assert.match((reject.documentation as MarkupContent).value, /^\*\*REJECT\*\*: The traffic was rejected/);
    assert.equal(applyEdits(text, [edit(reject)]), `${V2_HEADER}\n${SSH.replace('ACCEPT', 'REJECT')}`);
  });

  it('offers the log statuses in the last column, at the end of a line being typed', () => {
    const { items, text } = completeAt(`${V2_HEADER}\n${SSH.replace(' OK', ' |')}`);
    assert.deepEqual(labels(items), ['OK', 'NODATA', 'SKIPDATA']);
    assert.equal(applyEdits(text, [edit(items[1])]), `${V2_HEADER}\n${SSH.replace(' OK', ' NODATA')}`);
  });

  it('offers type and flow-direction values in the AWS v5 example', () => {
    const text = conformanceText('awsdocs-amazon-vpc-user-guide', 'v5_custom_service_path_direction.txt');
    assert.deepEqual(labels(completeAt(text.replace(' IPv4 7 471', ' IP|v4 7 471')).items), ['IPv4', 'IPv6', 'EFA', '-']);
    assert.deepEqual(labels(completeAt(text.replace(' egress OK', ' e|gress OK')).items), ['ingress', 'egress', '-']);
  });

  it('offers common protocol numbers with their names', () => {
    const { items } = completeAt(`${V2_HEADER}\n${SSH.replace(' 22 6 ', ' 22 | ')}`);
    assert.equal(byLabel(items, '6').detail, 'protocol · TCP');
    assert.equal(byLabel(items, '17').detail, 'protocol · UDP');
  });

  it('offers nothing for free-form columns or positions past the end', () => {
    assert.deepEqual(completeAt(`${V2_HEADER}\n${SSH.replace('20641', '206|41')}`).items, []);
    const doc = new FlowLogDocument(`${V2_HEADER}\n${SSH}`);
    assert.deepEqual(complete(doc, { line: 5, character: 0 }), []);
  });
});

describe('completeFieldList (flowlog.format setting)', () => {
  it('completes the word under the cursor', () => {
    const items = completeFieldList('version srcaddr ds', 18);
    const dstport = byLabel(items, 'dstport');
    assert.deepEqual(edit(dstport).range, { start: { line: 0, character: 16 }, end: { line: 0, character: 18 } });
    assert.ok(!labels(items).includes('srcaddr'));
    assert.ok(!labels(items).includes('default'), 'layout ids only for a single word');
  });

  it('offers layout ids first while the value is one word', () => {
    const items = completeFieldList('', 0);
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
    assert.deepEqual(sorted.slice(0, 2), ['default', 'tgw-default']);
    assert.ok(sorted.includes('version'));
  });

  it('follows a LogFormat value', () => {
    const items = completeFieldList('${version} ${', 13);
    assert.equal(edit(byLabel(items, 'srcaddr')).newText, '${srcaddr}');
  });
});

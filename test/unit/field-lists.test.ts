/**
 * Field lists as people write them (service/fieldList.ts): where each name stands, when a line is
 * a header rather than a record, layout ids, unknown and repeated names, and the "did you mean"
 * suggestion for a misspelt name. Written against the survivors of a mutation run
 * (RELIABILITY.md, "Mutation testing").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeFieldList, parseFieldList, readNameTokens, suggestFieldName } from '../../server/src/service/fieldList';

const spans = (text: string, start?: number, end?: number): string[] =>
  readNameTokens(text, start, end).map((token) => `${token.start}-${token.end}:${token.written}`);

describe('field list names and their places', () => {
  it('splits on blanks and commas and gives offsets in the whole text', () => {
    assert.deepEqual(spans('version,srcaddr  dstaddr'), ['0-7:version', '8-15:srcaddr', '17-24:dstaddr']);
    assert.deepEqual(spans('# fields: version srcaddr', 10), ['10-17:version', '18-25:srcaddr']);
    assert.deepEqual(spans('version srcaddr dstaddr', 0, 15), ['0-7:version', '8-15:srcaddr']);
  });

  it('reads `${name}` LogFormat fields without their braces, and skips an empty `${}`', () => {
    assert.deepEqual(spans('${version} ${srcaddr}'), ['2-9:version', '13-20:srcaddr']);
    assert.deepEqual(spans('${} version'), ['4-11:version']);
    assert.deepEqual(spans('$ version'), ['0-1:$', '2-9:version']);
  });

  it('knows each name’s catalog field, hyphenating underscores, and leaves others unknown', () => {
    const tokens = readNameTokens('pkt_srcaddr version nonsense');
    assert.equal(tokens[0].field?.name, 'pkt-srcaddr');
    assert.equal(tokens[1].field?.name, 'version');
    assert.equal(tokens[2].field, undefined);
  });

  it('reads the same names when called again (no state left between calls)', () => {
    const text = 'version srcaddr dstaddr';
    readNameTokens(text, 0, 7);
    assert.deepEqual(spans(text), ['0-7:version', '8-15:srcaddr', '16-23:dstaddr']);
  });
});

describe('header lines', () => {
  const header = (line: string, tokenCount = line.trim().split(/\s+/).length): boolean => looksLikeFieldList(readNameTokens(line), tokenCount);

  it('takes a line of field names as a header, with up to half of them unknown', () => {
    assert.ok(header('version srcaddr dstaddr action'));
    assert.ok(header('version srcaddr custom1 custom2'));
    assert.ok(!header('version custom1 custom2 custom3'));
  });

  it('needs the first word to start like a name, and every token to be a name', () => {
    assert.ok(!header('2srcaddr srcaddr dstaddr action'));
    assert.ok(header('${version} ${srcaddr}'));
    assert.ok(header('Version srcaddr'));
    assert.ok(!header('version srcaddr', 3), 'a token that is not a name (a quoted value, say) makes it a record');
    assert.ok(!looksLikeFieldList([], 0));
  });
});

describe('parsing a field list setting', () => {
  it('expands a layout id, whatever its case and surrounding blanks', () => {
    const list = parseFieldList('  Default ');
    assert.equal(list.layoutId, 'default');
    assert.equal(list.names[0], 'version');
    assert.equal(list.names.length, 14);
    assert.equal(list.fields[13]?.name, 'log-status');
    assert.deepEqual(list.unknown, []);
    assert.deepEqual(list.duplicates, []);
  });

  it('recognises a written-out known layout and gives no layout for a reordered one', () => {
    const written = parseFieldList('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status');
    assert.equal(written.layoutId, 'default');
    const reordered = parseFieldList('account-id version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status');
    assert.equal(reordered.layoutId, undefined);
    assert.equal(parseFieldList('version account-id').layoutId, undefined);
  });

  it('tells a layout from a longer one that starts with it', () => {
    // All v2–v5 fields begin with the 14 default ones; so does a default header with one more field.
    const allV5 = parseFieldList('all-v5').names.join(' ');
    assert.equal(parseFieldList(allV5).layoutId, 'all-v5');
    const defaultPlusOne = parseFieldList(`${parseFieldList('default').names.join(' ')} vpc-id`);
    assert.equal(defaultPlusOne.layoutId, undefined);
  });

  it('reports unknown names with a suggestion and repeated names once per repeat', () => {
    const list = parseFieldList('version srcadr srcaddr srcaddr frobnicate');
    assert.deepEqual(list.names, ['version', 'srcadr', 'srcaddr', 'srcaddr', 'frobnicate']);
    assert.deepEqual(list.unknown, [
      { index: 1, written: 'srcadr', suggestion: 'srcaddr' },
      { index: 4, written: 'frobnicate', suggestion: undefined },
    ]);
    assert.deepEqual(list.duplicates, [{ index: 3, name: 'srcaddr' }]);
    assert.deepEqual(list.spans, [{ start: 0, end: 7 }, { start: 8, end: 14 }, { start: 15, end: 22 }, { start: 23, end: 30 }, { start: 31, end: 41 }]);
  });

  it('does not count a repeated unknown name as a duplicate field', () => {
    assert.deepEqual(parseFieldList('custom custom').duplicates, []);
  });
});

describe('suggestions for misspelt names', () => {
  it('suggests the nearest field for typos, underscores and capitals', () => {
    assert.equal(suggestFieldName('srcadr'), 'srcaddr');
    assert.equal(suggestFieldName('dstaddrr'), 'dstaddr');
    assert.equal(suggestFieldName('Pkt_Srcaddr'), 'pkt-srcaddr');
    assert.equal(suggestFieldName('acount-id'), 'account-id');
    assert.equal(suggestFieldName('interface_ID'), 'interface-id');
    // Underscores count as the hyphens they stand for, not as missing letters.
    assert.equal(suggestFieldName('ecs_task_i'), 'ecs-task-id');
  });

  it('on a tie suggests the field listed first in the catalog', () => {
    // One edit from both asg-tag and asg-tag-2.
    assert.equal(suggestFieldName('asg-tag-'), 'asg-tag');
  });

  it('allows two edits for short names and a third of the length for long ones', () => {
    assert.equal(suggestFieldName('endxx'), 'end', 'two edits');
    assert.equal(suggestFieldName('endxxx'), undefined, 'three edits on a six-letter word');
    // 'ecs-cluster-name' with four letters changed: 16 letters allow five edits.
    assert.equal(suggestFieldName('ecs-clustxx-nxxe'), 'ecs-cluster-name');
    assert.equal(suggestFieldName('ecs-xxxxxxx-name'), undefined);
  });

  it('suggests nothing for words far from every field or longer than any field could be', () => {
    assert.equal(suggestFieldName('frobnicate'), undefined);
    assert.equal(suggestFieldName('x'.repeat(41)), undefined);
    assert.equal(suggestFieldName(`${'pkt-dst-aws-service'}-${'x'.repeat(20)}`), undefined);
  });
});

/** Completions of the editor's filter input: fields, then operators, then value names, then keywords. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterCompletions } from '../../client/src/filterCompletions';

const FIELDS = ['version', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'tcp-flags', 'action'];
const labels = (value: string) => filterCompletions(value, FIELDS).map((c) => c.label);

describe('filter input completions', () => {
  it('at the start: the document’s fields, addr, port and not', () => {
    assert.deepEqual(labels(''), [...FIELDS, 'addr', 'port', 'not']);
    assert.deepEqual(labels('dst'), ['dstaddr', 'dstport']);
  });
  it('after a field: operators', () => {
    assert.deepEqual(labels('dstport '), ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'has']);
  });
  it('after an operator: the field’s value names, and -', () => {
    assert.ok(labels('protocol = ').includes('tcp'));
    assert.deepEqual(labels('protocol = ud'), ['udp', 'udplite']);
    assert.ok(labels('dstport = ').includes('SSH'));
    assert.ok(labels('dstport = ').includes('"FTP data"'), 'names with spaces come quoted');
    assert.ok(labels('tcp-flags has ').includes('syn-ack'));
    assert.deepEqual(labels('action = '), ['ACCEPT', 'REJECT', '-']);
  });
  it('after a value: and, or; after and: fields again', () => {
    assert.deepEqual(labels('dstport = 22 '), ['and', 'or']);
    assert.ok(labels('dstport = 22 and ').includes('srcaddr'));
    assert.ok(labels('(').includes('dstport'));
  });
  it('a completion replaces the word being typed and ends with a space', () => {
    const [first] = filterCompletions('action = reject and dst', FIELDS);
    assert.equal(first.value, 'action = reject and dstaddr ');
  });
});

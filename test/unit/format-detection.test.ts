/**
 * Where a document's formats come from (service/format.ts): header lines and `# fields:`
 * directives, the explicit format setting, which lines inference samples, and which segment
 * governs a line of concatenated S3 objects. Written against the survivors of a mutation run
 * (RELIABILITY.md, "Mutation testing").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { detectFormats, segmentAt } from '../../server/src/service/format';
import { BlockText } from '../../server/src/service/blocks';
import { LineIndex, MAX_LINE_LENGTH } from '../../server/src/service/lines';

const ROOT = path.join(__dirname, '..', '..');
const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const RECORD = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const formats = (lines: string[], explicit?: string) => detectFormats(new LineIndex(lines.join('\n')), { explicit });

describe('format detection: declarations', () => {
  it('takes header lines whose first name starts with any letter or `$`', () => {
    for (const header of ['action srcaddr dstaddr', 'Action srcaddr dstaddr', 'zone srcaddr dstaddr', 'Zone srcaddr dstaddr', '${srcaddr} ${dstaddr}']) {
      const found = formats([header, '10.0.0.1 10.0.0.2']);
      assert.equal(found.primary.source, 'header', header);
    }
    // `,` is dropped by the name reader: only the first-character test keeps `,srcaddr dstaddr` from being a header.
    for (const line of ['@zone srcaddr dstaddr', '[zone srcaddr dstaddr', '`zone srcaddr dstaddr', '{zone srcaddr dstaddr', ',srcaddr dstaddr']) {
      assert.notEqual(formats([line, '10.0.0.1 10.0.0.2']).primary.source, 'header', line);
    }
  });

  it('reads a header with a trailing comment, and a directive up to its parenthesised remark', () => {
    assert.deepEqual(formats(['srcaddr dstaddr # addresses only', '10.0.0.1 10.0.0.2']).primary.names, ['srcaddr', 'dstaddr']);
    const directive = formats(['# fields: srcaddr dstaddr (addresses only)', '10.0.0.1 10.0.0.2']);
    assert.equal(directive.primary.source, 'directive');
    assert.deepEqual(directive.primary.names, ['srcaddr', 'dstaddr']);
  });

  it('stops a directive at its own line: a `(` on a later line is not its remark', () => {
    const directive = formats(['# fields: srcaddr dstaddr', '10.0.0.1 10.0.0.2 # (masked)', '10.0.0.3 10.0.0.4']);
    assert.equal(directive.primary.source, 'directive');
    assert.deepEqual(directive.primary.names, ['srcaddr', 'dstaddr']);
    const remark = formats(['# fields: srcaddr dstaddr (addresses only)', '# (second remark) version', '10.0.0.1 10.0.0.2']);
    assert.deepEqual(remark.primary.names, ['srcaddr', 'dstaddr']);
  });

  it('does not read a comment with a parenthesis, or one naming fields without the directive keyword, as a directive', () => {
    for (const comment of ['# exported (by a script)', '# srcaddr dstaddr', '#(srcaddr dstaddr)']) {
      const found = formats([comment, RECORD]);
      assert.equal(found.primary.source, 'inferred', comment);
      assert.equal(found.segments[0].declarationLine, undefined, comment);
    }
  });

  it('does not take a comment or an empty directive for a declaration', () => {
    const commented = formats(['# captured on the bastion', RECORD]);
    assert.equal(commented.primary.source, 'inferred');
    assert.equal(commented.segments.length, 1);
    assert.equal(formats(['# fields:', RECORD]).primary.source, 'inferred');
  });

  it('lets a header after blank lines and comments rule from the top, but not one after a record', () => {
    const opening = formats(['', '   ', '# exported', HEADER, RECORD]);
    assert.equal(opening.primary.source, 'header');
    assert.equal(opening.segments.length, 1);
    assert.equal(opening.segments[0].declarationLine, 3);
    const late = formats([RECORD, HEADER, RECORD]);
    assert.equal(late.primary.source, 'inferred');
    assert.deepEqual(late.segments.map((segment) => [segment.fromLine, segment.format.source]), [[0, 'inferred'], [1, 'header']]);
  });
});

describe('format detection: JSON lines and overlong lines', () => {
  const tgw = readFileSync(path.join(ROOT, 'examples', 'tgw-default.log'), 'utf8').split('\n').filter((line) => line.startsWith('6 '));
  const envelope = (...messages: string[]) => JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1767232826000 + i, message })) });

  it('infers from every record of a JSON line, not only its first', () => {
    // The first event of the envelope is odd; the records after it say what the format is.
    const found = formats([envelope('x y z', ...tgw.slice(0, 4))]);
    assert.equal(found.primary.layoutId, 'tgw-default');
    assert.equal(found.primary.source, 'inferred');
  });

  it('samples at most the given number of records, also inside one JSON line', () => {
    // A Transit Gateway record, then default-format ones: a sample of one sees only the first.
    const one = detectFormats(new LineIndex(envelope(tgw[0], RECORD, RECORD, RECORD)), { sampleLines: 1 });
    assert.deepEqual([one.primary.layoutId, one.primary.confidence, one.inferenceEnd], ['tgw-default', 1, 1]);
    const two = detectFormats(new LineIndex(envelope(...tgw.slice(0, 2), RECORD, RECORD, RECORD)), { sampleLines: 2 });
    assert.deepEqual([two.primary.layoutId, two.primary.confidence], ['tgw-default', 1]);
  });

  it('passes over lines longer than the limit: not a header, not sampled, not a record before the header', () => {
    const limit = HEADER.length;
    const at = (lines: string[]) => detectFormats(new LineIndex(lines.join('\n')), { maxLineLength: limit });
    assert.equal(at([HEADER, RECORD]).primary.source, 'header', 'a header exactly at the limit');
    assert.notEqual(at([`${HEADER} `, RECORD]).primary.source, 'header', 'a header one past the limit');
    // Transit Gateway records made overlong with trailing blanks are not sampled; the default-format records at the limit are.
    const padded = (line: string) => line.padEnd(limit, ' ');
    const sampled = at([...tgw.slice(0, 3).map((line) => `${line}${' '.repeat(limit)}`), padded(RECORD), padded(RECORD)]);
    assert.equal(sampled.primary.layoutId, 'default');
    // An overlong line before the header is not a record: the header still rules from the top; one at the limit is.
    const before = at([`${RECORD}${' '.repeat(limit)}`, HEADER, RECORD]);
    assert.deepEqual([before.primary.source, before.segments.length], ['header', 1]);
    const record = at([padded(RECORD), HEADER, RECORD]);
    assert.deepEqual([record.primary.source, record.segments.length], ['inferred', 2]);
  });

  it('by default, the limit is MAX_LINE_LENGTH (1 MiB)', () => {
    const found = formats([`${RECORD}${' '.repeat(MAX_LINE_LENGTH)}`, HEADER, RECORD]);
    assert.deepEqual([found.primary.source, found.segments.length], ['header', 1]);
  });
});

describe('format detection: the explicit format', () => {
  it('applies an explicit format to a file without a header, as an option', () => {
    const found = formats([RECORD], 'default');
    assert.equal(found.primary.source, 'option');
    assert.equal(found.primary.layoutId, 'default');
    assert.equal(found.explicitUnused, undefined);
  });

  it('lets a header win over the explicit format and says the setting was not used', () => {
    const found = formats([HEADER, RECORD], 'srcaddr dstaddr');
    assert.equal(found.primary.source, 'header');
    assert.equal(found.explicitUnused, true);
    assert.equal(found.segments.length, 1);
  });

  it('says nothing about an explicit format when there is none, header or not', () => {
    assert.equal(formats([HEADER, RECORD]).explicitUnused, undefined);
    assert.equal(formats(['# fields: srcaddr dstaddr', '10.0.0.1 10.0.0.2']).explicitUnused, undefined);
    assert.equal(formats([RECORD]).explicitUnused, undefined);
  });

  it('ignores an explicit format that names no field, and detects instead', () => {
    for (const explicit of [',', '${}', '   ']) {
      const found = formats([RECORD], explicit);
      assert.equal(found.primary.source, 'inferred', JSON.stringify(explicit));
      assert.equal(found.explicitUnused, undefined);
    }
  });
});

describe('format detection: what inference samples', () => {
  it('samples record lines only: not comments, not blank lines, not the next segment’s header', () => {
    const found = formats([RECORD, '# a b c d e f g h i j k l m n o', '', RECORD, HEADER, 'srcaddr']);
    assert.equal(found.primary.layoutId, 'default');
    assert.equal(found.primary.confidence, 1);
  });

  it('samples up to the given number of record lines', () => {
    const lines = [RECORD, RECORD, 'a b c', 'a b c', 'a b c'];
    assert.equal(detectFormats(new LineIndex(lines.join('\n')), { sampleLines: 2 }).primary.layoutId, 'default');
    assert.equal(detectFormats(new LineIndex(lines.join('\n')), { sampleLines: 3 }).primary.confidence, 2 / 3);
    // Without the option it samples 200 lines.
    assert.equal(detectFormats(new LineIndex(lines.join('\n'))).primary.source, 'inferred');
    assert.ok(detectFormats(new LineIndex(lines.join('\n'))).primary.layoutId !== 'default');
  });
});

describe('format detection: segments of concatenated objects', () => {
  it('finds the segment of every line, before, on and after each header', () => {
    const lines = [HEADER, RECORD, RECORD, 'srcaddr dstaddr', '10.0.0.1 10.0.0.2', 'version srcaddr', '2 10.0.0.1', '2 10.0.0.2', 'dstaddr', '10.0.0.9'];
    const found = formats(lines);
    assert.deepEqual(found.segments.map((segment) => segment.fromLine), [0, 3, 5, 8]);
    const expected = [0, 0, 0, 3, 3, 5, 5, 5, 8, 8];
    expected.forEach((fromLine, line) => assert.equal(segmentAt(found, line).fromLine, fromLine, `line ${line}`));
    assert.equal(segmentAt(found, 1000).fromLine, 8);
    assert.equal(segmentAt(formats([RECORD]), 5).fromLine, 0);
  });
});

describe('format detection: a document in blocks', () => {
  it('finds the same declarations, on the same lines, in blocks of any size as in one string', () => {
    // Headers and directives at the first line of a block, at its last, alone in a block; CRLF
    // and lone CR breaks; a declaration-like line that is a record (starts with a digit).
    const lines = ['# fields: version srcaddr dstaddr', '2 10.0.0.1 10.0.0.2', HEADER, RECORD, '', '# a comment (not a directive)', 'srcaddr dstaddr\r', '10.0.0.1 10.0.0.2\r', '-', 'dstaddr', '10.0.0.9', '# format: version dstaddr (default v2)', '2 10.0.0.3', 'version srcaddr'];
    for (const joiner of ['\n', '\r\n', '\r']) {
      const text = lines.join(joiner);
      const whole = detectFormats(new LineIndex(text));
      assert.equal(whole.segments.length, 6);
      for (const size of [1, 2, 7, 16, 40, 1000]) {
        assert.deepEqual(detectFormats(new BlockText(text, size)), whole, `blocks of ${size}, breaks ${JSON.stringify(joiner)}`);
      }
    }
  });
});

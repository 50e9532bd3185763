/**
 * Every rule fires on the input it is about, points at the right cell, and stays quiet on the
 * valid record next to it. Cases are built from one valid record by changing one field.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { RULES, severityTable } from '../../server/src/service/rules';

const V2 = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const V5_HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';
const V5 =
  '5 123456789010 eni-1235b8ca123456789 10.0.0.71 52.95.128.179 34210 80 6 7 471 1616729292 1616729349 ACCEPT OK vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b 3 IPv4 10.0.0.71 52.95.128.179 ap-southeast-2 apse2-az3 - - - S3 egress 8';

/** V2 with field `index` replaced. */
function v2With(index: number, value: string): string {
  const fields = V2.split(' ');
  fields[index] = value;
  return fields.join(' ');
}

function v5With(name: string, value: string): string {
  const fields = V5.split(' ');
  fields[V5_HEADER.split(' ').indexOf(name)] = value;
  return `${V5_HEADER}\n${fields.join(' ')}`;
}

function problems(text: string, format?: string) {
  return collectProblems(new FlowLogDocument(text, format));
}

function codes(text: string, format?: string): string[] {
  return problems(text, format).map((p) => p.code);
}

describe('validation rules', () => {
  it('valid default and v5 records have no problems', () => {
    assert.deepEqual(codes(`${V2}\n${V2}`), []);
    assert.deepEqual(codes(`${V5_HEADER}\n${V5}`), []);
  });

  const cases: [string, string, string, string?][] = [
    ['field-count', `${V2}\n${V2.split(' ').slice(0, 12).join(' ')}`, 'found 12'],
    ['two-records', `${V2} ${V2}`, '2 records'],
    ['irregular-spacing', V2.replace(' 22 ', '  22 '), 'spaces'],
    ['irregular-spacing', V2.replace(' 22 ', '\t22 '), 'tab'],
    ['invalid-address', v2With(3, '172.31.16.300'), "'172.31.16.300'"],
    ['invalid-address', v2With(4, '2001:db8::1::2'), 'IPv6'],
    ['invalid-port', v2With(6, '70000'), '65535'],
    ['invalid-protocol', v2With(7, '256'), '255'],
    ['invalid-number', v2With(8, 'many'), 'packets'],
    ['invalid-number', v2With(9, '-5'), 'negative'],
    ['invalid-timestamp', v2With(10, '99999999999'), 'plausible'],
    ['millisecond-timestamp', v2With(11, '1418530070000'), 'milliseconds'],
    ['invalid-account-id', v2With(1, '12345'), '12 digits'],
    ['invalid-resource-id', v2With(2, 'if-1235b8ca123456789'), "'eni-'"],
    ['invalid-resource-id', v2With(2, 'eni-1235b8ca12345б789'), 'U+0431'],
    ['invalid-value', v2With(13, '0K'), "Did you mean 'OK'"],
    ['invalid-value', v2With(12, 'accept'), "Did you mean 'ACCEPT'"],
    ['start-after-end', v2With(10, '1418530090'), 'after end'],
    ['window-too-long', v2With(11, '1418531000'), 'minutes'],
    ['nodata-with-traffic', v2With(13, 'NODATA'), 'NODATA'],
    ['ok-missing-traffic', v2With(9, '-'), 'bytes'],
  ];
  for (const [code, text, fragment] of cases) {
    it(`${code}: ${fragment}`, () => {
      const found = problems(text);
      const problem = found.find((p) => p.code === code);
      assert.ok(problem, `expected ${code}, got ${JSON.stringify(found.map((p) => p.code))}`);
      assert.ok(problem.message.includes(fragment), problem.message);
      assert.ok(problem.end > problem.start || problem.endLine !== undefined, 'the range is not empty');
    });
  }

  it('counts: precision warning past 2^53, out of range past 2^64 however many digits, negative with any digits', () => {
    const message = (value: string) => problems(v5With('bytes', value)).map((p) => `${p.code}: ${p.message}`);
    assert.deepEqual(message('18446744073709551615'), ['unsafe-integer: bytes 18446744073709551615 is larger than 2^53; JSON numbers lose precision there.']);
    assert.deepEqual(message('000018446744073709551615'), ['unsafe-integer: bytes 000018446744073709551615 is larger than 2^53; JSON numbers lose precision there.']);
    assert.deepEqual(message('18446744073709551616'), ['invalid-number: bytes 18446744073709551616 is out of range; expected a non-negative integer below 2^64.']);
    assert.deepEqual(message('123456789012345678901234567890'), ['invalid-number: bytes 123456789012345678901234567890 is out of range; expected a non-negative integer below 2^64.']);
    assert.deepEqual(message('-123456789012345678901234567890'), ['invalid-number: bytes -123456789012345678901234567890 is negative; expected a non-negative integer below 2^64.']);
    assert.deepEqual(problems(v5With('srcport', '123456789012345678901234')).map((p) => p.message), ['srcport 123456789012345678901234 is out of range; expected an integer from 0 to 65535.']);
  });

  it('points at the offending cell', () => {
    const text = v2With(6, '70000');
    const [problem] = problems(text);
    assert.equal(text.slice(problem.start, problem.end), '70000');
  });

  it('wrapped-record: a record split over two lines is one problem, not two', () => {
    const fields = V2.split(' ');
    const text = `${fields.slice(0, 9).join(' ')}\n${fields.slice(9).join(' ')}\n${V2}`;
    const found = problems(text);
    assert.deepEqual(found.map((p) => [p.code, p.line, p.endLine]), [['wrapped-record', 0, 1]]);
  });

  it('v5 cross-field rules', () => {
    assert.ok(codes(v5With('protocol', '17')).includes('tcp-flags-non-tcp'));
    assert.ok(codes(v5With('type', 'IPv6')).includes('type-mismatch'));
    assert.ok(codes(v5With('flow-direction', 'ingress')).includes('traffic-path-ingress'));
    assert.ok(codes(v5With('traffic-path', '9')).includes('invalid-value'));
    assert.ok(codes(v5With('region', 'Sydney')).includes('invalid-shape'));
    assert.deepEqual(codes(v5With('tcp-flags', '0').replace(' 6 7 471', ' 17 7 471')), []);
  });

  it('the version value is not checked against the fields used (real data breaks that rule)', () => {
    assert.deepEqual(codes(v5With('version', '3')), []);
  });

  it('header problems: unknown names with a suggestion, duplicates', () => {
    const found = problems('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-stauts\n' + V2);
    const unknown = found.find((p) => p.code === 'unknown-field');
    assert.ok(unknown && unknown.message.includes("Did you mean 'log-status'"));
    assert.deepEqual(unknown.fix, { kind: 'replace', replacement: 'log-status' });
    assert.ok(codes('version srcaddr srcaddr\n2 1.1.1.1 2.2.2.2').includes('duplicate-field'));
    const lookAlike = problems('version srcaddr dstaddr start \u0435nd\n2 1.1.1.1 2.2.2.2 1418530010 1418530070');
    assert.deepEqual(lookAlike.map((p) => [p.code, p.start, p.end]), [['unknown-field', 30, 33]]);
    assert.ok(lookAlike[0].message.includes("Did you mean 'end'? It contains the non-ASCII character 'е' (U+0435)"), lookAlike[0].message);
  });

  it('multiple formats in one file', () => {
    const text = `${V5_HEADER}\n${V5}\n${V2.split(' ').map((_, i) => V5_HEADER.split(' ')[i]).join(' ')}\n${V2}`;
    assert.deepEqual(codes(text), ['multiple-formats']);
  });

  it('a file that is not a flow log gets one diagnostic, not one per line', () => {
    const prose = Array.from({ length: 500 }, (_, i) => `The quick brown fox jumps over the lazy dog number ${i}`).join('\n');
    assert.deepEqual(codes(prose), ['not-flow-log']);
  });

  it('problems are capped with one summary', () => {
    const bad = Array.from({ length: 50 }, () => v2With(6, '99999')).join('\n');
    const found = collectProblems(new FlowLogDocument(bad), { maxProblems: 10 });
    assert.equal(found.length, 11);
    assert.equal(found[10].code, 'problem-limit');
  });

  it('severities can be changed or turned off per rule', () => {
    const text = V2.replace(' 22 ', '  22 ');
    const severities = severityTable({ 'irregular-spacing': 'error' });
    assert.equal(collectProblems(new FlowLogDocument(text), { severities })[0].severity, 'error');
    assert.deepEqual(collectProblems(new FlowLogDocument(text), { severities: severityTable({ 'irregular-spacing': 'off' }) }), []);
    const invalid: string[] = [];
    severityTable({ 'no-such-rule': 'error', 'field-count': 'loud' }, { invalid });
    assert.equal(invalid.length, 2);
  });

  it('every rule has a unique code and a summary', () => {
    assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length);
    for (const rule of RULES) assert.ok(rule.summary.length > 10);
  });
});

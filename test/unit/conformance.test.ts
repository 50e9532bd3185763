/**
 * Conformance: every record in shared/conformance parses to the fields and values that AWS's
 * examples, Vector VRL and flowlogs-reader expect. Naming and `-` conventions differ between
 * projects (underscores, omitted keys, ISO datetimes); the facts must agree.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONFORMANCE_DIR } from '../fixtures/paths';
import { MILLISECONDS_THRESHOLD } from '../../server/src/catalog/values';
import { collectProblems } from '../../server/src/service/diagnostics';
import { FlowLogDocument } from '../../server/src/service/document';
import { parseLine, recordObject, type ParsedLine } from '../../server/src/service/parse';

const conformancePath = (...parts: string[]): string => join(CONFORMANCE_DIR, ...parts);

type Value = number | bigint | string | null;

function records(document: FlowLogDocument): ParsedLine[] {
  const result: ParsedLine[] = [];
  for (let line = 0; line < document.lines.lineCount; line++) {
    const parsed = parseLine(document, line);
    if (parsed.kind === 'record') result.push(parsed);
  }
  return result;
}

/** Our object with underscore keys, as VRL and flowlogs-reader name fields. */
function underscored(parsed: ParsedLine): Record<string, Value> {
  return Object.fromEntries(Object.entries(recordObject(parsed)).map(([key, value]) => [key.replace(/-/g, '_'), value]));
}

/** flowlogs-reader renders start/end as naive UTC ISO datetimes; milliseconds are divided. */
function isoSeconds(value: Value): string {
  const seconds = Number(value) >= MILLISECONDS_THRESHOLD ? Math.floor(Number(value) / 1000) : Number(value);
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

describe('AWS documentation examples', () => {
  const folder = conformancePath('awsdocs-amazon-vpc-user-guide');
  for (const file of readdirSync(folder)) {
    it(`${file}: header-less records are inferred to the documented format and parse cleanly`, () => {
      const lines = readFileSync(join(folder, file), 'utf8').split('\n');
      const declared = lines.find((line) => line.startsWith('# format:'));
      assert.ok(declared, 'fixture declares its format');
      const names = declared.replace('# format:', '').replace(/\(.*/, '').trim().split(/\s+/);
      const body = lines.filter((line) => !line.startsWith('#')).join('\n');
      const document = new FlowLogDocument(body);
      assert.deepEqual(document.formats.primary.names, names);
      const parsed = records(document);
      assert.ok(parsed.length > 0);
      for (const record of parsed) {
        assert.equal(record.tokens.length, names.length, `line ${record.line + 1} has every field`);
        assert.deepEqual(Object.keys(recordObject(record)), names);
      }
      // Only AWS's own double-space typo is worth a warning.
      const problems = collectProblems(document).map((p) => p.code);
      assert.deepEqual(problems, file.startsWith('v3_custom_tcp') ? ['irregular-spacing'] : []);
    });
  }

  it('reads the documented values: SSH accepted on the default format', () => {
    const text = readFileSync(join(folder, 'v2_default_accept_reject.txt'), 'utf8');
    const first = records(new FlowLogDocument(text))[0];
    assert.deepEqual(recordObject(first), {
      version: 2, 'account-id': '123456789010', 'interface-id': 'eni-1235b8ca123456789', srcaddr: '172.31.16.139',
      dstaddr: '172.31.16.21', srcport: 20641, dstport: 22, protocol: 6, packets: 20, bytes: 4249,
      start: 1418530010, end: 1418530070, action: 'ACCEPT', 'log-status': 'OK',
    });
  });

  it('strips the trailing #comments of the NAT gateway example', () => {
    const text = readFileSync(join(folder, 'custom_nat_gateway.txt'), 'utf8');
    const last = records(new FlowLogDocument(text)).at(-1) as ParsedLine;
    assert.equal(last.tokens.length, 6);
    assert.equal(recordObject(last)['pkt-dstaddr'], '10.0.1.5');
    assert.ok(last.commentStart !== undefined);
  });
});

describe('Vector VRL parse_aws_vpc_flow_log', () => {
  const expected = JSON.parse(readFileSync(conformancePath('vectordotdev-vrl', 'expected_outputs.json'), 'utf8')) as {
    cases: { title: string; value: string; format: string | null; expected: Record<string, Value> }[];
  };
  for (const testCase of expected.cases) {
    it(testCase.title, () => {
      const document = new FlowLogDocument(testCase.value, testCase.format ?? 'default');
      const [record] = records(document);
      assert.deepEqual(underscored(record), testCase.expected);
      assert.deepEqual(collectProblems(document), []);
    });
  }

  const blocks = readFileSync(conformancePath('vectordotdev-vrl', 'test_lines_all_must_parse.txt'), 'utf8').split('\n## format:').slice(1);
  for (const block of blocks) {
    const [formatLine, ...rest] = block.split('\n');
    const format = formatLine.trim() === 'DEFAULT' ? 'default' : formatLine.trim();
    const body = rest.filter((line) => line && !line.startsWith('#')).join('\n');
    it(`every line of the '${format.slice(0, 40)}…' group parses with every field`, () => {
      const document = new FlowLogDocument(body, format);
      const parsed = records(document);
      assert.equal(parsed.length, body.split('\n').length);
      for (const record of parsed) assert.equal(record.tokens.length, format === 'default' ? 14 : format.split(/\s+/).length);
      assert.deepEqual(collectProblems(document), []);
    });
  }
});

describe('flowlogs-reader', () => {
  const expected = JSON.parse(readFileSync(conformancePath('obsrvbl-flowlogs-reader', 'expected_outputs.json'), 'utf8')) as Record<string, unknown>;
  const entry = (prefix: string): unknown => Object.entries(expected).find(([key]) => key.startsWith(prefix))?.[1];

  /** flowlogs-reader omits `-` fields and renders times as ISO; compare on those terms. */
  function assertMatches(record: ParsedLine, wanted: Record<string, unknown>): void {
    const ours = underscored(record);
    for (const [key, value] of Object.entries(ours)) {
      if (!(key in wanted)) {
        assert.equal(value, null, `${key} is absent in flowlogs-reader, so it must be '-' here`);
        continue;
      }
      const actual = key === 'start' || key === 'end' ? isoSeconds(value) : value;
      assert.deepEqual(actual, wanted[key], key);
    }
    for (const key of Object.keys(wanted)) assert.ok(key in ours, `${key} parsed`);
  }

  it('CloudWatch v2 records (no header) are inferred as the default format', () => {
    const document = new FlowLogDocument(readFileSync(conformancePath('obsrvbl-flowlogs-reader', 'cwl_v2_records.txt'), 'utf8'));
    assert.equal(document.formats.primary.layoutId, 'default');
    const parsed = records(document);
    assertMatches(parsed[0], entry('cwl_v2_records.txt line 1') as Record<string, unknown>);
    assertMatches(parsed[2], entry('cwl_v2_records.txt line 3') as Record<string, unknown>);
  });

  it('millisecond timestamps are read as milliseconds and noted', () => {
    const document = new FlowLogDocument('2 123456789010 eni-4b118871 - - - - - - - 1512564058000 1512564059000 - SKIPDATA');
    const [record] = records(document);
    const wanted = entry('cwl_v2_records.txt extra') as { start: string; end: string };
    assert.equal(isoSeconds(recordObject(record).start), wanted.start);
    assert.equal(isoSeconds(recordObject(record).end), wanted.end);
    assert.deepEqual(collectProblems(document).map((p) => p.code), ['millisecond-timestamp', 'millisecond-timestamp']);
  });

  for (const [file, key] of [
    ['s3_v3_file_with_header.log', 's3_v3'],
    ['s3_v4_file_with_header.log', 's3_v4'],
    ['s3_v5_file_with_header.log', 's3_v5'],
    ['s3_v6_file_with_header.log', 's3_v6'],
  ]) {
    it(`${file}: the header gives the format and every record matches`, () => {
      const document = new FlowLogDocument(readFileSync(conformancePath('obsrvbl-flowlogs-reader', file), 'utf8'));
      assert.equal(document.formats.primary.source, 'header');
      const wanted = entry(key) as Record<string, unknown>[];
      const parsed = records(document).filter((record) => record.tokens.length === document.formats.primary.names.length);
      assert.equal(parsed.length, wanted.length);
      parsed.forEach((record, i) => assertMatches(record, wanted[i]));
    });
  }

  it("the v5 file's trailing 'bogus line' is reported, not parsed as a record", () => {
    const document = new FlowLogDocument(readFileSync(conformancePath('obsrvbl-flowlogs-reader', 's3_v5_file_with_header.log'), 'utf8'));
    const problems = collectProblems(document);
    assert.deepEqual(problems.map((p) => [p.code, p.line]), [['field-count', 3]]);
  });
});

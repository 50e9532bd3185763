import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SymbolKind } from 'vscode-languageserver-types';
import { FlowLogDocument } from '../../server/src/service/document';
import { foldingRanges } from '../../server/src/service/folding';
import { headerLenses } from '../../server/src/service/headerLens';
import { buildStructure, MAX_GROUPS, StructureScan } from '../../server/src/service/structure';
import { documentSymbols } from '../../server/src/service/symbols';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const TGW_HEADER =
  'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service';
const EXPORT_SHAPES = join(__dirname, '..', 'fixtures', 'export-shapes');

/** A v2 record of an interface, starting at `start` (seconds) for 60 s. */
function v2(eni: string, start: number, action = 'ACCEPT'): string {
  return `2 123456789010 eni-${eni} 10.0.0.1 10.0.0.2 443 49152 6 10 840 ${start} ${start + 60} ${action} OK`;
}

function tgw(attachment: string, start: number): string {
  return `6 TransitGatewayAttachment 123456789012 tgw-0123456789abcdef0 tgw-attach-${attachment} 123456789012 123456789012 vpc-0a1b2c3d vpc-0d1e2f3a subnet-0a1b2c3d subnet-0d1e2f3a eni-0a1b2c3d4e5f60718 eni-0d1e2f3a4b5c60718 use1-az1 use1-az2 - 10.0.0.1 10.1.0.2 443 49152 6 10 840 ${start} ${start + 60} OK IPv4 0 0 0 0 2 us-east-1 ingress - -`;
}

const T0 = 1_700_000_000; // 2023-11-14 22:13:20 UTC

describe('document structure: folding ranges', () => {
  it('folds each header segment from its header line to its last record', () => {
    const text = [V2_HEADER, v2('a', T0), v2('b', T0 + 10), '', V2_HEADER, v2('a', T0 + 20), v2('a', T0 + 30, 'REJECT'), ''].join('\n');
    const doc = new FlowLogDocument(text);
    assert.deepEqual(foldingRanges(buildStructure(doc)), [
      { startLine: 0, endLine: 2 },
      { startLine: 4, endLine: 6 },
    ]);
  });

  it('folds a headerless file from its first record, after leading comments', () => {
    const text = ['# exported from CloudWatch Logs', v2('a', T0), v2('b', T0 + 1), v2('c', T0 + 2)].join('\n');
    assert.deepEqual(foldingRanges(buildStructure(new FlowLogDocument(text))), [{ startLine: 1, endLine: 3 }]);
  });

  it('folds time windows inside a long segment, nested in it, and respects the limit', () => {
    // Three hours of records, one a minute: windows of a round interval, each a run of lines.
    const records = Array.from({ length: 180 }, (_, i) => v2(i % 2 ? 'a' : 'b', T0 + i * 60));
    const doc = new FlowLogDocument([V2_HEADER, ...records].join('\n'));
    const structure = buildStructure(doc);
    const ranges = foldingRanges(structure);
    assert.deepEqual(ranges[0], { startLine: 0, endLine: 180 });
    const windows = ranges.slice(1);
    assert.ok(windows.length >= 2, `windows: ${JSON.stringify(windows)}`);
    for (let i = 1; i < windows.length; i++) assert.equal(windows[i].startLine, windows[i - 1].endLine + 1);
    assert.equal(windows[windows.length - 1].endLine, 180);
    assert.equal(structure.parts[0].windows[0].fromLine, 1);
    assert.deepEqual(foldingRanges(structure, 1), [{ startLine: 0, endLine: 180 }]);
  });

  it('gives short segments no windows', () => {
    const records = Array.from({ length: 20 }, (_, i) => v2('a', T0 + i * 3600));
    const structure = buildStructure(new FlowLogDocument([V2_HEADER, ...records].join('\n')));
    assert.deepEqual(structure.parts[0].windows, []);
  });

  it('reads the same structure a slice at a time as in one go', () => {
    const records = Array.from({ length: 300 }, (_, i) => v2(String(i % 3), T0 + i * 30, i % 7 ? 'ACCEPT' : 'REJECT'));
    const doc = new FlowLogDocument([V2_HEADER, ...records.slice(0, 150), V2_HEADER, ...records.slice(150)].join('\n'));
    const scan = new StructureScan(doc);
    let steps = 1;
    while (!scan.advance(7)) steps++;
    assert.ok(steps > 40);
    assert.deepEqual(scan.structure, buildStructure(doc));
  });
});

describe('document structure: symbols', () => {
  it('names segments by format and groups records by interface with record and REJECT counts', () => {
    const text = [V2_HEADER, v2('a', T0), v2('b', T0 + 10, 'REJECT'), v2('a', T0 + 20, 'REJECT'), v2('a', T0 + 30)].join('\n');
    const doc = new FlowLogDocument(text);
    const [segment, ...rest] = documentSymbols(buildStructure(doc), doc.lines);
    assert.equal(rest.length, 0);
    assert.equal(segment.name, 'VPC default v2 · 14 fields · header');
    assert.equal(segment.detail, '4 records · 2 REJECT · 2023-11-14 22:13:20–22:14:50 UTC');
    assert.equal(segment.kind, SymbolKind.Module);
    // The header line is the symbol's first line: sticky scroll keeps it in view over the records.
    assert.deepEqual(segment.selectionRange, { start: { line: 0, character: 0 }, end: { line: 0, character: V2_HEADER.length } });
    assert.deepEqual(segment.range.start, { line: 0, character: 0 });
    assert.equal(segment.range.end.line, 4);
    assert.deepEqual(
      segment.children?.map((child) => [child.name, child.detail, child.range.start.line, child.range.end.line]),
      [
        ['eni-a', '3 records · 1 REJECT', 1, 1],
        ['eni-b', '1 record · 1 REJECT', 2, 2],
      ],
    );
  });

  it('groups Transit Gateway records by attachment, without REJECT counts (no action field)', () => {
    const text = [TGW_HEADER, tgw('a', T0), tgw('b', T0), tgw('a', T0 + 60)].join('\n');
    const doc = new FlowLogDocument(text);
    const [segment] = documentSymbols(buildStructure(doc), doc.lines);
    assert.match(segment.name, /^TGW v6 · 36 fields · header$/);
    assert.match(segment.detail ?? '', /^3 records · /);
    assert.deepEqual(segment.children?.map((child) => [child.name, child.detail]), [
      ['tgw-attach-a', '2 records'],
      ['tgw-attach-b', '1 record'],
    ]);
  });

  it('cuts by time window when a segment has one interface, or more than the groups kept', () => {
    const one = Array.from({ length: 180 }, (_, i) => v2('a', T0 + i * 60, i === 1 ? 'REJECT' : 'ACCEPT'));
    const doc = new FlowLogDocument([V2_HEADER, ...one].join('\n'));
    const [segment] = documentSymbols(buildStructure(doc), doc.lines);
    const windows = segment.children ?? [];
    assert.ok(windows.length >= 2);
    assert.ok(windows.every((w) => w.kind === SymbolKind.Event));
    assert.equal(windows[0].name, '2023-11-14 22:10–22:15 UTC');
    assert.equal(windows[1].name, '2023-11-14 22:15–22:20 UTC');
    assert.equal(windows.reduce((sum, w) => sum + Number(/^(\d+) record/.exec(w.detail ?? '')?.[1]), 0), 180);
    assert.match(windows[0].detail ?? '', / · 1 REJECT$/);

    const many = Array.from({ length: MAX_GROUPS + 1 }, (_, i) => v2(`x${i}`, T0 + i * 60));
    const manyDoc = new FlowLogDocument([V2_HEADER, ...many].join('\n'));
    const structure = buildStructure(manyDoc);
    assert.equal(structure.parts[0].groups, undefined);
    const [manySegment] = documentSymbols(structure, manyDoc.lines);
    assert.ok((manySegment.children ?? []).every((child) => child.kind === SymbolKind.Event));
  });

  it('bounds the result: parts first, and a last symbol for the parts left out', () => {
    const text = Array.from({ length: 30 }, (_, i) => `${V2_HEADER}\n${v2('a', T0 + i)}\n${v2('b', T0 + i)}`).join('\n');
    const doc = new FlowLogDocument(text);
    const structure = buildStructure(doc);
    assert.equal(structure.parts.length, 30);
    const limited = documentSymbols(structure, doc.lines, 10);
    assert.equal(limited.length, 10);
    assert.equal(limited[9].name, '… 21 more segments');
    assert.deepEqual(limited[9].range, limited[9].selectionRange);
    const withChildren = documentSymbols(structure, doc.lines, 34);
    const count = withChildren.reduce((sum, s) => sum + 1 + (s.children?.length ?? 0), 0);
    assert.equal(count, 34);
  });

  it('shows a segment whose header has no records, and splits a headerless file where the layout changes', () => {
    const headerOnly = new FlowLogDocument([V2_HEADER, v2('a', T0), V2_HEADER.replace(' log-status', ''), ''].join('\n'));
    assert.deepEqual(
      documentSymbols(buildStructure(headerOnly), headerOnly.lines).map((s) => [s.range.start.line, s.detail]),
      [
        [0, '1 record · 0 REJECT · 2023-11-14 22:13:20–22:14:20 UTC'],
        [2, '0 records · 0 REJECT'],
      ],
    );
    const mixed = new FlowLogDocument(readFileSync(join(EXPORT_SHAPES, 'mixed-layouts.log'), 'utf8'));
    const names = documentSymbols(buildStructure(mixed), mixed.lines).map((s) => `${s.range.start.line}-${s.range.end.line} ${s.name}`);
    assert.deepEqual(names.map((n) => n.replace(/ · inferred.*| · no header.*/, '')), ['0-3 VPC default v2 · 14 fields', '4-6 TGW v6 · 36 fields', '7-8 VPC v5 · 29 fields']);
  });

  it('counts every record of every CloudWatch Logs export shape, as their expected parses do', () => {
    for (const name of readdirSync(EXPORT_SHAPES).filter((file) => !/\.(expected\.jsonl|gz|mjs|json)$/.test(file) || file.endsWith('concatenated.json') || file.endsWith('truncated.json'))) {
      if (name === 'manifest.json') continue;
      const expected = readFileSync(join(EXPORT_SHAPES, `${name}.expected.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const doc = new FlowLogDocument(readFileSync(join(EXPORT_SHAPES, name), 'utf8'));
      const structure = buildStructure(doc);
      assert.equal(structure.records, expected.length, name);
      assert.equal(structure.rejects, expected.filter((record) => record.action === 'REJECT').length, name);
      const starts = expected.map((r) => (typeof r.start === 'number' ? r.start * 1000 : (r['cloudwatch-timestamp'] as number))).filter((n) => typeof n === 'number');
      assert.equal(structure.firstStart, Math.min(...starts), name);
    }
  });
});

describe('header code lens', () => {
  it('shows the detected field names over the first record of a headerless file and offers the header', () => {
    const text = ['# CloudWatch export', v2('a', T0), v2('b', T0 + 1), v2('c', T0 + 2)].join('\n');
    const lenses = headerLenses(new FlowLogDocument(text));
    assert.deepEqual(
      lenses.map((lens) => [lens.line, lens.command]),
      [
        [1, 'flowlog.insertHeader'],
        [1, 'flowlog.setFormat'],
      ],
    );
    assert.ok(lenses[1].title.startsWith(`${V2_HEADER}  (VPC default v2 · 14 fields · inferred`), lenses[1].title);
  });

  it('shows nothing when the file has a header, directive, or no record yet', () => {
    assert.deepEqual(headerLenses(new FlowLogDocument(`${V2_HEADER}\n${v2('a', T0)}`)), []);
    assert.deepEqual(headerLenses(new FlowLogDocument(`# fields: ${V2_HEADER}\n${v2('a', T0)}`)), []);
    assert.deepEqual(headerLenses(new FlowLogDocument('')), []);
    assert.deepEqual(headerLenses(new FlowLogDocument('# nothing yet\n')), []);
  });

  it('asks for a format where the text is not recognised', () => {
    const lenses = headerLenses(new FlowLogDocument('hello world\nthis is not a flow log\n'));
    assert.deepEqual(lenses.map((lens) => lens.command), ['flowlog.setFormat']);
    assert.match(lenses[0].title, /not recognised/);
  });
});

/**
 * `flowlog` as a process: commands, output formats (text, JSON, SARIF), options, exit codes.
 * Faults, gzip and stdin are in faults.test.ts; parse conformance in parse.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/service/rules';
import type { SummaryReport, TopTable } from '../../server/src/service/summary/model';
import { fixture, record, ROOT, runCli, tempDir } from './helpers';

const ACCEPT_REJECT = fixture('awsdocs', 'v2_default_accept_reject.txt');
const DOUBLE_SPACE = fixture('awsdocs', 'v3_custom_tcp_flag_sequence.txt');
const BOGUS_LINE = fixture('flowlogs-reader', 's3_v5_file_with_header.log');
const TGW_FIELDS = fixture('flowlogs-reader', 's3_v6_file_with_header.log');
const CLOUDWATCH = fixture('flowlogs-reader', 'cwl_v2_records.txt');
const rel = (file: string): string => path.relative(ROOT, file);

describe('flowlog: help, version, usage', () => {
  it('--version prints the package version; --help lists every command', async () => {
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const command of ['lint', 'parse', 'detect', 'stats']) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
  });

  it('every command has its own --help', async () => {
    for (const command of ['lint', 'parse', 'detect', 'stats']) {
      const result = await runCli([command, '--help']);
      assert.equal(result.code, 0, command);
      assert.match(result.stdout, new RegExp(`^Usage: flowlog ${command} `), command);
    }
  });

  it('usage errors: one message naming the problem, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^flowlog: unknown command 'frobnicate'\n/],
      [['lint', '--colour', ACCEPT_REJECT], /^flowlog: unknown option '--colour' for 'lint'\n/],
      [['lint', '--format', 'xml', ACCEPT_REJECT], /^flowlog: --format: expected text, json, sarif, got 'xml'\n/],
      [['lint', '--rule', 'field-cont=off', ACCEPT_REJECT], /^flowlog: --rule: unknown rule "field-cont"\n/],
      [['lint', '--rule', 'field-count=loud', ACCEPT_REJECT], /^flowlog: --rule: rule "field-count": "loud" is not one of/],
      [['lint', '--max-problems', '-3', ACCEPT_REJECT], /^flowlog: --max-problems: expected a non-negative integer/],
      [['parse', '--fields', 'version srcadr', ACCEPT_REJECT], /^flowlog: --fields: 'srcadr' is not a flow log field; did you mean 'srcaddr'\?\n/],
      [['detect', '--fields'], /^flowlog: option '--fields' needs a value\n/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
    }
  });
});

describe('flowlog lint', () => {
  it('text: file:line:col: severity code message, exit status from the errors', async () => {
    const clean = await runCli(['lint', rel(ACCEPT_REJECT)]);
    assert.deepEqual([clean.code, clean.stdout, clean.stderr], [0, '', '']);
    // AWS's own example has a double space: a warning only, so exit 0.
    const warned = await runCli(['lint', rel(DOUBLE_SPACE)]);
    assert.equal(warned.code, 0);
    assert.equal(warned.stdout, `${rel(DOUBLE_SPACE)}:11:144: warning irregular-spacing Fields are separated by 2 spaces here; flow log fields are separated by single spaces.\n`);
    const failed = await runCli(['lint', rel(ACCEPT_REJECT), rel(BOGUS_LINE)]);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, new RegExp(`^${rel(BOGUS_LINE)}:4:1: error field-count Expected 29 fields but found 2`));
  });

  it('--rule changes severities and turns rules off', async () => {
    const demoted = await runCli(['lint', '--rule', 'field-count=warning', rel(BOGUS_LINE)]);
    assert.equal(demoted.code, 0);
    assert.match(demoted.stdout, /:4:1: warning field-count /);
    const off = await runCli(['lint', '--rule=field-count=off', '--rule', 'irregular-spacing=off', rel(BOGUS_LINE), rel(DOUBLE_SPACE)]);
    assert.deepEqual([off.code, off.stdout], [0, '']);
  });

  it('--max-problems stops a file early and says how much was left unchecked', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ports.log');
    writeFileSync(file, `${Array.from({ length: 50 }, (_, i) => record(i, { dstport: 70000 + i })).join('\n')}\n`);
    const result = await runCli(['lint', '--max-problems', '3', file]);
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[3], /:3:1: info problem-limit Stopped after 3 problems; the 47 lines after line 3 were not checked/);
  });

  it('json: one object per file, positions 1-based', async () => {
    const result = await runCli(['lint', '--format', 'json', rel(DOUBLE_SPACE), rel(BOGUS_LINE), rel(ACCEPT_REJECT)]);
    assert.equal(result.code, 1);
    const files = JSON.parse(result.stdout) as { file: string; problems: Record<string, unknown>[]; format: string; lines: number; errors: number; warnings: number }[];
    assert.deepEqual(files.map((f) => [f.file, f.problems.length, f.errors, f.warnings, f.lines]), [
      [rel(DOUBLE_SPACE), 1, 0, 1, 11],
      [rel(BOGUS_LINE), 1, 1, 0, 4],
      [rel(ACCEPT_REJECT), 0, 0, 0, 4],
    ]);
    assert.deepEqual(files[0].problems[0], {
      line: 11, column: 144, endLine: 11, endColumn: 146, severity: 'warning', code: 'irregular-spacing',
      message: 'Fields are separated by 2 spaces here; flow log fields are separated by single spaces.',
    });
    assert.equal(files[1].format, 'VPC v5 · 29 fields · header');
  });

  it('sarif: valid SARIF 2.1.0 for code scanning', async () => {
    const dir = tempDir();
    const wrapped = path.join(dir, 'wrapped record.log');
    const [a, b] = [record(1).slice(0, 60), record(1).slice(61)];
    writeFileSync(wrapped, `${record(0)}\n${a}\n${b}\n`);
    // Run from the temporary directory: URIs are relative to the working directory.
    const result = await runCli(['lint', '--format', 'sarif', DOUBLE_SPACE, BOGUS_LINE, 'wrapped record.log', 'missing.log'], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    const sarif = JSON.parse(result.stdout) as Sarif;
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const [run] = sarif.runs;
    assert.equal(run.tool.driver.name, 'flowlog');
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), RULES.map((r) => r.code));
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0, rule.id);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level), rule.id);
    }
    assert.equal(run.tool.driver.rules.find((r) => r.id === 'field-count')?.defaultConfiguration.level, 'error');
    assert.equal(run.tool.driver.rules.find((r) => r.id === 'ambiguous-format')?.defaultConfiguration.level, 'note');
    const uris = new Set<string>();
    for (const item of run.results) {
      const rule = run.tool.driver.rules[item.ruleIndex];
      assert.equal(rule.id, item.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(item.level));
      assert.ok(item.message.text.length > 0);
      const { artifactLocation, region } = item.locations[0].physicalLocation;
      uris.add(artifactLocation.uri);
      assert.ok(!artifactLocation.uri.startsWith('/') && !artifactLocation.uri.includes('\\'), artifactLocation.uri);
      assert.ok(region.startLine >= 1 && region.startColumn >= 1 && region.endColumn >= region.startColumn);
      if (region.endLine !== undefined) assert.ok(region.endLine >= region.startLine);
    }
    assert.ok(uris.has('wrapped%20record.log'), [...uris].join(' '));
    const wrap = run.results.find((r) => r.ruleId === 'wrapped-record');
    assert.deepEqual(wrap?.locations[0].physicalLocation.region, { startLine: 2, startColumn: 1, endColumn: b.length + 1, endLine: 3 });
    assert.equal(run.invocations[0].executionSuccessful, false);
    assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /missing\.log: no such file or directory/);
  });
});

interface Sarif {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endColumn: number; endLine?: number } } }[];
    }[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[];
  }[];
}

describe('flowlog detect', () => {
  it('text and JSON: kind, fields, source, confidence, ambiguous columns, layout', async () => {
    const text = await runCli(['detect', rel(BOGUS_LINE)]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /: VPC v5 · 29 fields · header\n/);
    assert.match(text.stdout, /^ {2}source {6}header \(line 1\)$/m);
    assert.match(text.stdout, /^ {2}layout {6}alphabetical-v5 /m);
    const json = await runCli(['detect', '--format', 'json', rel(CLOUDWATCH), rel(TGW_FIELDS), fixture('awsdocs', 'custom_nat_gateway.txt')]);
    assert.equal(json.code, 0);
    const [cloudwatch, tgw, nat] = JSON.parse(json.stdout) as { kind: string; source: string; layout: { id: string } | null; fields: string[]; confidence: number; line: number | null; ambiguousColumns: unknown[] }[];
    assert.deepEqual([cloudwatch.kind, cloudwatch.source, cloudwatch.layout?.id, cloudwatch.fields.length, cloudwatch.line], ['vpc', 'inferred', 'default', 14, null]);
    assert.ok(cloudwatch.confidence > 0.5 && cloudwatch.confidence <= 1);
    assert.deepEqual([tgw.kind, tgw.source, tgw.fields[0], tgw.fields.length], ['tgw', 'header', 'resource-type', 18]);
    assert.deepEqual([nat.source, nat.line, nat.fields], ['directive', 2, ['instance-id', 'interface-id', 'srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr']]);
  });

  it('--fields wins over what the file says', async () => {
    const result = await runCli(['detect', '--format=json', '--fields', 'tgw-default', rel(CLOUDWATCH)]);
    const [found] = JSON.parse(result.stdout) as { kind: string; source: string; layout: { id: string } }[];
    assert.deepEqual([found.kind, found.source, found.layout.id], ['tgw', 'option', 'tgw-default']);
  });
});

describe('flowlog stats', () => {
  it('JSON: the summary report over all files: totals, time span, top talkers and rejected ports, each row with its filter', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.log');
    const b = path.join(dir, 'b.log');
    writeFileSync(a, `${record(1, { bytes: 1000 })}\n${record(2, { action: 'REJECT', dstport: 22 })}\n${record(3, { action: 'REJECT', dstport: 22 })}\n`);
    writeFileSync(b, `${record(1, { bytes: 5000 })}\n${record(4, { action: 'REJECT', dstport: 3389 })}\n2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA\nbroken line\n`);
    const result = await runCli(['stats', '--format', 'json', a, b]);
    assert.equal(result.code, 0, result.stderr);
    const s = JSON.parse(result.stdout) as SummaryReport;
    const t = s.totals;
    assert.deepEqual([t.files, t.records, t.malformed], [2, 6, 1]);
    assert.deepEqual(t.logStatus, { OK: 5, NODATA: 1 });
    assert.deepEqual(t.recordsByAction, { accept: 2, reject: 3, other: 1 });
    assert.deepEqual([t.bytesByAction, t.packets], [{ accept: 6000, reject: 840 * 3, other: 0 }, 50]);
    // Earliest start (record 1) to latest end (the NODATA record).
    assert.deepEqual([t.firstStart, t.lastEnd], [1418530011, 1431280934]);
    assert.equal(s.verdicts, null);
    const table = (title: string): TopTable => s.top.find((x) => x.title === title) as TopTable;
    const talkers = table('Top talkers by bytes');
    assert.equal(talkers.exact, true);
    assert.deepEqual(talkers.rows[0], {
      values: ['10.0.1.1', '10.1.0.2'], labels: [null, null], records: 2, bytes: 6000, packets: 20, rejected: 0, filter: 'srcaddr = 10.0.1.1 and dstaddr = 10.1.0.2',
    });
    assert.deepEqual(table('Rejected destination ports').rows.map((row) => [row.values, row.labels, row.records, row.filter]), [
      [['22', '6'], ['22 SSH', '6 TCP'], 2, 'action = REJECT and dstport = 22 and protocol = 6'],
      [['3389', '6'], ['3389 RDP', '6 TCP'], 1, 'action = REJECT and dstport = 3389 and protocol = 6'],
    ]);
    // The row's filter, given to flowlog filter, selects the row's records.
    const filtered = await runCli(['filter', '--count', talkers.rows[0].filter, a, b]);
    assert.equal(filtered.stdout, `${a}:1\n${b}:1\n`);
  });

  it('text: the same summary, readable', async () => {
    const result = await runCli(['stats', rel(ACCEPT_REJECT), fixture('awsdocs', 'v2_default_nodata_skipdata.txt')]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^records +4$/m);
    assert.match(result.stdout, /^log-status +OK 2 · NODATA 1 · SKIPDATA 1$/m);
    assert.match(result.stdout, /^time span +2014-12-14T04:06:50Z → 2015-05-10T18:02:14Z /m);
    assert.match(result.stdout, /^Rejected destination ports \(dstport, protocol; action = REJECT\)\n.*records +bytes +packets +rejected\n +1\. +3389\/tcp +RDP +1 +4,249 \(4\.1 KiB\) +20 +1$/m);
    assert.match(result.stdout, /^ +1\. +172\.31\.9\.69 → 172\.31\.9\.12 +1 +4,249 \(4\.1 KiB\) +20 +1$/m);
    assert.match(result.stdout, /^ +2\. +172\.31\.16\.139 → 172\.31\.16\.21 +1 +4,249 \(4\.1 KiB\) +20 +0$/m);
  });

  it('--group-by, --top, --interval and CSV', async () => {
    const input = [record(1, { bytes: 100 }), record(2, { bytes: 300, dstport: 22 }), record(3, { bytes: 200, dstport: 22 }), ''].join('\n');
    const csv = await runCli(['stats', '--group-by', 'dstport', '--group-by', 'srcaddr,dstaddr', '--by', 'bytes', '--top', '1', '--format', 'csv', '-'], { input });
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'table,by,where,rank,field_1,value_1,label_1,field_2,value_2,label_2,records,bytes,packets,rejected,max_overestimate,filter,note');
    assert.equal(lines.length, 3);
    assert.equal(lines[1], 'Top dstport by bytes,bytes,"",1,dstport,22,22 SSH,"","","",2,500,20,0,"",dstport = 22,""');
    assert.equal(lines[2], '"Top srcaddr, dstaddr by bytes",bytes,"",1,srcaddr,10.0.2.1,"",dstaddr,10.1.0.2,"",1,300,10,0,"",srcaddr = 10.0.2.1 and dstaddr = 10.1.0.2,""');
    const text = await runCli(['stats', '--interval', '1m', '-'], { input });
    assert.match(text.stdout, /^timeline +\d+ intervals of 1 min;/m);
    assert.match(text.stdout, /^interval start +records +accept +reject +other +bytes$/m);
    const bad = await runCli(['stats', '--group-by', 'dstprot', '-'], { input });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--group-by: `dstprot` is not a field; did you mean `dstport`\?/);
  });
});

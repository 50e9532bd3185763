/** `flowlog conversations` and `flowlog explain` as a process: the JSON schema, text lines, grouping by verdict, terminal safety. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { generate, mulberry32 } from '../../bench/generate';
import { fixture, ROOT, runCli, tempDir } from './helpers';

const PING = fixture('awsdocs', 'v2_default_icmp_sg_nacl.txt');
const NAT = fixture('awsdocs', 'custom_nat_gateway.txt');
const TGW = fixture('awsdocs', 'v3_custom_via_transit_gateway.txt');
const ACCEPT_REJECT = fixture('awsdocs', 'v2_default_accept_reject.txt');
const rel = (file: string): string => path.relative(ROOT, file);

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('flowlog conversations', () => {
  it('--format json: one object per conversation with exactly the documented fields (the ping example)', async () => {
    const result = await runCli(['conversations', '--format', 'json', PING]);
    assert.equal(result.code, 0, result.stderr);
    const [ping, ...rest] = jsonLines(result.stdout);
    assert.equal(rest.length, 0);
    assert.deepEqual(ping, {
      protocol: 1,
      initiator: { addr: '203.0.113.12', port: null },
      responder: { addr: '172.31.16.139', port: null },
      'interface-id': 'eni-1235b8ca123456789',
      request: { line: 4, action: 'ACCEPT', packets: 4, bytes: 336 },
      response: { line: 5, action: 'REJECT', packets: 4, bytes: 336 },
      verdict: 'response-rejected',
      reason: 'The request was accepted (line 4) but its reply was rejected (line 5): a network ACL, since security groups let replies out (they are stateful; network ACLs are not).',
    });
  });

  it('hops when NAT gateway or transit gateway records were joined', async () => {
    const nat = jsonLines((await runCli(['conversations', '--format', 'json', NAT])).stdout);
    assert.equal(nat.length, 1);
    const hops = nat[0].hops as { 'interface-id': string; kind: string; request: { line: number } | null }[];
    assert.deepEqual(
      hops.map((h) => [h['interface-id'], h.kind, h.request?.line]),
      [
        ['eni-1111aaaa2222bbbb3', 'interface', 8],
        ['eni-1235b8ca123456789', 'nat-gateway', 4],
        ['eni-1235b8ca123456789', 'nat-gateway', 5],
      ],
    );
    assert.deepEqual(nat[0].request, { line: 8, action: null, packets: null, bytes: null });
    const tgw = jsonLines((await runCli(['conversations', '--format', 'json', TGW])).stdout);
    assert.equal(tgw.length, 1);
    assert.deepEqual((tgw[0].hops as { kind: string }[]).map((h) => h.kind), ['transit-gateway', 'interface', 'transit-gateway']);
    const plain = jsonLines((await runCli(['conversations', '--format', 'json', ACCEPT_REJECT])).stdout);
    assert.ok(plain.every((c) => !('hops' in c)), 'no hops for a conversation seen on one interface');
  });

  it('text: one line per conversation with file:line, verdict, endpoints and the path', async () => {
    const result = await runCli(['conversations', rel(ACCEPT_REJECT), rel(NAT)]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines, [
      `${rel(ACCEPT_REJECT)}:3: no-response TCP 172.31.16.139:20641 → 172.31.16.21:22 on eni-1235b8ca123456789 · request line 3 ACCEPT · reply none`,
      `${rel(ACCEPT_REJECT)}:4: request-rejected TCP 172.31.9.69:49761 → 172.31.9.12:3389 on eni-1235b8ca123456789 · request line 4 REJECT · reply none`,
      `${rel(NAT)}:8: accepted protocol not logged 10.0.1.5 → 203.0.113.5 on eni-1111aaaa2222bbbb3 · request line 8 · reply line 9 · via 10.0.1.5 → NAT gateway 10.0.0.220 (eni-1235b8ca123456789) → 203.0.113.5 (logged on eni-1111aaaa2222bbbb3)`,
    ]);
  });

  it('a missing file is reported, the others still paired, exit status 2', async () => {
    const result = await runCli(['conversations', 'no-such-file.log', rel(PING)]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no-such-file\.log/);
    assert.match(result.stdout, /response-rejected/);
  });
});

describe('flowlog explain', () => {
  it('only conversations with a REJECT, grouped by verdict, with lines, counts and the reason', async () => {
    const result = await runCli(['explain', rel(PING), rel(ACCEPT_REJECT)]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        `${rel(PING)}: 1 of 1 conversations with a REJECT`,
        '',
        'Reply rejected after the request was accepted (a network ACL): 1',
        '  ICMP 203.0.113.12 → 172.31.16.139 on eni-1235b8ca123456789',
        `    request  ${rel(PING)}:4 ACCEPT · 4 packets, 336 bytes`,
        `    reply    ${rel(PING)}:5 REJECT · 4 packets, 336 bytes`,
        '    why      The request was accepted (line 4) but its reply was rejected (line 5): a network ACL, since security groups let replies out (they are stateful; network ACLs are not).',
        '    started  by 203.0.113.12 (the earlier record is the request)',
        '',
        `${rel(ACCEPT_REJECT)}: 1 of 2 conversations with a REJECT`,
        '',
        'Request rejected (a security group or a network ACL): 1',
        '  TCP 172.31.9.69:49761 → 172.31.9.12:3389 on eni-1235b8ca123456789',
        `    request  ${rel(ACCEPT_REJECT)}:4 REJECT · 20 packets, 4,249 bytes`,
        '    reply    not in this capture',
        '    why      The request was rejected (line 4): a security group or a network ACL denied it, so no reply could follow.',
        '    started  by 172.31.9.69 (the lower port is the server)',
        '',
      ].join('\n'),
    );
  });

  it('a log with REJECT records only: one-way-log; --limit caps each verdict and counts the rest', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'rejects.log');
    const records = Array.from({ length: 5 }, (_, i) => `2 123456789010 eni-0a1b2c3d4e5f60718 198.51.100.${i + 1} 10.0.0.5 5151${i} 22 6 1 40 1000 1060 REJECT OK`);
    writeFileSync(file, `${records.join('\n')}\n`);
    const result = await runCli(['explain', '--limit', '2', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Rejected, in a log without ACCEPT records \(pairing not possible\): 5$/m);
    assert.equal(result.stdout.match(/^ {2}TCP /gm)?.length, 2);
    assert.match(result.stdout, /… and 3 more/);
    assert.match(result.stdout, /no ACCEPT record/);
  });

  it('control characters from the file are escaped, not sent to the terminal', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'escape.log');
    writeFileSync(file, '2 123456789010 eni-\x1b[2J\x07 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK\n2 123456789010 eni-\x1b[2J\x07 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK\n');
    for (const command of [['explain'], ['conversations']]) {
      const result = await runCli([...command, file]);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(result.stdout), `no control character in ${command[0]} output: ${JSON.stringify(result.stdout)}`);
      assert.match(result.stdout, /eni-\\x1B\[2J\\x07/);
    }
    // An address can carry them too (beside a plain interface ID), and so can a file name.
    const bidi = path.join(dir, 'bidi.log');
    writeFileSync(bidi, '2 123456789010 eni-0a1b2c3d4e5f60718 203.0.113.12\u202e 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK\n2 123456789010 eni-0a1b2c3d4e5f60718 172.31.16.139 203.0.113.12\u202e 0 0 1 4 336 1432917094 1432917142 REJECT OK\n');
    const named = path.join(dir, 'name\x1b]0;x\x07.log');
    writeFileSync(named, readFileSync(PING));
    for (const [file, escaped] of [
      [bidi, /203\.0\.113\.12\\u202E/],
      [named, /name\\x1B\]0;x\\x07\.log/],
    ] as const) {
      for (const command of [['explain'], ['conversations']]) {
        const result = await runCli([...command, file]);
        assert.equal(result.code, 0, result.stderr);
        assert.ok(!/[\x00-\x09\x0b-\x1f\x7f\u202e]/.test(result.stdout), `no control character in ${command[0]} output: ${JSON.stringify(result.stdout)}`);
        assert.match(result.stdout, escaped);
      }
    }
  });

  it('--help describes both commands; --limit must be a number', async () => {
    assert.match((await runCli(['conversations', '--help'])).stdout, /response-rejected \(a network ACL/);
    assert.match((await runCli(['explain', '--help'])).stdout, /--limit N/);
    const bad = await runCli(['explain', '--limit', 'many', PING]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--limit: expected a non-negative integer/);
  });
});

describe('flowlog lint: reply-rejected', () => {
  const message = 'The reply was rejected although its request was accepted (line 4): a network ACL drops it, since security groups let replies out.';

  it('is reported with its default severity, like every rule, from the same pairing as the editor', async () => {
    const result = await runCli(['lint', rel(PING)]);
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, `${rel(PING)}:5:1: info reply-rejected ${message}\n`, '']);
    const json = JSON.parse((await runCli(['lint', '--format', 'json', rel(PING)])).stdout) as { problems: { line: number; code: string; severity: string }[]; infos: number }[];
    assert.deepEqual(json[0].problems.map((p) => [p.line, p.code, p.severity]), [[5, 'reply-rejected', 'info']]);
    assert.equal(json[0].infos, 1);
    // A file without a rejected reply has none.
    assert.equal((await runCli(['lint', rel(ACCEPT_REJECT)])).stdout, '');
  });

  it('--rule sets its severity (an error fails the run) or turns it off', async () => {
    const error = await runCli(['lint', '--rule', 'reply-rejected=error', rel(PING)]);
    assert.deepEqual([error.code, error.stdout], [1, `${rel(PING)}:5:1: error reply-rejected ${message}\n`]);
    const sarif = JSON.parse((await runCli(['lint', '--format', 'sarif', '--rule', 'reply-rejected=warning', rel(PING)])).stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
    assert.deepEqual(sarif.runs[0].results.map((r) => [r.ruleId, r.level]), [['reply-rejected', 'warning']]);
    const off = await runCli(['lint', '--rule', 'reply-rejected=off', rel(PING)]);
    assert.deepEqual([off.code, off.stdout], [0, '']);
  });

  it('pairs every record of a CloudWatch Logs envelope line', async () => {
    const [request, reply] = readFileSync(PING, 'utf8').split('\n').filter((line) => line.startsWith('2 '));
    const file = path.join(tempDir(), 'envelope.json');
    const events = (messages: string[]) => JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: messages.map((m, i) => ({ id: String(i), timestamp: 1432917027000 + i, message: m })) });
    writeFileSync(file, `${events([request.replace('172.31.16.139', '10.0.0.9'), request])}\n${events([reply])}\n`);
    const result = await runCli(['lint', file]);
    assert.equal(result.stdout, `${file}:2:1: info reply-rejected ${message.replace('line 4', 'line 1')}\n`);
  });
});

/** Runs `run` with `env` added to this process's environment (the CLI's children inherit it). */
async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('flowlog conversations and explain on worker threads', () => {
  const dir = tempDir();
  // A v2 log whose times move on 2 s a line (conversations close all along, not only at the end),
  // with a reply after some accepted records, rejected or accepted, and damaged lines between.
  const lines = generate({ kind: 'v2', bytes: 500_000, seed: 41, malformedRate: 0.02 }).split('\n');
  const random = mulberry32(42);
  const out: string[] = [];
  lines.forEach((line, i) => {
    const f = line.split(' ');
    if (f.length !== 14) return void out.push(line);
    f[10] = String(1700000000 + 2 * i);
    f[11] = String(1700000050 + 2 * i);
    out.push(f.join(' '));
    if (f[12] === 'ACCEPT' && random() < 0.4) out.push([f[0], f[1], f[2], f[4], f[3], f[6], f[5], f[7], f[8], f[9], f[10], f[11], random() < 0.5 ? 'REJECT' : 'ACCEPT', f[13]].join(' '));
  });
  const v2 = out.join('\n');
  const tgw = generate({ kind: 'tgw', bytes: 120_000, seed: 43, malformedRate: 0.02 });
  const files = Object.entries({ 'replies.log': v2, 'replies.log.gz': gzipSync(v2), 'concatenated.log': `${v2}${tgw}${v2.slice(0, 150_000).replace(/[^\n]*$/, '')}` }).map(([name, content]) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  });

  for (const command of [['conversations', '--format', 'json'], ['conversations'], ['explain', '--limit', '0']]) {
    it(`${command.join(' ')}: the same output as one thread, segments of any size`, async () => {
      for (const segmentBytes of ['9000', '65536']) {
        const [one, many] = await withEnv({ FLOWLOG_PARALLEL_MIN_BYTES: '0', FLOWLOG_SEGMENT_BYTES: segmentBytes, FLOWLOG_SEGMENT_TRACE: '1' }, async () => [
          await runCli([...command, '--no-progress', '--threads', '1', ...files]),
          await runCli([...command, '--no-progress', '--threads', '3', ...files]),
        ]);
        assert.equal(one.code, 0, one.stderr);
        assert.ok(one.stdout.length > 50_000 && one.stdout.includes('REJECT'), 'conversations to compare');
        assert.equal([...many.stderr.matchAll(/^flowlog-trace: .*: (\d+) segments/gm)].filter((m) => Number(m[1]) > 1).length, files.length, 'every file in segments');
        assert.equal(many.stderr.replace(/^flowlog-trace: .*\n/gm, ''), one.stderr);
        assert.ok(many.stdout === one.stdout, `segments of ${segmentBytes} bytes: outputs differ`);
      }
    });
  }

  it('a file whose format is not recognised is read by one thread: its records are still paired', async () => {
    const seeds = path.join(ROOT, 'test', 'fixtures', 'seeds', 'vpc-flow-logs-docs-excerpt.txt');
    const [one, many] = await withEnv({ FLOWLOG_PARALLEL_MIN_BYTES: '0', FLOWLOG_SEGMENT_BYTES: '4096' }, async () => [
      await runCli(['conversations', '--format', 'json', '--threads', '1', seeds]),
      await runCli(['conversations', '--format', 'json', '--threads', '2', seeds]),
    ]);
    assert.ok(jsonLines(one.stdout).length > 0);
    assert.equal(many.stdout, one.stdout);
  });
});

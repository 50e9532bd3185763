/**
 * `flowlog conversations` and `flowlog explain`: records paired into conversations, streamed per
 * file. Conversations are closed as the stream moves past their window (service/conversations/
 * builder.ts), so memory stays bounded; `explain` keeps only the first `--limit` rejected
 * conversations of each verdict and counts the rest.
 */
import { ConversationBuilder } from '../service/conversations/builder';
import { conversationTitle, countsText, describePath, RULE_TEXT, VERDICT_TITLES } from '../service/conversations/describe';
import { hasReject, VERDICTS, type Conversation, type DirectionRecords, type Verdict } from '../service/conversations/model';
import { FlowLogStream } from '../service/stream';
import type { ParsedArgs } from './args';
import { countOption, explicitFormat, feedInput, outputFormat, warn, type Io } from './run';
import { isTerminalSafe, terminalSafe } from './terminal';
import { displayName } from './input';
import { readSegmentCells } from './cellBuffer';
import { PoolHolder, runSegmented, threadCount, type SegmentedFeed } from './segments';
import { isRecognised } from '../service/formatModel';
import { severityTable } from '../service/rules';

/**
 * Conversations of one file, each handed to `emit` as soon as it is closed (with `onlyRejected`,
 * only those of groups that saw a REJECT); how many conversations the file held, or undefined
 * when it could not be read.
 */
async function pairFile(io: Io, args: ParsedArgs, path: string, label: string, pools: PoolHolder, emit: (conversation: Conversation) => void, onlyRejected = false): Promise<number | undefined> {
  const name = displayName(path);
  const builder = new ConversationBuilder(emit, { streaming: true, onlyRejected });
  const segmented = await pairSegmented(io, args, path, pools, builder);
  if (segmented) {
    if (segmented.failure) return undefined;
    builder.finish();
    return builder.conversationsClosed;
  }
  const stream = new FlowLogStream(
    {
      recordText: (text, start, end, format, line) => builder.addStreamed(text, start, end, format, line),
      overlong(line) {
        warn(io, `${name}:${line + 1}`, 'line too long to be a flow log record; skipped');
      },
    },
    { explicitFormat: explicitFormat(args), validate: false, parse: true },
  );
  const result = await feedInput(io, path, label, (text) => (stream.push(text), true), !args.flags.has('no-progress'));
  if (result.failure) return undefined;
  if (!result.stopped) stream.end();
  builder.finish();
  return builder.conversationsClosed;
}

/**
 * A large file of a recognised format on worker threads, as `flowlog lint` pairs it: the workers
 * validate segments and read each record's cells (cellBuffer.ts); this thread pairs them in line
 * order, so conversations close and come out exactly as on one thread. Undefined when the file is
 * read by one thread (small, standard input, a format not recognised: validation reads no record
 * of such a file, while the one-thread reading pairs any line with the format's field count).
 */
async function pairSegmented(io: Io, args: ParsedArgs, path: string, pools: PoolHolder, builder: ConversationBuilder): Promise<SegmentedFeed | undefined> {
  const name = displayName(path);
  return runSegmented(
    io,
    path,
    pools,
    {
      command: 'lint',
      explicitFormat: explicitFormat(args),
      severities: DEFAULT_SEVERITIES,
      pairCells: true,
      accepts: (primary) => isRecognised({ primary, segments: [{ fromLine: 0, format: primary }] }),
      format: () => undefined,
      validating: () => true,
      async result(segment, baseLine) {
        for (const line of segment.overlong) warn(io, `${name}:${baseLine + line + 1}`, 'line too long to be a flow log record; skipped');
        if (segment.cells) await readSegmentCells(segment.cells, baseLine, (reader) => builder.addFrom(reader));
      },
    },
    !args.flags.has('no-progress'),
  );
}

/** Validation's rules as shipped: the workers read records as lint does (its problems are not shown here). */
const DEFAULT_SEVERITIES = severityTable({});

/** The JSON object of the issue's schema: 1-based lines, `null` for a direction not logged. */
export function conversationJson(conversation: Conversation): Record<string, unknown> {
  const side = (records: DirectionRecords | null) => records && { line: records.line + 1, action: records.action, packets: records.packets, bytes: records.bytes };
  const json: Record<string, unknown> = {
    protocol: conversation.protocol,
    initiator: conversation.initiator,
    responder: conversation.responder,
    'interface-id': conversation.interfaceId,
    request: side(conversation.request),
    response: side(conversation.response),
    verdict: conversation.verdict,
    reason: conversation.reason,
  };
  if (conversation.hops.length > 1) {
    json.hops = conversation.hops.map((hop) => ({ 'interface-id': hop.interfaceId, kind: hop.kind, request: side(hop.request), response: side(hop.response) }));
  }
  return json;
}

const sideJson = (records: DirectionRecords | null): string =>
  records === null ? 'null' : `{"line":${records.line + 1},"action":${records.action === null ? 'null' : `"${records.action}"`},"packets":${records.packets ?? 'null'},"bytes":${records.bytes ?? 'null'}}`;
const endpointJson = (endpoint: Conversation['initiator']): string => `{"addr":${JSON.stringify(endpoint.addr)},"port":${endpoint.port ?? 'null'}}`;

/**
 * `conversationJson` as one line of text, written directly: the CLI writes millions and building
 * then serialising the objects costs it more than the pairing. Strings from the file go through
 * JSON.stringify; a test keeps both the same.
 */
export function conversationJsonLine(conversation: Conversation): string {
  const { initiator, responder, hops } = conversation;
  let line = `{"protocol":${conversation.protocol ?? 'null'},"initiator":${endpointJson(initiator)},"responder":${endpointJson(responder)},"interface-id":${JSON.stringify(conversation.interfaceId)},"request":${sideJson(conversation.request)},"response":${sideJson(conversation.response)},"verdict":"${conversation.verdict}","reason":${JSON.stringify(conversation.reason)}`;
  if (hops.length > 1) {
    line += `,"hops":[${hops.map((hop) => `{"interface-id":${JSON.stringify(hop.interfaceId)},"kind":"${hop.kind}","request":${sideJson(hop.request)},"response":${sideJson(hop.response)}}`).join(',')}]`;
  }
  return `${line}}`;
}

const lineOf = (records: DirectionRecords | null): string => (records ? `line ${records.line + 1} ${records.action ?? ''}`.trimEnd() : 'none');

/** One terminal line per conversation. */
export function conversationLine(name: string, conversation: Conversation): string {
  const first = conversation.request ?? conversation.response;
  const path = describePath(conversation);
  const via = path ? ` · via ${path}` : '';
  const line = `${name}:${first ? first.line + 1 : '?'}: ${conversation.verdict} ${conversationTitle(conversation)} · request ${lineOf(conversation.request)} · reply ${lineOf(conversation.response)}${via}`;
  // Only the file's name, the addresses and the interface ID come from outside (and a path's, rare);
  // the rest is flowlog's words and numbers. Checking those short strings spares a search of every
  // whole line, which the CLI writes millions of.
  const safe = !path && nameIsSafe(name) && isTerminalSafe(conversation.initiator.addr) && isTerminalSafe(conversation.responder.addr) && isTerminalSafe(conversation.interfaceId);
  return safe ? line : terminalSafe(line);
}

let checkedName = '';
let checkedNameSafe = true;

/** isTerminalSafe of a file name, which every line of its file repeats: checked once. */
function nameIsSafe(name: string): boolean {
  if (name !== checkedName) {
    checkedName = name;
    checkedNameSafe = isTerminalSafe(name);
  }
  return checkedNameSafe;
}

export async function conversationsCommand(args: ParsedArgs, io: Io): Promise<number> {
  const format = outputFormat(args, ['text', 'json'] as const);
  let failed = false;
  const pools = new PoolHolder(io.workerEntry, threadCount(args));
  try {
    for (const path of args.files) {
      if (io.stdout.closed) break;
      const name = displayName(path);
      const paired = await pairFile(io, args, path, 'conversations', pools, (conversation) => {
        io.stdout.write(`${format === 'json' ? conversationJsonLine(conversation) : conversationLine(name, conversation)}\n`);
      });
      if (paired === undefined) failed = true;
    }
  } finally {
    await pools.close();
  }
  io.stdout.flush();
  return failed ? 2 : 0;
}


/** Default number of conversations `explain` lists per verdict and file. */
export const EXPLAIN_LIMIT = 20;

export async function explainCommand(args: ParsedArgs, io: Io): Promise<number> {
  const limit = args.values.has('limit') ? countOption(args, 'limit') : EXPLAIN_LIMIT;
  let failed = false;
  const pools = new PoolHolder(io.workerEntry, threadCount(args));
  try {
    for (const path of args.files) {
      const text = await explainFile(io, args, path, pools, limit);
      if (text === undefined) failed = true;
      else io.stdout.write(`${args.files.length > 1 && path !== args.files[0] ? '\n' : ''}${text}`);
    }
  } finally {
    await pools.close();
  }
  io.stdout.flush();
  return failed ? 2 : 0;
}

/** The report of one file, or undefined when it could not be read. */
async function explainFile(io: Io, args: ParsedArgs, path: string, pools: PoolHolder, limit: number): Promise<string | undefined> {
  const listed = new Map<Verdict, Conversation[]>();
  const counts = new Map<Verdict, number>();
  // Groups that saw no REJECT are only counted, never judged: most of a log.
  const total = await pairFile(
    io,
    args,
    path,
    'explain',
    pools,
    (conversation) => {
      if (!hasReject(conversation)) return;
      counts.set(conversation.verdict, (counts.get(conversation.verdict) ?? 0) + 1);
      const list = listed.get(conversation.verdict) ?? [];
      if (limit === 0 || list.length < limit) list.push(conversation);
      listed.set(conversation.verdict, list);
    },
    true,
  );
  return total === undefined ? undefined : explainText(displayName(path), listed, counts, total);
}

function explainText(name: string, listed: Map<Verdict, Conversation[]>, counts: Map<Verdict, number>, total: number): string {
  const rejected = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const out = [terminalSafe(`${name}: ${rejected.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} conversations with a REJECT`)];
  for (const verdict of VERDICTS) {
    const list = listed.get(verdict);
    if (!list) continue;
    const count = counts.get(verdict) ?? list.length;
    out.push('', `${VERDICT_TITLES[verdict]}: ${count.toLocaleString('en-US')}`);
    for (const conversation of list.sort((x, y) => firstLine(x) - firstLine(y))) out.push(...explainEntry(name, conversation));
    if (count > list.length) out.push(`  … and ${(count - list.length).toLocaleString('en-US')} more (--limit 0 lists all; flowlog conversations --format json has every one)`);
  }
  return `${out.join('\n')}\n`;
}

function firstLine(conversation: Conversation): number {
  return Math.min(conversation.request?.line ?? Infinity, conversation.response?.line ?? Infinity);
}

function explainEntry(name: string, conversation: Conversation): string[] {
  const direction = (label: string, records: DirectionRecords | null): string =>
    `    ${label}${records ? `${name}:${records.line + 1}${records.action ? ` ${records.action}` : ''} · ` : ''}${countsText(records)}`;
  const lines = [`  ${conversationTitle(conversation)}`, direction('request  ', conversation.request), direction('reply    ', conversation.response)];
  const path = describePath(conversation);
  if (path) lines.push(`    path     ${path}`);
  lines.push(`    why      ${conversation.reason}`, `    started  by ${conversation.initiator.addr} (${RULE_TEXT[conversation.rule]})`);
  return lines.map(terminalSafe);
}

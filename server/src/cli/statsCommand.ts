/** `flowlog stats`: one summary over all the files given, as text or JSON. */
import { humanBytes } from '../catalog/decoders';
import { FlowLogStream, isRecognised } from '../service/languageService';
import { FlowStats, TALKER_CAPACITY, type StatsSummary } from './stats';
import type { ParsedArgs } from './args';
import { explicitFormat, feedInput, noteExplicitUnused, outputFormat, warn, type Io } from './run';
import { terminalSafeLines } from './terminal';
import { displayName } from './input';

export async function statsCommand(args: ParsedArgs, io: Io): Promise<number> {
  const format = outputFormat(args, ['text', 'json'] as const);
  const fields = explicitFormat(args);
  const stats = new FlowStats();
  let failed = false;
  let unrecognised = false;
  for (const path of args.files) {
    const name = displayName(path);
    // A file that is not a flow log (an application log) is left out, as `parse` leaves it out:
    // its lines would otherwise be counted as records.
    let skip = false;
    const stream = new FlowLogStream(
      {
        record(record, wellFormed) {
          if (wellFormed && !skip) stats.add(record);
        },
        overlong(line) {
          warn(io, `${name}:${line + 1}`, 'line too long to be a flow log record; skipped');
        },
        format(format) {
          noteExplicitUnused(io, name, fields, format);
          skip = !isRecognised({ primary: format, segments: [{ fromLine: 0, format }] });
          if (skip) warn(io, name, `does not look like a flow log (${format.names.length} columns that match no known format); not counted. Pass --fields or add a header line.`);
        },
      },
      { explicitFormat: fields, validate: false, parse: true },
    );
    const result = await feedInput(io, path, 'stats', (text) => (stream.push(text), true), !args.flags.has('no-progress'));
    if (result.failure) failed = true;
    const counted = result.failure || result.stopped ? stream.stats : stream.end();
    if (skip) {
      unrecognised = true;
      continue;
    }
    stats.files++;
    stats.malformed += counted.malformed;
  }
  const summary = stats.summary();
  io.stdout.write(format === 'json' ? `${statsJson(summary)}\n` : statsText(summary));
  io.stdout.flush();
  return failed ? 2 : unrecognised ? 1 : 0;
}

/** JSON with totals past 2^53 written as exact number digits. */
export function statsJson(summary: StatsSummary): string {
  const json = JSON.stringify(summary, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value), 2);
  return json.replace(/"(\d+)n"/g, '$1');
}

const number = (n: number | bigint): string => n.toLocaleString('en-US');

function tally(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'not in the format' : entries.map(([key, count]) => `${key} ${number(count)}`).join(' · ');
}

function duration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', minutes ? `${minutes} min` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : `${seconds} s`;
}

export function statsText(s: StatsSummary): string {
  const lines = [
    `files        ${number(s.files)}`,
    `records      ${number(s.records)}${s.malformed ? ` (and ${number(s.malformed)} malformed lines not counted)` : ''}`,
    `log-status   ${tally(s.logStatus)}`,
    `action       ${tally(s.action)}`,
    `packets      ${number(s.packets)}`,
    `bytes        ${number(s.bytes)}${Number(s.bytes) >= 1024 ? ` (${humanBytes(Number(s.bytes))})` : ''}`,
    `time span    ${s.timeSpan ? `${s.timeSpan.first} → ${s.timeSpan.last} (${duration(s.timeSpan.seconds)})` : 'none'}`,
    '',
    `top talkers by bytes (srcaddr → dstaddr)${s.topTalkers.approximate ? `, estimated: more than ${number(TALKER_CAPACITY)} pairs` : ''}`,
  ];
  if (s.topTalkers.pairs.length === 0) lines.push('  none');
  s.topTalkers.pairs.forEach((pair, i) => {
    const bound = pair.maxOverestimate > 0 ? ` (at most ${humanBytes(pair.maxOverestimate)} too high)` : '';
    lines.push(`  ${String(i + 1).padStart(2)}. ${pair.srcaddr} → ${pair.dstaddr}  ${number(pair.bytes)} B (${humanBytes(pair.bytes)})${bound}`);
  });
  lines.push('', 'top rejected destination ports (records)');
  if (s.topRejectedPorts.length === 0) lines.push('  none');
  s.topRejectedPorts.forEach((entry, i) => {
    const port = entry.port === null ? entry.protocol : entry.protocol === 'any' ? `${entry.port}` : `${entry.port}/${entry.protocol}`;
    lines.push(`  ${String(i + 1).padStart(2)}. ${port.padEnd(11)} ${(entry.service ?? '').padEnd(16)} ${number(entry.records)}`);
  });
  // Addresses and other values come from the files: escaped.
  return `${terminalSafeLines(lines)}\n`;
}

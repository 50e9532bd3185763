/**
 * `flowlog parse`: records as JSON Lines. Keys are the format's field names in order; values
 * come typed from the service (numbers, bigint past 2^53, null for `-`, strings). Lines whose
 * field count does not fit the format are skipped and counted, and `flowlog lint` says why.
 */
import type { FlowLogFormat } from '../service/formatModel';
import { recordObject, type ParsedLine } from '../service/parse';
import { FlowLogStream } from '../service/stream';
import { isRecognised } from '../service/validate';
import type { ParsedArgs } from './args';
import { explicitFormat, feedInput, warn, type Io } from './run';

export async function parseCommand(args: ParsedArgs, io: Io): Promise<number> {
  const fields = explicitFormat(args);
  let failed = false;
  let unrecognised = false;
  for (const path of args.files) {
    if (io.stdout.closed) break;
    const name = path === '-' ? '<stdin>' : path;
    let skip = false;
    const stream = new FlowLogStream(
      {
        format(format) {
          skip = !isRecognised({ primary: format, segments: [{ fromLine: 0, format }] });
          if (skip) warn(io, name, `does not look like a flow log (${format.names.length} columns that match no known format); nothing parsed. Pass --fields or add a header line.`);
          else if (format.ambiguousColumns.length > 0) warn(io, name, guessNote(format));
        },
        record(record, wellFormed) {
          if (wellFormed && !skip) io.stdout.write(`${recordJson(record)}\n`);
        },
        overlong(line) {
          warn(io, `${name}:${line + 1}`, 'line too long to be a flow log record; skipped');
        },
      },
      { explicitFormat: fields, validate: false, parse: true },
    );
    const result = await feedInput(io, path, 'parse', (text) => (stream.push(text), true), !args.flags.has('no-progress'));
    if (result.failure) failed = true;
    if (result.failure || result.stopped) continue;
    const stats = stream.end();
    if (skip) unrecognised = true;
    else if (stats.malformed > 0) warn(io, name, `${stats.malformed} malformed line${stats.malformed === 1 ? '' : 's'} skipped (run flowlog lint)`);
  }
  io.stdout.flush();
  return failed ? 2 : unrecognised ? 1 : 0;
}

function guessNote(format: FlowLogFormat): string {
  const columns = format.ambiguousColumns.map((c) => `${c + 1} (${format.names[c]}?)`).join(', ');
  return `format inferred from the values; columns ${columns} are guesses. Pass --fields to be sure.`;
}

/** `{"name":` then `,"name":` … per format, or undefined when names repeat (recordObject merges those). */
const keyPrefixes = new WeakMap<FlowLogFormat, string[] | undefined>();

function prefixesOf(format: FlowLogFormat): string[] | undefined {
  if (keyPrefixes.has(format)) return keyPrefixes.get(format);
  const unique = new Set(format.names).size === format.names.length;
  const prefixes = unique ? format.names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`) : undefined;
  keyPrefixes.set(format, prefixes);
  return prefixes;
}

/** One well-formed record as a JSON object; bigints are written with all their digits. */
export function recordJson(record: ParsedLine): string {
  const prefixes = prefixesOf(record.format);
  if (!prefixes) return objectJson(recordObject(record));
  let json = '';
  const { tokens } = record;
  for (let i = 0; i < tokens.length; i++) json += prefixes[i] + valueJson(tokens[i].value);
  return `${json}}`;
}

function objectJson(object: Record<string, number | bigint | string | null>): string {
  const members = Object.entries(object).map(([key, value]) => `${JSON.stringify(key)}:${valueJson(value)}`);
  return `{${members.join(',')}}`;
}

function valueJson(value: number | bigint | string | null): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return plainString(value) ? `"${value}"` : JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  return Number.isFinite(value) ? String(value) : 'null';
}

/** True when a string needs no escaping in JSON (no quote, backslash or control character). */
function plainString(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

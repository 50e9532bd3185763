/**
 * What every command shares: where output and messages go, the options common to commands, and
 * the loop that streams one input into a consumer with progress, back-pressure, and one clear
 * message when the input fails.
 */
import type { Readable } from 'node:stream';
import { parseFieldList } from '../service/fieldList';
import type { FlowLogFormat } from '../service/formatModel';
import { severityTable, type SeverityTable } from '../service/rules';
import type { ParsedArgs } from './args';
import { describeError, displayName, openInput } from './input';
import type { Output } from './output';
import { ProgressBar, wantsProgress } from './progress';
import { terminalSafe } from './terminal';

export interface Io {
  stdout: Output;
  /** Whether stdout is a terminal (a progress bar must then be cleared before output). */
  stdoutIsTTY: boolean;
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stdin: Readable & { isTTY?: boolean };
  cwd: string;
  /** The CLI's own script, started again in worker threads for large inputs (segments.ts); none: one thread. */
  workerEntry?: string;
}

/** Thrown for a bad option value: exit status 2 with a usage message. */
export class UsageError extends Error {}

/** `flowlog: <subject>: <message>` on stderr (the subject is often a file name: escaped). */
export function warn(io: Io, subject: string, message: string): void {
  io.stderr.write(`flowlog: ${terminalSafe(subject)}: ${terminalSafe(message)}\n`);
}

/** Result of streaming one input. */
export interface FeedResult {
  name: string;
  /** Why the input could not be read (completely), when it could not. */
  failure?: string;
  /** The consumer stopped early or stdout closed: the input was not read to its end. */
  stopped: boolean;
}

/**
 * Streams one input into `consume`, which returns false to stop reading. Never throws: a failing
 * input is reported on stderr as `flowlog: FILE: problem` and in the result.
 */
export async function feedInput(io: Io, path: string, label: string, consume: (text: string) => boolean, progressAllowed: boolean): Promise<FeedResult> {
  const name = displayName(path);
  let input;
  try {
    input = await openInput(path, io.stdin);
  } catch (error) {
    const failure = describeError(error);
    warn(io, name, failure);
    return { name, failure, stopped: false };
  }
  const progress = wantsProgress(io.stderr.isTTY, input.size, !progressAllowed) ? new ProgressBar(io.stderr, `flowlog ${label} ${terminalSafe(name)}`, input.size as number) : undefined;
  if (progress && io.stdoutIsTTY) io.stdout.beforeWrite = () => progress.clear();
  let stopped = false;
  try {
    for await (const text of input.text()) {
      if (!consume(text) || io.stdout.closed) {
        stopped = true;
        break;
      }
      progress?.update(input.bytesRead);
      io.stdout.flush();
      await io.stdout.drain();
      if (io.stdout.closed) {
        stopped = true;
        break;
      }
    }
    return { name, stopped };
  } catch (error) {
    const failure = describeError(error);
    progress?.clear();
    warn(io, name, failure);
    return { name, failure, stopped: false };
  } finally {
    progress?.clear();
    io.stdout.beforeWrite = undefined;
    input.close();
  }
}

/** `--fields`: must name known fields (a typo would silently mis-read every record). */
export function explicitFormat(args: ParsedArgs): string | undefined {
  const value = args.values.get('fields');
  if (value === undefined) return undefined;
  const list = parseFieldList(value);
  if (list.names.length === 0) throw new UsageError(`--fields: no field names in '${value}'`);
  const unknown = list.unknown[0];
  if (unknown) throw new UsageError(`--fields: '${unknown.written}' is not a flow log field${unknown.suggestion ? `; did you mean '${unknown.suggestion}'?` : ''}`);
  const duplicate = list.duplicates[0];
  if (duplicate) throw new UsageError(`--fields: '${duplicate.name}' appears more than once`);
  return value;
}

/**
 * Says on stderr that `--fields` was not used for a file: it opens with a header line or
 * directive, which gives its format (lint reports the same as an `explicit-format-unused` note).
 */
export function noteExplicitUnused(io: Io, name: string, fields: string | undefined, format: FlowLogFormat): void {
  if (fields !== undefined && format.source !== 'option') {
    warn(io, name, `--fields not used: the file opens with a ${format.source === 'directive' ? 'directive' : 'header line'} (line ${(format.line ?? 0) + 1}), which gives its format`);
  }
}

/**
 * Severities the CLI uses where the editor's default would mislead: a file with no flow log
 * record at all is an error for `flowlog lint` (a pipeline must not pass it), while the editor
 * only warns, as the user may have opened any text file.
 */
const CLI_DEFAULT_SEVERITIES: Readonly<Record<string, string>> = { 'not-flow-log': 'error' };

/** `--rule code=severity`, repeatable, over the CLI's defaults. */
export function ruleSeverities(args: ParsedArgs): SeverityTable {
  // No prototype: `--rule __proto__=error` is an own key, then reported as an unknown rule.
  const overrides: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, CLI_DEFAULT_SEVERITIES);
  for (const rule of args.lists.get('rule') ?? []) {
    const equals = rule.indexOf('=');
    if (equals <= 0) throw new UsageError(`--rule: expected CODE=LEVEL, got '${rule}'`);
    overrides[rule.slice(0, equals).trim()] = rule.slice(equals + 1).trim();
  }
  const problems = { invalid: [] as string[] };
  const table = severityTable(overrides, problems);
  if (problems.invalid.length > 0) throw new UsageError(`--rule: ${problems.invalid[0]}`);
  return table;
}

/** `--format` restricted to the values a command offers; the first is the default. */
export function outputFormat<T extends string>(args: ParsedArgs, allowed: readonly T[]): T {
  const value = args.values.get('format') ?? allowed[0];
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--format: expected ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

/** A non-negative integer option; 0 when absent. */
export function countOption(args: ParsedArgs, name: string): number {
  const value = args.values.get(name);
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name}: expected a non-negative integer, got '${value}'`);
  return Number(value);
}

/**
 * Command-line arguments: `flowlog <command> [options] FILE…`. Options take `--name value` or
 * `--name=value`; `--` ends the options; `-` is a file (stdin). Bad arguments become one usage
 * message, never an exception.
 */

export const COMMANDS = ['lint', 'parse', 'detect', 'stats', 'conversations', 'explain', 'filter', 'export', 'report'] as const;
export type CommandName = (typeof COMMANDS)[number];

type OptionKind = 'string' | 'list' | 'flag';

/** Options each command accepts (`help` and `no-progress` are accepted everywhere). */
const OPTIONS: Record<CommandName, Record<string, OptionKind>> = {
  lint: { format: 'string', fields: 'string', rule: 'list', 'max-problems': 'string', threads: 'string' },
  parse: { fields: 'string', threads: 'string' },
  detect: { format: 'string', fields: 'string' },
  stats: { format: 'string', fields: 'string', 'group-by': 'list', top: 'string', by: 'string', interval: 'string', threads: 'string' },
  conversations: { format: 'string', fields: 'string', threads: 'string' },
  explain: { fields: 'string', limit: 'string', threads: 'string' },
  filter: { fields: 'string', output: 'string', count: 'flag', threads: 'string' },
  export: { fields: 'string', filter: 'string', table: 'string', location: 'string', layout: 'string', hourly: 'flag', account: 'string', region: 'string' },
  report: { fields: 'string', output: 'string', 'group-by': 'list', top: 'string', by: 'string', interval: 'string' },
};
/** Short options a command accepts, by the long option they stand for (`flowlog report -o FILE`). */
const SHORT: Partial<Record<CommandName, Record<string, string>>> = { report: { '-o': 'output' } };
/** Arguments that come before the files: `flowlog filter EXPR FILE…`, `flowlog export TARGET FILE…`. */
export const LEADING_ARGUMENTS: Partial<Record<CommandName, string>> = { filter: 'EXPR', export: 'TARGET' };

const COMMON: Record<string, OptionKind> = { help: 'flag', 'no-progress': 'flag' };

/** A command's options as a Map: a name like `__proto__` or `constructor` is then just unknown. */
function acceptedOptions(command: CommandName): ReadonlyMap<string, OptionKind> {
  return new Map(Object.entries({ ...COMMON, ...OPTIONS[command] }));
}

export interface ParsedArgs {
  command: CommandName;
  /** String options by name; `list` options joined in `lists`. */
  values: Map<string, string>;
  lists: Map<string, string[]>;
  flags: Set<string>;
  files: string[];
}

export type ArgsResult =
  | { kind: 'run'; args: ParsedArgs }
  | { kind: 'help'; command?: CommandName }
  | { kind: 'version' }
  | { kind: 'usage'; message: string; command?: CommandName };

export function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

export function parseArgs(argv: readonly string[]): ArgsResult {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { kind: 'help' };
    return isCommand(topic) ? { kind: 'help', command: topic } : { kind: 'usage', message: `unknown command '${topic}'` };
  }
  if (!isCommand(first)) {
    return { kind: 'usage', message: first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'` };
  }
  return parseCommandArgs(first, rest);
}

function parseCommandArgs(command: CommandName, argv: readonly string[]): ArgsResult {
  const accepted = acceptedOptions(command);
  const args: ParsedArgs = { command, values: new Map(), lists: new Map(), flags: new Set(), files: [] };
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      args.files.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    if (arg === '-h') {
      args.flags.add('help');
      continue;
    }
    const short = SHORT[command]?.[arg];
    const equals = short ? -1 : arg.indexOf('=');
    const name = short ?? arg.slice(2, equals < 0 ? undefined : equals);
    const kind = short || arg.startsWith('--') ? accepted.get(name) : undefined;
    if (!kind) return { kind: 'usage', command, message: `unknown option '${arg}' for '${command}'` };
    if (kind === 'flag') {
      if (equals >= 0) return { kind: 'usage', command, message: `option '--${name}' takes no value` };
      args.flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (equals >= 0) value = arg.slice(equals + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined) return { kind: 'usage', command, message: `option '--${name}' needs a value` };
    if (kind === 'list') args.lists.set(name, [...(args.lists.get(name) ?? []), value]);
    else args.values.set(name, value);
  }
  if (args.flags.has('help')) return { kind: 'help', command };
  return { kind: 'run', args };
}

/**
 * The `flowlog` command. Bundled to dist/cli.js (CommonJS, `#!/usr/bin/env node`); in tests it
 * runs as `node --import tsx server/src/cli/main.ts`. Exit status: 0 no errors, 1 errors found,
 * 2 usage error or an input that could not be read.
 */
import { version } from '../../../package.json';
import { LEADING_ARGUMENTS, parseArgs, type CommandName, type ParsedArgs } from './args';
import { detectCommand } from './detect';
import { exportCommand } from './exportCommand';
import { filterCommand } from './filter';
import { conversationsCommand, explainCommand } from './conversationsCommand';
import { commandHelp, MAIN_HELP } from './help';
import { lintCommand } from './lint';
import { Output } from './output';
import { parseCommand } from './parse';
import { UsageError, type Io } from './run';
import { reportCommand } from './reportCommand';
import { statsCommand } from './statsCommand';
import { runSegmentWorker } from './segmentWorker';
import { terminalSafe } from './terminal';
import { isMainThread, workerData } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

async function run(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'help':
      io.stdout.write(parsed.command ? commandHelp(parsed.command) : MAIN_HELP);
      return 0;
    case 'version':
      io.stdout.write(`${version}\n`);
      return 0;
    case 'usage':
      return usage(io, parsed.message, parsed.command);
  }
  const { args } = parsed;
  const leading = LEADING_ARGUMENTS[args.command] ? 1 : 0;
  if (args.files.length < leading) return usage(io, `missing ${LEADING_ARGUMENTS[args.command]}`, args.command);
  if (args.files.length === leading) {
    if (io.stdin.isTTY) return usage(io, 'no input files (use - to read standard input)', args.command);
    args.files.push('-');
  }
  try {
    return await COMMANDS[args.command](args, io);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message, args.command);
    throw error;
  }
}

/** Each command's entry point: a new command is one entry here (with its options in args.ts and its help in help.ts). */
const COMMANDS: Readonly<Record<CommandName, (args: ParsedArgs, io: Io) => Promise<number>>> = {
  lint: (args, io) => lintCommand(args, io, version),
  parse: parseCommand,
  detect: detectCommand,
  stats: statsCommand,
  conversations: conversationsCommand,
  explain: explainCommand,
  filter: filterCommand,
  export: exportCommand,
  report: reportCommand,
};

function usage(io: Io, message: string, command?: string): number {
  io.stderr.write(`flowlog: ${terminalSafe(message)}\nRun 'flowlog ${command ? `${command} ` : ''}--help' for usage.\n`);
  return 2;
}

function main(): void {
  const stdout = new Output(process.stdout, true);
  // Messages on a closed stderr (`2>&1 | head`) must not crash the run either.
  process.stderr.on('error', () => undefined);
  const io: Io = { stdout, stdoutIsTTY: process.stdout.isTTY === true, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), workerEntry: workerScript() };
  run(process.argv.slice(2), io).then(
    (code) => {
      stdout.flush();
      if (stdout.failure) {
        process.stderr.write(`flowlog: cannot write output: ${stdout.failure.message}\n`);
        code = 2;
      }
      // A reader that stopped early (`| head`) is not a failure in itself, but what was found
      // before it stopped still decides the status: `flowlog lint x | head -1` exits 1 on errors.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`flowlog: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

/**
 * The script worker threads run: the worker's own bundle beside dist/cli.js, its source under tsx
 * (tests), else this script itself, which runs a worker too (below).
 */
function workerScript(): string {
  const own = join(__dirname, __filename.endsWith('.ts') ? 'segmentWorkerMain.ts' : 'cli-worker.js');
  return existsSync(own) ? own : __filename;
}

// The same script can run the segment workers of large inputs (segments.ts).
if (isMainThread || !(workerData as { flowlogSegmentWorker?: boolean } | undefined)?.flowlogSegmentWorker) main();
else runSegmentWorker();

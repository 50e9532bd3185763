/**
 * Node entry of the language server. The VS Code client starts it with `--stdio`; other editors
 * (Neovim, Emacs, Helix, …) too (`flowlog-language-server --stdio`). `--node-ipc`,
 * `--socket=N` and `--pipe=NAME` work as well.
 *
 * Over stdio, sockets and pipes, messages are read by LeanMessageReader, which hands the text of
 * a large `didOpen` over in pieces instead of holding the message body, its decoded JSON and the
 * text at once (vscode-jsonrpc's reader peaks at about 4× the document).
 */
import { connect, type Socket } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { format } from 'node:util';
import { createConnection, ProposedFeatures, SocketMessageWriter, StreamMessageWriter, type Connection, type Message, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';
import { LeanMessageReader } from './lsp/messageReader';
import { PairingThread } from './lsp/pairingThread';
import type { PairingReply } from './service/conversations/pairingJob';
import { ProcessIdRequest } from './lsp/protocol';
import { startServer } from './server';

const TRANSPORTS = ['--node-ipc', '--stdio', '--socket', '--pipe'];
const args = process.argv.slice(2);

if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: flowlog-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n\nThe flowlog language server (Language Server Protocol) for AWS VPC and Transit Gateway flow logs.\n');
  process.exit(0);
}
if (args.includes('--version')) {
  process.stdout.write('flowlog-language-server 0.1.0\n');
  process.exit(0);
}
if (!args.some((arg) => TRANSPORTS.some((t) => arg === t || arg.startsWith(`${t}=`)))) {
  process.stderr.write('flowlog-language-server: say how to talk to the editor: --stdio (most editors), --node-ipc, --socket=<port> or --pipe=<name>.\n');
  process.exit(2);
}

/** The value of `--name=value` or `--name value`. */
function argument(name: string): string | undefined {
  for (let index = 0; index < args.length; index++) {
    if (args[index] === name) return args[index + 1];
    if (args[index].startsWith(`${name}=`)) return args[index].slice(name.length + 1);
  }
  return undefined;
}

/** The first transport named on the command line wins, as in vscode-languageserver. */
const transport = args.map((arg) => arg.split('=')[0]).find((arg) => TRANSPORTS.includes(arg));
let shutdownRequested = false;

/** Notes a `shutdown` request on its way in, so that the exit code can say whether the end was orderly. */
function watchingShutdown(reader: LeanMessageReader): MessageReader {
  const listen = reader.listen.bind(reader);
  reader.listen = (callback) =>
    listen((message: Message) => {
      if ((message as { method?: unknown }).method === 'shutdown') shutdownRequested = true;
      callback(message);
    });
  return reader;
}

function socketTransport(socket: Socket): [MessageReader, MessageWriter] {
  return [new LeanMessageReader(socket), new SocketMessageWriter(socket)];
}

let connection: Connection;
if (transport === '--stdio') {
  connection = createConnection(ProposedFeatures.all, watchingShutdown(new LeanMessageReader(process.stdin)), new StreamMessageWriter(process.stdout));
  // What vscode-languageserver does for its own stdio transport: stdout carries the protocol, so
  // console output goes to the client's log, and the server ends when the editor closes stdin.
  const log = (...values: unknown[]): void => connection.console.log(format(...values));
  console.log = log;
  console.info = (...values: unknown[]) => connection.console.info(format(...values));
  console.debug = log;
  console.warn = (...values: unknown[]) => connection.console.warn(format(...values));
  console.error = (...values: unknown[]) => connection.console.error(format(...values));
  const end = (): never => process.exit(shutdownRequested ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
} else if (transport === '--socket' && Number(argument('--socket')) > 0) {
  connection = createConnection(ProposedFeatures.all, ...socketTransport(connect(Number(argument('--socket')), '127.0.0.1')));
} else if (transport === '--pipe' && argument('--pipe')) {
  connection = createConnection(ProposedFeatures.all, ...socketTransport(connect(argument('--pipe') as string)));
} else {
  // --node-ipc: messages arrive parsed by Node's IPC channel, so there is nothing to read here.
  connection = createConnection(ProposedFeatures.all);
}
// A bug in one request must not end the session: log it and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`flowlog: uncaught ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`flowlog: unhandled rejection ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
// Lets the client (and tests) find the process, e.g. to show that a killed server is restarted.
connection.onRequest(ProcessIdRequest, () => process.pid);
let pairingThread: PairingThread | undefined;

/**
 * Whether a large document goes to the pairing thread under `flowlog.pairingThread` `mode`: `auto`
 * only with 4 or more cores and 2 to spare (1-minute load average). With fewer the two threads
 * share busy cores (the editor's own, the client's): validation gets less of them and the thread
 * gains nothing (BENCHMARKS.md, session 10). The load average is 0 where the system has none
 * (Windows). FLOWLOG_PAIRING_THREAD=on|off decides instead (the benchmarks).
 */
function coreToSpare(mode: 'auto' | 'on'): boolean {
  const decided = process.env.FLOWLOG_PAIRING_THREAD;
  if (decided === 'off' || decided === 'on') return decided === 'on';
  if (mode === 'on') return availableParallelism() >= 2;
  const cores = availableParallelism();
  return cores >= 4 && loadavg()[0] <= cores - 2;
}

/** Started when the first large document is paired there; it does not keep the process alive. */
function startPairingThread(mode: 'auto' | 'on'): PairingThread | undefined {
  // The script is this one's neighbour in dist/, whatever the client says.
  if (!coreToSpare(mode)) return undefined;
  if (pairingThread) return pairingThread;
  try {
    const worker = new Worker(join(__dirname, 'pairing-worker.js'));
    const thread = new PairingThread({ postMessage: (message, transfer) => worker.postMessage(message, transfer) });
    worker.on('message', (reply: PairingReply) => thread.received(reply));
    worker.on('error', (error) => thread.failed(error.message));
    worker.on('exit', (code) => thread.failed(`it exited with code ${code}`));
    worker.unref();
    pairingThread = thread;
  } catch (error) {
    connection.console.error(`flowlog: no pairing thread (${error instanceof Error ? error.message : String(error)}); documents are paired on the server's thread`);
  }
  return pairingThread;
}

startServer(connection, { pairingThread: startPairingThread });

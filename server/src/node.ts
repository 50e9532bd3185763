/**
 * Node entry of the language server. Started by the VS Code client over IPC; other editors
 * (Neovim, Emacs, Helix, …) start it with `--stdio` (`flowlog-language-server --stdio`).
 * `createConnection` reads the transport from the command line (--node-ipc, --stdio, --socket=N,
 * --pipe=NAME).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { PROCESS_ID_REQUEST } from './lsp/protocol';
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

const connection = createConnection(ProposedFeatures.all);
// A bug in one request must not end the session: log it and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`flowlog: uncaught ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`flowlog: unhandled rejection ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
// Lets the client (and tests) find the process, e.g. to show that a killed server is restarted.
connection.onRequest(PROCESS_ID_REQUEST, () => process.pid);
startServer(connection);

/**
 * The worker-thread side of several files at once (parallelFiles.ts): one whole file at a time,
 * run through the command's one-thread code with an Io whose output goes to the main thread
 * (fileChannel.ts). Decompression of a .gz happens here, in the worker.
 */
import { Readable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { channelIo, FileChannel, type FileAck, type FileDone, type FileJob } from './fileChannel';
import type { Io } from './run';
import { lintFileOnWorker } from './lint';
import { filterFileOnWorker } from './filter';

/** Runs one file for its command; the outcome is what the main thread needs besides the output. */
const COMMANDS: Record<FileJob['command'], (io: Io, job: FileJob, channel: FileChannel) => Promise<unknown>> = {
  lint: (io, job, channel) => lintFileOnWorker(io, job.path, job.options, job.terminal !== undefined, (problem) => channel.problem(problem)),
  filter: (io, job) => filterFileOnWorker(io, job.path, job.options, job.terminal !== undefined),
};

const channels = new Map<number, FileChannel>();
let queue: Promise<void> = Promise.resolve();
/** Standard input is never read by a file job (its paths are files). */
const noInput = Readable.from([]);

export function isFileMessage(message: unknown): message is FileJob | FileAck {
  const kind = (message as { kind?: unknown } | null)?.kind;
  return kind === 'file-job' || kind === 'file-ack';
}

/** A file job (run after the ones before it) or an acknowledgement of one's output. */
export function receiveFileMessage(port: MessagePort, message: FileJob | FileAck): void {
  if (message.kind === 'file-ack') {
    channels.get(message.id)?.acknowledged(message.size);
    return;
  }
  // For tests: the worker dies on file job N (1-based) without answering, as a crash would.
  const fault = process.env.FLOWLOG_TEST_WORKER_FAULT?.match(/^(exit|throw)@file(\d+)$/);
  if (fault && Number(fault[2]) === message.id + 1) {
    if (fault[1] === 'exit') process.exit(7);
    setImmediate(() => {
      throw new Error(`test fault on file job ${message.id + 1}`);
    });
    return;
  }
  queue = queue.then(() => runFileJob(port, message));
}

async function runFileJob(port: MessagePort, job: FileJob): Promise<void> {
  const channel = new FileChannel(port, job.id, job.unwrittenLimit);
  channels.set(job.id, channel);
  let done: FileDone;
  try {
    const outcome = await COMMANDS[job.command](channelIo(channel, noInput, process.cwd(), job.terminal), job, channel);
    channel.send();
    done = { kind: 'file-done', id: job.id, outcome };
  } catch (error) {
    channel.send();
    done = { kind: 'file-done', id: job.id, error: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
  } finally {
    channels.delete(job.id);
  }
  port.postMessage(done);
}

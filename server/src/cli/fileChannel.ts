/**
 * Several input files at once: each small or medium file is read whole by a worker thread running
 * the command's own one-thread code (parallelFiles.ts), whose output goes through a channel to the
 * main thread instead of to stdout. This file is the channel: what crosses between the threads,
 * and the worker's end, which sends what the file writes in batches, in order, and waits when the
 * main thread holds too much of it unread (a file whose turn has not come: memory stays bounded).
 */
import { Writable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import type { Problem } from '../service/problems';
import { Output } from './output';
import type { Io } from './run';
import type { SeverityTable } from '../service/rules';
import type { FilterOutput } from './filter';

/** Something a file wrote, in the order it wrote it: stdout bytes, a stderr message, a lint problem (for the main thread's reporter). */
export type FileEvent = { out: Uint8Array } | { err: string } | { problem: Problem };

/** What the worker needs to run one file as the command's one thread runs it. */
export interface FileJobOptions {
  /** `--fields`. */
  fields: string | undefined;
  /** lint. */
  severities?: SeverityTable;
  maxProblems?: number;
  /** filter: the filter's source and output, and whether the command has several files (`--count` names them). */
  filter?: { source: string; output: FilterOutput; manyFiles: boolean };
}

/** Main to worker: run the file at `path` through `command`. */
export interface FileJob {
  kind: 'file-job';
  id: number;
  command: 'lint' | 'filter';
  path: string;
  options: FileJobOptions;
  /** Bytes the worker may send ahead of what the main thread wrote, before it waits. */
  unwrittenLimit: number;
  /** stderr is a terminal and progress is allowed: the worker draws the file's progress bar there (held until the file's turn, as its output). */
  terminal?: { columns: number | undefined; stdoutIsTTY: boolean };
}

/** Worker to main: events of file job `id`, `size` bytes' worth, to acknowledge once written. */
export interface FileBatch {
  kind: 'file-batch';
  id: number;
  events: FileEvent[];
  size: number;
}

/** Worker to main: file job `id` is done; `outcome` is the command's (undefined: `error` says why not). */
export interface FileDone {
  kind: 'file-done';
  id: number;
  outcome?: unknown;
  error?: string;
}

/** Main to worker: `size` bytes of file job `id` were written (the worker may send more). */
export interface FileAck {
  kind: 'file-ack';
  id: number;
  size: number;
}

/** Batches are sent once they hold this much (or the file ends). */
const BATCH_BYTES = 256 * 1024;
/** Bytes a problem counts for (its JSON is about this long). */
const PROBLEM_BYTES = 160;

/** The worker's end of one file job. */
export class FileChannel {
  private events: FileEvent[] = [];
  private size = 0;
  private text: string[] = [];
  private textLength = 0;
  private unacknowledged = 0;
  private waiting: (() => void) | undefined;

  constructor(private readonly port: MessagePort, readonly id: number, private readonly limit: number) {}

  writeText(text: string): void {
    this.text.push(text);
    this.textLength += text.length;
    if (this.textLength >= BATCH_BYTES) this.endText();
  }

  writeBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.endText();
    this.add({ out: bytes }, bytes.length);
  }

  stderr(text: string): void {
    this.endText();
    this.add({ err: text }, text.length);
  }

  problem(problem: Problem): void {
    this.add({ problem }, PROBLEM_BYTES + problem.message.length);
  }

  /** Sends what is gathered, then waits while the main thread holds too much unwritten. */
  async room(): Promise<void> {
    this.send();
    while (this.unacknowledged >= this.limit) await new Promise<void>((resolve) => (this.waiting = resolve));
  }

  acknowledged(size: number): void {
    this.unacknowledged -= size;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** Sends everything gathered (the file's end). */
  send(): void {
    this.endText();
    if (this.events.length === 0) return;
    const batch: FileBatch = { kind: 'file-batch', id: this.id, events: this.events, size: this.size };
    this.unacknowledged += this.size;
    this.events = [];
    this.size = 0;
    const bytes = gatherOutput(batch.events);
    this.port.postMessage(batch, bytes ? [bytes] : []);
  }

  private add(event: FileEvent, size: number): void {
    this.events.push(event);
    this.size += size;
    if (this.size >= BATCH_BYTES) this.send();
  }

  /** Text written so far as one piece of bytes (encoded as the stdout stream would encode it). */
  private endText(): void {
    if (this.text.length === 0) return;
    const text = this.text.length === 1 ? this.text[0] : this.text.join('');
    this.text = [];
    this.textLength = 0;
    this.add({ out: Buffer.from(text, 'utf8') }, text.length);
  }
}

/**
 * The batch's stdout bytes copied into one buffer of their own, which is transferred: one copy
 * instead of the two of a structured clone (parse writes twice its input or more).
 */
function gatherOutput(events: FileEvent[]): ArrayBuffer | undefined {
  let total = 0;
  for (const event of events) if ('out' in event) total += event.out.length;
  if (total === 0) return undefined;
  const all = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!('out' in event)) continue;
    all.set(event.out, at);
    events[i] = { out: all.subarray(at, at + event.out.length) };
    at += event.out.length;
  }
  return all.buffer;
}

/** Stdout of a file job: what the command writes goes into the channel; drain() waits for room there. */
class ChannelOutput extends Output {
  constructor(private readonly channel: FileChannel) {
    super(new Writable({ write: (_chunk, _encoding, done) => done() }));
  }

  // beforeWrite: a progress bar on the same terminal is cleared first, in the channel's order.
  override write(text: string): void {
    this.beforeWrite?.();
    this.channel.writeText(text);
  }

  override writeBytes(bytes: Uint8Array): void {
    this.beforeWrite?.();
    this.channel.writeBytes(bytes);
  }

  override flush(): void {}

  override drain(): Promise<void> {
    return this.channel.room();
  }
}

/** The Io a command's one-thread code runs with in a worker: no standard input, no workers of its own; a terminal as the main thread's. */
export function channelIo(channel: FileChannel, stdin: Io['stdin'], cwd: string, terminal: FileJob['terminal']): Io {
  return {
    stdout: new ChannelOutput(channel),
    stdoutIsTTY: terminal?.stdoutIsTTY === true,
    stderr: { write: (text: string) => channel.stderr(text), isTTY: terminal !== undefined, columns: terminal?.columns },
    stdin,
    cwd,
  };
}

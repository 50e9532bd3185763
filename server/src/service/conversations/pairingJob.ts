/**
 * Pairing a large document on another thread. The editor's validation reads every record once;
 * instead of pairing each one there (about 1 µs a record on the thread that answers hovers),
 * the main thread writes the cells pairing needs (cli/cellBuffer.ts, as the CLI's workers do)
 * and posts them a batch at a time; the pairing thread adds them to its ConversationBuilder in
 * line order, finishes the groups and marks the line lookup, and hands the conversations back
 * as arrays (`ConversationsParts`), moved, not copied.
 *
 * Both sides are here and take their transport as a function, so they run (and are tested)
 * without a thread: `PairingJobs` is the pairing thread's side, `RemotePairing` the main thread's.
 */
import { CellReader, CellWriter, type SegmentCells } from './cellBuffer';
import { ConversationBuilder } from './builder';
import { DocumentConversations, type ConversationsParts, type Pairing } from './documentConversations';
import type { PairingColumns } from './flowRecord';
import type { TokenBuffer } from '../scan';

export type PairingMessage =
  | { kind: 'start'; job: number; lineCount: number }
  | { kind: 'cells'; job: number; cells: SegmentCells }
  | { kind: 'finish'; job: number }
  | { kind: 'cancel'; job: number };

export type PairingReply =
  | { kind: 'done'; job: number; parts: ConversationsParts }
  | { kind: 'failed'; job: number; message: string }
  /** A batch read: its buffers go back, to be written again. */
  | { kind: 'spent'; job: number; cells: SegmentCells };

export type PostReply = (reply: PairingReply, transfer: ArrayBuffer[]) => void;

/** The pairing thread's side: one builder per job (a document version), dropped when done or cancelled. */
export class PairingJobs {
  private readonly builders = new Map<number, { builder: ConversationBuilder; lineCount: number }>();

  constructor(private readonly post: PostReply) {}

  handle(message: PairingMessage): void {
    try {
      this.take(message);
    } catch (error) {
      this.builders.delete(message.job);
      this.post({ kind: 'failed', job: message.job, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, []);
    }
  }

  private take(message: PairingMessage): void {
    switch (message.kind) {
      case 'start':
        this.builders.set(message.job, { builder: new ConversationBuilder(() => undefined, { keepLines: true, capacity: message.lineCount }), lineCount: message.lineCount });
        return;
      case 'cancel':
        this.builders.delete(message.job);
        return;
      case 'cells': {
        const job = this.builders.get(message.job);
        if (!job) return;
        const reader = new CellReader(message.cells, 0);
        for (reader.at = 0; reader.at < reader.count; reader.at++) job.builder.addFrom(reader);
        const spent = { ...message.cells, count: 0, strings: [] };
        this.post({ kind: 'spent', job: message.job, cells: spent }, buffersOf(spent));
        return;
      }
      case 'finish': {
        const job = this.builders.get(message.job);
        if (!job) return;
        this.builders.delete(message.job);
        const finished = job.builder.finishGroups() as NonNullable<ReturnType<ConversationBuilder['finishGroups']>>;
        const parts = new DocumentConversations(finished.store, finished.groups, finished.logHasAccept, job.lineCount).toParts();
        this.post({ kind: 'done', job: message.job, parts }, transferablesOf(parts));
      }
    }
  }
}

/** The buffers of a batch's cells: moved with the message. */
function buffersOf(cells: SegmentCells): ArrayBuffer[] {
  return [cells.ints.buffer, cells.nums.buffer, ...(cells.raw ? [cells.raw.units.buffer, cells.raw.ends.buffer] : [])] as ArrayBuffer[];
}

/** The buffers behind the parts' arrays, each once: moved with the message. */
export function transferablesOf(parts: ConversationsParts): ArrayBuffer[] {
  const views: ArrayBufferView[] = [parts.groups, parts.byLine, ...Object.values(parts.store.columns), ...parts.store.intern.chunks, parts.store.intern.chunkOf, parts.store.intern.offsets, parts.store.intern.lengths];
  return [...new Set(views.map((view) => view.buffer as ArrayBuffer))];
}

/** Batches given back and kept for writing (more would only hold memory). */
const MAX_SPENT = 2;
/** Records a batch holds before it is posted (about 400 KB of cells). */
const BATCH_RECORDS = 4096;

/** Where `RemotePairing` posts its messages, and where it registers the handler of its job's replies. */
export interface PairingLink {
  post(message: PairingMessage, transfer: ArrayBuffer[]): void;
  /** Registers the job's answer handler; returns the job's number. */
  open(onReply: (reply: PairingReply) => void): number;
  close(job: number): void;
}

/**
 * The main thread's side of a job: what validation feeds goes into a CellWriter, posted a batch
 * at a time; `finish` asks for the conversations, which `waiting` announces.
 */
export class RemotePairing implements Pairing {
  private readonly writer = new CellWriter({ rawValues: true });
  private readonly job: number;
  private pending = 0;
  private asked = false;
  /** Batches the pairing thread gave back, written again. */
  private readonly spent: SegmentCells[] = [];
  private result: DocumentConversations | undefined;
  private wake: (() => void) | undefined;
  /** Set when the pairing thread could not pair: the task pairs here instead. */
  failure: string | undefined;
  waiting: Promise<void> | undefined;

  /** `batchRecords`: records a batch holds before it is posted (tests make it small). */
  constructor(
    private readonly link: PairingLink,
    lineCount: number,
    private readonly batchRecords = BATCH_RECORDS,
  ) {
    this.job = link.open((reply) => this.answered(reply));
    link.post({ kind: 'start', job: this.job, lineCount }, []);
    this.writer.begin();
  }

  addProven(text: string, base: number, line: number, columns: PairingColumns): boolean {
    return this.counted(this.writer.addProven(text, base, line, columns));
  }

  addTokens(text: string, tokens: TokenBuffer, line: number, record: number, columns: PairingColumns): boolean {
    return this.counted(this.writer.addTokens(text, tokens, line, record, columns));
  }

  addText(text: string, start: number, end: number, line: number, record: number, columns: PairingColumns, tokens: TokenBuffer): boolean {
    return this.counted(this.writer.addText(text, start, end, line, record, columns, tokens));
  }

  private counted(added: boolean): boolean {
    if (added && ++this.pending >= this.batchRecords) this.post();
    return added;
  }

  /** Nothing here reads the pairing state between validation's ranges: records go a full batch at a time. */
  drain(): void {}

  /** Posts the records written so far. */
  private post(): void {
    if (this.pending === 0) return;
    this.pending = 0;
    const cells = this.writer.take();
    this.link.post({ kind: 'cells', job: this.job, cells }, buffersOf(cells));
    this.writer.begin(this.spent.pop());
  }

  finish(): DocumentConversations | undefined {
    if (this.result || this.failure) return this.result;
    if (!this.asked) {
      this.asked = true;
      this.post();
      this.waiting = new Promise((resolve) => (this.wake = resolve));
      this.link.post({ kind: 'finish', job: this.job }, []);
    }
    return undefined;
  }

  dispose(): void {
    if (this.result || this.failure) return;
    this.link.post({ kind: 'cancel', job: this.job }, []);
    this.link.close(this.job);
    this.settle();
  }

  private answered(reply: PairingReply): void {
    if (reply.kind === 'spent') {
      if (this.spent.length < MAX_SPENT) this.spent.push(reply.cells);
      return;
    }
    this.link.close(this.job);
    if (reply.kind === 'done') this.result = DocumentConversations.fromParts(reply.parts);
    else this.failure = reply.message;
    this.settle();
  }

  private settle(): void {
    this.waiting = undefined;
    this.wake?.();
    this.wake = undefined;
  }
}

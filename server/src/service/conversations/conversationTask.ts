/**
 * Pairing of one document version, a slice of lines at a time: the records are read by the task
 * itself (`step`), or fed by validation as it reads the lines (`feed`, the editor: one scan for
 * both), or both in turn. Either way records are added in line order, each once. They are paired
 * here (LocalPairing) or on another thread (pairingJob.ts RemotePairing): the task does not care.
 */
import type { FlowLogDocument } from '../document';
import type { ValidationRangeFeed } from '../documentValidation';
import { jsonRecords, JsonRecords } from '../exportShapes';
import { isRecognised } from '../formatModel';
import { forEachRecordLine } from '../recordLines';
import { isJsonLine, skipBlanks, TokenBuffer } from '../scan';
import { ConversationBuilder } from './builder';
import { DocumentConversations } from './documentConversations';
import { pairingColumns } from './flowRecord';
import { PLACE_STRIDE } from './group';
import { TaskFeed } from './taskFeed';
import type { RecordSink } from './validationFeed';

/** Where a task's records are paired. */
export interface Pairing extends RecordSink {
  /** Pairs (or hands on) the records added so far. */
  drain(): void;
  /** After the last record: the conversations once complete (up to `budget` more groups finished a call), else undefined. */
  finish(budget: number): DocumentConversations | undefined;
  /** While set, `finish` has nothing new before it resolves (another thread is at work). */
  readonly waiting?: Promise<void>;
  /** Set when the pairing failed elsewhere: the task pairs the document here instead. */
  readonly failure?: string;
  /** The version was abandoned: work elsewhere stops. */
  dispose?(): void;
}

/** What a LocalPairing holds once its builder is spent. */
const SPENT = new ConversationBuilder(() => undefined);

/** Pairing on this thread: a ConversationBuilder, then the line lookup marked a slice at a time. */
export class LocalPairing implements Pairing {
  /** Dropped once the groups are finished (its key tables are tens of MB for a large document). */
  private builder: ConversationBuilder;
  private marking: DocumentConversations | undefined;

  constructor(private readonly lineCount: number) {
    this.builder = new ConversationBuilder(() => undefined, { keepLines: true, capacity: lineCount });
  }

  addProven: RecordSink['addProven'] = (text, base, line, columns) => this.builder.addProven(text, base, line, columns);
  addTokens: RecordSink['addTokens'] = (text, tokens, line, record, columns) => this.builder.addTokens(text, tokens, line, record, columns);
  addText: RecordSink['addText'] = (text, start, end, line, record, columns, tokens) => this.builder.addText(text, start, end, line, record, columns, tokens);

  drain(): void {
    this.builder.drain();
  }

  finish(budget: number): DocumentConversations | undefined {
    if (!this.marking) {
      const finished = this.builder.finishGroups(budget);
      if (!finished) return undefined;
      this.marking = new DocumentConversations(finished.store, finished.groups, finished.logHasAccept, this.lineCount);
      this.builder = SPENT;
    }
    return this.marking.markLines(budget) ? this.marking : undefined;
  }
}

/**
 * A fed task that is behind validation (the editor attaches it after the first validation step,
 * whose answer must not wait for the index to be allocated) reads the missing lines itself, at
 * most this many per range validation reads, while it is at most CATCH_UP_LINES behind.
 */
const CATCH_UP_PER_RANGE = 256;
const CATCH_UP_LINES = 20_000;

export class ConversationTask {
  private next = 0;
  /** Made by the first step (not when the task is made, which an edit's diagnostics wait for); dropped once done. */
  private pairing: Pairing | undefined;
  /** Every line is in: the pairing is finishing. */
  private finishing = false;
  private readonly tokens = new TokenBuffer();
  private readonly json = new JsonRecords();
  private result: DocumentConversations | undefined;
  private fed: ValidationRangeFeed | undefined;

  /** `pairingFor`: where a document of this many lines is paired (default: here). */
  constructor(
    private readonly document: FlowLogDocument,
    private readonly pairingFor: (lineCount: number) => Pairing = (lineCount) => new LocalPairing(lineCount),
  ) {}

  get done(): DocumentConversations | undefined {
    return this.result;
  }

  /** Lines whose records are paired: [0, linesRead). */
  get linesRead(): number {
    return this.next;
  }

  /** While set, stepping gives nothing new before it resolves. */
  get waiting(): Promise<void> | undefined {
    return this.pairing?.waiting;
  }

  /** Whether the conversations were paired on another thread. */
  pairedElsewhere = false;

  /** Records fed by validation so far (tests, the bench). */
  fedRecords = 0;

  /** The feed validation hands its records to (documentValidation.ts `feed`). */
  feed(): ValidationRangeFeed {
    this.fed ??= new TaskFeed(this);
    return this.fed;
  }

  /** Stops work elsewhere for a version no longer wanted. */
  dispose(): void {
    this.pairing?.dispose?.();
  }

  private ensurePairing(): Pairing {
    this.pairing ??= this.pairingFor(this.document.lines.lineCount);
    return this.pairing;
  }

  /** Whether records of a range validation starts at `from` can be taken: only when nothing before it is missing. */
  beginFed(from: number): Pairing | undefined {
    // Validation reads no record of a document whose format is not recognised; pairing may.
    if (this.result || this.finishing || (this.pairing === undefined && this.next > 0) || !isRecognised(this.document.formats)) return undefined;
    if (from > this.next) {
      if (from - this.next > CATCH_UP_LINES) return undefined;
      this.readLines(Math.min(from, this.next + CATCH_UP_PER_RANGE));
      if (from > this.next) return undefined;
    }
    return this.ensurePairing();
  }

  /** Whether a fed line is new (each line's records are added once, in order); marks it read. */
  takeLine(line: number): boolean {
    if (line < this.next) return false;
    this.next = line + 1;
    return true;
  }

  /** A fed range ended: every line before `resumeAt` was seen (when validation read the whole range). */
  endFed(resumeAt: number, complete: boolean): void {
    if (complete) this.next = Math.max(this.next, resumeAt);
  }

  /**
   * Reads up to `lines` more lines (then finishes the pairing that many groups at a time);
   * returns the conversations once the whole document is read and they are complete.
   */
  step(lines: number): DocumentConversations | undefined {
    if (this.result) return this.result;
    const pairing = this.ensurePairing();
    if (pairing.failure !== undefined) {
      // Paired elsewhere and lost: start again here.
      this.pairing = new LocalPairing(this.document.lines.lineCount);
      this.next = 0;
      this.finishing = false;
      return undefined;
    }
    const total = this.document.lines.lineCount;
    if (this.next >= total) {
      this.finishing = true;
      this.result = pairing.finish(lines);
      if (this.result) {
        this.pairedElsewhere = !(pairing instanceof LocalPairing);
        this.pairing = undefined;
      }
      return this.result;
    }
    this.readLines(Math.min(total, this.next + lines));
    return this.next < total ? undefined : this.step(lines);
  }

  /** Reads the lines [next, to) itself (a wrapped record may take it a little past `to`). */
  private readLines(to: number): void {
    const pairing = this.ensurePairing();
    const { document, tokens } = this;
    let last = this.next;
    forEachRecordLine(document.lines, document.formats, this.next, to, (text, start, end, segment, line) => {
      last = line;
      const columns = pairingColumns(segment.format);
      // An overlong line is not read (validation does not read it either).
      if (!columns || end - start > document.maxLineLength) return;
      const first = skipBlanks(text, start, end);
      if (!isJsonLine(text, first)) {
        pairing.addText(text, start, end, line, 0, columns, tokens);
        return;
      }
      // A JSON line (a CloudWatch Logs subscription envelope) may hold many records: each takes part.
      const { json } = this;
      jsonRecords(text, first, end, json);
      for (let index = 0; index < json.count && index < PLACE_STRIDE; index++) pairing.addText(text, json.starts[index], json.ends[index], line, index, columns, tokens);
    });
    this.next = Math.max(to, last + 1);
  }
}

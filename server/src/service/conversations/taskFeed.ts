/**
 * A ConversationTask's side of validation's feed (documentConversations.ts): the records
 * validation reads go to the task's pairing, each line once and in order.
 */
import { jsonRecords, JsonRecords } from '../exportShapes';
import type { ValidationRangeFeed } from '../documentValidation';
import type { FlowLogFormat } from '../formatModel';
import { skipBlanks, TokenBuffer } from '../scan';
import type { ConversationTask, Pairing } from './conversationTask';
import { pairingColumns } from './flowRecord';
import { PLACE_STRIDE } from './group';

/** A ConversationTask's side of validation's feed: records of lines it has not read yet go to its pairing. */
export class TaskFeed implements ValidationRangeFeed {
  private pairing: Pairing | undefined;
  private readonly tokens = new TokenBuffer();
  private readonly json = new JsonRecords();

  constructor(private readonly task: ConversationTask) {}

  begin(from: number): boolean {
    this.pairing = this.task.beginFed(from);
    return this.pairing !== undefined;
  }

  end(resumeAt: number, complete: boolean): void {
    this.pairing?.drain();
    this.pairing = undefined;
    this.task.endFed(resumeAt, complete);
  }

  proven(text: string, line: number, format: FlowLogFormat, windowStart: number): void {
    const columns = pairingColumns(format);
    if (!this.pairing || !this.task.takeLine(line) || !columns) return;
    this.task.fedRecords++;
    this.pairing.addProven(text, windowStart, line, columns);
  }

  scanned(text: string, line: number, format: FlowLogFormat, tokens: TokenBuffer): void {
    const columns = pairingColumns(format);
    if (!this.pairing || !this.task.takeLine(line) || !columns) return;
    this.task.fedRecords++;
    this.pairing.addTokens(text, tokens, line, 0, columns);
  }

  jsonLine(text: string, start: number, end: number, line: number, format: FlowLogFormat): void {
    const columns = pairingColumns(format);
    if (!this.pairing || !this.task.takeLine(line) || !columns) return;
    const { json, tokens } = this;
    jsonRecords(text, skipBlanks(text, start, end), end, json);
    this.task.fedRecords += json.count;
    for (let index = 0; index < json.count && index < PLACE_STRIDE; index++) this.pairing.addText(text, json.starts[index], json.ends[index], line, index, columns, tokens);
  }
}

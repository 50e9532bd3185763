/**
 * Pairing fed by validation: the records validation reads (recordFeed.ts) go into a
 * ConversationBuilder as they are read, so a line is scanned once for both. A line the fast path
 * proved clean comes with its cells found and its numbers and IPv4 addresses read; a line the
 * exact path read comes with its tokens; a JSON line is split into its messages here.
 */
import { jsonRecords, JsonRecords } from '../exportShapes';
import type { FlowLogFormat } from '../formatModel';
import { skipBlanks, TokenBuffer } from '../scan';
import type { RecordFeed } from '../recordFeed';
import type { ConversationBuilder } from './builder';

/** Where the feed adds records: a ConversationBuilder, or a reader that takes them elsewhere (cli/cellBuffer.ts). */
export type RecordSink = Pick<ConversationBuilder, 'addProven' | 'addTokens' | 'addText'>;
import { pairingColumns } from './flowRecord';

export class BuilderFeed implements RecordFeed {
  private readonly tokens = new TokenBuffer();
  private readonly json = new JsonRecords();

  /**
   * `lineOffset` is added to the lines validation reports (a stream validates batches); a JSON
   * line's messages after the first `maxJsonRecords` are left out (the editor keeps no place for them).
   */
  constructor(
    private readonly builder: RecordSink,
    private readonly maxJsonRecords = Number.MAX_SAFE_INTEGER,
  ) {}

  lineOffset = 0;

  proven(text: string, line: number, format: FlowLogFormat, windowStart: number): void {
    const columns = pairingColumns(format);
    if (columns) this.builder.addProven(text, windowStart, this.lineOffset + line, columns);
  }

  scanned(text: string, line: number, format: FlowLogFormat, tokens: TokenBuffer): void {
    const columns = pairingColumns(format);
    if (columns) this.builder.addTokens(text, tokens, this.lineOffset + line, 0, columns);
  }

  jsonLine(text: string, start: number, end: number, line: number, format: FlowLogFormat): void {
    const columns = pairingColumns(format);
    if (!columns) return;
    const { json, tokens } = this;
    jsonRecords(text, skipBlanks(text, start, end), end, json);
    for (let index = 0; index < json.count && index < this.maxJsonRecords; index++) this.builder.addText(text, json.starts[index], json.ends[index], this.lineOffset + line, index, columns, tokens);
  }
}

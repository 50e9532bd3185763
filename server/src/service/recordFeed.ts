/**
 * What validation hands on of each record line it reads, so that another reader (pairing) takes
 * its cells from validation's scan instead of scanning the line again.
 */
import type { FlowLogFormat } from './formatModel';
import type { TokenBuffer } from './scan';

/**
 * Sees every record line validation reads, before it is checked. Lines validation skips
 * (declarations, blanks, comments, overlong lines, the continuation lines of a wrapped record)
 * are not seen; none of them holds a record of its format's width.
 */
export interface RecordFeed {
  /** A line the fast path proved clean: its cells are in fastPath.ts `provenCells`, offsets from `windowStart`. */
  proven(text: string, line: number, format: FlowLogFormat, windowStart: number): void;
  /** A line read by the exact path: its tokens (a record of any field count). */
  scanned(text: string, line: number, format: FlowLogFormat, tokens: TokenBuffer): void;
  /** A JSON line [start, end): the reader splits its messages itself. */
  jsonLine(text: string, start: number, end: number, line: number, format: FlowLogFormat): void;
}

/**
 * Where a large input may be cut into segments that worker threads check independently and
 * still give, joined in order, exactly what one thread gives (see segments.ts).
 *
 * A cut falls right after an LF, and only where the line before it is a short record line
 * starting with a digit or '-': such a line is never a header line or directive (the stream
 * rejects those starting characters before reading a declaration), so the field count the
 * validator looks back to at the segment's start is simply that line's (`previousRecordCount`).
 * The next WRAP_LOOKAHEAD lines must be short too and are handed to the segment before the cut
 * as lookahead, so that a record wrapped over the cut is judged as in one stream. A wrapped
 * record or a header line that still reaches across a cut is caught when the segments are
 * joined (their end and start states differ) and the later segment is checked again.
 */
import { StringDecoder } from 'node:string_decoder';
import { scanRecord, TokenBuffer } from '../service/scan';
import { WRAP_LOOKAHEAD } from '../service/stream';

/** Longest line before a cut: ordinary records are well under 1 KB. */
const MAX_LINE_BEFORE_CUT = 8 * 1024;
/** Most bytes of lookahead after a cut. */
export const MAX_LOOKAHEAD_BYTES = 64 * 1024;

const LF = 10;
const CR = 13;
const DASH = 45;
const ZERO = 48;
const NINE = 57;

export interface Cut {
  /** Offset of the first byte after the cut (in the buffer searched). */
  at: number;
  /** Field count of the record line just before the cut. */
  previousRecordCount: number;
  /** The next WRAP_LOOKAHEAD lines after the cut (fewer at the end of the input), with their line breaks. */
  lookahead: string;
}

const tokens = new TokenBuffer();

/**
 * The first cut at or after `from` in `bytes`. `lineStartKnown`: offset 0 of `bytes` is the start
 * of a line (else the first line is partial and cannot be the line before a cut). `atEnd`: the
 * buffer reaches the end of the input (lookahead may then stop early). Undefined when there is
 * none before the buffer ends.
 */
export function findCut(bytes: Uint8Array, from: number, atEnd: boolean, lineStartKnown = false): Cut | undefined {
  for (let lf = bytes.indexOf(LF, Math.max(0, from - 1)); lf >= 0; lf = bytes.indexOf(LF, lf + 1)) {
    const at = lf + 1;
    if (at < from) continue;
    const contentEnd = lf > 0 && bytes[lf - 1] === CR ? lf - 1 : lf;
    const lineStart = lineStartBefore(bytes, contentEnd, lineStartKnown);
    if (lineStart < 0 || contentEnd - lineStart > MAX_LINE_BEFORE_CUT || contentEnd === lineStart) continue;
    const first = bytes[lineStart];
    if (!((first >= ZERO && first <= NINE) || first === DASH)) continue;
    const lookaheadEnd = endOfLines(bytes, at, WRAP_LOOKAHEAD, atEnd);
    if (lookaheadEnd === undefined) {
      if (at + MAX_LOOKAHEAD_BYTES > bytes.length && !atEnd) return undefined;
      continue;
    }
    const line = decode(bytes, lineStart, contentEnd);
    scanRecord(line, 0, line.length, tokens);
    return { at, previousRecordCount: tokens.count, lookahead: decode(bytes, at, lookaheadEnd) };
  }
  return undefined;
}

/** Start of the line whose content ends at `end`: after the previous LF or lone CR; -1 when not in the buffer. */
function lineStartBefore(bytes: Uint8Array, end: number, lineStartKnown: boolean): number {
  const limit = Math.max(0, end - MAX_LINE_BEFORE_CUT - 2);
  for (let i = end - 1; i >= limit; i--) {
    const c = bytes[i];
    if (c === LF || c === CR) return i + 1;
  }
  return limit === 0 && lineStartKnown ? 0 : -1;
}

/**
 * End (after the line break) of `count` lines from `start`, each LF, CRLF or lone CR ending one;
 * undefined when they do not all end within the buffer and MAX_LOOKAHEAD_BYTES. At the end of the
 * input, fewer lines (and a last one without a break) will do.
 */
function endOfLines(bytes: Uint8Array, start: number, count: number, atEnd: boolean): number | undefined {
  const limit = Math.min(bytes.length, start + MAX_LOOKAHEAD_BYTES);
  let lines = 0;
  for (let i = start; i < limit; i++) {
    const c = bytes[i];
    if (c === LF || c === CR) {
      // A CR at the buffer's edge may be the first half of CRLF.
      if (c === CR && i + 1 >= bytes.length && !atEnd) return undefined;
      if (c === CR && bytes[i + 1] === LF) i++;
      if (++lines === count) return i + 1;
    }
  }
  return atEnd && limit === bytes.length ? bytes.length : undefined;
}

function decode(bytes: Uint8Array, start: number, end: number): string {
  return new StringDecoder('utf8').end(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start));
}

/**
 * The filter language in one call for its users (CLI, exports, editor): parse once, bind to each
 * format met, and match record lines with the scanner's tokens. See syntax.ts for the grammar.
 */
import { DASH, NINE, ZERO } from '../../catalog/charCodes';
import type { FlowLogFormat } from '../formatModel';
import { scanRecord, TokenBuffer } from '../scan';
import { bindFilter, type BoundFilter } from './bind';
import { FilterError } from './errors';
import { compilePredicate, type RecordPredicate } from './evaluate';
import { parseFilter, type FilterNode } from './syntax';

export { FilterError } from './errors';
export type { BoundFilter } from './bind';

/** Outcome of one record line. */
export const Match = { Malformed: -1, No: 0, Yes: 1 } as const;
export type MatchCode = (typeof Match)[keyof typeof Match];

interface Compiled {
  readonly bound: BoundFilter;
  readonly predicate: RecordPredicate;
}

/** A filter parsed once and compiled for every format it meets. Throws FilterError on bad syntax. */
export class RecordFilter {
  readonly tree: FilterNode;
  private readonly compiled = new WeakMap<FlowLogFormat, Compiled | FilterError>();
  private readonly tokens = new TokenBuffer();

  constructor(readonly source: string) {
    this.tree = parseFilter(source);
  }

  /** The filter bound to a format; throws FilterError when the format lacks a field or a value does not fit. */
  bind(format: FlowLogFormat): BoundFilter {
    const compiled = this.compile(format);
    if (compiled instanceof FilterError) throw compiled;
    return compiled.bound;
  }

  /** The binding error for a format, if any (the format lacks a field, a value does not fit it). */
  problemWith(format: FlowLogFormat): FilterError | undefined {
    const compiled = this.compile(format);
    return compiled instanceof FilterError ? compiled : undefined;
  }

  /**
   * Whether the record line text[start, end) passes; Malformed when its field count differs from
   * the format's (it cannot be read reliably). The format must bind (see problemWith).
   */
  matchLine(text: string, start: number, end: number, format: FlowLogFormat): MatchCode {
    const compiled = this.compile(format);
    if (compiled instanceof FilterError) throw compiled;
    if (!this.splitPlain(text, start, end)) scanRecord(text, start, end, this.tokens);
    if (this.tokens.count !== format.names.length) return Match.Malformed;
    return compiled.predicate(text, this.tokens) ? Match.Yes : Match.No;
  }

  /** Where the next tab and `#` are in `plainText` (Infinity: none), so each line need not search. */
  private plainText = '';
  private nextTab = -1;
  private nextHash = -1;

  /**
   * Tokens of an ordinary record (values separated by single spaces, nothing around them) found
   * with the engine's `indexOf`, which is faster than a loop over characters. False, with the
   * tokens undefined, for anything else, which `scanRecord` then reads: tabs, comments, runs of
   * spaces, a CloudWatch timestamp, a `{"message":…}` wrapper or a BOM.
   */
  private splitPlain(text: string, start: number, end: number): boolean {
    if (text !== this.plainText) {
      this.plainText = text;
      this.nextTab = -1;
      this.nextHash = -1;
    }
    if (this.nextTab < start) this.nextTab = positionOf(text, '\t', start);
    if (this.nextHash < start) this.nextHash = positionOf(text, '#', start);
    if (this.nextTab < end || this.nextHash < end) return false;
    const first = text.charCodeAt(start);
    // Records start with a digit (version, account) or `-`; a timestamp prefix reads 2026-01-01T….
    if (!((first >= ZERO && first <= NINE) || first === DASH) || (end - start > 10 && text.charCodeAt(start + 4) === DASH && text.charCodeAt(start + 10) === LETTER_T)) return false;
    const tokens = this.tokens;
    tokens.reset();
    let i = start;
    for (;;) {
      const space = text.indexOf(' ', i);
      const tokenEnd = space < 0 || space >= end ? end : space;
      if (tokenEnd === i) return false;
      tokens.push(i, tokenEnd);
      if (tokenEnd === end) return true;
      i = tokenEnd + 1;
    }
  }

  private compile(format: FlowLogFormat): Compiled | FilterError {
    let compiled = this.compiled.get(format);
    if (!compiled) {
      try {
        const bound = bindFilter(this.source, this.tree, format);
        compiled = { bound, predicate: compilePredicate(bound.root) };
      } catch (error) {
        if (!(error instanceof FilterError)) throw error;
        compiled = error;
      }
      this.compiled.set(format, compiled);
    }
    return compiled;
  }
}

const LETTER_T = 84;

/** Offset of the next `char` at or after `from`, Infinity when there is none. */
function positionOf(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? Infinity : at;
}

/** The first problem of a filter for a format (syntax, then binding), or undefined when it is good. */
export function checkFilter(source: string, format: FlowLogFormat): FilterError | undefined {
  try {
    return new RecordFilter(source).problemWith(format);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
}

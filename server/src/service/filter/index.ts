/**
 * The filter language in one call for its users (CLI, exports, editor): parse once, bind to each
 * format met, and match record lines with the scanner's tokens. See syntax.ts for the grammar.
 */
import type { FlowLogFormat } from '../formatModel';
import { PlainSplitter, scanRecord, TokenBuffer } from '../scan';
import { bindFilter, type BoundFilter } from './bind';
import { FilterError } from './errors';
import { compilePredicate, type RecordPredicate } from './evaluate';
import { FastLineMatcher, UNSURE } from './fastMatch';
import { parseFilter, type FilterNode } from './syntax';

export { FilterError } from './errors';
export type { BoundFilter } from './bind';

/** Outcome of one record line. */
export const Match = { Malformed: -1, No: 0, Yes: 1 } as const;
export type MatchCode = (typeof Match)[keyof typeof Match];

interface Compiled {
  readonly bound: BoundFilter;
  readonly predicate: RecordPredicate;
  readonly fast: FastLineMatcher;
}

/** A filter parsed once and compiled for every format it meets. Throws FilterError on bad syntax. */
export class RecordFilter {
  readonly tree: FilterNode;
  private readonly compiled = new WeakMap<FlowLogFormat, Compiled | FilterError>();
  private readonly tokens = new TokenBuffer();
  private readonly splitter = new PlainSplitter();
  private lastFormat: FlowLogFormat | undefined;
  private lastCompiled: Compiled | FilterError | undefined;

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
    const fast = compiled.fast.match(text, start, end);
    if (fast !== UNSURE) return fast as MatchCode;
    return this.referenceMatch(text, start, end, format);
  }

  /** matchLine by the reference path only: the line's tokens, then the evaluator (evaluate.ts). */
  referenceMatch(text: string, start: number, end: number, format: FlowLogFormat): MatchCode {
    const compiled = this.compile(format);
    if (compiled instanceof FilterError) throw compiled;
    const width = format.names.length;
    if (!this.splitter.split(text, start, end, this.tokens) || this.tokens.count !== width) scanRecord(text, start, end, this.tokens);
    if (this.tokens.count !== width) return Match.Malformed;
    return compiled.predicate(text, this.tokens) ? Match.Yes : Match.No;
  }

  private compile(format: FlowLogFormat): Compiled | FilterError {
    // Records come in runs of one format: the last one's compiled filter saves a lookup per line.
    if (format === this.lastFormat) return this.lastCompiled as Compiled | FilterError;
    let compiled = this.compiled.get(format);
    if (!compiled) {
      try {
        const bound = bindFilter(this.source, this.tree, format);
        compiled = { bound, predicate: compilePredicate(bound.root), fast: new FastLineMatcher(bound.root, bound.columns, format.names.length) };
      } catch (error) {
        if (!(error instanceof FilterError)) throw error;
        compiled = error;
      }
      this.compiled.set(format, compiled);
    }
    this.lastFormat = format;
    this.lastCompiled = compiled;
    return compiled;
  }
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

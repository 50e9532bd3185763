/**
 * The filter's fast path over plain record lines (values separated by single spaces, nothing
 * around them: nearly every line of a real flow log). The line is cut at its spaces once (by the
 * WebAssembly cutter, cutKernel.ts, 16 bytes a step, on a window of the text encoded as bytes;
 * else with indexOf), the cells of the columns the filter reads are kept, and the bound tests run
 * on them in place with nothing allocated per line. Anything else (a tab, a comment, a prefix, a
 * wrong field count) is left to the reference path (index.ts: PlainSplitter or scanRecord, then
 * evaluate.ts), which decides it; the fast path's answers equal the reference's
 * (test/property/filterFastMatch.test.ts).
 * Pure: no Node APIs.
 */
import { DASH, NINE, ZERO } from '../../catalog/charCodes';
import { MILLISECONDS_THRESHOLD, readDecimal } from '../../catalog/values';
import type { Bound, Column, Test } from './bind';
import { cellInNetworks, readIPv4 } from './cidr';
import { CUT_CELLS, cutKernel, type CutKernel } from './cutKernel';
import { TabHashScan } from '../scan';

/** `match` could not decide the line: read it with the reference path. */
export const UNSURE = -2;

/** A test over the cells of one line: text[starts[i], ends[i]) is column i. */
type CellsPredicate = (text: string, starts: Int32Array, ends: Int32Array) => boolean;
type CellTest = (text: string, start: number, end: number) => boolean;

const LETTER_T = 84;
/** Text encoded for the kernel at a time (ASCII: as many bytes; the window holds 126 KiB). */
const WINDOW_CHARS = 1 << 16;

export class FastLineMatcher {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Columns past this one are only counted. */
  private readonly last: number;
  private readonly predicate: CellsPredicate;
  private readonly tabsAndHashes = new TabHashScan();

  /** The WebAssembly cutter (undefined: lines are cut with indexOf), and the text its window holds. */
  private readonly kernel: CutKernel | undefined;
  private readonly encoder = new TextEncoder();
  private windowText = '';
  private windowStart = 0;
  private windowEnd = -1;
  private windowAscii = false;

  /** `kernel`: the cutter to use (default: the thread's, where it loads). */
  constructor(root: Bound, columns: readonly number[], private readonly width: number, kernel: CutKernel | undefined = cutKernel()) {
    this.last = columns.length > 0 ? columns[columns.length - 1] : -1;
    this.starts = new Int32Array(this.last + 1);
    this.ends = new Int32Array(this.last + 1);
    this.predicate = compileCells(root).test;
    this.kernel = this.last < CUT_CELLS ? kernel : undefined;
  }

  /** 1 (passes) or 0 for a plain line of the format's width; UNSURE for any other line. */
  match(text: string, start: number, end: number): number {
    // As PlainSplitter: records start with a digit or `-`, and a timestamp prefix reads 2026-01-01T….
    const first = text.charCodeAt(start);
    if (!((first >= ZERO && first <= NINE) || first === DASH) || (end - start > 10 && text.charCodeAt(start + 4) === DASH && text.charCodeAt(start + 10) === LETTER_T)) return UNSURE;
    const kernel = this.kernel;
    if (kernel && this.window(kernel, text, start, end)) {
      // The kernel refuses what the cut below refuses: a tab, a `#`, an empty cell, another count.
      if (kernel.cut(start - this.windowStart, end - this.windowStart, this.width, this.last, this.windowStart) < 0) return UNSURE;
      return this.predicate(text, kernel.starts, kernel.ends) ? 1 : 0;
    }
    return this.cutAndTest(text, start, end);
  }

  /**
   * Makes the kernel's window hold `text` from `start` on (WINDOW_CHARS of it); false when that
   * is not all ASCII (byte offsets would differ from text offsets) or the line does not fit.
   */
  private window(kernel: CutKernel, text: string, start: number, end: number): boolean {
    if (text === this.windowText && start >= this.windowStart && end <= this.windowEnd && kernel.owner === this) return this.windowAscii;
    if (end - start > WINDOW_CHARS) return false;
    const to = Math.min(text.length, start + WINDOW_CHARS);
    const { read, written } = this.encoder.encodeInto(text.substring(start, to), kernel.window);
    kernel.owner = this;
    this.windowText = text;
    this.windowStart = start;
    this.windowEnd = to;
    this.windowAscii = read === to - start && written === read;
    return this.windowAscii;
  }

  /** The cut in JavaScript, then the tests. */
  private cutAndTest(text: string, start: number, end: number): number {
    if (this.tabsAndHashes.within(text, start, end)) return UNSURE;
    const { starts, ends, last, width } = this;
    let column = 0;
    let i = start;
    for (;;) {
      const space = text.indexOf(' ', i);
      const tokenEnd = space < 0 || space >= end ? end : space;
      // An empty token (a run of spaces, a blank at either end) is irregular spacing; so is an extra column.
      if (tokenEnd === i || column === width) return UNSURE;
      if (column <= last) {
        starts[column] = i;
        ends[column] = tokenEnd;
      }
      column++;
      if (tokenEnd === end) break;
      i = tokenEnd + 1;
    }
    if (column !== width) return UNSURE;
    return this.predicate(text, starts, ends) ? 1 : 0;
  }
}

/** A compiled test with a rough cost, so that a conjunction tries its cheap parts first. */
interface Compiled {
  readonly test: CellsPredicate;
  readonly cost: number;
}

/** The bound tree as closures without allocation per call (the reference's `every` makes one). */
function compileCells(root: Bound): Compiled {
  switch (root.type) {
    case 'and':
    case 'or': {
      // A pure test's order does not change the answer: cheap ones first decide most lines sooner.
      const parts = root.parts.map(compileCells).sort((a, b) => a.cost - b.cost);
      const tests = parts.map((p) => p.test);
      const cost = parts.reduce((sum, p) => sum + p.cost, 0);
      const all = root.type === 'and';
      if (tests.length === 2) {
        const [a, b] = tests;
        return { cost, test: all ? (t, s, e) => a(t, s, e) && b(t, s, e) : (t, s, e) => a(t, s, e) || b(t, s, e) };
      }
      if (tests.length === 3) {
        const [a, b, c] = tests;
        return { cost, test: all ? (t, s, e) => a(t, s, e) && b(t, s, e) && c(t, s, e) : (t, s, e) => a(t, s, e) || b(t, s, e) || c(t, s, e) };
      }
      return {
        cost,
        test: (t, s, e) => {
          for (let k = 0; k < tests.length; k++) if (tests[k](t, s, e) !== all) return !all;
          return all;
        },
      };
    }
    case 'not': {
      const operand = compileCells(root.operand);
      const test = operand.test;
      return { cost: operand.cost, test: (t, s, e) => !test(t, s, e) };
    }
    case 'test':
      return anyColumn(root.columns, root.test);
  }
}

function anyColumn(columns: readonly Column[], test: Test): Compiled {
  const { cell, cost } = cellTest(test, columns[0]);
  if (columns.length === 1) {
    const index = columns[0].index;
    return { cost, test: (t, s, e) => cell(t, s[index], e[index]) };
  }
  const indexes = Int32Array.from(columns, (c) => c.index);
  return {
    cost: cost * indexes.length,
    test: (t, s, e) => {
      for (let k = 0; k < indexes.length; k++) if (cell(t, s[indexes[k]], e[indexes[k]])) return true;
      return false;
    },
  };
}

/** The reference's cell tests (evaluate.ts), with ranges and networks in typed arrays. */
function cellTest(test: Test, column: Column): { cell: CellTest; cost: number } {
  switch (test.kind) {
    case 'null':
      return { cost: 1, cell: (t, s, e) => e - s === 1 && t.charCodeAt(s) === DASH };
    case 'int': {
      const time = column.spec.kind === 'time';
      const los = Float64Array.from(test.ranges, (r) => r.lo);
      const his = Float64Array.from(test.ranges, (r) => r.hi);
      const n = los.length;
      if (n === 1 && !time) {
        const lo = los[0];
        const hi = his[0];
        return {
          cost: 2,
          cell: (t, s, e) => {
            const value = readDecimal(t, s, e);
            return value >= 0 && value >= lo && value <= hi;
          },
        };
      }
      return {
        cost: 2 + n / 4,
        cell: (t, s, e) => {
          let value = readDecimal(t, s, e);
          if (value < 0) return false;
          // Times in milliseconds compare as seconds, as the reference reads them.
          if (time && value >= MILLISECONDS_THRESHOLD) value = Math.floor(value / 1000);
          for (let k = 0; k < n; k++) if (value >= los[k] && value <= his[k]) return true;
          return false;
        },
      };
    }
    case 'text': {
      const values = test.values;
      return {
        cost: 3,
        cell: (t, s, e) => {
          const length = e - s;
          for (let k = 0; k < values.length; k++) if (values[k].length === length && t.startsWith(values[k], s)) return true;
          return false;
        },
      };
    }
    case 'cidr': {
      const nets = test.nets;
      // IPv6 networks are rare: those filters keep the reference's reading of the cell.
      if (nets.some((net) => net.family === 6)) return { cost: 8, cell: (t, s, e) => cellInNetworks(t, s, e, nets) };
      const los = Float64Array.from(nets, (net) => (net.family === 4 ? net.lo : 0));
      const his = Float64Array.from(nets, (net) => (net.family === 4 ? net.hi : -1));
      const n = los.length;
      return {
        cost: 4,
        cell: (t, s, e) => {
          const v4 = readIPv4(t, s, e);
          if (v4 < 0) return false;
          for (let k = 0; k < n; k++) if (v4 >= los[k] && v4 <= his[k]) return true;
          return false;
        },
      };
    }
    case 'flags': {
      const mask = test.mask;
      return {
        cost: 2,
        cell: (t, s, e) => {
          const value = readDecimal(t, s, e);
          return value >= 0 && (value & mask) === mask;
        },
      };
    }
  }
}

/**
 * A bound filter compiled to a predicate over one record's tokens, as `scanRecord` leaves them
 * in a TokenBuffer: each test reads only its own columns, in place, with no string made (except
 * for IPv6 cells). A `-` cell fails every test except `= -`; `!=` and `not` are the negation of
 * the test, so `dstport != 22` holds for a record whose dstport is `-`. Pure: no Node APIs.
 */
import { DASH } from '../../catalog/charCodes';
import { MILLISECONDS_THRESHOLD, readDecimal } from '../../catalog/values';
import type { TokenBuffer } from '../scan';
import type { Bound, Column, Test } from './bind';
import { cellInNetworks } from './cidr';

/** True when the record in `text` (its tokens in `tokens`) passes. */
export type RecordPredicate = (text: string, tokens: TokenBuffer) => boolean;

export function compilePredicate(root: Bound): RecordPredicate {
  switch (root.type) {
    case 'and': {
      const parts = root.parts.map(compilePredicate);
      if (parts.length === 2) {
        const [a, b] = parts;
        return (text, tokens) => a(text, tokens) && b(text, tokens);
      }
      return (text, tokens) => parts.every((p) => p(text, tokens));
    }
    case 'or': {
      const parts = root.parts.map(compilePredicate);
      if (parts.length === 2) {
        const [a, b] = parts;
        return (text, tokens) => a(text, tokens) || b(text, tokens);
      }
      return (text, tokens) => parts.some((p) => p(text, tokens));
    }
    case 'not': {
      const operand = compilePredicate(root.operand);
      return (text, tokens) => !operand(text, tokens);
    }
    case 'test':
      return anyColumn(root.columns, root.test);
  }
}

type CellTest = (text: string, start: number, end: number) => boolean;

function anyColumn(columns: readonly Column[], test: Test): RecordPredicate {
  const cell = cellTest(test, columns[0]);
  if (columns.length === 1) {
    const index = columns[0].index;
    return (text, tokens) => cell(text, tokens.starts[index], tokens.ends[index]);
  }
  const indexes = columns.map((c) => c.index);
  return (text, tokens) => {
    for (const index of indexes) if (cell(text, tokens.starts[index], tokens.ends[index])) return true;
    return false;
  };
}

function isNull(text: string, start: number, end: number): boolean {
  return end - start === 1 && text.charCodeAt(start) === DASH;
}

/** Unsigned integer of a cell, or -1 (a `-`, a sign, anything not a number). */
const readInteger = (text: string, start: number, end: number): number => readDecimal(text, start, end);

function cellTest(test: Test, column: Column): CellTest {
  switch (test.kind) {
    case 'null':
      return isNull;
    case 'int': {
      // Times in milliseconds (some logs carry them) compare as seconds, as validation reads them.
      const time = column.spec.kind === 'time';
      const ranges = test.ranges;
      if (ranges.length === 1) {
        const { lo, hi } = ranges[0];
        return (text, start, end) => {
          let value = readInteger(text, start, end);
          if (value < 0) return false;
          if (time && value >= MILLISECONDS_THRESHOLD) value = Math.floor(value / 1000);
          return value >= lo && value <= hi;
        };
      }
      return (text, start, end) => {
        let value = readInteger(text, start, end);
        if (value < 0) return false;
        if (time && value >= MILLISECONDS_THRESHOLD) value = Math.floor(value / 1000);
        for (const range of ranges) if (value >= range.lo && value <= range.hi) return true;
        return false;
      };
    }
    case 'text': {
      const values = test.values;
      return (text, start, end) => {
        const length = end - start;
        for (const value of values) if (value.length === length && text.startsWith(value, start)) return true;
        return false;
      };
    }
    case 'cidr': {
      const nets = test.nets;
      return (text, start, end) => cellInNetworks(text, start, end, nets);
    }
    case 'flags': {
      const mask = test.mask;
      return (text, start, end) => {
        const value = readInteger(text, start, end);
        return value >= 0 && (value & mask) === mask;
      };
    }
  }
}

/**
 * The filter's fast path (service/filter/fastMatch.ts) against its reference (the line's tokens
 * from PlainSplitter or scanRecord, then evaluate.ts): generated filters of every shape (compare,
 * in-lists, ranges, CIDRs, `-`, has, not/and/or, pseudo-fields) over generated v2, v5 and
 * Transit Gateway records, damaged and mutated, must give the same answer for every line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIELD_NAMES, FlowLogGenerator, KINDS, mulberry32, type Kind } from '../../bench/generate';
import { isIntegerKind } from '../../server/src/catalog/values';
import { parseFieldList } from '../../server/src/service/fieldList';
import { checkFilter, Match, RecordFilter } from '../../server/src/service/filter';
import { cutKernel } from '../../server/src/service/filter/cutKernel';
import { FastLineMatcher, UNSURE } from '../../server/src/service/filter/fastMatch';
import { formatFromList, type FlowLogFormat } from '../../server/src/service/formatModel';
import { mutate, VALUES } from './lineMutations';
import { RUNS, SEED } from './arbitraries';

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Records of a kind: clean, damaged by the generator, and mutated at random. */
function recordsOf(kind: Kind, random: Random): string[] {
  const generator = new FlowLogGenerator({ kind, bytes: 0, seed: SEED + kind.length, malformedRate: 0.1 });
  const lines: string[] = [];
  while (lines.length < 600) {
    const line = generator.nextLine();
    if (/^[a-z]/.test(line)) continue;
    lines.push(...line.split('\n'));
  }
  const mutated = lines.slice(0, 300).map((line) => mutate(line, random));
  // Edge values in every column, as the validation fast path is tested.
  const edges = lines.slice(0, 40).map((line) => {
    const tokens = line.split(' ');
    tokens[Math.floor(random() * tokens.length)] = pick(random, VALUES);
    return tokens.join(' ');
  });
  return [...lines, ...mutated, ...edges];
}

const CIDR_PREFIXES = [0, 1, 8, 12, 16, 24, 31, 32];

/** A value for one field: one of its cells in the records, or an edge of its kind. */
function valueFor(format: FlowLogFormat, index: number, cells: string[][], random: Random): string {
  const spec = format.fields[index];
  const cell = pick(random, cells)[index] ?? '-';
  if (spec?.kind === 'address') {
    if (cell.includes(':') || cell === '-' || random() < 0.2) return pick(random, ['10.0.0.0/8', '172.16.0.0/12', '0.0.0.0/0', '2001:db8::/32', '::/0', '10.1.2.3', '2001:db8::1']);
    return random() < 0.3 ? cell : `${cell}/${pick(random, CIDR_PREFIXES)}`;
  }
  if (spec && isIntegerKind(spec) && random() < 0.3) return String(pick(random, [0, 1, 6, 17, 22, 443, 1024, 65535, 1699261920, 1699290000]));
  return cell === '-' ? pick(random, ['0', '1', 'ACCEPT', 'OK']) : cell;
}

/** A random filter over the format's fields (it may not bind: callers skip those). */
function expression(format: FlowLogFormat, cells: string[][], random: Random, depth: number): string {
  const roll = random();
  if (depth > 0 && roll < 0.35) {
    const op = pick(random, ['and', 'or', 'and']);
    return `(${expression(format, cells, random, depth - 1)} ${op} ${expression(format, cells, random, depth - 1)})`;
  }
  if (depth > 0 && roll < 0.45) return `not ${expression(format, cells, random, depth - 1)}`;
  const index = Math.floor(random() * format.names.length);
  const spec = format.fields[index];
  let name = format.names[index];
  if (spec?.kind === 'address' && random() < 0.15) name = 'addr';
  if (spec?.kind === 'port' && random() < 0.15) name = 'port';
  const value = (): string => valueFor(format, index, cells, random);
  const integer = spec !== undefined && isIntegerKind(spec);
  const shape = random();
  if (shape < 0.1) return `${name} ${pick(random, ['=', '!='])} -`;
  if (integer && shape < 0.3) return `${name} ${pick(random, ['<', '<=', '>', '>='])} ${value()}`;
  if (integer && shape < 0.45) {
    const [a, b] = [Number(value()), Number(value())].sort((x, y) => x - y);
    return Number.isFinite(a) && Number.isFinite(b) ? `${name} in ${a}..${b}` : `${name} = ${value()}`;
  }
  if (spec?.kind === 'tcpFlags' && shape < 0.55) return `${name} has ${pick(random, ['syn', 'ack', 'fin', 'syn-ack', 'rst', '2'])}`;
  if (shape < 0.7) return `${name} ${pick(random, ['in', 'not in'])} (${Array.from({ length: 1 + Math.floor(random() * 4) }, value).join(', ')})`;
  return `${name} ${pick(random, ['=', '!='])} ${value()}`;
}

describe('filter fast path', () => {
  it('has its WebAssembly cutter here (else the tests below try only the JavaScript cut)', () => {
    assert.ok(cutKernel());
  });

  for (const kind of KINDS) {
    it(`answers as the reference on every ${kind} line for generated filters`, () => {
      const random = mulberry32(SEED ^ kind.charCodeAt(1));
      const format = formatFromList(parseFieldList(FIELD_NAMES[kind].join(' ')), 'header');
      const lines = recordsOf(kind, random);
      const cells = lines.slice(0, 200).map((line) => line.split(' '));
      const text = lines.join('\n');
      let filters = 0;
      let decided = 0;
      let yes = 0;
      for (let attempt = 0; filters < Math.max(20, RUNS / 2) && attempt < 50 * RUNS; attempt++) {
        const source = expression(format, cells, random, 3);
        if (checkFilter(source, format)) continue;
        filters++;
        const filter = new RecordFilter(source);
        const bound = filter.bind(format);
        // The WebAssembly cut and the JavaScript one, each on the lines one by one and as one text.
        const kernel = new FastLineMatcher(bound.root, bound.columns, format.names.length);
        const script = new FastLineMatcher(bound.root, bound.columns, format.names.length, undefined);
        const inText = new FastLineMatcher(bound.root, bound.columns, format.names.length);
        let at = 0;
        for (const line of lines) {
          const reference = filter.referenceMatch(line, 0, line.length, format);
          assert.equal(filter.matchLine(line, 0, line.length, format), reference, `${source}\n${JSON.stringify(line)}`);
          const answer = kernel.match(line, 0, line.length);
          assert.equal(script.match(line, 0, line.length), answer, `kernel and JavaScript cut: ${source}\n${JSON.stringify(line)}`);
          assert.equal(inText.match(text, at, at + line.length), answer, `in the text: ${source}\n${JSON.stringify(line)}`);
          at += line.length + 1;
          if (answer === UNSURE) continue;
          decided++;
          assert.equal(answer, reference, `fast path: ${source}\n${JSON.stringify(line)}`);
          if (answer === Match.Yes) yes++;
        }
      }
      // Not vacuous: most lines are plain and decided by the fast path, and some pass.
      assert.ok(decided > 0.6 * filters * lines.length, `fast path decided ${decided} of ${filters * lines.length}`);
      assert.ok(yes > 0.05 * decided && yes < 0.95 * decided, `${yes} of ${decided} passed`);
    });
  }

  it('reads a line inside a larger text, and leaves odd lines to the reference', () => {
    const format = formatFromList(parseFieldList(FIELD_NAMES.v2.join(' ')), 'header');
    const bound = new RecordFilter('dstport = 22 and srcaddr in 10.0.0.0/8').bind(format);
    const line = '2 123456789010 eni-1235b8ca123456789 10.1.2.3 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
    const odd = [`${line} `, ` ${line}`, line.replace(' ', '  '), line.replace(' ', '\t'), `${line} #x`, `2018-09-22T20:28:14.000Z ${line}`, `${line} extra`, line.slice(0, line.lastIndexOf(' '))];
    for (const kernel of [cutKernel(), undefined]) {
      const fast = new FastLineMatcher(bound.root, bound.columns, format.names.length, kernel);
      const text = `${line}\n${line.replace(' 22 ', ' 23 ')}\n${line}`;
      assert.equal(fast.match(text, 0, line.length), Match.Yes);
      assert.equal(fast.match(text, line.length + 1, 2 * line.length + 1), Match.No);
      for (const variant of odd) assert.equal(fast.match(variant, 0, variant.length), UNSURE, JSON.stringify(variant));
      // Non-ASCII text around a line leaves it to the JavaScript cut, with the same answer.
      const wide = `é${line}\n${line}`;
      assert.equal(fast.match(wide, 1, line.length + 1), Match.Yes);
      assert.equal(fast.match(wide, line.length + 2, wide.length), Match.Yes);
    }
  });
});

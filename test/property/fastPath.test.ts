/**
 * The validation fast path (service/fastPath.ts) only ever proves lines clean; whatever it lets
 * through, the exact path must have found nothing on. Checked by validating damaged and randomly
 * mutated flow logs both ways and comparing every problem.
 */
import { recordColumns } from '../../server/src/service/recordColumns';
import { CONFORMANCE_DIR } from '../fixtures/paths';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FIELD_NAMES, FlowLogGenerator, generate, KINDS, mulberry32 } from '../../bench/generate';
import { checkDeclarations } from '../../server/src/service/declarations';
import { FlowLogDocument } from '../../server/src/service/document';
import { LineIndex } from '../../server/src/service/lines';
import { fastPlan, provenClean } from '../../server/src/service/fastPath';
import { severityTable } from '../../server/src/service/rules';
import { Validator, type Problem } from '../../server/src/service/validate';
import { mutate, VALUES } from './lineMutations';

const CONFORMANCE = CONFORMANCE_DIR;

function problems(text: string, exactOnly: boolean): string[] {
  const document = new FlowLogDocument(text);
  const input = { text, lines: document.lines, formats: document.formats, severities: severityTable(), exactOnly };
  const found: string[] = [];
  const sink = (p: Problem): boolean => {
    found.push(`${p.line}:${p.start}-${p.endLine ?? p.line}:${p.end} ${p.severity} ${p.code} ${p.message}`);
    return true;
  };
  checkDeclarations(input, sink);
  new Validator(input).validateLines(0, document.lines.lineCount, sink);
  return found;
}

describe('validation fast path', () => {
  it('reports exactly what the exact path reports for every edge value in every column', () => {
    for (const kind of KINDS) {
      const generator = new FlowLogGenerator({ kind, bytes: 0, seed: 9, malformedRate: 0 });
      const records = Array.from({ length: 60 }, () => generator.nextLine()).filter((line) => !/^[a-z]/.test(line));
      // One OK IPv4, one OK IPv6 and one NODATA record as bases.
      const bases = [records.find((r) => r.includes(' OK') && !r.includes(':')), records.find((r) => r.includes(' OK') && r.includes(':')), records.find((r) => r.includes('NODATA'))];
      for (const base of bases) {
        assert.ok(base, `${kind}: no base record`);
        const tokens = base.split(' ');
        const replace = (columns: number[], value: string): string => tokens.map((token, i) => (columns.includes(i) ? value : token)).join(' ');
        const times = [FIELD_NAMES[kind].indexOf('start'), FIELD_NAMES[kind].indexOf('end')];
        // Each value in each column, in start and end together (so the window stays short), and prefixes.
        const prefixed = ['2018-09-22T20:28:14.000Z ', '2018-09-22T20:28:1 ', '2018-09-22T20:28:14.000Z  ', '2018-09-22T\t0:28:14.000Z ', '\t', ' '].map((prefix) => prefix + base);
        const variants = [...tokens.flatMap((_, column) => VALUES.map((value) => replace([column], value))), ...VALUES.map((value) => replace(times, value)), ...prefixed];
        const text = `${FIELD_NAMES[kind].join(' ')}\n${variants.join('\n')}\n`;
        assert.deepEqual(problems(text, false), problems(text, true), `${kind}: ${base}`);
      }
    }
  });

  it('reports exactly what the exact path reports on damaged and mutated generated logs', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = mulberry32(seed);
      const kind = KINDS[seed % KINDS.length];
      const lines = generate({ kind, bytes: 5000, seed, malformedRate: 0.05 }).split('\n');
      const text = lines.map((line, i) => (i === 0 && kind !== 'v2') || random() < 0.5 ? line : mutate(line, random)).join('\n');
      assert.deepEqual(problems(text, false), problems(text, true), `seed ${seed}`);
    }
  });

  it('reports exactly what the exact path reports on mutated conformance files', () => {
    const files = readdirSync(CONFORMANCE, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(txt|log)$/.test(f));
    assert.ok(files.length > 0);
    for (const file of files) {
      const original = readFileSync(path.join(CONFORMANCE, file), 'utf8').split('\n');
      for (let variant = 0; variant < 20; variant++) {
        const random = mulberry32(variant * 131 + file.length);
        const text = original.map((line) => (variant === 0 || random() < 0.6 ? line : mutate(line, random))).join('\n');
        assert.deepEqual(problems(text, false), problems(text, true), `${file} variant ${variant}`);
      }
    }
  });

  it('proves the clean records of every generated kind clean, and no damaged line', () => {
    for (const kind of KINDS) {
      const generator = new FlowLogGenerator({ kind, bytes: 0, seed: 4, malformedRate: 0.05 }, true);
      const text = Array.from({ length: 400 }, () => generator.nextLine()).join('\n');
      const document = new FlowLogDocument(text);
      const format = document.formats.primary;
      const plan = fastPlan(format.fields, recordColumns(format), 600);
      assert.ok(plan, kind);
      const bytes = new TextEncoder().encode(text);
      const index = new LineIndex(text);
      const damaged = new Set(generator.damagedLines);
      for (let line = kind === 'v2' ? 0 : 1; line < document.lines.lineCount; line++) {
        const proven = provenClean(bytes, index.lineStart(line), index.lineEnd(line), plan, text, 0);
        assert.equal(proven, !damaged.has(line), `${kind} line ${line}`);
      }
    }
  });
});

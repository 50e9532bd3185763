/**
 * The WebAssembly clean-line kernel (server/kernel/cleanLine.ts) against its oracle, the
 * JavaScript proof (service/fastPath.ts provenClean): on the same bytes, every line the kernel
 * answers must get the same answer (and a proven line the same cells), for edge values in every column, mutated generated logs of
 * every kind and mutated conformance files. And the module in cleanLineWasm.ts must be what the
 * source compiles to, and validators sharing the kernel's window must not read each other's lines.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FIELD_NAMES, FlowLogGenerator, generate, KINDS, mulberry32 } from '../../bench/generate';
import { FlowLogDocument } from '../../server/src/service/document';
import { fastPlan, provenCells, provenClean } from '../../server/src/service/fastPath';
import { cleanLineKernel, KERNEL_ASK_JS, KERNEL_CLEAN, KERNEL_UNPROVEN } from '../../server/src/service/kernel/cleanLineKernel';
import { recordColumns } from '../../server/src/service/recordColumns';
import { severityTable } from '../../server/src/service/rules';
import { Validator, type Problem } from '../../server/src/service/validate';
import { CONFORMANCE_DIR } from '../fixtures/paths';
import { mutate, VALUES } from './lineMutations';

const kernel = cleanLineKernel();

interface Tally {
  lines: number;
  clean: number;
  unproven: number;
  askedJs: number;
}

/** Compares kernel and oracle on every line of `text` under its last format's plan. */
function compareLines(text: string, label: string, tally: Tally): void {
  assert.ok(kernel, 'WebAssembly is available in Node: the kernel must load');
  const document = new FlowLogDocument(text);
  const segments = document.formats.segments;
  const format = segments[segments.length - 1].format;
  const plan = fastPlan(format.fields, recordColumns(format), 600);
  if (!plan) return;
  const lines = document.lines;
  for (let line = 0; line < lines.lineCount; line++) {
    // Offsets into the string that holds the line (a large document keeps its text in pieces).
    const source = lines.textOf(line);
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    const lineText = source.slice(start, end);
    // The window holds the line and what follows it, as the validator encodes it.
    const { read, written } = new TextEncoder().encodeInto(source.slice(start, start + 4096), kernel.window);
    if (read !== written || end - start > read) continue;
    const oracle = provenClean(kernel.window, 0, end - start, plan, source, start);
    const width: number = plan.width;
    const oracleCells: (Int32Array | Float64Array)[] = [provenCells.starts.slice(0, width), provenCells.ends.slice(0, width), provenCells.nums.slice(0, width)];
    provenCells.starts.fill(-7);
    provenCells.nums.fill(-7);
    const answer: number = kernel.check(plan, 0, end - start);
    // The cells a reader takes from a proven line (pairing): the same from either proof.
    if (oracle && answer === KERNEL_CLEAN) {
      assert.deepEqual([provenCells.starts.slice(0, width), provenCells.ends.slice(0, width), provenCells.nums.slice(0, width)], oracleCells, `${label} line ${line}: cells of ${lineText}`);
    }
    tally.lines++;
    // Every plan of these formats fits the kernel: it hands nothing back.
    if (answer === KERNEL_ASK_JS) tally.askedJs++;
    assert.ok(answer === KERNEL_CLEAN || answer === KERNEL_UNPROVEN, `${label} line ${line}: answer ${answer}`);
    assert.equal(answer === KERNEL_CLEAN, oracle, `${label} line ${line}: kernel ${answer === KERNEL_CLEAN ? 'proved' : 'did not prove'} ${JSON.stringify(lineText)}`);
    if (oracle) tally.clean++;
    else tally.unproven++;
  }
}

describe('WebAssembly clean-line kernel', () => {
  it('answers as the JavaScript proof for every edge value in every column of every kind', () => {
    const tally: Tally = { lines: 0, clean: 0, unproven: 0, askedJs: 0 };
    for (const kind of KINDS) {
      const generator = new FlowLogGenerator({ kind, bytes: 0, seed: 9, malformedRate: 0 });
      const records = Array.from({ length: 80 }, () => generator.nextLine()).filter((line) => !/^[a-z]/.test(line));
      const bases = [records.find((r) => r.includes(' OK') && !r.includes(':')), records.find((r) => r.includes(' OK') && r.includes(':')), records.find((r) => r.includes('NODATA'))];
      for (const base of bases) {
        assert.ok(base, `${kind}: no base record`);
        const tokens = base.split(' ');
        const times = [FIELD_NAMES[kind].indexOf('start'), FIELD_NAMES[kind].indexOf('end')];
        const replace = (columns: number[], value: string): string => tokens.map((token, i) => (columns.includes(i) ? value : token)).join(' ');
        const variants = [...tokens.flatMap((_, column) => VALUES.map((value) => replace([column], value))), ...VALUES.map((value) => replace(times, value)), `2018-09-22T20:28:14.000Z ${base}`];
        compareLines(`${FIELD_NAMES[kind].join(' ')}\n${variants.join('\n')}\n`, `${kind} edges`, tally);
      }
    }
    // Both answers occur often.
    assert.ok(tally.clean > 150 && tally.unproven > 2000 && tally.askedJs === 0, JSON.stringify(tally));
  });

  it('answers as the JavaScript proof on mutated generated logs and conformance files', () => {
    const tally: Tally = { lines: 0, clean: 0, unproven: 0, askedJs: 0 };
    for (let seed = 1; seed <= 150; seed++) {
      const random = mulberry32(seed);
      const kind = KINDS[seed % KINDS.length];
      const lines = generate({ kind, bytes: 6000, seed, malformedRate: 0.05 }).split('\n');
      compareLines(lines.map((line, i) => ((i === 0 && kind !== 'v2') || random() < 0.5 ? line : mutate(line, random))).join('\n'), `seed ${seed}`, tally);
    }
    const files = readdirSync(CONFORMANCE_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(txt|log)$/.test(f));
    for (const file of files) {
      const original = readFileSync(path.join(CONFORMANCE_DIR, file), 'utf8').split('\n');
      for (let variant = 0; variant < 10; variant++) {
        const random = mulberry32(variant * 131 + file.length);
        compareLines(original.map((line) => (variant === 0 || random() < 0.6 ? line : mutate(line, random))).join('\n'), `${file} variant ${variant}`, tally);
      }
    }
    assert.ok(tally.clean > 1500 && tally.unproven > 2000 && tally.askedJs === 0, JSON.stringify(tally));
  });

  it('is what server/kernel/cleanLine.ts compiles to (run node scripts/build-kernel.mjs after changing it)', () => {
    // A child process: the compiler is slow to load through the test runner's TypeScript loader.
    const result = spawnSync(process.execPath, [path.join(import.meta.dirname, '../../scripts/build-kernel.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('keeps validators that share its window from reading each other\'s lines', () => {
    // Two documents with their lines at the same offsets, damaged in one (an action of the same
    // length that AWS never writes) and clean in the other. The damaged one's validator checks its
    // last lines again after the clean one's ran: had it trusted the window it filled before, it
    // would now read the clean document's bytes there and prove its damaged lines clean.
    const clean = generate({ kind: 'v2', bytes: 20_000, seed: 3, malformedRate: 0 });
    const damaged = clean.replace(/ ACCEPT /g, ' ACCEPX ');
    const open = (text: string): { validator: Validator; lineCount: number; found: string[]; sink: (p: Problem) => boolean } => {
      const document = new FlowLogDocument(text);
      const found: string[] = [];
      const sink = (p: Problem): boolean => {
        found.push(`${p.line}:${p.start} ${p.code}`);
        return true;
      };
      return { validator: new Validator({ lines: document.lines, formats: document.formats, severities: severityTable() }), lineCount: document.lines.lineCount, found, sink };
    };
    const bad = open(damaged);
    const good = open(clean);
    bad.validator.validateLines(0, bad.lineCount, bad.sink);
    good.validator.validateLines(0, good.lineCount, good.sink);
    const tail = bad.lineCount - 40;
    const expected = bad.found.filter((entry) => Number(entry.split(':')[0]) >= tail);
    assert.ok(expected.length > 10 && good.found.length === 0, `${expected.length} / ${good.found.length}`);
    bad.found.length = 0;
    bad.validator.validateLines(tail, bad.lineCount, bad.sink);
    assert.deepEqual(bad.found, expected);
  });
});

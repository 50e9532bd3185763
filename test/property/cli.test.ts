/**
 * Properties of the CLI's pure parts: any argument list becomes a run, help, version or one
 * usage message (never an exception), and every well-formed record of any text becomes valid JSON with
 * the record's fields and values (`flowlog parse`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { COMMANDS, parseArgs } from '../../server/src/cli/args';
import { recordJson } from '../../server/src/cli/parse';
import { FlowLogDocument } from '../../server/src/service/document';
import { parseLine, TIMESTAMP_KEY } from '../../server/src/service/parse';
import { anyDocumentText, check, explicitFormat } from './arbitraries';

const argument = fc.oneof(
  fc.constantFrom(...COMMANDS, 'help', '--help', '-h', '--version', '-v', '-', '--', '--format', '--format=json', '--fields', '--rule', 'field-count=off', '--max-problems', '--no-progress', '--no-progress=1', '--bogus', '-x', 'file.log', 'a b.log.gz'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

describe('CLI (property)', () => {
  it('any argument list parses to run, help, version or one usage line', () => {
    check(
      'cli-args',
      fc.property(fc.array(argument, { maxLength: 8 }), (argv) => {
        const result = parseArgs(argv);
        assert.deepEqual(parseArgs(argv), result, 'deterministic');
        switch (result.kind) {
          case 'usage':
            assert.ok(result.message.length > 0 && !/[\r\n]/.test(result.message.replace(/'[^']*'/g, '')), `one-line usage message: ${result.message}`);
            break;
          case 'run': {
            assert.ok((COMMANDS as readonly string[]).includes(result.args.command));
            const afterDashes = argv.indexOf('--', 1);
            for (const file of result.args.files) assert.ok(argv.includes(file), `file ${file} comes from the arguments`);
            if (afterDashes >= 0) for (const file of argv.slice(afterDashes + 1)) assert.ok(result.args.files.includes(file), `${file} after -- is a file`);
            break;
          }
          default:
            assert.ok(result.kind === 'help' || result.kind === 'version');
        }
      }),
    );
  });

  it('flowlog parse: every well-formed record line of any text is valid JSON holding the record', () => {
    check(
      'cli-record-json',
      fc.property(anyDocumentText, explicitFormat, (text, format) => {
        const doc = new FlowLogDocument(text, format);
        for (let line = 0; line < doc.lines.lineCount; line++) {
          const parsed = parseLine(doc, line);
          // `flowlog parse` writes well-formed records only (recordJson's contract).
          if (parsed.kind !== 'record' || parsed.tokens.length !== parsed.format.names.length) continue;
          const json = recordJson(parsed);
          const object = JSON.parse(json) as Record<string, unknown>;
          // Built as JSON.parse builds it: own properties, so a column named __proto__ is kept.
          const expected: Record<string, unknown> = {};
          if (parsed.timestamp) expected[TIMESTAMP_KEY] = Number.isFinite(parsed.timestamp.millis) ? parsed.timestamp.millis : null;
          for (const token of parsed.tokens) {
            const value = typeof token.value === 'bigint' ? Number(token.value) : token.value;
            Object.defineProperty(expected, token.name, { value, enumerable: true, writable: true, configurable: true });
          }
          assert.deepEqual(object, expected, json);
          for (const token of parsed.tokens) {
            if (typeof token.value === 'bigint') assert.ok(json.includes(token.value.toString()), 'big integers keep all their digits');
          }
        }
      }),
    );
  });
});

/**
 * Properties of the catalog's value functions over every field: checks read only the cell they
 * are given, typed values are exact, decoders never throw and stay short, and address
 * classification agrees with itself on canonical forms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { classifyAddress } from '../../server/src/catalog/addresses';
import { decodeValue } from '../../server/src/catalog/decoders';
import { FIELDS } from '../../server/src/catalog/fields';
import { Cell, checkCell, isIntegerKind, typedValue } from '../../server/src/catalog/values';
import { check, lookAlike, REAL_RECORDS, unicodeText } from './arbitraries';

const CELL_CODES = new Set<number>(Object.values(Cell));
const spec = fc.constantFrom(...FIELDS);
const SHAPE_KINDS = new Set(['arn', 'region', 'azId', 'awsService']);
const SHAPE_VALUES = ['arn:aws:ecs:us-east-1:123456789012:cluster/prod', 'arn:aws:ecs:us-east-1:123456789012:task/prod/0f1e2d3c', 'us-east-1', 'ap-southeast-2', 'use1-az4', 'S3', 'AMAZON'];
const REAL_VALUES = [...new Set([...REAL_RECORDS.flatMap((line) => line.split(/\s+/)), ...SHAPE_VALUES])];

/** Values for cells: real ones, look-alikes of real ones, numbers of every size, any text. */
const cellValue = fc.oneof(
  fc.constantFrom(...REAL_VALUES),
  fc.tuple(fc.constantFrom(...REAL_VALUES), fc.nat()).map(([value, at]) => lookAlike(value, at)),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom('-', '', '0', '00', '65535', '65536', '255', '256', '9007199254740993', '1418530070000', '99999999999', 'ACCEPT', 'accept', '0K'),
  unicodeText,
);

/** Text around a cell as it occurs in a line: separators, a wrapper's quote, a comment, or anything. */
const context = fc.oneof(fc.constantFrom('', ' ', '\t', '"', '"}', ' #x', '\n'), fc.string({ maxLength: 6 }));

describe('catalog value functions (property)', () => {
  it('checkCell returns a cell code and reads only its cell: the same value in any context checks the same', () => {
    check(
      'check-cell-in-place',
      fc.property(spec, cellValue, context, context, (field, value, before, after) => {
        const alone = checkCell(field, value, 0, value.length);
        assert.ok(CELL_CODES.has(alone), `cell code ${alone}`);
        const text = before + value + after;
        assert.equal(checkCell(field, text, before.length, before.length + value.length), alone, `${field.name} ${JSON.stringify(value)} in ${JSON.stringify(text)}`);
      }), 70);
  });

  it('checkCell of a shape field (ARN, region) reads only its cell, also before a wrapper\'s closing quote', () => {
    check(
      'check-cell-shape-in-place',
      fc.property(fc.constantFrom(...FIELDS.filter((f) => SHAPE_KINDS.has(f.kind))), fc.constantFrom(...SHAPE_VALUES), context, (field, value, after) => {
        const text = value + after;
        assert.equal(checkCell(field, text, 0, value.length), checkCell(field, value, 0, value.length), `${field.name} ${JSON.stringify(text)}`);
      }), 70);
  });

  it('typedValue: dash is null, integer fields give exact numbers or null (never text), other values stay text', () => {
    check(
      'typed-value',
      fc.property(spec, cellValue, (field, raw) => {
        const value = typedValue(field, raw);
        assert.deepEqual(typedValue(field, raw), value, 'deterministic');
        if (raw === '-') return assert.equal(value, null);
        if (isIntegerKind(field)) {
          // One key, one type: digits are a number, anything else (`2O`, `-1`, `+5`) is null.
          if (/^[0-9]+$/.test(raw)) {
            assert.ok(typeof value === 'number' || typeof value === 'bigint', `${field.name} ${raw}`);
            assert.equal(BigInt(value), BigInt(raw), 'exact');
            if (typeof value === 'number') assert.ok(Number.isSafeInteger(value));
            else assert.ok(value > BigInt(Number.MAX_SAFE_INTEGER), 'bigint only past 2^53');
          } else {
            assert.equal(value, null, `${field.name} ${JSON.stringify(raw)}`);
          }
        } else {
          assert.equal(value, raw);
        }
      }), 70);
  });

  it('typedValue of an integer field is null exactly where validation finds no integer', () => {
    const integerFields = FIELDS.filter((f) => isIntegerKind(f) && f.kind !== 'enum');
    check(
      'typed-value-agrees-with-check',
      fc.property(fc.constantFrom(...integerFields), cellValue, (field, raw) => {
        const code = checkCell(field, raw, 0, raw.length);
        const value = typedValue(field, raw);
        // Null for `-` and for what checkCell calls not an integer or negative; every other cell a number.
        const notInteger = code === Cell.Null || code === Cell.NotInteger || code === Cell.Negative;
        assert.equal(value === null, notInteger, `${field.name} ${JSON.stringify(raw)}: cell ${code}, value ${String(value)}`);
      }),
    );
  });

  it('decodeValue never throws; it returns short text for a hint and markdown lines, deterministically', () => {
    const decodeContext = fc.record(
      {
        protocol: fc.oneof(fc.integer({ min: -1, max: 300 }), fc.double()),
        start: fc.oneof(fc.integer(), fc.double(), fc.constant(1418530010)),
        end: fc.oneof(fc.integer(), fc.double(), fc.constant(1418530070)),
        packets: fc.oneof(fc.nat(), fc.double()),
        bytes: fc.oneof(fc.nat(), fc.double()),
        tgw: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    check(
      'decode-value',
      fc.property(spec, cellValue, decodeContext, (field, raw, ctx) => {
        const decoded = decodeValue(field, raw, ctx);
        assert.deepEqual(decodeValue(field, raw, ctx), decoded, 'deterministic');
        if (decoded === undefined) return;
        assert.equal(typeof decoded.short, 'string');
        assert.ok([...decoded.short].length <= 40, `short hint of ${[...decoded.short].length} characters: ${decoded.short}`);
        assert.ok(!/[\r\n]/.test(decoded.short), 'a hint is one line');
        assert.ok(Array.isArray(decoded.lines) && decoded.lines.every((line) => typeof line === 'string'));
      }), 70);
  });

  it('classifyAddress never throws; what it accepts, checkCell accepts as an address of the same family', () => {
    const address = FIELDS.find((f) => f.name === 'srcaddr');
    assert.ok(address);
    check(
      'classify-any',
      fc.property(fc.oneof(cellValue, fc.ipV4(), fc.ipV4Extended(), fc.ipV6()), (text) => {
        const info = classifyAddress(text);
        assert.deepEqual(classifyAddress(text), info, 'deterministic');
        if (!info) return;
        assert.ok(info.family === 4 || info.family === 6);
        assert.ok(info.label.length > 0);
        // A zero-padded IPv4 octet is read, and flagged (AWS never writes one).
        const code = checkCell(address, text, 0, text.length);
        assert.ok(code === Cell.Ok || (code === Cell.PaddedAddress && info.family === 4), `${text} is a valid address cell (${code})`);
      }), 70);
  });

  it('classifyAddress: every IPv4 and IPv6 address is classified, and its canonical form is a fixed point', () => {
    check(
      'classify-canonical',
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const info = classifyAddress(text);
        assert.ok(info, `${text} is an address`);
        assert.equal(info.family, text.includes(':') ? 6 : 4);
        const again = classifyAddress(info.canonical);
        assert.ok(again, `canonical ${info.canonical} is an address`);
        assert.equal(again.canonical, info.canonical);
        assert.equal(again.class, info.class);
        if (info.family === 4) assert.equal(info.canonical, text.split('.').map(Number).join('.'));
      }), 70);
  });
});

/**
 * Binds a parsed filter to a record format: field names become column numbers (a field the
 * format lacks is an error, never an empty result), and values are read as the field's kind
 * wants them: numbers, ranges and names for integer fields (`ssh`, `tcp`, `syn-ack`, `igw`),
 * epoch seconds or ISO times for start and end, addresses and CIDRs, enum values
 * case-insensitively. The bound tree is what the evaluator and every export translate, so they
 * mean the same. Pure: no Node APIs.
 */
import type { FieldSpec } from '../../catalog/fields';
import { isIntegerKind } from '../../catalog/values';
import { portsByName, protocolByName, tcpFlagsByName, trafficPathByName } from '../../catalog/valueNames';
import type { FlowLogFormat } from '../formatModel';
import { describeFormat } from '../formatModel';
import { parseCidr, type Cidr } from './cidr';
import { FilterError } from './errors';
import { PSEUDO_FIELDS, type FieldNode, type FilterNode, type ItemNode, type ValueNode } from './syntax';

/** A closed range of integers; `Infinity` ends for open comparisons. */
export interface IntRange {
  readonly lo: number;
  readonly hi: number;
}

/** What one column must hold. A `-` cell fails every test except `null`. */
export type Test =
  | { readonly kind: 'null' }
  | { readonly kind: 'int'; readonly ranges: readonly IntRange[] }
  | { readonly kind: 'text'; readonly values: readonly string[] }
  | { readonly kind: 'cidr'; readonly nets: readonly Cidr[] }
  | { readonly kind: 'flags'; readonly mask: number };

export interface Column {
  readonly index: number;
  readonly spec: FieldSpec;
}

export type Bound =
  | { readonly type: 'and' | 'or'; readonly parts: readonly Bound[] }
  | { readonly type: 'not'; readonly operand: Bound }
  /** True when any of the columns passes the test (one column unless a pseudo-field). */
  | { readonly type: 'test'; readonly columns: readonly Column[]; readonly test: Test };

/** Filter text bound to a format, with the columns it reads. */
export interface BoundFilter {
  readonly source: string;
  readonly format: FlowLogFormat;
  readonly root: Bound;
  /** Columns the filter reads, ascending. */
  readonly columns: readonly number[];
}

const INT_KINDS_WITH_ORDER = new Set(['version', 'port', 'protocol', 'count', 'time', 'tcpFlags', 'trafficPath']);

export function bindFilter(source: string, root: FilterNode, format: FlowLogFormat): BoundFilter {
  const used = new Set<number>();
  const bound = new Binder(format, used).bind(root);
  return { source, format, root: bound, columns: [...used].sort((a, b) => a - b) };
}

class Binder {
  constructor(private readonly format: FlowLogFormat, private readonly used: Set<number>) {}

  bind(node: FilterNode): Bound {
    switch (node.type) {
      case 'and':
      case 'or':
      {
        // `a and b and c` is one conjunction (translations then need no nested brackets).
        const parts: Bound[] = [];
        for (const side of [this.bind(node.left), this.bind(node.right)]) {
          if (side.type === node.type) parts.push(...side.parts);
          else parts.push(side);
        }
        return { type: node.type, parts };
      }
      case 'not':
        return { type: 'not', operand: this.bind(node.operand) };
      case 'compare': {
        const columns = this.columns(node.field);
        const spec = columns[0].spec;
        if (node.value.text === '-' && !node.value.quoted) {
          if (node.op !== '=' && node.op !== '!=') throw new FilterError(`\`-\` (no value) can only be compared with = or !=`, node.value.start, node.value.end);
          const test: Bound = { type: 'test', columns, test: { kind: 'null' } };
          return node.op === '=' ? test : { type: 'not', operand: test };
        }
        if (node.op === '=' || node.op === '!=') {
          const test: Bound = { type: 'test', columns, test: this.equalTest(spec, [{ from: node.value, start: node.value.start, end: node.value.end }]) };
          return node.op === '=' ? test : { type: 'not', operand: test };
        }
        if (!INT_KINDS_WITH_ORDER.has(spec.kind)) {
          throw new FilterError(`\`${node.op}\` compares numbers and times; \`${node.field.name}\` holds ${kindWords(spec)} (use = , != or in)`, node.start, node.end);
        }
        const value = this.integer(spec, node.value);
        return { type: 'test', columns, test: { kind: 'int', ranges: [orderRange(node.op, value)] } };
      }
      case 'in': {
        const columns = this.columns(node.field);
        return { type: 'test', columns, test: this.equalTest(columns[0].spec, node.items) };
      }
      case 'has': {
        const columns = this.columns(node.field);
        if (columns[0].spec.kind !== 'tcpFlags') throw new FilterError('`has` tests TCP flags: `tcp-flags has syn`', node.start, node.end);
        const mask = this.flags(node.value);
        return { type: 'test', columns, test: { kind: 'flags', mask } };
      }
    }
  }

  /** The columns of a field or pseudo-field; an error when the format has none of them. */
  private columns(field: FieldNode): Column[] {
    const names = PSEUDO_FIELDS[field.name] ?? [field.name];
    const columns: Column[] = [];
    for (const name of names) {
      const index = this.format.names.indexOf(name);
      const spec = this.format.fields[index];
      if (index < 0 || !spec) continue;
      columns.push({ index, spec });
      this.used.add(index);
    }
    if (columns.length > 0) return columns;
    const what = PSEUDO_FIELDS[field.name] ? `none of ${names.join(', ')}` : `no \`${field.name}\``;
    throw new FilterError(`this file's format (${describeFormat(this.format)}) has ${what}`, field.start, field.end);
  }

  private equalTest(spec: FieldSpec, items: readonly ItemNode[]): Test {
    if (spec.kind === 'address') return { kind: 'cidr', nets: items.map((item) => this.cidr(item)) };
    if (isIntegerKind(spec)) {
      const ranges: IntRange[] = [];
      for (const item of items) {
        if (item.to) {
          const lo = this.integer(spec, item.from, true);
          const hi = this.integer(spec, item.to, true);
          if (hi < lo) throw new FilterError(`empty range: ${lo} is above ${hi}`, item.start, item.end);
          ranges.push({ lo, hi });
        } else {
          for (const value of this.integers(spec, item.from)) ranges.push({ lo: value, hi: value });
        }
      }
      return { kind: 'int', ranges };
    }
    return { kind: 'text', values: items.map((item) => this.text(spec, item)) };
  }

  private cidr(item: ItemNode): Cidr {
    if (item.to) throw new FilterError('address ranges are written as CIDRs: `10.0.0.0/8`', item.start, item.end);
    const cidr = parseCidr(item.from.text);
    if (typeof cidr === 'string') throw new FilterError(cidr, item.from.start, item.from.end);
    return cidr;
  }

  private text(spec: FieldSpec, item: ItemNode): string {
    if (item.to) throw new FilterError(`ranges need numbers; \`${spec.name}\` holds ${kindWords(spec)}`, item.start, item.end);
    const { text, start, end } = item.from;
    const values = spec.values;
    if (spec.kind !== 'enum' || !values) return text;
    const hit = values.find((v) => v.value.toLowerCase() === text.toLowerCase());
    if (hit) return hit.value;
    if (spec.openEnum) return text;
    throw new FilterError(`\`${text}\` is not a value of ${spec.name}; expected ${values.map((v) => v.value).join(', ')}`, start, end);
  }

  /** Integers a value stands for: a number, or a name (a port name may stand for several ports). */
  private integers(spec: FieldSpec, value: ValueNode): number[] {
    if (spec.kind === 'port' && !/^\d+$/.test(value.text)) {
      const ports = portsByName(value.text);
      if (ports.length > 0) return [...ports];
    }
    return [this.integer(spec, value)];
  }

  private integer(spec: FieldSpec, value: ValueNode, inRange = false): number {
    const { text, start, end } = value;
    if (/^\d+$/.test(text)) {
      const n = Number(text);
      const max = maxOf(spec);
      if (n > max) throw new FilterError(`${text} is out of range for ${spec.name} (0–${max})`, start, end);
      return n;
    }
    let named: number | undefined;
    switch (spec.kind) {
      case 'protocol':
        named = protocolByName(text);
        break;
      case 'tcpFlags':
        named = tcpFlagsByName(text);
        break;
      case 'trafficPath':
        named = trafficPathByName(text);
        break;
      case 'time':
        named = isoSeconds(text);
        break;
      case 'port': {
        const ports = portsByName(text);
        if (ports.length === 1 || (ports.length > 0 && !inRange)) named = ports[0];
        break;
      }
    }
    if (named !== undefined) return named;
    throw new FilterError(`\`${text}\` is not ${expectedWords(spec)}`, start, end);
  }

  private flags(value: ValueNode): number {
    const mask = /^\d+$/.test(value.text) ? Number(value.text) : tcpFlagsByName(value.text);
    if (mask === undefined || mask > 255 || mask === 0) {
      throw new FilterError(`\`${value.text}\` is not a TCP flag: fin, syn, rst, psh, ack, urg, ece, cwr, syn-ack (or several joined with +)`, value.start, value.end);
    }
    return mask;
  }
}

function orderRange(op: '<' | '<=' | '>' | '>=', value: number): IntRange {
  switch (op) {
    case '<':
      return { lo: -Infinity, hi: value - 1 };
    case '<=':
      return { lo: -Infinity, hi: value };
    case '>':
      return { lo: value + 1, hi: Infinity };
    case '>=':
      return { lo: value, hi: Infinity };
  }
}

/** Largest value the filter accepts for an integer field (the summary's row filters use the same range). */
export function maxOf(spec: FieldSpec): number {
  switch (spec.kind) {
    case 'port':
      return 65535;
    case 'protocol':
    case 'tcpFlags':
      return 255;
    case 'version':
      return 99;
    case 'trafficPath':
      return 8;
    case 'enum':
      return (spec.values?.length ?? 1) - 1;
    default:
      return Number.MAX_SAFE_INTEGER;
  }
}

function kindWords(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'address':
      return 'addresses';
    case 'enum':
      return `one of ${(spec.values ?? []).map((v) => v.value).join(', ')}`;
    default:
      return 'text';
  }
}

function expectedWords(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'protocol':
      return 'a protocol number or name (tcp, udp, icmp, …)';
    case 'port':
      return 'a port number or service name (ssh, https, …)';
    case 'tcpFlags':
      return 'TCP flags: a number or names (syn, fin, rst, syn-ack, syn+fin, …)';
    case 'trafficPath':
      return 'a traffic path: 1–8 or a name (same-vpc, igw, vgw, intra-region-peering, inter-region-peering, local-gateway, gateway-endpoint-nitro, igw-nitro)';
    case 'time':
      return 'a time: epoch seconds or ISO 8601 such as 2026-01-01T10:00:00Z';
    default:
      return `a whole number for ${spec.name}`;
  }
}

const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|[+-]\d\d:?\d\d)?)?$/i;

/** Epoch seconds of an ISO 8601 date or UTC time; a time needs `Z` or an offset. Fractions round down. */
export function isoSeconds(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, , zone] = m;
  if (h !== undefined && zone === undefined) return undefined;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return Math.floor(ms / 1000) - offset;
}

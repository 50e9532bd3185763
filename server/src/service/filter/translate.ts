/**
 * A bound filter as a condition for the engines users run on flow logs at scale: DuckDB and
 * Athena (Trino) SQL, and CloudWatch Logs Insights' `filter`. Each translation means exactly what
 * the evaluator means: a `-` cell fails every test except `= -` (SQL tests are wrapped in
 * `coalesce(…, false)` so that `NOT` of a NULL comparison is true, as `!=` is for flowlog), a
 * CIDR is a numeric range for IPv4, and a prefix of the expanded address for IPv6.
 * Pure: no Node APIs.
 */
import type { FieldSpec } from '../../catalog/fields';
import type { Bound, Column, IntRange, Test } from './bind';
import type { Cidr } from './cidr';

export type Dialect = 'duckdb' | 'athena' | 'insights';

/** Column names as AWS's Athena table and `parse @message` name them: hyphens become underscores. */
export function columnName(field: string): string {
  return field.replace(/-/g, '_');
}

/** A column in a SQL query (Trino and DuckDB quote with double quotes; `end` is reserved in both). */
export function sqlIdentifier(field: string): string {
  const name = columnName(field);
  return /^[a-z_][a-z0-9_]*$/.test(name) && name !== 'end' ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The fields Logs Insights discovers by itself in the default format, by AWS field name. */
export const INSIGHTS_DISCOVERED: Readonly<Record<string, string>> = {
  version: 'version',
  'account-id': 'accountId',
  'interface-id': 'interfaceId',
  srcaddr: 'srcAddr',
  dstaddr: 'dstAddr',
  srcport: 'srcPort',
  dstport: 'dstPort',
  protocol: 'protocol',
  packets: 'packets',
  bytes: 'bytes',
  start: 'startTime',
  end: 'endTime',
  action: 'action',
  'log-status': 'logStatus',
};

export interface TranslateOptions {
  /** Insights: the format's fields are discovered (default format), so their camelCase names apply. */
  readonly discovered?: boolean;
}

export function translateFilter(root: Bound, dialect: Dialect, options: TranslateOptions = {}): string {
  return new Translator(dialect, options).node(root, true);
}

class Translator {
  constructor(private readonly dialect: Dialect, private readonly options: TranslateOptions) {}

  private get sql(): boolean {
    return this.dialect !== 'insights';
  }

  node(node: Bound, top = false): string {
    switch (node.type) {
      case 'and':
      case 'or': {
        const word = this.sql ? node.type.toUpperCase() : node.type;
        const text = node.parts.map((part) => this.node(part)).join(` ${word} `);
        return top ? text : `(${text})`;
      }
      case 'not':
        return `${this.sql ? 'NOT' : 'not'} ${this.node(node.operand)}`;
      case 'test': {
        const tests = node.columns.map((column) => this.test(column, node.test));
        if (tests.length === 1) return tests[0];
        return `(${tests.join(this.sql ? ' OR ' : ' or ')})`;
      }
    }
  }

  private name(column: Column): string {
    if (this.sql) return sqlIdentifier(column.spec.name);
    if (this.options.discovered) return INSIGHTS_DISCOVERED[column.spec.name] ?? columnName(column.spec.name);
    return columnName(column.spec.name);
  }

  private test(column: Column, test: Test): string {
    const name = this.name(column);
    if (test.kind === 'null') return this.nullTest(name, column.spec);
    const condition = this.condition(name, test);
    // A comparison with NULL is NULL, and NOT NULL is not true: make every test true or false.
    return this.sql ? `coalesce(${condition}, false)` : condition;
  }

  private nullTest(name: string, spec: FieldSpec): string {
    if (this.dialect === 'insights') return `${name} = "-"`;
    // Athena's text reader keeps `-` in string columns; DuckDB reads it as NULL (nullstr).
    if (this.dialect === 'athena' && athenaType(spec) === 'string') return `(${name} IS NULL OR ${name} = '-')`;
    return `${name} IS NULL`;
  }

  private condition(name: string, test: Exclude<Test, { kind: 'null' }>): string {
    switch (test.kind) {
      case 'int':
        return this.ranges(name, test.ranges);
      case 'text':
        return this.values(name, test.values.map((v) => this.quote(v)));
      case 'cidr':
        return this.or(test.nets.map((net) => this.cidr(name, net)));
      case 'flags':
        return this.flags(name, test.mask);
    }
  }

  private or(parts: string[]): string {
    return parts.length === 1 ? parts[0] : `(${parts.join(this.sql ? ' OR ' : ' or ')})`;
  }

  private quote(value: string): string {
    return this.sql ? `'${value.replace(/'/g, "''")}'` : JSON.stringify(value);
  }

  private values(name: string, literals: string[]): string {
    if (literals.length === 1) return `${name} = ${literals[0]}`;
    return this.sql ? `${name} IN (${literals.join(', ')})` : `${name} in [${literals.join(', ')}]`;
  }

  private ranges(name: string, ranges: readonly IntRange[]): string {
    const singles = ranges.filter((r) => r.lo === r.hi).map((r) => String(r.lo));
    const parts: string[] = [];
    if (singles.length > 0) parts.push(this.values(name, singles));
    for (const { lo, hi } of ranges) {
      if (lo === hi) continue;
      if (lo === -Infinity) parts.push(`${name} <= ${hi}`);
      else if (hi === Infinity) parts.push(`${name} >= ${lo}`);
      else parts.push(this.sql ? `${name} BETWEEN ${lo} AND ${hi}` : `(${name} >= ${lo} and ${name} <= ${hi})`);
    }
    return this.or(parts);
  }

  private flags(name: string, mask: number): string {
    switch (this.dialect) {
      case 'duckdb':
        return `(${name} & ${mask}) = ${mask}`;
      case 'athena':
        return `bitwise_and(${name}, ${mask}) = ${mask}`;
      case 'insights': {
        // Logs Insights has no bitwise operators: test each bit with division and modulo.
        const bits: string[] = [];
        for (let bit = 1; bit <= 128; bit *= 2) if (mask & bit) bits.push(`floor(${name} / ${bit}) % 2 = 1`);
        return bits.length === 1 ? bits[0] : `(${bits.join(' and ')})`;
      }
    }
  }

  private cidr(name: string, net: Cidr): string {
    if (net.family === 4 && net.prefix === 32) return `${name} = ${this.quote(net.network)}`;
    switch (this.dialect) {
      case 'insights':
        return `isIpv${net.family}InSubnet(${name}, ${this.quote(net.prefix === 128 ? `${net.network}/128` : net.network)})`;
      case 'athena':
        return `contains(${this.quote(net.prefix === 128 ? `${net.network}/128` : net.network)}, try_cast(${name} AS ipaddress))`;
      case 'duckdb':
        return net.family === 4 ? `${duckIPv4Number(name)} BETWEEN ${net.lo} AND ${net.hi}` : duckIPv6Prefix(name, net.groups, net.prefix);
    }
  }
}

/** An IPv4 text column as a number in DuckDB, NULL for anything else (no extension needed). */
function duckIPv4Number(name: string): string {
  const octet = (n: number) => `TRY_CAST(split_part(${name}, '.', ${n}) AS BIGINT)`;
  return `(CASE WHEN regexp_full_match(${name}, '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}') THEN ${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)} END)`;
}

/**
 * An IPv6 text column as 32 lower-case hex digits in DuckDB (`::` expanded), compared with the
 * network's leading digits; the last partial digit of a prefix is one of the digits it allows.
 * IPv6 with an embedded dotted quad does not match (flow logs write plain hex groups).
 */
function duckIPv6Prefix(name: string, network: readonly number[], prefix: number): string {
  const groups = (part: string) => `list_filter(string_split(${part}, ':'), lambda g: g <> '')`;
  const head = groups(`split_part(${name}, '::', 1)`);
  const tail = groups(`split_part(${name}, '::', 2)`);
  const zeros = `list_transform(range(8 - len(${head}) - len(${tail})), lambda i: '0')`;
  const all = `CASE WHEN contains(${name}, '::') THEN list_concat(list_concat(${head}, ${zeros}), ${tail}) ELSE string_split(${name}, ':') END`;
  const hex = `array_to_string(list_transform(${all}, lambda g: lpad(lower(g), 4, '0')), '')`;
  const digits = network.map((g) => g.toString(16).padStart(4, '0')).join('');
  const whole = Math.floor(prefix / 4);
  const conditions = [`contains(${name}, ':')`, `NOT contains(${name}, '.')`];
  const partial = prefix % 4;
  if (whole > 0 || partial > 0) {
    const lead = digits.slice(0, whole);
    const allowed: string[] = [];
    if (partial > 0) {
      const base = parseInt(digits[whole], 16);
      for (let d = 0; d < 16; d++) if (d >> (4 - partial) === base >> (4 - partial)) allowed.push(`'${d.toString(16)}'`);
    }
    const hexOf = `${hex}`;
    if (whole > 0) conditions.push(`starts_with(${hexOf}, '${lead}')`);
    if (partial > 0) conditions.push(`substr(${hexOf}, ${whole + 1}, 1) IN (${allowed.join(', ')})`);
  }
  return `(${conditions.join(' AND ')})`;
}

/** Athena (Hive DDL) type of a field: AWS's table where it lists the field, else from the catalog's kind. */
export function athenaType(spec: FieldSpec): 'int' | 'bigint' | 'string' {
  switch (spec.kind) {
    case 'version':
    case 'port':
    case 'tcpFlags':
    case 'trafficPath':
      return 'int';
    case 'protocol':
    case 'count':
    case 'time':
      return 'bigint';
    default:
      return spec.name === 'encryption-status' ? 'int' : 'string';
  }
}

/** DuckDB type of a field: counts are unsigned 64-bit, so UBIGINT holds every one. */
export function duckdbType(spec: FieldSpec | undefined): string {
  if (!spec) return 'VARCHAR';
  switch (spec.kind) {
    case 'version':
    case 'port':
    case 'protocol':
    case 'tcpFlags':
    case 'trafficPath':
      return 'INTEGER';
    case 'count':
      return 'UBIGINT';
    case 'time':
      return 'BIGINT';
    default:
      return spec.name === 'encryption-status' ? 'INTEGER' : 'VARCHAR';
  }
}

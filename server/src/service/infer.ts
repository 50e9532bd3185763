/**
 * Format inference for files without a header (CloudWatch exports, pasted records). First the
 * known layouts with the sampled field count are scored by how well each column's values fit its
 * field; when none fits well, each column is named from the shape of its values, and the columns
 * that shape alone cannot pin down are reported as ambiguous.
 */
import { lookupField, versionRange, type FieldSpec } from '../catalog/fields';
import { VALUE_KINDS } from '../catalog/kinds';
import { KNOWN_LAYOUTS } from '../catalog/layouts';
import { Cell, checkCell, lastCell, readUnsigned } from '../catalog/values';
import { DEFAULT_FORMAT, makeFormat, type FlowLogFormat } from './formatModel';

/** How much a fitting value tells about the column: the kind's weight, less for any-prefix ids and open enums. */
function evidenceWeight(spec: FieldSpec): number {
  if (spec.kind === 'resourceId' && !spec.idPrefixes?.length) return 2;
  if (spec.kind === 'enum' && spec.openEnum) return 1;
  return VALUE_KINDS[spec.kind].evidence;
}

/** Score in [0, 1] of how well the sample rows fit a field list. */
export function scoreLayout(fields: readonly (FieldSpec | undefined)[], rows: readonly string[][]): number {
  let gained = 0;
  let possible = 0;
  for (const row of rows) {
    if (row.length !== fields.length) continue;
    for (let column = 0; column < row.length; column++) {
      const spec = fields[column];
      const value = row[column];
      if (!spec || value === '-') continue;
      const weight = evidenceWeight(spec);
      possible += weight;
      const code = checkCell(spec, value, 0, value.length);
      // An impossible tcp-flags value or a zero-padded address still has the field's shape.
      if (code === Cell.Ok || code === Cell.Milliseconds || code === Cell.ImpossibleFlags || code === Cell.PaddedAddress) {
        // Epoch seconds must also be plausible flow times, or any integer column would pass.
        if (spec.kind === 'time' && lastCell.num < 1e9) continue;
        gained += weight;
      } else if (code === Cell.UnknownOpenEnum) {
        gained += weight / 2;
      }
    }
  }
  return possible === 0 ? 0 : gained / possible;
}

function modeLength(rows: readonly string[][]): number {
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
  let best = 0;
  let bestCount = -1;
  for (const [length, count] of counts) {
    if (count > bestCount) {
      best = length;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The sample rows as records of `width` fields, the way validation will read them: a row of
 * k × width fields is k records on one line, two short rows that add up to width are one
 * wrapped record. Returns the records and the share of rows they account for.
 */
function recordsOfWidth(rows: readonly string[][], width: number): { records: string[][]; coverage: number } {
  const records: string[][] = [];
  let covered = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.length % width === 0) {
      for (let at = 0; at < row.length; at += width) records.push(row.slice(at, at + width));
      covered++;
    } else if (row.length < width && i + 1 < rows.length && row.length + rows[i + 1].length === width) {
      records.push([...row, ...rows[i + 1]]);
      covered += 2;
      i++;
    }
  }
  return { records, coverage: rows.length === 0 ? 0 : covered / rows.length };
}

/** Below this a layout is not taken even when the field count fits. */
const GOOD_FIT = 0.6;
const GOOD_COVERAGE = 0.5;
/** Share of rows that known layouts of different widths must explain together for a file mixing them. */
const MIXED_COVERAGE = 0.9;
/** Widest row that per-column inference names (AWS has 54 VPC fields). */
const MAX_INFERRED_COLUMNS = 128;

export function inferFromSamples(rows: readonly string[][]): FlowLogFormat {
  const candidates = KNOWN_LAYOUTS.map((layout) => {
    const fields = layout.fields.map((name) => lookupField(name));
    const { records, coverage } = recordsOfWidth(rows, layout.fields.length);
    const score = records.length === 0 ? 0 : scoreLayout(fields, records);
    return { layout, fields, score, coverage, rank: score * coverage };
  })
    .filter((candidate) => candidate.score >= GOOD_FIT && candidate.coverage > 0)
    .sort((a, b) => b.rank - a.rank);
  let accepted = candidates.filter((candidate) => candidate.coverage >= GOOD_COVERAGE);
  if (accepted.length === 0) {
    // A headerless file of several known layouts (a default-format export with TGW or v5 records
    // appended), each read by its own layout (layoutSwitch.ts): the layout of most rows rules.
    const coverageByWidth = new Map<number, number>();
    for (const { layout, coverage } of candidates) coverageByWidth.set(layout.fields.length, Math.max(coverage, coverageByWidth.get(layout.fields.length) ?? 0));
    let covered = 0;
    for (const coverage of coverageByWidth.values()) covered += coverage;
    if (covered >= MIXED_COVERAGE) accepted = candidates;
  }
  const best = accepted[0];
  if (best) {
    // A rival layout that fits as well makes the choice less certain.
    const rival = accepted[1]?.rank ?? 0;
    const confidence = Math.min(1, best.rank) * (rival >= best.rank - 0.05 ? 0.6 : 1);
    return makeFormat(best.layout.fields, best.fields, 'inferred', { confidence, layoutId: best.layout.id });
  }
  const width = modeLength(rows);
  if (width === 0) return DEFAULT_FORMAT;
  // No flow log format has this many fields: do not name a column of it.
  if (width > MAX_INFERRED_COLUMNS) return makeFormat(['column-1'], [undefined], 'inferred', { confidence: 0, ambiguousColumns: [0] });
  return inferByColumns(rows.filter((row) => row.length === width), width);
}

type Shape =
  | 'null' | 'ipv4' | 'ipv6' | 'eni' | 'vpc' | 'subnet' | 'instance' | 'tgw' | 'tgw-attach' | 'resource'
  | 'account' | 'epoch' | 'int' | 'action' | 'log-status' | 'type' | 'direction' | 'resource-type'
  | 'region' | 'az' | 'sublocation-type' | 'service' | 'arn' | 'text';

const SHAPE_FIELD: Partial<Record<Shape, string>> = {
  action: 'action', 'log-status': 'log-status', type: 'type', direction: 'flow-direction', 'resource-type': 'resource-type',
  region: 'region', 'sublocation-type': 'sublocation-type', vpc: 'vpc-id', subnet: 'subnet-id', instance: 'instance-id',
  tgw: 'tgw-id', 'tgw-attach': 'tgw-attachment-id', resource: 'resource-id', account: 'account-id',
};

function shapeOf(value: string): Shape {
  if (value === '-') return 'null';
  const probe = (name: string): boolean => {
    const spec = lookupField(name) as FieldSpec;
    const code = checkCell(spec, value, 0, value.length);
    // A zero-padded address (masked data) is still shaped like one.
    return code === Cell.Ok || code === Cell.PaddedAddress;
  };
  if (probe('srcaddr')) return lastCell.family === 4 ? 'ipv4' : 'ipv6';
  if (value.startsWith('tgw-attach-')) return 'tgw-attach';
  for (const [prefix, shape] of [['eni-', 'eni'], ['vpc-', 'vpc'], ['subnet-', 'subnet'], ['i-', 'instance'], ['tgw-', 'tgw']] as const) {
    if (value.startsWith(prefix)) return shape;
  }
  for (const name of ['action', 'log-status', 'type', 'flow-direction', 'resource-type', 'sublocation-type'] as const) {
    if (probe(name)) return name === 'flow-direction' ? 'direction' : (name as Shape);
  }
  if (/^\d{12}$/.test(value) || value === 'unknown') return 'account';
  const number = readUnsigned(value, 0, value.length);
  if (number >= 0) return number >= 1e9 && number < 5e9 ? 'epoch' : number >= 1e12 && number < 5e12 ? 'epoch' : 'int';
  if (probe('az-id')) return 'az';
  if (probe('region')) return 'region';
  if (probe('resource-id')) return 'resource';
  if (value.startsWith('arn:')) return 'arn';
  if (/^[A-Z][A-Z0-9_]*$/.test(value)) return 'service';
  return 'text';
}

function columnShape(rows: readonly string[][], column: number): { shape: Shape; values: number[] } {
  const tally = new Map<Shape, number>();
  const values: number[] = [];
  for (const row of rows) {
    const shape = shapeOf(row[column]);
    if (shape === 'null') continue;
    tally.set(shape, (tally.get(shape) ?? 0) + 1);
    const n = readUnsigned(row[column], 0, row[column].length);
    if (n >= 0) values.push(n);
  }
  // Ints and epochs mix in one column only when it is an int column.
  if (tally.has('epoch') && tally.has('int')) tally.delete('epoch');
  let shape: Shape = 'null';
  let bestCount = 0;
  for (const [candidate, count] of tally) {
    if (count > bestCount) {
      shape = candidate;
      bestCount = count;
    }
  }
  return { shape, values };
}

/**
 * Shapes whose field depends on the record's family and on how many columns have them, in the
 * order AWS's tables list the fields.
 */
const SHARED_SHAPES: Partial<Record<Shape, { vpc: string[]; tgw: string[] }>> = {
  vpc: { vpc: ['vpc-id', 'next-hop-vpc-id'], tgw: ['tgw-src-vpc-id', 'tgw-dst-vpc-id'] },
  subnet: { vpc: ['subnet-id', 'next-hop-subnet-id'], tgw: ['tgw-src-subnet-id', 'tgw-dst-subnet-id'] },
  account: { vpc: ['account-id'], tgw: ['account-id', 'tgw-src-vpc-account-id', 'tgw-dst-vpc-account-id'] },
  'tgw-attach': { vpc: ['tgw-attachment-id'], tgw: ['tgw-attachment-id', 'tgw-pair-attachment-id'] },
};

/** tcp-flags values AWS writes: ORs of FIN 1, SYN 2, RST 4 and SYN-ACK 18. */
const TCP_FLAG_VALUES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 18, 19, 22, 23]);

/** Names each column from the shape of its values. */
function inferByColumns(rows: readonly string[][], width: number): FlowLogFormat {
  const shapes = Array.from({ length: width }, (_, column) => columnShape(rows, column));
  const names: string[] = new Array(width).fill('');
  const ambiguous: number[] = [];
  const used = new Set<string>();
  const assign = (column: number, name: string, sure: boolean): void => {
    if (used.has(name)) {
      names[column] = `column-${column + 1}`;
      ambiguous.push(column);
      return;
    }
    used.add(name);
    names[column] = name;
    if (!sure) ambiguous.push(column);
  };
  const tgw = shapes.some((s) => s.shape === 'tgw' || s.shape === 'tgw-attach' || s.shape === 'resource-type');
  const ofShape = (...wanted: Shape[]): number[] => shapes.flatMap((s, i) => (wanted.includes(s.shape) ? [i] : []));

  for (let column = 0; column < width; column++) {
    const shape = shapes[column].shape;
    const name = SHAPE_FIELD[shape];
    if (name && !(shape in SHARED_SHAPES)) assign(column, name, true);
  }
  // Ids that several fields hold: in a TGW record vpc-, subnet- and account ids are the source's
  // and the destination's, so their order in a custom format is a guess.
  for (const [shape, fields] of Object.entries(SHARED_SHAPES) as [Shape, { vpc: string[]; tgw: string[] }][]) {
    const columns = ofShape(shape);
    const candidates = tgw ? fields.tgw : fields.vpc;
    columns.forEach((column, i) => assign(column, candidates[i] ?? `column-${column + 1}`, !tgw && columns.length === 1));
  }
  const enis = ofShape('eni');
  if (tgw) enis.forEach((column, i) => assign(column, i === 0 ? 'tgw-src-eni' : 'tgw-dst-eni', false));
  else enis.forEach((column, i) => assign(column, i === 0 ? 'interface-id' : 'next-hop-interface-id', enis.length === 1));
  const addresses = ofShape('ipv4', 'ipv6');
  const addressNames = ['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr'];
  addresses.forEach((column, i) => assign(column, addressNames[i] ?? `column-${column + 1}`, addresses.length <= 2));
  const epochs = ofShape('epoch');
  epochs.forEach((column, i) => assign(column, i === 0 ? 'start' : 'end', epochs.length === 2));
  ofShape('az').forEach((column, i) => assign(column, tgw ? (i === 0 ? 'tgw-src-az-id' : 'tgw-dst-az-id') : i === 0 ? 'az-id' : 'next-hop-az-id', false));
  ofShape('service').forEach((column, i) => assign(column, i === 0 ? 'pkt-src-aws-service' : 'pkt-dst-aws-service', false));
  assignIntegers(shapes, assign, tgw);
  for (let column = 0; column < width; column++) {
    if (!names[column]) {
      names[column] = `column-${column + 1}`;
      ambiguous.push(column);
    }
  }
  const fields = names.map((name) => lookupField(name));
  const confidence = Math.max(0.1, (width - ambiguous.length) / width) * 0.8;
  return makeFormat(names, fields, 'inferred', { confidence, ambiguousColumns: [...new Set(ambiguous)].sort((a, b) => a - b) });
}

/**
 * Integer columns: version first, then protocol, tcp-flags, ports, counts (and in a TGW record
 * the four packets-lost counters); all guesses but the version.
 */
function assignIntegers(shapes: { shape: Shape; values: number[] }[], assign: (column: number, name: string, sure: boolean) => void, tgw: boolean): void {
  const ints = shapes.flatMap((s, i) => (s.shape === 'int' ? [i] : []));
  const all = (column: number, test: (n: number) => boolean): boolean => shapes[column].values.every(test);
  const remaining = [...ints];
  const take = (test: (column: number) => boolean): number | undefined => {
    const index = remaining.findIndex(test);
    return index < 0 ? undefined : remaining.splice(index, 1)[0];
  };
  const { lowest, highest } = versionRange();
  const version = take((c) => c === 0 && all(c, (n) => n >= lowest && n <= highest));
  if (version !== undefined) assign(version, 'version', true);
  const protocol = take((c) => all(c, (n) => n <= 255) && shapes[c].values.some((n) => n === 6 || n === 17 || n === 1));
  if (protocol !== undefined) assign(protocol, 'protocol', false);
  // Only flag values, one of them with SYN-ACK: no port or counter column looks like that.
  const flagLike = (c: number): boolean => all(c, (n) => TCP_FLAG_VALUES.has(n)) && shapes[c].values.some((n) => n !== 0);
  let flags = take((c) => flagLike(c) && shapes[c].values.some((n) => n >= 18));
  for (const name of ['srcport', 'dstport']) {
    const port = take((c) => all(c, (n) => n <= 65535));
    if (port !== undefined) assign(port, name, false);
  }
  for (const name of ['packets', 'bytes']) {
    const count = take(() => true);
    if (count !== undefined) assign(count, name, false);
  }
  // Past the counters, a column of varied flag values without SYN-ACK is still the likeliest tcp-flags.
  flags ??= take((c) => flagLike(c) && new Set(shapes[c].values).size >= 2);
  if (flags !== undefined) assign(flags, 'tcp-flags', false);
  if (tgw) {
    for (const name of ['packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded', 'packets-lost-ttl-expired']) {
      const lost = take(() => true);
      if (lost !== undefined) assign(lost, name, false);
    }
  }
}

/**
 * Aggregates for `flowlog stats`, in bounded memory whatever the input size: counters per enum
 * value (capped), exact totals (bigint once past 2^53), exact rejected-port counts in fixed
 * arrays, and Space-Saving for top talkers (exact until there are more distinct pairs than its
 * capacity). Reads typed values from parsed records; no parsing of its own.
 */
import { portService, protocolHasPorts } from '../catalog/ports';
import { protocolLabel } from '../catalog/protocols';
import { isMilliseconds } from '../catalog/values';
import type { FlowLogFormat } from '../service/formatModel';
import type { ParsedLine } from '../service/parse';
import { TopK } from './topk';

export const TALKER_CAPACITY = 10_000;
const TALLY_KEYS = 32;
const TOP = 10;

type Value = number | bigint | string | null;

/** Counts per value, at most TALLY_KEYS distinct values (then `(other)`). */
class Tally {
  readonly counts = new Map<string, number>();

  add(value: Value): void {
    let key = value === null ? '-' : String(value);
    if (!this.counts.has(key) && this.counts.size >= TALLY_KEYS) key = '(other)';
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  toObject(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]));
  }
}

/** A sum that stays exact past 2^53. */
class Total {
  private small = 0;
  private big = 0n;

  add(value: Value): void {
    if (typeof value === 'bigint') this.big += value;
    else if (typeof value === 'number') {
      this.small += value;
      if (this.small > 2 ** 52) {
        this.big += BigInt(this.small);
        this.small = 0;
      }
    }
  }

  get value(): number | bigint {
    const total = this.big + BigInt(this.small);
    return total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : total;
  }
}

interface Columns {
  logStatus: number;
  action: number;
  bytes: number;
  packets: number;
  start: number;
  end: number;
  srcaddr: number;
  dstaddr: number;
  dstport: number;
  protocol: number;
}

const columnsByFormat = new WeakMap<FlowLogFormat, Columns>();

function columnsOf(format: FlowLogFormat): Columns {
  let columns = columnsByFormat.get(format);
  if (!columns) {
    const at = (name: string): number => format.names.indexOf(name);
    columns = {
      logStatus: at('log-status'), action: at('action'), bytes: at('bytes'), packets: at('packets'), start: at('start'), end: at('end'),
      srcaddr: at('srcaddr'), dstaddr: at('dstaddr'), dstport: at('dstport'), protocol: at('protocol'),
    };
    columnsByFormat.set(format, columns);
  }
  return columns;
}

/** Rejected-record counts per destination port, by transport. */
const PORT_GROUPS = ['tcp', 'udp', 'other', 'any'] as const;
type PortGroup = (typeof PORT_GROUPS)[number];

/**
 * A row of the rejected-ports table: a destination port of a protocol with ports, or a protocol
 * without ports (ICMP, ICMPv6, GRE, ESP, …), whose port 0 is not a port: `port` is then null and
 * `protocol` the protocol's IANA keyword.
 */
export interface RejectedPortRow {
  port: number | null;
  protocol: PortGroup | string;
  service: string | null;
  records: number;
}

export interface StatsSummary {
  files: number;
  records: number;
  malformed: number;
  logStatus: Record<string, number>;
  action: Record<string, number>;
  bytes: number | bigint;
  packets: number | bigint;
  timeSpan: { first: string; last: string; seconds: number } | null;
  topTalkers: { by: 'bytes'; approximate: boolean; pairs: { srcaddr: string; dstaddr: string; bytes: number; maxOverestimate: number }[] };
  topRejectedPorts: RejectedPortRow[];
}

export class FlowStats {
  files = 0;
  records = 0;
  malformed = 0;
  private readonly logStatus = new Tally();
  private readonly action = new Tally();
  private readonly bytes = new Total();
  private readonly packets = new Total();
  private firstStart = Infinity;
  private lastEnd = -Infinity;
  private readonly talkers = new TopK(TALKER_CAPACITY);
  private readonly rejected: Record<PortGroup, Float64Array> = {
    tcp: new Float64Array(65536), udp: new Float64Array(65536), other: new Float64Array(65536), any: new Float64Array(65536),
  };
  /** Rejected records of protocols without ports, by protocol number. */
  private readonly rejectedPortless = new Float64Array(256);

  add(record: ParsedLine): void {
    const c = columnsOf(record.format);
    const value = (column: number): Value => (column >= 0 ? record.tokens[column].value : null);
    this.records++;
    if (c.logStatus >= 0) this.logStatus.add(value(c.logStatus));
    if (c.action >= 0) this.action.add(value(c.action));
    const bytes = value(c.bytes);
    this.bytes.add(bytes);
    this.packets.add(value(c.packets));
    const start = seconds(value(c.start));
    if (start !== undefined && start < this.firstStart) this.firstStart = start;
    const end = seconds(value(c.end));
    if (end !== undefined && end > this.lastEnd) this.lastEnd = end;
    const src = value(c.srcaddr);
    const dst = value(c.dstaddr);
    if (typeof src === 'string' && typeof dst === 'string' && (typeof bytes === 'number' || typeof bytes === 'bigint') && bytes > 0) {
      this.talkers.add(`${src} ${dst}`, Number(bytes));
    }
    if (value(c.action) === 'REJECT') {
      const protocol = value(c.protocol);
      const port = value(c.dstport);
      if (typeof protocol === 'number' && protocol <= 255 && !protocolHasPorts(protocol)) this.rejectedPortless[protocol]++;
      else if (typeof port === 'number' && port <= 65535) {
        const group: PortGroup = typeof protocol !== 'number' ? 'any' : protocol === 6 ? 'tcp' : protocol === 17 ? 'udp' : 'other';
        this.rejected[group][port]++;
      }
    }
  }

  summary(): StatsSummary {
    const hasSpan = Number.isFinite(this.firstStart) && Number.isFinite(this.lastEnd);
    return {
      files: this.files,
      records: this.records,
      malformed: this.malformed,
      logStatus: this.logStatus.toObject(),
      action: this.action.toObject(),
      bytes: this.bytes.value,
      packets: this.packets.value,
      timeSpan: hasSpan ? { first: utc(this.firstStart), last: utc(this.lastEnd), seconds: this.lastEnd - this.firstStart } : null,
      topTalkers: {
        by: 'bytes',
        approximate: this.talkers.approximate,
        pairs: this.talkers.top(TOP).map((entry) => {
          const [srcaddr, dstaddr] = entry.key.split(' ');
          return { srcaddr, dstaddr, bytes: entry.weight, maxOverestimate: entry.error };
        }),
      },
      topRejectedPorts: this.topRejected(),
    };
  }

  private topRejected(): StatsSummary['topRejectedPorts'] {
    const found: StatsSummary['topRejectedPorts'] = [];
    this.rejectedPortless.forEach((records, protocol) => {
      if (records > 0) found.push({ port: null, protocol: protocolLabel(protocol), service: null, records });
    });
    for (const protocol of PORT_GROUPS) {
      const counts = this.rejected[protocol];
      for (let port = 0; port < counts.length; port++) {
        if (counts[port] === 0) continue;
        const transport = protocol === 'tcp' ? 6 : protocol === 'udp' ? 17 : undefined;
        const service = protocol === 'other' ? undefined : portService(port, transport);
        found.push({ port, protocol, service: service ?? null, records: counts[port] });
      }
      found.sort((a, b) => b.records - a.records || (a.port ?? -1) - (b.port ?? -1));
      found.length = Math.min(found.length, TOP);
    }
    return found;
  }
}

/** Epoch seconds of a start/end value (milliseconds are recognised as the validator does). */
function seconds(value: Value): number | undefined {
  if (typeof value !== 'number' || value <= 0) return undefined;
  return isMilliseconds(value) ? Math.floor(value / 1000) : value;
}

function utc(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(epochSeconds) : date.toISOString().replace('.000Z', 'Z');
}

/**
 * What pairing needs from one record line: addresses, ports, protocol, action, counters, window
 * and flags, read through the allocation-free scanner. Only the addresses and the interface are
 * copied out as strings (they become keys); numbers are read from the character codes.
 */
import { DASH } from '../../catalog/charCodes';
import { readDecimal } from '../../catalog/values';
import type { FlowLogFormat } from '../formatModel';
import { scanRecord, TokenBuffer } from '../scan';

export const Action = { Unknown: 0, Accept: 1, Reject: 2 } as const;
export type ActionCode = (typeof Action)[keyof typeof Action];

/** One record, as pairing reads it; -1 for a number the format lacks or the record leaves `-`. */
export interface FlowRecord {
  /** 0-based line of the record. */
  line: number;
  /** Which record of its line: 0, or the message's index on a JSON line holding several (a CloudWatch Logs subscription envelope). */
  record: number;
  /** interface-id, else tgw-attachment-id, else resource-id, else `-`. */
  interfaceId: string;
  protocol: number;
  srcaddr: string;
  dstaddr: string;
  srcport: number;
  dstport: number;
  /** pkt-srcaddr / pkt-dstaddr when the format has them and the record fills them, else srcaddr / dstaddr. */
  pktSrcaddr: string;
  pktDstaddr: string;
  /** The format has pkt-srcaddr and pkt-dstaddr (only then can a NAT gateway's legs be told apart). */
  packetAddresses: boolean;
  action: ActionCode;
  packets: number;
  bytes: number;
  start: number;
  end: number;
  tcpFlags: number;
}

/** Columns a format puts the pairing fields in (-1 when it lacks one). */
export interface PairingColumns {
  interfaceId: number;
  protocol: number;
  srcaddr: number;
  dstaddr: number;
  srcport: number;
  dstport: number;
  pktSrcaddr: number;
  pktDstaddr: number;
  action: number;
  packets: number;
  bytes: number;
  start: number;
  end: number;
  tcpFlags: number;
  logStatus: number;
  fieldCount: number;
}

const columnCache = new WeakMap<FlowLogFormat, PairingColumns | null>();

/**
 * Where the pairing fields are in a format, or null when it cannot pair at all (no srcaddr or no
 * dstaddr). Cached per format object.
 */
export function pairingColumns(format: FlowLogFormat): PairingColumns | null {
  const cached = columnCache.get(format);
  if (cached !== undefined) return cached;
  const at = (name: string): number => format.names.indexOf(name);
  const interfaceColumn = [at('interface-id'), at('tgw-attachment-id'), at('resource-id')].find((i) => i >= 0) ?? -1;
  const columns: PairingColumns = {
    interfaceId: interfaceColumn,
    protocol: at('protocol'),
    srcaddr: at('srcaddr'),
    dstaddr: at('dstaddr'),
    srcport: at('srcport'),
    dstport: at('dstport'),
    pktSrcaddr: at('pkt-srcaddr'),
    pktDstaddr: at('pkt-dstaddr'),
    action: at('action'),
    packets: at('packets'),
    bytes: at('bytes'),
    start: at('start'),
    end: at('end'),
    tcpFlags: at('tcp-flags'),
    logStatus: at('log-status'),
    fieldCount: format.names.length,
  };
  const result = columns.srcaddr >= 0 && columns.dstaddr >= 0 ? columns : null;
  columnCache.set(format, result);
  return result;
}

/** Whole non-negative decimal of at most 15 digits (exact as a number), or -1. */
const readCount = (text: string, start: number, end: number): number => readDecimal(text, start, end, 15);

function isDash(text: string, start: number, end: number): boolean {
  return end - start === 1 && text.charCodeAt(start) === DASH;
}

/** `ACCEPT` / `REJECT` by their first letter and length, without a copy. */
function readAction(text: string, start: number, end: number): ActionCode {
  if (end - start !== 6) return Action.Unknown;
  const first = text.charCodeAt(start);
  if (first === 65 && text.startsWith('ACCEPT', start)) return Action.Accept;
  if (first === 82 && text.startsWith('REJECT', start)) return Action.Reject;
  return Action.Unknown;
}

/**
 * Reads the record in text[start, end) of `line` (record `record` of that line); undefined when it
 * is not a flow that can be paired: a field count other than the format's, NODATA/SKIPDATA, or `-`
 * addresses.
 */
export function readFlowRecord(text: string, start: number, end: number, line: number, columns: PairingColumns, tokens: TokenBuffer, record = 0): FlowRecord | undefined {
  scanRecord(text, start, end, tokens);
  if (tokens.count !== columns.fieldCount) return undefined;
  const { starts, ends } = tokens;
  if (columns.logStatus >= 0) {
    const s = starts[columns.logStatus];
    if (!(ends[columns.logStatus] - s === 2 && text.startsWith('OK', s))) return undefined;
  }
  const srcaddr = cellText(text, tokens, columns.srcaddr);
  const dstaddr = cellText(text, tokens, columns.dstaddr);
  if (srcaddr === undefined || dstaddr === undefined) return undefined;
  return {
    line,
    record,
    interfaceId: cellText(text, tokens, columns.interfaceId) ?? '-',
    protocol: cellCount(text, tokens, columns.protocol),
    srcaddr,
    dstaddr,
    srcport: cellCount(text, tokens, columns.srcport),
    dstport: cellCount(text, tokens, columns.dstport),
    pktSrcaddr: cellText(text, tokens, columns.pktSrcaddr) ?? srcaddr,
    pktDstaddr: cellText(text, tokens, columns.pktDstaddr) ?? dstaddr,
    packetAddresses: columns.pktSrcaddr >= 0 && columns.pktDstaddr >= 0,
    action: columns.action < 0 ? Action.Unknown : readAction(text, starts[columns.action], ends[columns.action]),
    packets: cellCount(text, tokens, columns.packets),
    bytes: cellCount(text, tokens, columns.bytes),
    start: cellCount(text, tokens, columns.start),
    end: cellCount(text, tokens, columns.end),
    tcpFlags: cellCount(text, tokens, columns.tcpFlags),
  };
}

/** The text of a column, undefined when the format lacks it or the record leaves it `-`. */
function cellText(text: string, tokens: TokenBuffer, column: number): string | undefined {
  if (column < 0) return undefined;
  const s = tokens.starts[column];
  const e = tokens.ends[column];
  return isDash(text, s, e) ? undefined : text.slice(s, e);
}

function cellCount(text: string, tokens: TokenBuffer, column: number): number {
  return column < 0 ? -1 : readCount(text, tokens.starts[column], tokens.ends[column]);
}

/**
 * Reads records as a stream hands them over (`FlowLogStream`'s `recordText`: a record line, or each
 * message of a JSON line in turn), numbering the records of one line as the editor does.
 */
export class FlowRecordReader {
  private readonly tokens = new TokenBuffer();
  private lastLine = -1;
  private record = 0;
  /** Whether the last record read had its format's field count (true for a format that cannot pair). */
  wellFormed = true;

  /** The record, or undefined when it cannot be paired; `wellFormed` tells whether its field count was its format's. */
  read(text: string, start: number, end: number, format: FlowLogFormat, line: number): FlowRecord | undefined {
    this.record = line === this.lastLine ? this.record + 1 : 0;
    this.lastLine = line;
    const columns = pairingColumns(format);
    this.wellFormed = true;
    if (!columns) return undefined;
    const record = readFlowRecord(text, start, end, line, columns, this.tokens, this.record);
    this.wellFormed = this.tokens.count === columns.fieldCount;
    return record;
  }
}

/**
 * A record as the pairing index takes it: numbers, and addresses and the interface as interned
 * ids, in one reused object. Read straight from the line (no string per record once its values
 * were seen), or from a `FlowRecord` (tests, the summary's verdict counts).
 */
import { DASH } from '../../catalog/charCodes';
import { lookupField } from '../../catalog/fields';
import { readDecimal } from '../../catalog/values';
import type { TokenBuffer } from '../scan';
import { scanRecord } from '../scan';
import { provenCells } from '../fastPath';
import { Action, type ActionCode, type FlowRecord, type PairingColumns } from './flowRecord';
import type { StringIntern } from './intern';


/** How cells name a record's values: an intern, or a writer that leaves the interning to another thread (rawValues.ts). */
export type ValueNamer = Pick<StringIntern, 'idOf' | 'idOfString' | 'idOfIPv4' | 'idOfInterface' | 'idOfInterfaceBytes' | 'idOfOtherBytes'>;

export interface RecordCells {
  line: number;
  record: number;
  /** Interned ids; the packet-level ones are the plain ones when the format or record lacks them. */
  iface: number;
  src: number;
  dst: number;
  pktSrc: number;
  pktDst: number;
  packetAddresses: boolean;
  /** -1 for a number the format lacks or the record leaves `-`. */
  protocol: number;
  srcport: number;
  dstport: number;
  action: ActionCode;
  packets: number;
  bytes: number;
  start: number;
  end: number;
  tcpFlags: number;
}

export function newCells(): RecordCells {
  return { line: 0, record: 0, iface: 0, src: 0, dst: 0, pktSrc: 0, pktDst: 0, packetAddresses: false, protocol: -1, srcport: -1, dstport: -1, action: Action.Unknown, packets: -1, bytes: -1, start: -1, end: -1, tcpFlags: -1 };
}

const NO_INTERFACE = '-';

function count(text: string, tokens: TokenBuffer, column: number): number {
  return column < 0 ? -1 : readDecimal(text, tokens.starts[column], tokens.ends[column], 15);
}

function present(text: string, tokens: TokenBuffer, column: number): boolean {
  if (column < 0) return false;
  const s = tokens.starts[column];
  return !(tokens.ends[column] - s === 1 && text.charCodeAt(s) === DASH);
}

function readAction(text: string, start: number, end: number): ActionCode {
  if (end - start !== 6) return Action.Unknown;
  const first = text.charCodeAt(start);
  if (first === 65 && text.startsWith('ACCEPT', start)) return Action.Accept;
  if (first === 82 && text.startsWith('REJECT', start)) return Action.Reject;
  return Action.Unknown;
}

/**
 * Reads the record in text[start, end) into `cells` (what readFlowRecord reads, with ids for
 * strings); false when it cannot be paired. `tokens.count` tells afterwards whether the field count
 * was the format's.
 */
export function readCells(text: string, start: number, end: number, line: number, record: number, columns: PairingColumns, tokens: TokenBuffer, intern: ValueNamer, cells: RecordCells): boolean {
  scanRecord(text, start, end, tokens);
  return readTokenCells(text, line, record, columns, tokens, intern, cells);
}

/** `readCells` of a record already scanned into `tokens` (validation's scan: recordFeed.ts). */
export function readTokenCells(text: string, line: number, record: number, columns: PairingColumns, tokens: TokenBuffer, intern: ValueNamer, cells: RecordCells): boolean {
  if (tokens.count !== columns.fieldCount) return false;
  const { starts, ends } = tokens;
  if (columns.logStatus >= 0) {
    const s = starts[columns.logStatus];
    if (!(ends[columns.logStatus] - s === 2 && text.startsWith('OK', s))) return false;
  }
  if (!present(text, tokens, columns.srcaddr) || !present(text, tokens, columns.dstaddr)) return false;
  cells.line = line;
  cells.record = record;
  cells.iface = present(text, tokens, columns.interfaceId) ? intern.idOfInterface(text, starts[columns.interfaceId], ends[columns.interfaceId]) : intern.idOfString(NO_INTERFACE);
  cells.src = intern.idOf(text, starts[columns.srcaddr], ends[columns.srcaddr]);
  cells.dst = intern.idOf(text, starts[columns.dstaddr], ends[columns.dstaddr]);
  cells.pktSrc = present(text, tokens, columns.pktSrcaddr) ? intern.idOf(text, starts[columns.pktSrcaddr], ends[columns.pktSrcaddr]) : cells.src;
  cells.pktDst = present(text, tokens, columns.pktDstaddr) ? intern.idOf(text, starts[columns.pktDstaddr], ends[columns.pktDstaddr]) : cells.dst;
  cells.packetAddresses = columns.pktSrcaddr >= 0 && columns.pktDstaddr >= 0;
  cells.protocol = count(text, tokens, columns.protocol);
  cells.srcport = count(text, tokens, columns.srcport);
  cells.dstport = count(text, tokens, columns.dstport);
  cells.action = columns.action < 0 ? Action.Unknown : readAction(text, starts[columns.action], ends[columns.action]);
  cells.packets = count(text, tokens, columns.packets);
  cells.bytes = count(text, tokens, columns.bytes);
  cells.start = count(text, tokens, columns.start);
  cells.end = count(text, tokens, columns.end);
  cells.tcpFlags = count(text, tokens, columns.tcpFlags);
  return true;
}

/** The cells of a record already read as a FlowRecord. */
export function cellsOf(record: FlowRecord, intern: ValueNamer, cells: RecordCells): void {
  cells.line = record.line;
  cells.record = record.record;
  cells.iface = intern.idOfString(record.interfaceId);
  cells.src = intern.idOfString(record.srcaddr);
  cells.dst = intern.idOfString(record.dstaddr);
  cells.pktSrc = intern.idOfString(record.pktSrcaddr);
  cells.pktDst = intern.idOfString(record.pktDstaddr);
  cells.packetAddresses = record.packetAddresses;
  cells.protocol = record.protocol;
  cells.srcport = record.srcport;
  cells.dstport = record.dstport;
  cells.action = record.action;
  cells.packets = record.packets;
  cells.bytes = record.bytes;
  cells.start = record.start;
  cells.end = record.end;
  cells.tcpFlags = record.tcpFlags;
}

/** The action of each value of the catalog's `action` enum, by the index the fast path gives a proven enum cell. */
const ACTION_OF_ENUM: readonly ActionCode[] = (lookupField('action')?.values ?? []).map((v) => (v.value === 'ACCEPT' ? Action.Accept : v.value === 'REJECT' ? Action.Reject : Action.Unknown));

/** The action of a proven record: by the enum index the fast path read (-1 for `-`), else from the text. */
function provenAction(text: string, base: number, column: number): ActionCode {
  if (column < 0) return Action.Unknown;
  const index = provenCells.nums[column];
  if (index === -1) return Action.Unknown;
  return ACTION_OF_ENUM[index] ?? readAction(text, base + provenCells.starts[column], base + provenCells.ends[column]);
}

/** A cell of the record in `provenCells` as a number: the one the fast path read, else read from the text. */
function provenNumber(text: string, base: number, column: number): number {
  if (column < 0) return -1;
  const value = provenCells.nums[column];
  return value === value ? value : readDecimal(text, base + provenCells.starts[column], base + provenCells.ends[column], 15);
}

/** The id of an address cell of the record in `provenCells`: an IPv4 address by its number, without hashing its text. */
function provenAddress(text: string, base: number, column: number, intern: ValueNamer): number {
  const value = provenCells.nums[column];
  const start = base + provenCells.starts[column];
  const end = base + provenCells.ends[column];
  if (value >= 0) return intern.idOfIPv4(value, text, start, end);
  // -2: IPv6, which the window holds as bytes.
  return value === -2 ? intern.idOfOtherBytes(provenCells.bytes, provenCells.starts[column], provenCells.ends[column]) : intern.idOf(text, start, end);
}

/**
 * `readCells` of a record line validation's fast path proved clean (fastPath.ts `provenCells`,
 * offsets from `base`): no scan, and the numbers and IPv4 addresses it read are taken as read.
 * The record has its format's field count; false when it cannot be paired.
 */
export function readProvenCells(text: string, base: number, line: number, columns: PairingColumns, intern: ValueNamer, cells: RecordCells): boolean {
  const { starts, ends, nums } = provenCells;
  if (columns.logStatus >= 0) {
    const s = base + starts[columns.logStatus];
    if (!(base + ends[columns.logStatus] - s === 2 && text.startsWith('OK', s))) return false;
  }
  // -1: the cell is `-` (an address's number is -2 for IPv6, an interface's NaN).
  if (nums[columns.srcaddr] === -1 || nums[columns.dstaddr] === -1) return false;
  cells.line = line;
  cells.record = 0;
  const iface = columns.interfaceId;
  cells.iface = iface >= 0 && nums[iface] !== -1 ? intern.idOfInterfaceBytes(provenCells.bytes, starts[iface], ends[iface], text, base + starts[iface]) : intern.idOfString(NO_INTERFACE);
  cells.src = provenAddress(text, base, columns.srcaddr, intern);
  cells.dst = provenAddress(text, base, columns.dstaddr, intern);
  cells.pktSrc = columns.pktSrcaddr >= 0 && nums[columns.pktSrcaddr] !== -1 ? provenAddress(text, base, columns.pktSrcaddr, intern) : cells.src;
  cells.pktDst = columns.pktDstaddr >= 0 && nums[columns.pktDstaddr] !== -1 ? provenAddress(text, base, columns.pktDstaddr, intern) : cells.dst;
  cells.packetAddresses = columns.pktSrcaddr >= 0 && columns.pktDstaddr >= 0;
  cells.protocol = provenNumber(text, base, columns.protocol);
  cells.srcport = provenNumber(text, base, columns.srcport);
  cells.dstport = provenNumber(text, base, columns.dstport);
  cells.action = provenAction(text, base, columns.action);
  cells.packets = provenNumber(text, base, columns.packets);
  cells.bytes = provenNumber(text, base, columns.bytes);
  cells.start = provenNumber(text, base, columns.start);
  cells.end = provenNumber(text, base, columns.end);
  cells.tcpFlags = provenNumber(text, base, columns.tcpFlags);
  return true;
}

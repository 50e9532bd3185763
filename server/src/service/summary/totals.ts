/**
 * The summary's totals: records, bytes and packets by action, log-status counts and the time
 * span, exact past 2^53 (a sum moves into a bigint before it could lose a unit). Pure.
 */
import type { ActionCounts, Count, SummaryTotals } from './model';

/** A sum of whole numbers that stays exact: a number part kept below 2^52, the rest a bigint. */
export class ExactSum {
  small = 0;
  big = 0n;

  add(value: number): void {
    this.small += value;
    if (this.small > 2 ** 52) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
  }

  /** Adds a number written with too many digits to read exactly as a double. */
  addDigits(digits: string): void {
    this.big += BigInt(digits);
  }

  addSum(other: ExactSumState): void {
    this.add(other.small);
    this.big += BigInt(other.big);
  }

  get count(): Count {
    return toCount(this.big + BigInt(this.small));
  }

  state(): ExactSumState {
    return { small: this.small, big: this.big.toString() };
  }
}

/** An ExactSum as plain data (a bigint's digits: structured clone keeps bigints, JSON does not). */
export interface ExactSumState {
  small: number;
  big: string;
}

export function toCount(value: bigint | number): Count {
  if (typeof value === 'number') return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** Action index of ActionCounts: accept, reject, other. */
export const ACTIONS = ['accept', 'reject', 'other'] as const;

export interface TotalsState {
  records: number;
  malformed: number;
  recordsByAction: number[];
  bytesByAction: ExactSumState[];
  packets: ExactSumState;
  logStatus: Record<string, number>;
  firstStart: number | null;
  lastEnd: number | null;
}

/** The log-status values nearly every record has. */
export const USUAL_LOG_STATUS = ['OK', 'NODATA', 'SKIPDATA', '-'];

/** Most distinct log-status values counted apart (the rest are `(other)`); AWS has three. */
const MAX_LOG_STATUS_KEYS = 32;

export class Totals {
  records = 0;
  malformed = 0;
  readonly recordsByAction = [0, 0, 0];
  readonly bytesByAction = [new ExactSum(), new ExactSum(), new ExactSum()];
  readonly packets = new ExactSum();
  /** Counts of USUAL_LOG_STATUS values (kept in an array: a Map per record costs), then any others. */
  readonly usualLogStatus = [0, 0, 0, 0];
  readonly logStatus = new Map<string, number>();
  firstStart = Infinity;
  lastEnd = -Infinity;

  countLogStatus(value: string, count = 1): void {
    const key = this.logStatus.has(value) || this.logStatus.size < MAX_LOG_STATUS_KEYS ? value : '(other)';
    this.logStatus.set(key, (this.logStatus.get(key) ?? 0) + count);
  }

  /** Every log-status value with its count. */
  private logStatusCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    USUAL_LOG_STATUS.forEach((value, i) => this.usualLogStatus[i] > 0 && counts.set(value, this.usualLogStatus[i]));
    for (const [value, count] of this.logStatus) counts.set(value, (counts.get(value) ?? 0) + count);
    return counts;
  }

  state(): TotalsState {
    return {
      records: this.records,
      malformed: this.malformed,
      recordsByAction: [...this.recordsByAction],
      bytesByAction: this.bytesByAction.map((sum) => sum.state()),
      packets: this.packets.state(),
      logStatus: Object.fromEntries(this.logStatusCounts()),
      firstStart: Number.isFinite(this.firstStart) ? this.firstStart : null,
      lastEnd: Number.isFinite(this.lastEnd) ? this.lastEnd : null,
    };
  }

  merge(other: TotalsState): void {
    this.records += other.records;
    this.malformed += other.malformed;
    for (let a = 0; a < 3; a++) {
      this.recordsByAction[a] += other.recordsByAction[a];
      this.bytesByAction[a].addSum(other.bytesByAction[a]);
    }
    this.packets.addSum(other.packets);
    for (const [value, count] of Object.entries(other.logStatus)) this.countLogStatus(value, count);
    if (other.firstStart !== null) this.firstStart = Math.min(this.firstStart, other.firstStart);
    if (other.lastEnd !== null) this.lastEnd = Math.max(this.lastEnd, other.lastEnd);
  }

  summary(files: number): SummaryTotals {
    const byAction = (counts: readonly (number | ExactSum)[]): ActionCounts => {
      const [accept, reject, other] = counts.map((c) => (typeof c === 'number' ? c : c.count));
      return { accept, reject, other };
    };
    return {
      files,
      records: this.records,
      malformed: this.malformed,
      recordsByAction: byAction(this.recordsByAction),
      bytesByAction: byAction(this.bytesByAction),
      packets: this.packets.count,
      logStatus: Object.fromEntries([...this.logStatusCounts()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      firstStart: Number.isFinite(this.firstStart) ? this.firstStart : null,
      lastEnd: Number.isFinite(this.lastEnd) ? this.lastEnd : null,
    };
  }
}

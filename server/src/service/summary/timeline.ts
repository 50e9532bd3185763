/**
 * Records and bytes per time interval, by action, for the summary's timeline. Counted at the
 * finest resolution that keeps at most MAX_KEPT_BUCKETS distinct buckets (coarsened along a
 * ladder whose every step divides the next, so buckets merge exactly); the interval shown is
 * chosen at the end from the span (about 60–200 buckets), or is the one asked for. Pure.
 */
import type { Timeline, TimelineBucket } from './model';

/** Bucket widths in seconds; each divides the next. Past a day, widths double. */
const LADDER = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 43200, 86400];
const MAX_KEPT_BUCKETS = 8192;
/** Most buckets a timeline shows: an auto interval aims below this, an asked one is widened to it. */
export const MAX_SHOWN_BUCKETS = 200;
const MAX_ASKED_BUCKETS = 10_000;
/** Numbers per bucket: records accept, reject, other, then bytes accept, reject, other. */
const STRIDE = 6;

export const ActionIndex = { Accept: 0, Reject: 1, Other: 2 } as const;

export interface TimelineState {
  interval: number;
  /** The interval was asked for (it is then only doubled, never replaced by a ladder step). */
  asked: boolean;
  starts: Float64Array;
  counts: Float64Array;
}

/** The next width after `interval`: the ladder's, or twice it. */
function nextWidth(interval: number, asked: boolean): number {
  if (!asked) for (const width of LADDER) if (width > interval) return width;
  return interval * 2;
}

export class TimelineCounter {
  private interval: number;
  private readonly asked: boolean;
  private slots = new Map<number, number>();
  private starts = new Float64Array(64);
  private counts = new Float64Array(64 * STRIDE);
  private lastStart = NaN;
  private lastSlot = -1;

  constructor(askedSeconds?: number) {
    this.asked = askedSeconds !== undefined;
    this.interval = askedSeconds ?? 1;
  }

  /** Counts a record starting at `seconds` (epoch) with its action index and bytes. */
  add(seconds: number, action: number, bytes: number): void {
    const start = seconds - (seconds % this.interval);
    let slot = this.lastSlot;
    if (start !== this.lastStart) {
      slot = this.slotOf(start);
      this.lastStart = start;
      this.lastSlot = slot;
    }
    this.counts[slot * STRIDE + action]++;
    this.counts[slot * STRIDE + 3 + action] += bytes;
  }

  state(): TimelineState {
    const n = this.slots.size;
    return { interval: this.interval, asked: this.asked, starts: this.starts.slice(0, n), counts: this.counts.slice(0, n * STRIDE) };
  }

  merge(other: TimelineState): void {
    while (this.interval < other.interval) this.coarsen();
    for (let i = 0; i < other.starts.length; i++) {
      // Read the width each time: adding a bucket may coarsen.
      const slot = this.slotOf(other.starts[i] - (other.starts[i] % this.interval));
      for (let k = 0; k < STRIDE; k++) this.counts[slot * STRIDE + k] += other.counts[i * STRIDE + k];
    }
    this.lastStart = NaN;
  }

  /** The timeline with every bucket from the first to the last; null when no record had a time. */
  timeline(): Timeline | null {
    const n = this.slots.size;
    if (n === 0) return null;
    let first = Infinity;
    let last = -Infinity;
    for (let i = 0; i < n; i++) {
      first = Math.min(first, this.starts[i]);
      last = Math.max(last, this.starts[i]);
    }
    let interval = this.interval;
    const limit = this.asked ? MAX_ASKED_BUCKETS : MAX_SHOWN_BUCKETS;
    while (Math.floor(last / interval) - Math.floor(first / interval) + 1 > limit) interval = nextWidth(interval, this.asked);
    const origin = first - (first % interval);
    const count = Math.floor((last - origin) / interval) + 1;
    const buckets: TimelineBucket[] = [];
    const sums = new Float64Array(count * STRIDE);
    for (let i = 0; i < n; i++) {
      const at = Math.floor((this.starts[i] - origin) / interval);
      for (let k = 0; k < STRIDE; k++) sums[at * STRIDE + k] += this.counts[i * STRIDE + k];
    }
    for (let b = 0; b < count; b++) {
      const s = b * STRIDE;
      buckets.push({
        start: origin + b * interval,
        records: { accept: sums[s], reject: sums[s + 1], other: sums[s + 2] },
        bytes: { accept: sums[s + 3], reject: sums[s + 4], other: sums[s + 5] },
      });
    }
    return { intervalSeconds: interval, buckets };
  }

  private slotOf(start: number): number {
    const known = this.slots.get(start);
    if (known !== undefined) return known;
    if (this.slots.size >= MAX_KEPT_BUCKETS) {
      this.coarsen();
      return this.slotOf(start - (start % this.interval));
    }
    const slot = this.slots.size;
    if (slot === this.starts.length) {
      const starts = new Float64Array(slot * 2);
      starts.set(this.starts);
      this.starts = starts;
      const counts = new Float64Array(slot * 2 * STRIDE);
      counts.set(this.counts);
      this.counts = counts;
    }
    this.slots.set(start, slot);
    this.starts[slot] = start;
    return slot;
  }

  /** Moves to the next width, adding buckets that now share a start. */
  private coarsen(): void {
    const old = this.state();
    this.interval = nextWidth(this.interval, this.asked);
    this.slots = new Map();
    this.starts = new Float64Array(Math.max(64, old.starts.length));
    this.counts = new Float64Array(this.starts.length * STRIDE);
    this.lastStart = NaN;
    this.lastSlot = -1;
    for (let i = 0; i < old.starts.length; i++) {
      const slot = this.slotOf(old.starts[i] - (old.starts[i] % this.interval));
      for (let k = 0; k < STRIDE; k++) this.counts[slot * STRIDE + k] += old.counts[i * STRIDE + k];
    }
  }
}

/**
 * The timeline counts each record in the bucket of its start, whatever the counter does on the
 * way: it finds recent buckets in a small cache, and coarsens its buckets (renumbering them) when
 * it holds too many. Checked against a plain count at the interval the timeline reports.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../bench/generate';
import { TimelineCounter } from '../../server/src/service/summary/timeline';

function check(counter: TimelineCounter, records: [number, number, number][]): void {
  const timeline = counter.timeline();
  assert.ok(timeline);
  const interval = timeline.intervalSeconds;
  const origin = timeline.buckets[0].start;
  const expected = timeline.buckets.map(() => [0, 0, 0, 0, 0, 0]);
  for (const [seconds, action, bytes] of records) {
    const bucket = expected[Math.floor((seconds - origin) / interval)];
    bucket[action]++;
    bucket[3 + action] += bytes;
  }
  const actual = timeline.buckets.map((b) => [b.records.accept, b.records.reject, b.records.other, b.bytes.accept, b.bytes.reject, b.bytes.other].map(Number));
  assert.deepEqual(actual, expected);
}

describe('timeline', () => {
  for (const [span, asked] of [
    [600, undefined],
    [30_000, undefined],
    [3 * 86_400, undefined],
    [3 * 86_400, 60],
  ] as const) {
    it(`records over ${span} s${asked ? `, every ${asked} s` : ''}: each in the bucket of its start`, () => {
      const random = mulberry32(span);
      const counter = new TimelineCounter(asked);
      const records: [number, number, number][] = [];
      const base = 1_700_000_000;
      for (let i = 0; i < 200_000; i++) {
        // Mostly near the time reached so far, sometimes anywhere in the span.
        const seconds = base + (random() < 0.9 ? Math.floor((i / 200_000) * span + random() * 5) : Math.floor(random() * span));
        const record: [number, number, number] = [seconds, Math.floor(random() * 3), Math.floor(random() * 1000)];
        records.push(record);
        counter.add(...record);
      }
      check(counter, records);
    });
  }
});

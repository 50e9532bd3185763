/**
 * Group-table updates go through a batch (groupBatch.ts) that applies them later, in order. The
 * tables must end exactly as if each update had been applied at once: the same entries in the
 * same order, the same counts, and past the shared budget the same drops, bounds and errors
 * (which depend on when each table met the budget). Checked against tables fed directly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../bench/generate';
import { GroupBatch } from '../../server/src/service/summary/groupBatch';
import { GroupTable, hashBytes, Measure, type GroupBudget } from '../../server/src/service/summary/groupTable';

function tablesOf(budget: GroupBudget): GroupTable[] {
  // A table of small codes (bounded, outside the budget) and two that share the budget.
  return [new GroupTable(Measure.Records, budget, 40), new GroupTable(Measure.Bytes, budget), new GroupTable(Measure.Records, budget)];
}

describe('group batch', () => {
  it('leaves every table as updates applied one at a time would, past the budget too', () => {
    const direct = tablesOf({ used: 0, max: 700 });
    const batched = tablesOf({ used: 0, max: 700 });
    const batch = new GroupBatch(batched);
    const random = mulberry32(5);
    const scratch = new Uint8Array(16);
    for (let record = 0; record < 30_000; record++) {
      const bytes = 1 + Math.floor(random() * 1000);
      const heavy = random() < 0.2;
      for (let t = 0; t < 3; t++) {
        const n = t === 0 ? Math.floor(random() * 40) : heavy ? Math.floor(random() * 30) : 30 + Math.floor(random() * 5000 * t);
        const length = 1 + (n % 9);
        for (let i = 0; i < length; i++) scratch[i] = (n >>> (i % 3) * 8) & 255;
        const code = t === 0 ? n : -1;
        // Codes count directly once their group exists; the batch holds the rest.
        if (code >= 0 && batched[0].addCode(code, 1, bytes, 1, 0)) {
          direct[0].addCode(code, 1, bytes, 1, 0);
          continue;
        }
        direct[t].add(scratch, length, hashBytes(scratch, length), 1, bytes, 1, 0, code);
        batch.keys.reserve(length);
        batch.keys.bytes.set(scratch.subarray(0, length), batch.keys.length);
        batch.keys.length += length;
        batch.hold(t, bytes, 1, 0, code);
      }
      if (batch.full) batch.flush();
    }
    batch.flush();
    assert.equal(direct[1].exact, false, 'the test passes the budget');
    for (let t = 0; t < 3; t++) assert.deepEqual(batched[t].state(), direct[t].state(), `table ${t}`);
  });
});

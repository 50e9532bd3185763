/**
 * The CLI's buffered stdout (server/src/cli/output.ts): waiting for a pipe to drain must never
 * wait for a 'drain' that already came, or the run stalls and Node exits with status 0 and the
 * output cut short.
 */
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Output } from '../../server/src/cli/output';

/** A pipe that takes every write a turn of the event loop later, and asks to drain past 16 bytes. */
function slowPipe(): Writable {
  return new Writable({
    highWaterMark: 16,
    write(_chunk, _encoding, done) {
      setImmediate(done);
    },
  });
}

test('drain() waits while a refused write is pending, and not for a drain that already passed', async () => {
  const pipe = slowPipe();
  const out = new Output(pipe);
  out.writeBytes(Buffer.alloc(64));
  const waited = out.drain();
  assert.equal(await Promise.race([waited.then(() => 'drained'), Promise.resolve('waiting')]), 'waiting');
  await waited;
  // A refused write whose drain nobody awaited (the end of one input), then a small accepted one.
  out.writeBytes(Buffer.alloc(64));
  await once(pipe, 'drain');
  out.writeBytes(Buffer.alloc(4));
  const next = new Promise((resolve) => setImmediate(() => resolve('waiting')));
  assert.equal(await Promise.race([out.drain().then(() => 'drained'), next]), 'drained');
});

/**
 * The editor's `.log.gz` decompression with a ceiling (issue 16, item 4): a gzip bomb made here
 * (concatenated members of zeros, 1 GiB decompressed from about 1 MB) is refused once the limit
 * is passed, without decompressing the rest; text up to the limit comes back whole.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DecompressedTooLarge, gunzipText } from '../../client/src/gunzipText';

const MiB = 1024 * 1024;

/** `members` gzip members of `memberBytes` zero bytes each, concatenated (gunzip reads them all). */
function bomb(memberBytes: number, members: number): Uint8Array {
  const member = gzipSync(Buffer.alloc(memberBytes), { level: 9 });
  return new Uint8Array(Buffer.concat(Array.from({ length: members }, () => member)));
}

describe('gunzipText: decompression with a ceiling', () => {
  it('returns the text of a gzip file under the limit, across members and multi-byte characters', async () => {
    const text = 'version srcaddr\n2 10.0.0.1 é ✓\n'.repeat(20_000);
    const data = new Uint8Array(Buffer.concat([gzipSync(text), gzipSync(text)]));
    assert.equal(await gunzipText(data, 10 * MiB), text + text);
  });

  it('accepts exactly the limit and refuses one byte more', async () => {
    const data = new Uint8Array(gzipSync(Buffer.alloc(MiB, 0x61)));
    assert.equal((await gunzipText(data, MiB)).length, MiB);
    await assert.rejects(gunzipText(data, MiB - 1), (error: unknown) => error instanceof DecompressedTooLarge && error.limitBytes === MiB - 1);
  });

  it('refuses a 1 GiB gzip bomb at the limit, long before it is all decompressed', async () => {
    const data = bomb(64 * MiB, 16);
    assert.ok(data.length < 2 * MiB, `the bomb is small: ${data.length} bytes`);
    const before = process.memoryUsage().rss;
    await assert.rejects(gunzipText(data, 8 * MiB), (error: unknown) => {
      assert.ok(error instanceof DecompressedTooLarge);
      assert.match(error.message, /expands to more than 8 MiB/);
      return true;
    });
    // Decompressing it all would hold 1 GiB (and its text twice that); stopping at the limit holds a few MB.
    const grown = process.memoryUsage().rss - before;
    assert.ok(grown < 256 * MiB, `memory grew by ${Math.round(grown / MiB)} MiB`);
  });

  it('rejects corrupt gzip with the decompressor error, not as too large', async () => {
    const data = new Uint8Array(gzipSync('2 10.0.0.1\n'.repeat(1000)));
    await assert.rejects(gunzipText(data.subarray(0, data.length - 20), MiB), (error: unknown) => !(error instanceof DecompressedTooLarge));
  });
});

/**
 * Gzip to text with a ceiling on the decompressed size, for `.log.gz` documents in the editor.
 * A few MB of gzip can expand to gigabytes; decompressing it whole would exhaust the extension
 * host and end in an empty document. This reads the decompressed stream piece by piece and stops
 * as soon as the ceiling is passed. Web streams (DecompressionStream) only, so the same code runs
 * in VS Code for the web and on the desktop (Node's DecompressionStream is zlib's gunzip, which
 * also reads concatenated gzip members). No `vscode` import: unit-tested on its own.
 */

/** The decompressed text would be larger than the ceiling. */
export class DecompressedTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`it expands to more than ${formatMiB(limitBytes)}`);
  }
}

export function formatMiB(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

/**
 * The UTF-8 text of gzip `data`, or DecompressedTooLarge once more than `limitBytes` bytes came
 * out (decompression stops there: memory stays near the limit whatever the file expands to).
 * Corrupt or truncated gzip rejects with the decompressor's error.
 */
export async function gunzipText(data: Uint8Array, limitBytes: number): Promise<string> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  const pieces: string[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DecompressedTooLarge(limitBytes);
    }
    pieces.push(decoder.decode(value, { stream: true }));
  }
  pieces.push(decoder.decode());
  return pieces.join('');
}

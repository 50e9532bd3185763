/**
 * Gives typed arrays' memory back at once. An array a long-lived object held is found dead only
 * by a major collection, which may come long after: V8 counts memory outside its heap loosely, so
 * the next large arrays take fresh memory meanwhile and the process's peak holds both (a 50 MB
 * document's pairing tables, 18 MB, were still held while its summary took 40 MB). Detaching the
 * buffer (a transfer to a throwaway clone, which the next minor collection frees) lets that memory
 * be reused within milliseconds. The arrays are empty afterwards.
 */
export function freeNow(...arrays: readonly (ArrayBufferView | undefined)[]): void {
  for (const array of arrays) {
    // Small arrays are left to the collector: the clone would cost more than their memory.
    if (!array || array.byteLength < MIN_BYTES) continue;
    const buffer = array.buffer;
    // Only an array that is its whole buffer: a view of a shared one (the pairing columns) stays.
    if (buffer instanceof ArrayBuffer && array.byteLength === buffer.byteLength) structuredClone(buffer, { transfer: [buffer] });
  }
}

const MIN_BYTES = 64 * 1024;

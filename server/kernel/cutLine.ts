/**
 * AssemblyScript (not TypeScript): cuts a plain record line at its spaces, 16 bytes at a time
 * (WebAssembly SIMD), for the filter's fast path (server/src/service/filter/fastMatch.ts, whose
 * JavaScript cut is the oracle: test/property/filterFastMatch.test.ts). A module of its own: an
 * engine without SIMD then loses this one, not the clean-line kernel.
 *
 * Memory, laid out for the loader (server/src/service/filter/cutKernel.ts):
 *   STARTS, ENDS  i32 × 256 each: the cells of the columns asked for, as text offsets;
 *   WINDOW        the bytes of the lines being cut (the caller encodes its text there).
 * No allocation at run time: the stub runtime is never called.
 */

const SPACE: u8 = 32;
const TAB: u8 = 9;
const HASH: u8 = 35;
const STARTS: i32 = 0;
const ENDS: i32 = 1024;
const WINDOW: i32 = 2048;

/** Where the window starts in memory. */
export function windowAt(): i32 {
  return WINDOW;
}

/**
 * Cuts [s, e) (memory offsets) at single spaces: the number of cells when the line is plain and
 * has `width` of them, else -1 (a tab, a `#`, an empty cell, another count). Cells 0..last are
 * stored as offsets plus `delta` (the caller's text offset of memory offset 0).
 */
export function cut(s: i32, e: i32, width: i32, last: i32, delta: i32): i32 {
  let column = 0;
  let tokenStart = s;
  const spaces = i8x16.splat(SPACE);
  const tabs = i8x16.splat(TAB);
  const hashes = i8x16.splat(HASH);
  let i = s;
  while (i + 16 <= e) {
    const v = v128.load(i);
    if (v128.any_true(v128.or(i8x16.eq(v, tabs), i8x16.eq(v, hashes)))) return -1;
    let mask = i8x16.bitmask(i8x16.eq(v, spaces));
    while (mask != 0) {
      const at = i + ctz(mask);
      if (at == tokenStart || column + 1 >= width) return -1;
      if (column <= last) {
        store<i32>(STARTS + (column << 2), tokenStart + delta);
        store<i32>(ENDS + (column << 2), at + delta);
      }
      column++;
      tokenStart = at + 1;
      mask &= mask - 1;
    }
    i += 16;
  }
  for (; i < e; i++) {
    const c = load<u8>(i);
    if (c == SPACE) {
      if (i == tokenStart || column + 1 >= width) return -1;
      if (column <= last) {
        store<i32>(STARTS + (column << 2), tokenStart + delta);
        store<i32>(ENDS + (column << 2), i + delta);
      }
      column++;
      tokenStart = i + 1;
    } else if (c == TAB || c == HASH) {
      return -1;
    }
  }
  if (tokenStart == e || column + 1 != width) return -1;
  if (column <= last) {
    store<i32>(STARTS + (column << 2), tokenStart + delta);
    store<i32>(ENDS + (column << 2), e + delta);
  }
  return width;
}

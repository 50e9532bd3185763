/**
 * AssemblyScript (not TypeScript): the fast path's clean-line proof (server/src/service/fastPath.ts
 * `provenClean`) compiled to WebAssembly. Same rules, same order; fastPath.ts stays the oracle
 * (test/property/kernel.test.ts compares the two on generated and mutated lines) and the fallback.
 *
 * Memory, laid out by the loader (server/src/service/kernel/cleanLineKernel.ts) from `base()` on:
 *   GLOBALS  256 bytes of reachable tcp-flags (1 = reachable), then the limits below, then the
 *            cells of the line last proven clean (fastPath.ts `provenCells`: the loader makes
 *            those arrays views of this memory, so both proofs write the same cells);
 *   plans    PLAN_BYTES each (what FastPlan holds, as bytes);
 *   window   the bytes of the lines being checked (the validator encodes its text window here).
 * No allocation at run time: the stub runtime is never called.
 *
 * `check` answers 1 (proven clean) or 0 (not proven: the exact path decides).
 */

const SPACE: u8 = 32;
const TAB: u8 = 9;
const HASH: u8 = 35;
const DASH: u8 = 45;
const DOT: u8 = 46;
const ZERO: u8 = 48;
const NINE: u8 = 57;

// Value kinds (fastPath.ts K).
const K_ANY: u8 = 0;
const K_VERSION: u8 = 1;
const K_ACCOUNT: u8 = 2;
const K_ID: u8 = 3;
const K_ADDRESS: u8 = 4;
const K_PORT: u8 = 5;
const K_BYTE: u8 = 6;
const K_COUNT: u8 = 7;
const K_TIME: u8 = 8;
const K_ENUM: u8 = 9;
const K_TRAFFIC_PATH: u8 = 10;
const K_REGION: u8 = 11;
const K_AZ_ID: u8 = 12;
const K_AWS_SERVICE: u8 = 13;

// GLOBALS, after the 256-byte tcp-flags table.
const G_PORT_MAX = 256;
const G_BYTE_MAX = 260;
const G_VERSION_MAX = 264;
const G_TRAFFIC_PATH_MIN = 268;
const G_TRAFFIC_PATH_MAX = 272;
const G_TCP = 276;
const G_LATEST = 280; // f64
const G_WINDOW_AT = 288; // i32: where the window starts (cell offsets are from there)
const CELL_STARTS = 512; // i32 × 64
const CELL_ENDS = 768; // i32 × 64
const CELL_NUMS = 1024; // f64 × 64
const GLOBAL_BYTES = 1536;

// A plan block (kept in step with cleanLineKernel.ts).
const P_WIDTH = 0;
const P_KINDS = 1; // u8 × 64
const P_ROLES = 72; // i8 × 10: srcaddr dstaddr protocol tcpFlags start end logStatus type direction trafficPath
const P_TRAFFIC = 88; // u8 count, u8 × 16
const P_REQUIRED = 112; // u8 count, u8 × 16
const P_ENUMS = 136; // i8 × 6: log-status OK NODATA SKIPDATA, type IPv4 IPv6, direction ingress
const P_MAX_WINDOW = 144; // i32
const P_WORDS = 160; // u16 × 64: offset in the block of a column's word list (0: none)
const PLAN_BYTES = 4096;

export function base(): usize {
  return (__heap_base + 15) & ~15;
}

// The record being proven (fastPath.ts keeps the same, module-wide).
let vStart: i64 = -1;
let vEnd: i64 = -1;
let vProtocol: i64 = -1;
let vTcpFlags: i64 = -1;
let vLogStatus: i32 = -1;
let vType: i32 = -1;
let vDirection: i32 = -1;
let vTrafficPath: i64 = -1;
let vSrcFamily: i32 = 0;
let vDstFamily: i32 = 0;
let nulls: u64 = 0;
let lastValue: i64 = 0;
let lastEnum: i32 = -1;
let lastV4: f64 = 0;

@inline function byteAt(p: usize): u8 {
  return load<u8>(p);
}

@inline function isDigit(c: u8): bool {
  return c >= ZERO && c <= NINE;
}

function digits(i: usize, e: usize, maxDigits: i32): isize {
  let value: i64 = 0;
  const from = i;
  const limit = min<usize>(e, i + <usize>maxDigits + 1);
  while (i < limit) {
    const c = byteAt(i);
    if (!isDigit(c)) break;
    value = value * 10 + <i64>(c - ZERO);
    i++;
  }
  if (i == from || <i32>(i - from) > maxDigits) return -1;
  lastValue = value;
  return <isize>i;
}

function ipv4(i: usize, e: usize): isize {
  let value: f64 = 0;
  for (let part = 0; part < 4; part++) {
    let octet: i32 = 0;
    const from = i;
    while (i < e && i - from < 4) {
      const c = byteAt(i);
      if (!isDigit(c)) break;
      octet = octet * 10 + <i32>(c - ZERO);
      i++;
    }
    if (i == from || i - from > 3 || octet > 255 || (i - from > 1 && byteAt(from) == ZERO)) return -1;
    value = value * 256 + <f64>octet;
    if (part < 3) {
      if (byteAt(i) != DOT) return -1;
      i++;
    }
  }
  lastV4 = value;
  return <isize>i;
}

@inline function isHex(c: u8): bool {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** catalog/values.ts isIPv4 (leading zeros allowed) and not hasPaddedOctet, on bytes. */
function strictDottedQuad(start: usize, end: usize): bool {
  let parts = 0;
  let count = 0;
  let octet = 0;
  let octetStart = start;
  for (let i = start; i < end; i++) {
    const c = byteAt(i);
    if (c == DOT) {
      if (count == 0 || parts == 3) return false;
      parts++;
      count = 0;
      octet = 0;
      octetStart = i + 1;
    } else if (isDigit(c)) {
      if (++count > 3) return false;
      octet = octet * 10 + <i32>(c - ZERO);
      if (octet > 255) return false;
      if (count == 2 && byteAt(octetStart) == ZERO) return false;
    } else {
      return false;
    }
  }
  return parts == 3 && count > 0;
}

/** catalog/values.ts isIPv6 on bytes. */
function ipv6(start: usize, end: usize): bool {
  const length = end - start;
  if (length < 2 || length > 45) return false;
  let groups = 0;
  let count = 0;
  let sawDoubleColon = false;
  let i = start;
  if (byteAt(i) == 58) {
    if (byteAt(i + 1) != 58) return false;
    sawDoubleColon = true;
    i += 2;
    if (i == end) return true;
  }
  let groupStart = i;
  for (; i < end; i++) {
    const c = byteAt(i);
    if (c == 58) {
      if (count == 0) {
        if (sawDoubleColon || i != groupStart || byteAt(i - 1) != 58) return false;
        sawDoubleColon = true;
        groupStart = i + 1;
        if (i + 1 == end) return groups <= 7;
        continue;
      }
      groups++;
      count = 0;
      groupStart = i + 1;
      if (i + 1 == end) return false;
    } else if (isHex(c)) {
      if (++count > 4) return false;
    } else if (c == DOT) {
      // The rest is an IPv4 address taking the room of two groups.
      if (!strictDottedQuad(groupStart, end)) return false;
      groups += 2;
      return sawDoubleColon ? groups <= 7 : groups == 8;
    } else {
      return false;
    }
  }
  if (count > 0) groups++;
  return sawDoubleColon ? groups <= 7 : groups == 8;
}

function tokenEnd(i: usize, e: usize): usize {
  while (i < e) {
    const c = byteAt(i);
    if (c == SPACE || c == TAB) break;
    i++;
  }
  return i;
}

function isIsoTimestamp(s: usize, e: usize): bool {
  const end = tokenEnd(s, e);
  return end - s >= 19 && isDigit(byteAt(s)) && isDigit(byteAt(s + 3)) && byteAt(s + 4) == DASH && byteAt(s + 7) == DASH && byteAt(s + 10) == 84 && byteAt(s + 13) == 58 && byteAt(s + 16) == 58;
}

/** Word at `w` (a length byte, then the bytes) matched at i: its end, or -1. */
function word(i: usize, e: usize, w: usize): isize {
  const n = <usize>byteAt(w);
  if (i + n > e) return -1;
  for (let k: usize = 0; k < n; k++) if (byteAt(i + k) != byteAt(w + 1 + k)) return -1;
  return <isize>(i + n);
}

function lowerHex(i: usize, e: usize): isize {
  const from = i;
  while (i < e) {
    const c = byteAt(i);
    if (!(isDigit(c) || (c >= 97 && c <= 102))) break;
    i++;
  }
  const n = i - from;
  return n >= 8 && n <= 17 ? <isize>i : -1;
}

function lowers(i: usize, e: usize): usize {
  while (i < e && byteAt(i) >= 97 && byteAt(i) <= 122) i++;
  return i;
}

function region(i: usize, e: usize): isize {
  const first = lowers(i, e);
  if (first - i != 2) return -1;
  i = first;
  let groups = 0;
  while (byteAt(i) == DASH) {
    const next = lowers(i + 1, e);
    if (next == i + 1) break;
    groups++;
    i = next;
  }
  if (groups == 0 || byteAt(i) != DASH) return -1;
  return digits(i + 1, e, 2);
}

function azId(i: usize, e: usize): isize {
  const letters = lowers(i, e);
  if (letters - i < 2 || letters - i > 6) return -1;
  let at = digits(letters, e, 2);
  if (at < 0 || byteAt(<usize>at) != DASH) return -1;
  i = <usize>at;
  let next = lowers(i + 1, e);
  if (next - (i + 1) == 3) {
    at = digits(next, e, 2);
    if (at < 0 || byteAt(<usize>at) != DASH) return -1;
    i = <usize>at;
    next = lowers(i + 1, e);
  }
  if (next - (i + 1) != 2 || byteAt(i + 1) != 97 || byteAt(i + 2) != 122) return -1;
  return digits(next, e, 2);
}

function awsService(i: usize, e: usize): isize {
  const c0 = byteAt(i);
  if (c0 < 65 || c0 > 90) return -1;
  i++;
  while (i < e) {
    const c = byteAt(i);
    if (!((c >= 65 && c <= 90) || isDigit(c) || c == 95)) break;
    i++;
  }
  return <isize>i;
}

@inline function role(plan: usize, which: i32): i32 {
  return <i32>load<i8>(plan + P_ROLES + which);
}

@inline function isNull(column: i32): bool {
  return (nulls & (<u64>1 << <u64>column)) != 0;
}

/** Proves line [s, e) (addresses in memory) a clean record of the plan at `plan`. */
export function check(plan: usize, s: usize, e: usize): i32 {
  const globals = base();
  const width = <i32>byteAt(plan + P_WIDTH);
  const srcaddr = role(plan, 0);
  const dstaddr = role(plan, 1);
  const protocol = role(plan, 2);
  const tcpFlags = role(plan, 3);
  const start = role(plan, 4);
  const end = role(plan, 5);
  const logStatus = role(plan, 6);
  const type = role(plan, 7);
  const direction = role(plan, 8);
  let i = isIsoTimestamp(s, e) ? tokenEnd(s, e) + 1 : s;
  nulls = 0;
  vStart = vEnd = vProtocol = vTcpFlags = vTrafficPath = -1;
  vLogStatus = vType = vDirection = -1;
  vSrcFamily = vDstFamily = 0;
  const windowAt = <usize>load<i32>(globals + G_WINDOW_AT);
  for (let column = 0; column < width; column++) {
    if (i >= e) return 0;
    let j: isize;
    let num: f64 = NaN;
    if (byteAt(i) == DASH && (i + 1 == e || byteAt(i + 1) == SPACE)) {
      j = <isize>(i + 1);
      num = -1;
      nulls |= <u64>1 << <u64>column;
    } else {
      const kind = byteAt(plan + P_KINDS + column);
      if (kind == K_ANY) {
        const c = byteAt(i);
        if (c == HASH || c == SPACE) return 0;
        j = <isize>tokenEnd(i, e);
      } else if (kind == K_VERSION) {
        j = digits(i, e, 2);
        if (lastValue > <i64>load<i32>(globals + G_VERSION_MAX)) return 0;
      } else if (kind == K_ACCOUNT) {
        j = digits(i, e, 12);
        if (j >= 0 && <usize>j - i != 12) j = -1;
      } else if (kind == K_ID) {
        j = -1;
        const list = plan + <usize>load<u16>(plan + P_WORDS + 2 * column);
        const count = <i32>byteAt(list);
        let w = list + 1;
        for (let p = 0; p < count; p++) {
          const after = word(i, e, w);
          if (after >= 0) {
            j = lowerHex(<usize>after, e);
            break;
          }
          w += 1 + <usize>byteAt(w);
        }
      } else if (kind == K_ADDRESS) {
        let family = 4;
        j = ipv4(i, e);
        num = lastV4;
        if (j < 0 || (<usize>j < e && byteAt(<usize>j) != SPACE)) {
          const to = tokenEnd(i, e);
          if (!ipv6(i, to)) return 0;
          j = <isize>to;
          family = 6;
          num = -2;
        }
        if (column == srcaddr) vSrcFamily = family;
        else if (column == dstaddr) vDstFamily = family;
      } else if (kind == K_PORT) {
        j = digits(i, e, 5);
        if (lastValue > <i64>load<i32>(globals + G_PORT_MAX)) return 0;
        num = <f64>lastValue;
      } else if (kind == K_BYTE) {
        j = digits(i, e, 3);
        if (lastValue > <i64>load<i32>(globals + G_BYTE_MAX)) return 0;
        num = <f64>lastValue;
        if (column == protocol) vProtocol = lastValue;
        else if (column == tcpFlags) vTcpFlags = lastValue;
      } else if (kind == K_COUNT) {
        j = digits(i, e, 15);
        num = <f64>lastValue;
      } else if (kind == K_TIME) {
        j = digits(i, e, 10);
        if (<f64>lastValue > load<f64>(globals + G_LATEST)) return 0;
        num = <f64>lastValue;
        if (column == start) vStart = lastValue;
        else if (column == end) vEnd = lastValue;
      } else if (kind == K_TRAFFIC_PATH) {
        j = digits(i, e, 1);
        if (lastValue < <i64>load<i32>(globals + G_TRAFFIC_PATH_MIN) || lastValue > <i64>load<i32>(globals + G_TRAFFIC_PATH_MAX)) return 0;
        vTrafficPath = lastValue;
      } else if (kind == K_ENUM) {
        j = -1;
        const list = plan + <usize>load<u16>(plan + P_WORDS + 2 * column);
        const count = <i32>byteAt(list);
        let w = list + 1;
        for (let v = 0; v < count; v++) {
          const after = word(i, e, w);
          if (after >= 0 && (<usize>after == e || byteAt(<usize>after) == SPACE)) {
            j = after;
            lastEnum = v;
            num = <f64>v;
            break;
          }
          w += 1 + <usize>byteAt(w);
        }
        if (column == logStatus) vLogStatus = lastEnum;
        else if (column == type) vType = lastEnum;
        else if (column == direction) vDirection = lastEnum;
      } else if (kind == K_REGION) {
        j = region(i, e);
      } else if (kind == K_AZ_ID) {
        j = azId(i, e);
      } else if (kind == K_AWS_SERVICE) {
        j = awsService(i, e);
      } else {
        return 0;
      }
    }
    if (j < 0) return 0;
    store<i32>(globals + CELL_STARTS + 4 * column, <i32>(i - windowAt));
    store<i32>(globals + CELL_ENDS + 4 * column, <i32>(<usize>j - windowAt));
    store<f64>(globals + CELL_NUMS + 8 * column, num);
    if (column + 1 < width) {
      if (<usize>j >= e || byteAt(<usize>j) != SPACE) return 0;
      i = <usize>j + 1;
    } else if (<usize>j != e) {
      return 0;
    }
  }
  return crossFieldsClean(plan, globals) ? 1 : 0;
}

/** fastPath.ts crossFieldsClean, on the plan's bytes. */
function crossFieldsClean(plan: usize, globals: usize): bool {
  if (vStart >= 0 && vEnd >= 0 && (vStart > vEnd || vEnd - vStart > <i64>load<i32>(plan + P_MAX_WINDOW))) return false;
  const ok = <i32>load<i8>(plan + P_ENUMS);
  const nodata = <i32>load<i8>(plan + P_ENUMS + 1);
  const skipdata = <i32>load<i8>(plan + P_ENUMS + 2);
  if (vLogStatus == nodata || vLogStatus == skipdata) {
    const count = <i32>byteAt(plan + P_TRAFFIC);
    for (let k = 0; k < count; k++) if (!isNull(<i32>byteAt(plan + P_TRAFFIC + 1 + k))) return false;
  } else if (vLogStatus == ok) {
    const count = <i32>byteAt(plan + P_REQUIRED);
    for (let k = 0; k < count; k++) if (isNull(<i32>byteAt(plan + P_REQUIRED + 1 + k))) return false;
  }
  if (vTcpFlags > 0 && ((vProtocol >= 0 && vProtocol != <i64>load<i32>(globals + G_TCP)) || byteAt(globals + <usize>vTcpFlags) == 0)) return false;
  const family = vType == <i32>load<i8>(plan + P_ENUMS + 3) ? 4 : vType == <i32>load<i8>(plan + P_ENUMS + 4) ? 6 : 0;
  if (family != 0) {
    if ((vSrcFamily != 0 && vSrcFamily != family) || (vDstFamily != 0 && vDstFamily != family)) return false;
  }
  if (vDirection == <i32>load<i8>(plan + P_ENUMS + 5) && vTrafficPath > 0) return false;
  return true;
}

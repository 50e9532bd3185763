/**
 * The fast path's clean-line proof in WebAssembly (server/kernel/cleanLine.ts), loaded once per
 * thread from the bytes in cleanLineWasm.ts: in the CLI and its workers, the Node server and the
 * browser server alike. The validator encodes its window of lines straight into the module's
 * memory (`window`), so a line is checked with no copy, and the cells of a line proven clean
 * land where fastPath.ts `provenCells` reads them (its arrays become views of the module's
 * memory, which both proofs write). `provenClean` remains the oracle (test/property/kernel.test.ts) and the fallback: where WebAssembly cannot be compiled,
 * for a plan the kernel cannot hold (`kernelCanHold`), and when FLOWLOG_KERNEL=js asks for it.
 */
import { isReachableTcpFlags } from '../../catalog/tcpFlags';
import { VALUE_KINDS } from '../../catalog/kinds';
import { LATEST_SECONDS } from '../../catalog/values';
import { DIRECTION, LOG_STATUS, ADDRESS_TYPE, TCP } from '../crossFields';
import { provenCells, type FastPlan } from '../fastPath';
import { CLEAN_LINE_WASM } from './cleanLineWasm';

// Layout, kept in step with server/kernel/cleanLine.ts.
const GLOBAL_BYTES = 1536;
const G_PORT_MAX = 256;
const G_BYTE_MAX = 260;
const G_VERSION_MAX = 264;
const G_TRAFFIC_PATH_MIN = 268;
const G_TRAFFIC_PATH_MAX = 272;
const G_TCP = 276;
const G_LATEST = 280;
const G_WINDOW_AT = 288;
const CELL_STARTS = 512;
const CELL_ENDS = 768;
const CELL_NUMS = 1024;
const PLAN_BYTES = 4096;
const PLANS = 64;
const P_WIDTH = 0;
const P_KINDS = 1;
const P_ROLES = 72;
const P_TRAFFIC = 88;
const P_REQUIRED = 112;
const P_ENUMS = 136;
const P_MAX_WINDOW = 144;
const P_WORDS = 160;
const P_WORD_DATA = 288;
/** Bytes after the window that stay zero: a proof may look one byte past a line's end. */
const GUARD = 64 * 1024;

/** Answers of `check`. */
export const KERNEL_CLEAN = 1;
export const KERNEL_UNPROVEN = 0;
export const KERNEL_ASK_JS = 2;

export interface CleanLineKernel {
  /** Where lines are encoded for `check`: a view of the module's memory (it never grows). */
  readonly window: Uint8Array;
  /** Whoever encoded the window last (validators share one kernel per thread). */
  owner: unknown;
  /** Proves window[s, e) a clean record of `plan`: KERNEL_CLEAN, KERNEL_UNPROVEN or KERNEL_ASK_JS. */
  check(plan: FastPlan, s: number, e: number): number;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  base(): number;
  check(plan: number, s: number, e: number): number;
}

class WasmKernel implements CleanLineKernel {
  readonly window: Uint8Array;
  owner: unknown = undefined;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly plansAt: number;
  private readonly windowAt: number;
  private readonly run: (plan: number, s: number, e: number) => number;
  /** Where each plan placed sits (-1: one the kernel cannot hold), and which plan holds each block. */
  private readonly placed = new Map<FastPlan, number>();
  private readonly holders: (FastPlan | undefined)[] = new Array(PLANS);
  private nextBlock = 0;
  private lastPlan: FastPlan | undefined;
  private lastAt = -1;

  constructor(exports: KernelExports) {
    const memory = exports.memory.buffer;
    this.bytes = new Uint8Array(memory);
    this.view = new DataView(memory);
    const base = exports.base();
    this.plansAt = base + GLOBAL_BYTES;
    this.windowAt = this.plansAt + PLANS * PLAN_BYTES;
    this.window = new Uint8Array(memory, this.windowAt, memory.byteLength - this.windowAt - GUARD);
    this.run = exports.check;
    for (let flags = 0; flags < 256; flags++) this.bytes[base + flags] = isReachableTcpFlags(flags) ? 1 : 0;
    this.view.setInt32(base + G_PORT_MAX, VALUE_KINDS.port.max as number, true);
    this.view.setInt32(base + G_BYTE_MAX, Math.min(VALUE_KINDS.protocol.max as number, VALUE_KINDS.tcpFlags.max as number), true);
    this.view.setInt32(base + G_VERSION_MAX, VALUE_KINDS.version.max as number, true);
    this.view.setInt32(base + G_TRAFFIC_PATH_MIN, VALUE_KINDS.trafficPath.min as number, true);
    this.view.setInt32(base + G_TRAFFIC_PATH_MAX, VALUE_KINDS.trafficPath.max as number, true);
    this.view.setInt32(base + G_TCP, TCP, true);
    this.view.setFloat64(base + G_LATEST, LATEST_SECONDS, true);
    this.view.setInt32(base + G_WINDOW_AT, this.windowAt, true);
    // The cells of the line last proven clean, whichever proof ran: both write these arrays.
    provenCells.starts = new Int32Array(memory, base + CELL_STARTS, 64);
    provenCells.ends = new Int32Array(memory, base + CELL_ENDS, 64);
    provenCells.nums = new Float64Array(memory, base + CELL_NUMS, 64);
  }

  check(plan: FastPlan, s: number, e: number): number {
    if (plan !== this.lastPlan) {
      this.lastPlan = plan;
      this.lastAt = this.placed.get(plan) ?? this.place(plan);
    }
    return this.lastAt < 0 ? KERNEL_ASK_JS : this.run(this.lastAt, this.windowAt + s, this.windowAt + e);
  }

  /** Writes a plan into the next of the PLANS blocks (round robin: a plan pushed out is placed again when next used). */
  private place(plan: FastPlan): number {
    if (!kernelCanHold(plan)) {
      this.placed.set(plan, -1);
      return -1;
    }
    const block = this.nextBlock++ % PLANS;
    const previous = this.holders[block];
    if (previous) this.placed.delete(previous);
    this.holders[block] = plan;
    const at = this.plansAt + block * PLAN_BYTES;
    const bytes = new Uint8Array(this.bytes.buffer, at, PLAN_BYTES);
    bytes.fill(0);
    bytes[P_WIDTH] = plan.width;
    bytes.set(plan.kinds, P_KINDS);
    const { columns } = plan;
    const roles = [columns.srcaddr, columns.dstaddr, columns.protocol, columns.tcpFlags, columns.start, columns.end, columns.logStatus, columns.type, columns.direction, columns.trafficPath];
    roles.forEach((column, k) => this.view.setInt8(at + P_ROLES + k, column));
    writeList(bytes, P_TRAFFIC, columns.traffic);
    writeList(bytes, P_REQUIRED, columns.required);
    [LOG_STATUS.OK, LOG_STATUS.NODATA, LOG_STATUS.SKIPDATA, ADDRESS_TYPE.IPv4, ADDRESS_TYPE.IPv6, DIRECTION.ingress].forEach((value, k) => this.view.setInt8(at + P_ENUMS + k, value));
    this.view.setInt32(at + P_MAX_WINDOW, plan.maxWindow, true);
    let free = P_WORD_DATA;
    plan.words.forEach((words, column) => {
      if (!words) return;
      this.view.setUint16(at + P_WORDS + 2 * column, free, true);
      bytes[free++] = words.length;
      for (const word of words) {
        bytes[free++] = word.length;
        bytes.set(word, free);
        free += word.length;
      }
    });
    this.placed.set(plan, at);
    return at;
  }
}

function writeList(block: Uint8Array, at: number, columns: readonly number[]): void {
  block[at] = columns.length;
  block.set(columns, at + 1);
}

/** A plan the kernel can hold: its word lists fit a block, its columns and lists fit their bytes. */
export function kernelCanHold(plan: FastPlan): boolean {
  let words = P_WORD_DATA;
  for (const list of plan.words) if (list) words += 1 + list.reduce((sum, word) => sum + 1 + word.length, 0);
  const listsFit = plan.columns.traffic.length <= 16 && plan.columns.required.length <= 16;
  const shortWords = plan.words.every((list) => !list || (list.length < 256 && list.every((word) => word.length < 256)));
  return plan.width <= 64 && words <= PLAN_BYTES && listsFit && shortWords;
}

let loaded: CleanLineKernel | null | undefined;
/** Why the kernel is not used, once `cleanLineKernel` found out. */
let unavailable = '';

/** The thread's kernel, or undefined where WebAssembly is missing or FLOWLOG_KERNEL=js. */
export function cleanLineKernel(): CleanLineKernel | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  loaded = null;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.FLOWLOG_KERNEL === 'js' || typeof WebAssembly !== 'object') {
    unavailable = env?.FLOWLOG_KERNEL === 'js' ? 'FLOWLOG_KERNEL=js' : 'no WebAssembly here';
    return undefined;
  }
  try {
    const binary = Uint8Array.from(atob(CLEAN_LINE_WASM), (c) => c.charCodeAt(0));
    // Synchronous: 4 KB compiles in well under a millisecond, and the validator needs it now.
    const instance = new WebAssembly.Instance(new WebAssembly.Module(binary), {});
    loaded = new WasmKernel(instance.exports as unknown as KernelExports);
  } catch (error) {
    unavailable = error instanceof Error ? error.message : String(error);
    loaded = null;
  }
  return loaded ?? undefined;
}

/** Which proof validation uses, for the server's log. */
export function kernelStatus(): string {
  return cleanLineKernel() ? 'records are checked by the WebAssembly kernel' : `records are checked in JavaScript (${unavailable})`;
}

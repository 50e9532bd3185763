/**
 * The filter's line cutter in WebAssembly (server/kernel/cutLine.ts: SIMD, 16 bytes a step),
 * loaded once per thread from the bytes in cutLineWasm.ts. The caller encodes a window of its
 * text into `window`; `cut` finds the cells of a plain line there and leaves them in `starts`
 * and `ends` as text offsets. Undefined where WebAssembly or its SIMD is missing, or with
 * FLOWLOG_KERNEL=js: fastMatch.ts then cuts lines with `indexOf`. Pure: no Node APIs.
 */
import { CUT_LINE_WASM } from './cutLineWasm';

// Layout, kept in step with server/kernel/cutLine.ts.
const STARTS = 0;
const ENDS = 1024;
/** Most cells stored (columns 0..255). */
export const CUT_CELLS = 256;

export interface CutKernel {
  /** Where text is encoded for `cut`. */
  readonly window: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Whoever encoded the window last (matchers share one kernel per thread). */
  owner: unknown;
  /**
   * Cuts window[s, e): `width` when the line is plain with that many cells, else -1. Cells
   * 0..last go to starts/ends plus `delta` (the text offset of window[0]).
   */
  cut(s: number, e: number, width: number, last: number, delta: number): number;
}

interface CutExports {
  memory: WebAssembly.Memory;
  windowAt(): number;
  cut(s: number, e: number, width: number, last: number, delta: number): number;
}

class WasmCutter implements CutKernel {
  readonly window: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  owner: unknown = undefined;
  private readonly windowAt: number;
  private readonly run: CutExports['cut'];

  constructor(exports: CutExports) {
    const memory = exports.memory.buffer;
    this.windowAt = exports.windowAt();
    this.window = new Uint8Array(memory, this.windowAt);
    this.starts = new Int32Array(memory, STARTS, CUT_CELLS);
    this.ends = new Int32Array(memory, ENDS, CUT_CELLS);
    this.run = exports.cut;
  }

  cut(s: number, e: number, width: number, last: number, delta: number): number {
    return this.run(this.windowAt + s, this.windowAt + e, width, last, delta - this.windowAt);
  }
}

let loaded: CutKernel | null | undefined;

/** The thread's cutter, or undefined (see the file's comment). */
export function cutKernel(): CutKernel | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  loaded = null;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.FLOWLOG_KERNEL === 'js' || typeof WebAssembly !== 'object') return undefined;
  try {
    const binary = Uint8Array.from(atob(CUT_LINE_WASM), (c) => c.charCodeAt(0));
    // Synchronous: 500 bytes compile at once, and the filter needs it for its first line.
    const instance = new WebAssembly.Instance(new WebAssembly.Module(binary), {});
    loaded = new WasmCutter(instance.exports as unknown as CutExports);
  } catch {
    loaded = null;
  }
  return loaded ?? undefined;
}

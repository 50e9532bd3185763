/**
 * A progress bar on stderr for long runs: only on a terminal (never when piped or redirected),
 * only for inputs large enough to take a while, redrawn a few times a second.
 */
import { humanBytes } from '../catalog/decoders';

export const PROGRESS_MIN_BYTES = 50 * 1024 * 1024;
const REDRAW_MS = 200;

export function wantsProgress(isTTY: boolean | undefined, size: number | undefined, disabled: boolean): boolean {
  return isTTY === true && !disabled && size !== undefined && size >= PROGRESS_MIN_BYTES;
}

interface Terminal {
  write(text: string): unknown;
  columns?: number;
}

export class ProgressBar {
  private readonly started = Date.now();
  private drawnAt = 0;
  private visible = false;

  constructor(private readonly terminal: Terminal, private readonly label: string, private readonly total: number) {}

  update(done: number): void {
    const now = Date.now();
    if (now - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = now;
    this.terminal.write(`\r${progressLine(this.label, done, this.total, now - this.started, this.terminal.columns || 80)}\x1b[K`);
    this.visible = true;
  }

  clear(): void {
    if (!this.visible) return;
    this.terminal.write('\r\x1b[K');
    this.visible = false;
    // Redraw on the next update rather than waiting a full interval.
    this.drawnAt = 0;
  }
}

/** `label [#####-----] 45% 450 MB / 1.0 GB 210 MB/s`, fitted to the terminal width. */
export function progressLine(label: string, done: number, total: number, elapsedMs: number, columns: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const figures = `${Math.floor(share * 100)}% ${humanBytes(done)} / ${humanBytes(total)} ${humanBytes(Math.round(rate))}/s`;
  // Room for the widest figures ('100% 1023.9 MiB / 1023.9 MiB 1023.9 MiB/s'), so the bar keeps its width.
  const width = Math.max(10, Math.min(30, columns - label.length - 48));
  const filled = Math.round(share * width);
  const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${figures}`;
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}

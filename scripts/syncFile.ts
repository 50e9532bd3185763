/**
 * Shared main of the generators that keep a checked-in file in sync with the code: rewrite it,
 * or with `--check` exit 1 when it is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function syncFile(path: string, transform: (current: string) => string, command: string): void {
  const current = readFileSync(path, 'utf8');
  const synced = transform(current);
  if (synced === current) return;
  if (process.argv.includes('--check')) {
    console.error(`${path} is out of date: run ${command}`);
    process.exit(1);
  }
  writeFileSync(path, synced);
  console.log('updated', path);
}

/**
 * The allocation sites of a V8 sampling heap profile (bench/memoryProbe.mjs writes one per stage
 * of `bench:lsp --heap-snapshots DIR`), by bytes allocated, collected objects included.
 *
 *   node --import tsx bench/heapProfileTop.ts FILE.heapprofile [--top 25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

function main(argv: string[]): void {
  const [file] = argv;
  const topAt = argv.indexOf('--top');
  const top = topAt >= 0 ? Number(argv[topAt + 1]) : 25;
  const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode };
  const bySite = new Map<string, number>();
  let total = 0;
  // A site is the allocating function and its two callers (the stack from the root is `stack`).
  const walk = (node: ProfileNode, stack: string[]): void => {
    const frame = node.callFrame;
    const frames = [...stack, `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`].slice(-3);
    if (node.selfSize > 0) {
      const key = [...frames].reverse().join(' ← ');
      bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children) walk(child, frames);
  };
  walk(head, []);
  process.stdout.write(`${(total / 1e6).toFixed(1)} MB sampled\n`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${(bytes / 1e6).toFixed(1).padStart(8)} MB  ${site}\n`);
}

main(process.argv.slice(2));

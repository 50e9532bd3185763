/**
 * The baseline: what a typical quick script does with a flow log. Split the text into lines and
 * each line on single spaces, take the names from the header line (or the default v2 order), and
 * build one object per record with `Number()` for the numeric fields. It checks nothing.
 *
 * To be generous to the baseline, records are not kept in an array (most scripts do keep them,
 * which costs far more); each object is handed to a consumer so the engine cannot skip building it.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const DEFAULT_NAMES = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'.split(' ');

const NUMERIC = new Set([
  'version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'traffic-path',
  'packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded', 'packets-lost-ttl-expired',
]);

/** What the consumer saw; read at the end so the work is observable. */
export const naiveSink = { records: 0, bytes: 0, last: undefined as Record<string, string | number> | undefined };

function consume(record: Record<string, string | number>): void {
  naiveSink.records++;
  const bytes = record.bytes;
  if (typeof bytes === 'number' && bytes === bytes) naiveSink.bytes += bytes;
  naiveSink.last = record;
}

class NaiveParser {
  private names = DEFAULT_NAMES;
  private first = true;

  line(line: string): void {
    if (line === '') return;
    if (this.first) {
      this.first = false;
      if (/^[a-z]/.test(line)) {
        this.names = line.split(' ');
        return;
      }
    }
    const parts = line.split(' ');
    const record: Record<string, string | number> = {};
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i];
      record[name] = NUMERIC.has(name) ? Number(parts[i]) : parts[i];
    }
    consume(record);
  }
}

/** Parses a whole text in memory; returns the number of records. */
export function naiveParse(text: string): number {
  const before = naiveSink.records;
  const parser = new NaiveParser();
  for (const line of text.split('\n')) parser.line(line);
  return naiveSink.records - before;
}

/** Streams a file (gzip when it ends in .gz) line by line, as a Node script would. */
export async function naiveParseFile(path: string): Promise<number> {
  const before = naiveSink.records;
  const parser = new NaiveParser();
  const file = createReadStream(path);
  const input = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) parser.line(line);
  return naiveSink.records - before;
}

/** The floor: finding the line breaks and nothing else. */
export function countLines(text: string): number {
  let count = 0;
  let at = text.indexOf('\n');
  while (at >= 0) {
    count++;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}

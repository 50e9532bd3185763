/**
 * The open groups of a ConversationBuilder, least recently used first: a list through typed-array
 * links, so a stream closes the oldest without a search. A document needs none: its groups stay
 * open until its end, in the order made (builder.ts).
 */
const NONE = -1;

export class OpenGroups {
  private prev: Int32Array;
  private next: Int32Array;
  oldest = NONE;
  newest = NONE;
  count = 0;

  /** `capacity`: groups to make room for at once. */
  constructor(capacity: number) {
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  /** The group after `g` (more recently used), or -1. */
  after(g: number): number {
    return this.next[g];
  }

  /** Adds `g` as the most recently used. */
  link(g: number): void {
    if (g >= this.next.length) {
      this.prev = grown(this.prev, g + 1);
      this.next = grown(this.next, g + 1);
    }
    this.prev[g] = this.newest;
    this.next[g] = NONE;
    if (this.newest === NONE) this.oldest = g;
    else this.next[this.newest] = g;
    this.newest = g;
    this.count++;
  }

  unlink(g: number): void {
    const prev = this.prev[g];
    const next = this.next[g];
    if (prev === NONE) this.oldest = next;
    else this.next[prev] = next;
    if (next === NONE) this.newest = prev;
    else this.prev[next] = prev;
    this.count--;
  }

  /** Every open group, oldest first. */
  all(): number[] {
    const all: number[] = [];
    for (let g = this.oldest; g !== NONE; g = this.next[g]) all.push(g);
    return all;
  }
}

function grown(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  let n = array.length * 2;
  while (n < size) n *= 2;
  const next = new Int32Array(n);
  next.set(array);
  return next;
}

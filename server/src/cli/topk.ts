/**
 * Heaviest keys of a stream in bounded memory (the weighted Space-Saving algorithm). While there
 * are at most `capacity` distinct keys the totals are exact; past that, the lightest key is
 * replaced by the new one, whose total then over-estimates by at most the evicted weight
 * (kept as `error`), and any key heavier than total/capacity is guaranteed to be present.
 */

export interface TopEntry {
  key: string;
  weight: number;
  /** How much `weight` may over-estimate the true total (0 when exact). */
  error: number;
}

export class TopK {
  private readonly heap: TopEntry[] = [];
  private readonly position = new Map<string, number>();
  /** True once a key was evicted: totals are then estimates. */
  approximate = false;

  constructor(readonly capacity: number) {}

  add(key: string, weight: number): void {
    const at = this.position.get(key);
    if (at !== undefined) {
      this.heap[at].weight += weight;
      this.down(at);
      return;
    }
    if (this.heap.length < this.capacity) {
      this.heap.push({ key, weight, error: 0 });
      this.position.set(key, this.heap.length - 1);
      this.up(this.heap.length - 1);
      return;
    }
    // Replace the lightest entry: the newcomer inherits its weight as possible over-count.
    const lightest = this.heap[0];
    this.approximate = true;
    this.position.delete(lightest.key);
    this.heap[0] = { key, weight: lightest.weight + weight, error: lightest.weight };
    this.position.set(key, 0);
    this.down(0);
  }

  /** The `n` heaviest entries, heaviest first. */
  top(n: number): TopEntry[] {
    return [...this.heap].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1)).slice(0, n);
  }

  private up(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.heap[parent].weight <= this.heap[index].weight) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private down(index: number): void {
    const size = this.heap.length;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < size && this.heap[left].weight < this.heap[smallest].weight) smallest = left;
      if (right < size && this.heap[right].weight < this.heap[smallest].weight) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const entry = this.heap[a];
    this.heap[a] = this.heap[b];
    this.heap[b] = entry;
    this.position.set(this.heap[a].key, a);
    this.position.set(this.heap[b].key, b);
  }
}

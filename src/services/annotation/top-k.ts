// The k highest-scoring items of a stream, kept in a bounded min-heap (memory O(k), O(log k) per
// item), in the order `topK` (uncertainty.ts) gives a whole array: highest score first, equal
// scores by the earlier index. Active learning keeps its k most uncertain rows with it while a
// dataset version streams past.

export interface Ranked<T> {
  score: number;
  /** The item's position in the stream (breaks ties: earlier first). */
  index: number;
  item: T;
}

/** Whether `a` ranks below `b` (a lower score, or the same score and a later index). */
const below = <T>(a: Ranked<T>, b: Ranked<T>): boolean => a.score < b.score || (a.score === b.score && a.index > b.index);

/**
 * @example
 *   const best = new TopK<string>(2);
 *   best.offer(0.1, 0, 'a'); best.offer(0.9, 1, 'b'); best.offer(0.5, 2, 'c');
 *   best.sorted().map((r) => r.item) // ['b', 'c']
 */
export class TopK<T> {
  /** A min-heap: the lowest-ranked kept item at the root. */
  private readonly heap: Array<Ranked<T>> = [];

  constructor(private readonly k: number) {}

  get size(): number {
    return this.heap.length;
  }

  /** Keep the item if it ranks among the k best so far (NaN scores never do). */
  offer(score: number, index: number, item: T): void {
    if (Number.isNaN(score) || this.k <= 0) return;
    const entry = { score, index, item };
    if (this.heap.length < this.k) {
      this.heap.push(entry);
      this.up(this.heap.length - 1);
    } else if (below(this.heap[0], entry)) {
      this.heap[0] = entry;
      this.down(0);
    }
  }

  /** The kept items, best first. */
  sorted(): Array<Ranked<T>> {
    return [...this.heap].sort((a, b) => b.score - a.score || a.index - b.index);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!below(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < h.length && below(h[l], h[least])) least = l;
      if (r < h.length && below(h[r], h[least])) least = r;
      if (least === i) return;
      [h[i], h[least]] = [h[least], h[i]];
      i = least;
    }
  }
}

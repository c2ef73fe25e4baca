// Top categories in fixed memory (Metwally et al.'s Space-Saving): at most `capacity`
// counters, whatever the number of distinct values. Counts are exact while the column has no
// more distinct values than counters; after that a count may overstate by at most `error`.

export interface HeavyHitter {
  value: string;
  count: number;
  error: number;
}

export class SpaceSaving {
  private readonly counters = new Map<string, { count: number; error: number }>();
  private evicted = false;

  constructor(private readonly capacity = 64) {}

  add(value: string, weight = 1): void {
    const counter = this.counters.get(value);
    if (counter) {
      counter.count += weight;
      return;
    }
    if (this.counters.size < this.capacity) {
      this.counters.set(value, { count: weight, error: 0 });
      return;
    }
    let smallestKey = '';
    let smallest = Number.POSITIVE_INFINITY;
    for (const [key, c] of this.counters) {
      if (c.count < smallest) {
        smallest = c.count;
        smallestKey = key;
      }
    }
    this.counters.delete(smallestKey);
    this.counters.set(value, { count: smallest + weight, error: smallest });
    this.evicted = true;
  }

  merge(other: SpaceSaving): void {
    for (const hitter of other.top(other.capacity)) this.add(hitter.value, hitter.count);
    this.evicted ||= other.evicted;
  }

  /** Whether every count is exact (no value was ever evicted). */
  get exact(): boolean {
    return !this.evicted;
  }

  get size(): number {
    return this.counters.size;
  }

  /** The k largest counts, ties broken by value so the output is stable. */
  top(k: number): HeavyHitter[] {
    return [...this.counters]
      .map(([value, c]) => ({ value, count: c.count, error: c.error }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, k);
  }
}

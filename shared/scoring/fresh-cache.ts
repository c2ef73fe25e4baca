// Values read from the registry (an alias's version, a model's spec) kept per process and
// revalidated in the background once older than `maxAgeMs`: requests never wait for the
// registry once warm, and a change is seen within maxAgeMs plus one read. A failed background
// read keeps the last good value (the registry being down must not stop serving); NOT_FOUND
// drops it, as the thing is gone. Failed first reads are not kept.
import type { Clock } from '../clock.js';
import { isPlatformError } from '../errors.js';

interface Entry<V> {
  value: Promise<V>;
  checkedAt: number;
  refreshing: boolean;
}

export class FreshCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
    private readonly onRefreshError: (key: string, error: unknown) => void = () => {},
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (!entry) return this.first(key, load);
    if (!entry.refreshing && this.clock.now() - entry.checkedAt >= this.maxAgeMs)
      this.refresh(key, entry, load);
    return entry.value;
  }

  private first(key: string, load: () => Promise<V>): Promise<V> {
    const entry: Entry<V> = { value: load(), checkedAt: this.clock.now(), refreshing: false };
    this.entries.set(key, entry);
    entry.value.then(
      () => (entry.checkedAt = this.clock.now()),
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    return entry.value;
  }

  private refresh(key: string, entry: Entry<V>, load: () => Promise<V>): void {
    entry.refreshing = true;
    load().then(
      (value) => {
        if (this.entries.get(key) !== entry) return;
        this.entries.set(key, {
          value: Promise.resolve(value),
          checkedAt: this.clock.now(),
          refreshing: false,
        });
      },
      (error: unknown) => {
        if (isPlatformError(error) && error.code === 'NOT_FOUND') {
          if (this.entries.get(key) === entry) this.entries.delete(key);
          return;
        }
        this.onRefreshError(key, error);
        entry.refreshing = false;
        entry.checkedAt = this.clock.now();
      },
    );
  }
}

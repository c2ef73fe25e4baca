// Count, mean, variance, min and max in one pass (Welford), mergeable across partitions with
// Chan et al.'s formula, so a profile of shards equals the profile of the whole.

export class Moments {
  count = 0;
  mean = 0;
  private m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(value: number): void {
    this.count += 1;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  merge(other: Moments): void {
    if (other.count === 0) return;
    const count = this.count + other.count;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.count) / count;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / count;
    this.count = count;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** Population standard deviation (the spread of the data seen, not an estimate). */
  get std(): number {
    return this.count === 0 ? Number.NaN : Math.sqrt(this.m2 / this.count);
  }
}

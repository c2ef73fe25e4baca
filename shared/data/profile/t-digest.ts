// A merging t-digest (Dunning & Ertl, 2019) with the k1 (arcsine) scale function. Chosen for
// the drift baseline because its size is fixed by the compression (about `compression`
// centroids, whatever the row count), two digests merge into one (partitions and shards can be
// profiled apart), it is deterministic for a given input order (unlike KLL's random
// compaction), and its accuracy is best in the tails, where drift shows first.

export interface Centroid {
  mean: number;
  weight: number;
}

export class TDigest {
  private centroids: Centroid[] = [];
  /** Weighted points waiting to be merged (centroids of other digests). */
  private buffer: Centroid[] = [];
  /**
   * Single points waiting to be merged, as numbers: a typed array sorts natively and costs no
   * object per value, which makes adding a value (once per cell of a profiled file) cheap.
   */
  private readonly points: Float64Array;
  private pending = 0;
  private total = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(private readonly compression = 100) {
    this.points = new Float64Array(compression * 5);
  }

  get count(): number {
    return this.total + this.pending + this.buffer.reduce((sum, c) => sum + c.weight, 0);
  }

  add(value: number, weight = 1): void {
    if (weight === 1) this.points[this.pending++] = value;
    else this.buffer.push({ mean: value, weight });
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.pending === this.points.length || this.buffer.length >= this.points.length) this.compress();
  }

  merge(other: TDigest): void {
    other.compress();
    for (const c of other.centroids) this.buffer.push({ ...c });
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.compress();
  }

  /** Centroids plus buffered points: the state's size, bounded by about 6 x compression. */
  get size(): number {
    return this.centroids.length + this.buffer.length + this.pending;
  }

  private k(q: number): number {
    return (this.compression / (2 * Math.PI)) * Math.asin(2 * q - 1);
  }

  private kInverse(k: number): number {
    const bounded = Math.min(this.compression / 4, k);
    return (Math.sin((bounded * 2 * Math.PI) / this.compression) + 1) / 2;
  }

  compress(): void {
    if (this.buffer.length === 0 && this.pending === 0) return;
    const weighted =
      this.buffer.length === 0
        ? this.centroids
        : [...this.centroids, ...this.buffer].sort((a, b) => a.mean - b.mean);
    const points = this.points.subarray(0, this.pending).sort();
    this.buffer = [];
    this.pending = 0;
    const total = weighted.reduce((sum, c) => sum + c.weight, 0) + points.length;
    // The weighted centroids and the single points, merged in order of their means.
    let w = 0;
    let p = 0;
    const next = (): Centroid => {
      const centroid = weighted[w];
      if (centroid !== undefined && (p === points.length || centroid.mean <= points[p]!)) {
        w += 1;
        return { ...centroid };
      }
      return { mean: points[p++]!, weight: 1 };
    };
    const merged: Centroid[] = [];
    let done = 0;
    let limit = this.kInverse(this.k(0) + 1) * total;
    let current = next();
    for (let i = 1; i < weighted.length + points.length; i += 1) {
      const following = next();
      if (done + current.weight + following.weight <= limit) {
        const weight = current.weight + following.weight;
        current.mean += ((following.mean - current.mean) * following.weight) / weight;
        current.weight = weight;
      } else {
        merged.push(current);
        done += current.weight;
        limit = this.kInverse(this.k(done / total) + 1) * total;
        current = following;
      }
    }
    merged.push(current);
    this.centroids = merged;
    this.total = total;
  }

  /** The value below which a share q of the weight lies, interpolated between centroid centres. */
  quantile(q: number): number {
    this.compress();
    const cs = this.centroids;
    if (cs.length === 0) return Number.NaN;
    if (cs.length === 1 || q <= 0) return q <= 0 ? this.min : (cs[0] as Centroid).mean;
    if (q >= 1) return this.max;
    const rank = q * this.total;
    let previousCentre = 0;
    let previousMean = this.min;
    let cumulative = 0;
    for (const c of cs) {
      const centre = cumulative + c.weight / 2;
      if (rank < centre) {
        const span = centre - previousCentre;
        return span <= 0 ? c.mean : previousMean + ((rank - previousCentre) / span) * (c.mean - previousMean);
      }
      previousCentre = centre;
      previousMean = c.mean;
      cumulative += c.weight;
    }
    const span = this.total - previousCentre;
    return span <= 0 ? this.max : previousMean + ((rank - previousCentre) / span) * (this.max - previousMean);
  }

  /**
   * Points of the CDF, the line through them approximating it: min, each centroid's centre, max.
   * Centroids that share one mean are a value repeated (a discrete feature): they give two
   * points at that value, the shares below and at it, so the line jumps there as the data does.
   */
  cdfPoints(): { x: number[]; p: number[] } {
    this.compress();
    const x = [this.min];
    const p = [0];
    const cs = this.centroids;
    let cumulative = 0;
    for (let i = 0; i < cs.length;) {
      const mean = (cs[i] as Centroid).mean;
      let end = i;
      let weight = 0;
      while (end < cs.length && (cs[end] as Centroid).mean === mean) weight += (cs[end++] as Centroid).weight;
      if (end - i > 1) {
        x.push(mean, mean);
        p.push(cumulative / this.total, (cumulative + weight) / this.total);
      } else {
        x.push(mean);
        p.push((cumulative + weight / 2) / this.total);
      }
      cumulative += weight;
      i = end;
    }
    x.push(this.max);
    p.push(1);
    return { x, p };
  }

  /** The share of the weight at or below x (the inverse of quantile). */
  cdf(x: number): number {
    this.compress();
    const cs = this.centroids;
    if (cs.length === 0) return Number.NaN;
    if (x < this.min) return 0;
    if (x >= this.max) return 1;
    let previousCentre = 0;
    let previousMean = this.min;
    let cumulative = 0;
    for (const c of cs) {
      const centre = cumulative + c.weight / 2;
      if (x < c.mean) {
        const span = c.mean - previousMean;
        const rank =
          span <= 0 ? centre : previousCentre + ((x - previousMean) / span) * (centre - previousCentre);
        return rank / this.total;
      }
      previousCentre = centre;
      previousMean = c.mean;
      cumulative += c.weight;
    }
    const span = this.max - previousMean;
    const rank =
      span <= 0 ? this.total : previousCentre + ((x - previousMean) / span) * (this.total - previousCentre);
    return rank / this.total;
  }
}

// Latencies as counts in fixed, logarithmic buckets (10% wide, 0.1 ms to about 10 minutes), so
// that the histograms of many instances and time buckets merge by adding counts and a p99
// over all of them is exact to within one bucket.
const growth = 1.1;
const smallestMs = 0.1;
const bucketCount = 170;

/** Sparse: bucket index -> count. */
export type Histogram = Record<number, number>;

export function bucketOf(ms: number): number {
  if (!(ms > smallestMs)) return 0;
  return Math.min(bucketCount - 1, Math.ceil(Math.log(ms / smallestMs) / Math.log(growth)));
}

/** The upper bound of a bucket, in milliseconds. */
export function upperBoundMs(bucket: number): number {
  return smallestMs * growth ** bucket;
}

export function record(histogram: Histogram, ms: number): void {
  const bucket = bucketOf(ms);
  histogram[bucket] = (histogram[bucket] ?? 0) + 1;
}

export function merge(into: Histogram, from: Histogram): void {
  for (const [bucket, count] of Object.entries(from)) {
    into[Number(bucket)] = (into[Number(bucket)] ?? 0) + count;
  }
}

/** The upper bound of the bucket holding quantile q, or 0 for an empty histogram. */
export function quantileMs(histogram: Histogram, q: number): number {
  const buckets = Object.entries(histogram)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return 0;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return upperBoundMs(bucket);
  }
  return upperBoundMs(buckets.at(-1)![0]);
}

// A feature's baseline and window distributions on one set of bins, so a person can lay them
// side by side (the console's drift page): numeric histograms re-binned onto equal-width bins
// over both ranges (counts spread by overlap, as if uniform within a bin), categories as the
// baseline's most frequent ones plus "(other)". Pure.
import type { FeatureProfile } from '../data/profile/profile-schema.js';

export interface HistogramPair {
  /** Numeric: bins+1 ascending edges. */
  readonly edges?: number[];
  /** Categorical: one label per bin. */
  readonly labels?: string[];
  readonly baseline: number[];
  readonly window: number[];
}

const maxBins = 12;
const other = '(other)';

function rebin(histogram: { edges: number[]; counts: number[] }, edges: number[]): number[] {
  const bins = new Array<number>(edges.length - 1).fill(0);
  histogram.counts.forEach((count, i) => {
    const [low, high] = [histogram.edges[i]!, histogram.edges[i + 1]!];
    for (let b = 0; b < bins.length; b++) {
      const [from, to] = [edges[b]!, edges[b + 1]!];
      if (high <= low) {
        // A point mass (a bin of zero width): wholly in the bin holding it, the last bin closed.
        if (low >= from && (low < to || b === bins.length - 1)) {
          bins[b]! += count;
          break;
        }
        continue;
      }
      const overlap = Math.min(high, to) - Math.max(low, from);
      if (overlap > 0) bins[b]! += (count * overlap) / (high - low);
    }
  });
  return bins;
}

function commonEdges(a: number[], b: number[]): number[] {
  const low = Math.min(a[0]!, b[0]!);
  const high = Math.max(a.at(-1)!, b.at(-1)!);
  if (high <= low) return [low, high];
  const width = (high - low) / maxBins;
  return Array.from({ length: maxBins + 1 }, (_, i) => (i === maxBins ? high : low + i * width));
}

export function histogramPair(reference: FeatureProfile, current: FeatureProfile): HistogramPair | undefined {
  if (reference.type === 'categorical' && current.type === 'categorical') {
    const labels = reference.top.slice(0, maxBins).map((entry) => entry.value);
    const counts = (profile: typeof reference) => {
      const known = labels.map((label) => profile.top.find((entry) => entry.value === label)?.count ?? 0);
      const rest = profile.count - profile.missing - known.reduce((sum, count) => sum + count, 0);
      return [...known, Math.max(0, rest)];
    };
    return { labels: [...labels, other], baseline: counts(reference), window: counts(current) };
  }
  if (reference.type === 'categorical' || current.type === 'categorical') return undefined;
  if (reference.histogram.edges.length < 2 || current.histogram.edges.length < 2) return undefined;
  const edges = commonEdges(reference.histogram.edges, current.histogram.edges);
  return { edges, baseline: rebin(reference.histogram, edges), window: rebin(current.histogram, edges) };
}

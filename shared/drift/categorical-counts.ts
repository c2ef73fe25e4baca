// Two categorical profiles as count vectors over the same categories: the reference's listed
// categories plus one "other" bucket for everything else (values past its top list, and values
// the reference never saw).
import type { CategoricalProfile } from '../data/profile/profile-schema.js';

export interface AlignedCounts {
  readonly categories: string[];
  readonly reference: number[];
  readonly current: number[];
}

export const otherCategory = '(other)';

export function alignCounts(reference: CategoricalProfile, current: CategoricalProfile): AlignedCounts {
  const currentCounts = new Map(current.top.map((entry) => [entry.value, entry.count]));
  const categories = reference.top.map((entry) => entry.value);
  const referenceCounts = reference.top.map((entry) => entry.count);
  const currentListed = categories.map((value) => currentCounts.get(value) ?? 0);
  const rest = (total: number, counts: number[]): number =>
    Math.max(0, total - counts.reduce((a, b) => a + b, 0));
  return {
    categories: [...categories, otherCategory],
    reference: [...referenceCounts, rest(reference.count, referenceCounts)],
    current: [...currentListed, rest(current.count, currentListed)],
  };
}

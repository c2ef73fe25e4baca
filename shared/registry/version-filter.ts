// Listing versions by tag or metric. Filtering is pure and shared by every store, so the
// in-memory store and Cosmos DB answer the same question the same way; a model's versions
// live in one partition, so the store reads them with one single-partition query.
import { z } from 'zod';
import type { ModelVersion } from './model-version.js';

export const versionFilterSchema = z.strictObject({
  /** `key:value` pairs the version's tags must all hold. */
  tags: z.record(z.string(), z.string()).default({}),
  metric: z.string().min(1).max(64).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** With a metric: best first (descending unless `ascending`). Without: newest first. */
  ascending: z.boolean().default(false),
  includeArchived: z.boolean().default(false),
  limit: z.number().int().positive().max(1000).default(100),
});

export type VersionFilter = z.output<typeof versionFilterSchema>;

export function filterVersions(versions: readonly ModelVersion[], filter: VersionFilter): ModelVersion[] {
  const { metric } = filter;
  const matches = versions.filter((version) => {
    if (version.archived && !filter.includeArchived) return false;
    for (const [key, value] of Object.entries(filter.tags)) if (version.tags[key] !== value) return false;
    if (metric === undefined) return true;
    const value = version.metrics[metric];
    if (value === undefined) return false;
    return (
      (filter.min === undefined || value >= filter.min) && (filter.max === undefined || value <= filter.max)
    );
  });
  const sign = filter.ascending ? 1 : -1;
  const key = (version: ModelVersion) =>
    metric === undefined ? version.version : (version.metrics[metric] as number);
  return matches.sort((a, b) => sign * (key(a) - key(b)) || b.version - a.version).slice(0, filter.limit);
}

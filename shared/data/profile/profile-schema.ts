// The dataset profile as stored JSON: the drift baseline that monitoring reads back later.
// `schemaVersion` changes whenever a field changes meaning, so old baselines are never misread.
import { z } from 'zod';
import { parseInput } from '../../validate.js';

export const profileSchemaVersion = 1;

const nullableNumber = z.number().nullable();

export const numericProfileSchema = z.object({
  name: z.string(),
  type: z.enum(['numeric', 'boolean']),
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  mean: nullableNumber,
  std: nullableNumber,
  min: nullableNumber,
  max: nullableNumber,
  /** Estimated with a t-digest; `q` is the share of values at or below `value`. */
  quantiles: z.array(z.object({ q: z.number(), value: z.number() })),
  /**
   * The distribution's shape for drift statistics: the t-digest's CDF as points (`x` ascending,
   * `p` the share of values at or below), the CDF being the line through them. About as many
   * points as the digest's compression, singletons in the tails. Optional so profiles written
   * before it existed still read (drift then falls back to `quantiles`).
   */
  cdf: z.object({ x: z.array(z.number()), p: z.array(z.number()) }).optional(),
  /** Equal-width bins over [min, max]; counts estimated from the t-digest, summing to `count`. */
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int().nonnegative()) }),
});

const frequencySchema = z.object({
  value: z.string(),
  count: z.number().int().nonnegative(),
  frequency: z.number(),
});

export const categoricalProfileSchema = z.object({
  name: z.string(),
  type: z.literal('categorical'),
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  /** The most frequent categories, most frequent first. */
  top: z.array(frequencySchema),
  /** Whether the counts in `top` are exact (the column had few enough distinct values). */
  exact: z.boolean(),
});

export const featureProfileSchema = z.discriminatedUnion('type', [
  numericProfileSchema,
  categoricalProfileSchema,
]);

export const datasetProfileSchema = z.object({
  schemaVersion: z.literal(profileSchemaVersion),
  rowCount: z.number().int().nonnegative(),
  target: z.string().nullable(),
  /** Every column but the target, in file order. */
  features: z.array(featureProfileSchema),
  /** The target's profile: class frequencies (categorical) or a numeric summary (regression). */
  label: featureProfileSchema.nullable(),
});

export type NumericProfile = z.infer<typeof numericProfileSchema>;
export type CategoricalProfile = z.infer<typeof categoricalProfileSchema>;
export type FeatureProfile = z.infer<typeof featureProfileSchema>;
export type DatasetProfile = z.infer<typeof datasetProfileSchema>;

/** Reads a stored profile back (the drift baseline); another schemaVersion is INVALID_INPUT. */
export function readProfile(json: unknown): DatasetProfile {
  return parseInput(datasetProfileSchema, json, 'dataset profile');
}

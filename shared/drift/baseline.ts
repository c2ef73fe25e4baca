// Reads a registered version's `profile.json`: the training profile, plus the profile of the
// model's predictions on the holdout (`predictions`: a `prediction` column and, for
// classification, `probability_{class}` columns) when the pipeline recorded it.
import { datasetProfileSchema } from '../data/profile/profile-schema.js';
import { parseInput } from '../validate.js';
import type { Baseline } from './compare-profiles.js';

const baselineSchema = datasetProfileSchema.extend({ predictions: datasetProfileSchema.nullish() });

export function readBaseline(json: unknown): Baseline {
  const { predictions, ...features } = parseInput(baselineSchema, json, 'drift baseline (profile.json)');
  return { features, predictions: predictions ?? null };
}

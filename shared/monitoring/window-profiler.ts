// Builds a window's profile from scored rows with the same streamed ProfileBuilder that made
// the training baseline, over the baseline's own columns and types, so the two compare.
import { ProfileBuilder, type ProfileCell } from '../data/profile/profile-builder.js';
import type { DatasetProfile, FeatureProfile } from '../data/profile/profile-schema.js';
import { booleanOf, isMissing, numberOf, textOf, type RawCell } from '../data/raw-table.js';
import type { FeatureSpec } from '../data/table.js';
import { predictionColumn, type Baseline } from '../drift/compare-profiles.js';

function specOf(profile: FeatureProfile): FeatureSpec {
  return { name: profile.name, type: profile.type };
}

/** A JSON or CSV value as the profile cell of a column of the given type. */
function cellOf(spec: FeatureSpec, value: unknown): ProfileCell {
  if (value === undefined || value === null) return null;
  const raw: RawCell = typeof value === 'object' ? JSON.stringify(value) : (value as RawCell);
  if (isMissing(raw)) return null;
  if (spec.type === 'categorical') return textOf(raw);
  return (spec.type === 'boolean' ? booleanOf(raw) : numberOf(raw)) ?? null;
}

export class WindowProfiler {
  private readonly featureSpecs: FeatureSpec[];
  private readonly features: ProfileBuilder;
  private readonly predictionSpec: FeatureSpec | undefined;
  private readonly predictions: ProfileBuilder | undefined;
  private readonly cells: ProfileCell[];

  constructor(baseline: Baseline) {
    this.featureSpecs = baseline.features.features.map(specOf);
    this.features = new ProfileBuilder(this.featureSpecs, null);
    this.cells = new Array<ProfileCell>(this.featureSpecs.length);
    const prediction = baseline.predictions?.features.find((f) => f.name === predictionColumn);
    this.predictionSpec = prediction ? specOf(prediction) : undefined;
    this.predictions = this.predictionSpec ? new ProfileBuilder([this.predictionSpec], null) : undefined;
  }

  /** The baseline's feature names, in order: the columns a row is read for. */
  get columns(): readonly string[] {
    return this.featureSpecs.map((spec) => spec.name);
  }

  /** One scored row: its inputs by feature name and the model's prediction. */
  add(value: (name: string) => unknown, prediction: unknown): void {
    this.featureSpecs.forEach((spec, i) => {
      this.cells[i] = cellOf(spec, value(spec.name));
    });
    this.features.addRow(this.cells);
    if (this.predictions && this.predictionSpec)
      this.predictions.addRow([cellOf(this.predictionSpec, prediction)]);
  }

  finish(): { features: DatasetProfile; predictions: DatasetProfile | null } {
    return { features: this.features.finish(), predictions: this.predictions?.finish() ?? null };
  }
}

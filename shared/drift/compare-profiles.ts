// A window's verdict: every feature (and the prediction) of the window's profile against the
// baseline's, each judged by the metric the spec picks for its type, all metrics reported.
// p-value thresholds are Bonferroni-corrected over the columns compared, so a check of many
// columns raises no more false alarms than a check of one.
import type { DatasetProfile, FeatureProfile } from '../data/profile/profile-schema.js';
import { histogramPair, type HistogramPair } from './histogram-pair.js';
import type { DriftSettings } from './drift-settings.js';
import { computeMetrics, type ComputedMetric, type MetricName } from './metric-table.js';

/** What a registered version carries in `profile.json`: its training profile and holdout predictions. */
export interface Baseline {
  readonly features: DatasetProfile;
  /** Profile of the `prediction` column (and `probability_*` columns) on the holdout. */
  readonly predictions: DatasetProfile | null;
}

export interface MetricReading {
  readonly metric: MetricName;
  readonly value: number;
  readonly statistic?: number;
  readonly threshold: number;
  readonly drifted: boolean;
}

export interface ColumnVerdict extends MetricReading {
  readonly name: string;
  /** Every metric of the column's type; the top-level one is the spec's deciding metric. */
  readonly metrics: MetricReading[];
  /** Baseline and window on one set of bins, for a person to compare (the console's drift page). */
  readonly histogram?: HistogramPair;
}

export interface DriftVerdict {
  readonly rows: number;
  readonly status: 'drift' | 'no-drift' | 'insufficient-data';
  readonly drifted: boolean;
  readonly reason?: string;
  readonly features: ColumnVerdict[];
  readonly prediction: ColumnVerdict | null;
}

export const predictionColumn = 'prediction';

function reading(computed: ComputedMetric, settings: DriftSettings, columns: number): MetricReading {
  const base = settings.thresholds[computed.threshold];
  const threshold = computed.pValue ? base / columns : base;
  const drifted = computed.pValue ? computed.value < threshold : computed.value > threshold;
  return {
    metric: computed.metric,
    value: computed.value,
    ...(computed.statistic === undefined ? {} : { statistic: computed.statistic }),
    threshold,
    drifted,
  };
}

function verdict(
  reference: FeatureProfile,
  current: FeatureProfile,
  settings: DriftSettings,
  columns: number,
): ColumnVerdict | null {
  const metrics = computeMetrics(reference, current).map((m) => reading(m, settings, columns));
  const deciding = reference.type === 'categorical' ? settings.decide.categorical : settings.decide.numeric;
  const decisive = metrics.find((m) => m.metric === deciding);
  if (!decisive) return null;
  const histogram = histogramPair(reference, current);
  return { name: reference.name, ...decisive, metrics, ...(histogram ? { histogram } : {}) };
}

/** Pairs of baseline and window columns that both hold values. */
function pairs(
  baseline: DatasetProfile | null,
  window: DatasetProfile | null,
): [FeatureProfile, FeatureProfile][] {
  if (!baseline || !window) return [];
  const current = new Map(window.features.map((f) => [f.name, f]));
  return baseline.features.flatMap((reference) => {
    const found = current.get(reference.name);
    return found && found.count > 0 && reference.count > 0
      ? [[reference, found] as [FeatureProfile, FeatureProfile]]
      : [];
  });
}

export function compareProfiles(
  baseline: Baseline,
  window: { features: DatasetProfile; predictions: DatasetProfile | null },
  settings: DriftSettings,
): DriftVerdict {
  const rows = window.features.rowCount;
  if (rows < settings.minRows) {
    return {
      rows,
      status: 'insufficient-data',
      drifted: false,
      reason: `the window holds ${rows} row(s); a verdict needs at least minRows = ${settings.minRows}`,
      features: [],
      prediction: null,
    };
  }
  const featurePairs = pairs(baseline.features, window.features);
  const predictionPair = pairs(baseline.predictions, window.predictions).find(
    ([r]) => r.name === predictionColumn,
  );
  const columns = featurePairs.length + (predictionPair ? 1 : 0);
  const judge = ([r, c]: [FeatureProfile, FeatureProfile]): ColumnVerdict | null =>
    verdict(r, c, settings, columns);
  const features = featurePairs.map(judge).filter((v): v is ColumnVerdict => v !== null);
  const prediction = predictionPair ? judge(predictionPair) : null;
  const drifted = features.some((f) => f.drifted) || (prediction?.drifted ?? false);
  return { rows, status: drifted ? 'drift' : 'no-drift', drifted, features, prediction };
}

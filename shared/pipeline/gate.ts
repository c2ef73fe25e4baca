// The gate between evaluation and registration, pure: absolute thresholds from the model's
// spec, then the challenger's margin over the champion on the same holdout. The report holds
// every metric side by side with the champion's and each rule with its verdict, so a rejected
// run says exactly why.
import type { ModelSpec } from '../registry/model-spec.js';
import type { Task } from '../ml/model.js';

export type MetricValues = Record<string, number | null>;

export interface ThresholdCheck {
  metric: string;
  min?: number;
  max?: number;
  value: number | null;
  passed: boolean;
}

export interface ChampionCheck {
  metric: string;
  higherIsBetter: boolean;
  margin: number;
  challenger: number | null;
  champion: number | null;
  championVersion: number;
  /** Whether the rule came from the spec or is the task's default (never worse than the champion). */
  source: 'spec' | 'default';
  passed: boolean;
}

export interface GateReport {
  passed: boolean;
  /** One line per failed rule, for the run's `reason`. */
  failures: string[];
  metrics: Record<string, { challenger: number | null; champion: number | null }>;
  thresholds: ThresholdCheck[];
  champion: ChampionCheck | null;
}

/** Without a champion rule in the spec, a challenger may not be worse than the champion on this metric. */
export const defaultChampionMetric: Record<Task, { metric: string; higherIsBetter: boolean }> = {
  binary: { metric: 'rocAuc', higherIsBetter: true },
  multiclass: { metric: 'accuracy', higherIsBetter: true },
  regression: { metric: 'rmse', higherIsBetter: false },
};

export interface GateInput {
  gates: ModelSpec['gates'];
  task: Task;
  /** The challenger's holdout metrics. */
  metrics: MetricValues;
  champion: { version: number; metrics: MetricValues } | null;
}

export function applyGates({ gates, task, metrics: challenger, champion }: GateInput): GateReport {
  const failures: string[] = [];
  const thresholds = gates.thresholds.map((rule): ThresholdCheck => {
    const value = challenger[rule.metric] ?? null;
    const passed =
      value !== null &&
      (rule.min === undefined || value >= rule.min) &&
      (rule.max === undefined || value <= rule.max);
    if (!passed) {
      const bounds = [
        rule.min === undefined ? '' : `>= ${rule.min}`,
        rule.max === undefined ? '' : `<= ${rule.max}`,
      ]
        .filter(Boolean)
        .join(' and ');
      failures.push(`${rule.metric} is ${value ?? 'not available'}, the gate needs ${bounds}`);
    }
    return { ...rule, value, passed };
  });

  let championCheck: ChampionCheck | null = null;
  if (champion) {
    const rule = gates.champion
      ? { ...gates.champion, source: 'spec' as const }
      : { ...defaultChampionMetric[task], margin: 0, source: 'default' as const };
    const mine = challenger[rule.metric] ?? null;
    const theirs = champion.metrics[rule.metric] ?? null;
    // A champion without the metric (another task, an older model) cannot be beaten or lost to.
    const passed =
      theirs === null ||
      (mine !== null && (rule.higherIsBetter ? mine >= theirs + rule.margin : mine <= theirs - rule.margin));
    if (!passed) {
      failures.push(
        `${rule.metric} is ${mine ?? 'not available'}; champion version ${champion.version} has ${theirs}, and the challenger must be ${rule.higherIsBetter ? 'higher' : 'lower'} by at least ${rule.margin}`,
      );
    }
    championCheck = {
      metric: rule.metric,
      higherIsBetter: rule.higherIsBetter,
      margin: rule.margin,
      challenger: mine,
      champion: theirs,
      championVersion: champion.version,
      source: rule.source,
      passed,
    };
  }

  const names = [...new Set([...Object.keys(challenger), ...Object.keys(champion?.metrics ?? {})])].sort();
  const metrics = Object.fromEntries(
    names.map((name) => [
      name,
      { challenger: challenger[name] ?? null, champion: champion?.metrics[name] ?? null },
    ]),
  );
  return { passed: failures.length === 0, failures, metrics, thresholds, champion: championCheck };
}

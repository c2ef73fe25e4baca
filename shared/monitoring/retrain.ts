// What a drift alert starts: a training run of the model on its latest data set (and its latest
// labelled feedback file, when there is one), with a run id derived from the alert, unless
// retraining is off for the model, a run of it is in progress, or the cool-down of an earlier
// drift-started run still holds. A redelivered alert derives the same run id, and starting a
// run is idempotent by id, so one alert starts at most one run.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { DriftAlert } from '../drift/drift-alert.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { MonitoringStore } from './monitoring-store.js';

export interface DataRef {
  readonly uri: string;
  readonly sha256: string;
}

export interface RetrainDeps {
  readonly registry: RegistryStore;
  readonly store: MonitoringStore;
  readonly clock: Clock;
  /** The model's newest data set and, if any, its newest feedback file, oldest role first. */
  readonly latestData: (model: string) => Promise<DataRef[]>;
}

export type RetrainDecision =
  | { readonly start: true; readonly runId: string; readonly datasets: DataRef[] }
  | { readonly start: false; readonly runId: string; readonly reason: string };

const inProgress = new Set(['pending', 'running', 'awaiting-approval']);

/** `drift-{model}-{first 16 hex of sha256(alert id)}`: the same alert, the same run. */
export function retrainRunId(model: string, alertId: string): string {
  return `drift-${model}-${createHash('sha256').update(alertId).digest('hex').slice(0, 16)}`;
}

export async function decideRetrain(
  deps: RetrainDeps,
  alert: DriftAlert,
  alertId: string,
): Promise<RetrainDecision> {
  const runId = retrainRunId(alert.model, alertId);
  const skip = (reason: string): RetrainDecision => ({ start: false, runId, reason });
  const { spec } = await deps.registry.getModel(alert.model);
  if (!spec.drift.retrain) return skip('retraining on drift is off in the model spec (drift.retrain)');
  const running = (await deps.registry.listRuns(alert.model)).find(
    (run) => inProgress.has(run.status) && run.runId !== runId,
  );
  if (running) return skip(`run ${running.runId} of the model is still ${running.status}`);
  const datasets = await deps.latestData(alert.model);
  if (datasets.length === 0) return skip(`no data set under datasets/${alert.model}/ to retrain on`);
  const claim = await deps.store.claimRetrain(
    alert.model,
    runId,
    deps.clock.now(),
    spec.drift.cooldownHours * 3_600_000,
  );
  if (!claim.claimed) return skip(`cool-down after drift run ${claim.runId} lasts until ${claim.until}`);
  return { start: true, runId, datasets };
}

// The drift alert on topic `drift-alerts` (DESIGN.md section 4). Its messageId is derived from
// model, version and window end, so the same check run twice publishes one alert: Service Bus
// duplicate detection drops the second.
import { z } from 'zod';
import type { ColumnVerdict, DriftVerdict } from './compare-profiles.js';

export const driftAlertTopic = 'drift-alerts';
export const retrainSubscription = 'retrain';
/** The app setting of the Service Bus connection the alerts travel on. */
export const serviceBusSetting = 'SERVICEBUS_CONNECTION';

export const driftAlertSchema = z.object({
  model: z.string().min(1),
  version: z.number().int().positive(),
  /** The deciding metric of the most drifted column. */
  metric: z.string(),
  /** The drifted features; `prediction` when the prediction drifted too. */
  features: z.array(z.string()),
  observedAt: z.string(),
  windowEnd: z.string(),
});

export type DriftAlert = z.infer<typeof driftAlertSchema>;

export function alertMessageId(alert: Pick<DriftAlert, 'model' | 'version' | 'windowEnd'>): string {
  return `${alert.model}-${alert.version}-${alert.windowEnd}`;
}

/** How far past its threshold a column is, comparable across distances and p-values. */
function severity(column: ColumnVerdict): number {
  const isPValue = column.metric === 'ks' || column.metric === 'chi-square';
  return isPValue
    ? column.threshold / Math.max(column.value, Number.MIN_VALUE)
    : column.value / column.threshold;
}

/**
 * The alert for a verdict with drift, or null: drifted features most drifted first, then
 * `prediction` if it drifted; `metric` is the deciding metric of the first of them.
 */
export function driftAlert(
  check: { model: string; version: number; windowEnd: string; observedAt: string },
  verdict: Pick<DriftVerdict, 'features' | 'prediction'>,
): DriftAlert | null {
  const features = verdict.features.filter((c) => c.drifted).sort((a, b) => severity(b) - severity(a));
  const drifted = verdict.prediction?.drifted ? [...features, verdict.prediction] : features;
  const first = drifted[0];
  if (!first) return null;
  return { ...check, metric: first.metric, features: drifted.map((c) => c.name) };
}

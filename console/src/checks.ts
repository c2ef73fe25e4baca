// The monitoring route answers with the latest checks; read them oldest first, whichever of the
// shapes it uses (a list, {checks}, or one check).
import type { DriftCheck } from './types.js';

export function driftChecks(body: unknown): DriftCheck[] {
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { checks?: unknown }).checks)
      ? (body as { checks: unknown[] }).checks
      : body && typeof body === 'object' && Array.isArray((body as { features?: unknown }).features)
        ? [body]
        : [];
  const checks = list.filter(
    (item): item is DriftCheck =>
      !!item && typeof item === 'object' && Array.isArray((item as DriftCheck).features),
  );
  const time = (check: DriftCheck) => Date.parse(check.checkedAt ?? check.window?.to ?? '') || 0;
  return [...checks].sort((a, b) => time(a) - time(b));
}

/** Each feature's metric over the checks, for the over-time charts. */
export interface MetricPoint {
  readonly at: number;
  readonly value: number;
  readonly threshold: number;
  readonly drifted: boolean;
}

export function metricSeries(checks: readonly DriftCheck[]): Map<string, MetricPoint[]> {
  const series = new Map<string, MetricPoint[]>();
  for (const check of checks) {
    const at = Date.parse(check.window?.to ?? check.checkedAt ?? '');
    if (!Number.isFinite(at)) continue;
    for (const feature of check.features) {
      const points = series.get(feature.name) ?? [];
      points.push({ at, value: feature.value, threshold: feature.threshold, drifted: feature.drifted });
      series.set(feature.name, points);
    }
  }
  return series;
}

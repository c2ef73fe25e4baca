// One drift check of a model: the version its deployment alias serves, that version's
// baseline, the window's captured requests and batch outputs profiled, compared, stored, and
// an alert published when something drifted.
import type { BlobServiceClient } from '@azure/storage-blob';
import { artifactContainer, artifactPath, artifactUri } from '../artifacts/artifact-paths.js';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { compareProfiles, type Baseline } from '../drift/compare-profiles.js';
import { driftAlert } from '../drift/drift-alert.js';
import { PlatformError } from '../errors.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { storageError, storageStatus } from '../storage-status.js';
import { readModelProfile } from '../pipeline/model-baseline.js';
import { parseInput } from '../validate.js';
import type { AlertBus } from './alert-bus.js';
import type { CheckRecord } from './check-record.js';
import type { MonitoringStore } from './monitoring-store.js';
import { WindowProfiler } from './window-profiler.js';
import { readWindow, type TimeWindow } from './window-source.js';

export interface MonitorDeps {
  readonly registry: RegistryStore;
  readonly blobs: BlobServiceClient;
  readonly store: MonitoringStore;
  readonly alerts: AlertBus;
  readonly clock: Clock;
}

const hourMs = 3_600_000;
const maxWindowMs = 90 * 24 * hourMs;

export const checkRequestSchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .default({});

export type CheckRequest = z.output<typeof checkRequestSchema>;

/**
 * The window to check: as asked, else the `windowHours` before the last full hour. Ending on
 * the hour makes every check within that hour the same window, so its alert has one messageId.
 */
export function checkWindow(request: CheckRequest, windowHours: number, now: number): TimeWindow {
  const to = request.to ? new Date(request.to) : new Date(Math.floor(now / hourMs) * hourMs);
  const from = request.from ? new Date(request.from) : new Date(to.getTime() - windowHours * hourMs);
  if (from >= to)
    throw new PlatformError('INVALID_INPUT', 'The window must start before it ends.', { field: 'from' });
  if (to.getTime() - from.getTime() > maxWindowMs)
    throw new PlatformError('INVALID_INPUT', 'The window may span at most 90 days.', { field: 'from' });
  return { from, to };
}

async function loadBaseline(blobs: BlobServiceClient, model: string, version: number): Promise<Baseline> {
  try {
    const bytes = await blobs
      .getContainerClient(artifactContainer)
      .getBlobClient(artifactPath(model, version, 'profile.json'))
      .downloadToBuffer();
    const { predictions, ...features } = readModelProfile(JSON.parse(bytes.toString('utf8')));
    return { features, predictions };
  } catch (error) {
    if (storageStatus(error) !== 404) throw storageError(error, 'Reading the drift baseline');
    throw new PlatformError('CONFLICT', `Version ${version} of model ${model} has no drift baseline.`, {
      model,
      version,
      path: artifactUri(model, version, 'profile.json'),
    });
  }
}

export async function runCheck(deps: MonitorDeps, model: string, body: unknown = {}): Promise<CheckRecord> {
  const request = parseInput(checkRequestSchema, body, 'check request');
  const { spec } = await deps.registry.getModel(model);
  const settings = spec.drift;
  const served = await deps.registry.resolve(model, spec.deployment.alias);
  const baseline = await loadBaseline(deps.blobs, model, served.version);
  const window = checkWindow(request, settings.windowHours, deps.clock.now());
  const profiler = new WindowProfiler(baseline);
  const counts = await readWindow(deps.blobs, model, served.version, window, profiler);
  const verdict = compareProfiles(baseline, profiler.finish(), settings);
  const observedAt = new Date(deps.clock.now()).toISOString();
  const windowEnd = window.to.toISOString();
  const alert = driftAlert({ model, version: served.version, windowEnd, observedAt }, verdict);
  const messageId = alert ? await deps.alerts.publish(alert) : undefined;
  const check: CheckRecord = {
    model,
    version: served.version,
    checkedAt: observedAt,
    window: { from: window.from.toISOString(), to: windowEnd, rows: verdict.rows, ...counts },
    status: verdict.status,
    ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
    features: verdict.features,
    prediction: verdict.prediction,
    drifted: verdict.drifted,
    alert: alert && messageId ? { messageId, features: alert.features } : null,
  };
  await deps.store.recordCheck(check);
  return check;
}

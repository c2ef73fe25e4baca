// The one place the training backend is chosen, from app settings and the spec's compute. In
// Azure (TRAINING_BACKEND=batch or a Batch endpoint set) it is the Azure Batch pool for the
// compute; locally (and in tests) the pool service `npm start` runs (TRAINING_POOL_URL), for both.
import { PlatformError } from '../errors.js';
import type { TrainingBackend } from './backend.js';
import type { Compute } from './compute.js';
import { PoolBackend } from './pool-backend.js';
import { batchBackendFor, usesBatch } from './training-target.js';

export function trainingBackendFromSettings(
  settings: Record<string, string | undefined> = process.env,
  compute: Compute = 'cpu',
): TrainingBackend {
  if (usesBatch(settings)) return batchBackendFor(compute, settings);
  const poolUrl = settings.TRAINING_POOL_URL;
  if (poolUrl) return new PoolBackend(poolUrl.replace(/\/$/, ''));
  throw new PlatformError(
    'INVALID_CONFIG',
    'No training backend is configured: set TRAINING_POOL_URL to the local pool (npm start sets it).',
    { setting: 'TRAINING_POOL_URL' },
  );
}

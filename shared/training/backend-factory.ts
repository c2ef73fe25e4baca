// The one place the training backend is chosen, from app settings. Locally (and in tests) it is
// the pool service `npm start` runs (TRAINING_POOL_URL); an Azure Batch backend slots in here.
import { PlatformError } from '../errors.js';
import type { TrainingBackend } from './backend.js';
import { PoolBackend } from './pool-backend.js';

export function trainingBackendFromSettings(
  settings: Record<string, string | undefined> = process.env,
): TrainingBackend {
  const poolUrl = settings.TRAINING_POOL_URL;
  if (poolUrl) return new PoolBackend(poolUrl.replace(/\/$/, ''));
  throw new PlatformError(
    'INVALID_CONFIG',
    'No training backend is configured: set TRAINING_POOL_URL to the local pool (npm start sets it).',
    { setting: 'TRAINING_POOL_URL' },
  );
}

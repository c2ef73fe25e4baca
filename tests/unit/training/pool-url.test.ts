import { describe, expect, it } from 'vitest';
import { trainingPoolUrl, usesBatch } from '../../../shared/training/pool-backend.js';

describe('the local pool as the default training backend', () => {
  it('is found at TRAINING_POOL_URL, or where npm start runs it when settings predate that setting', () => {
    expect(trainingPoolUrl({ TRAINING_POOL_URL: 'http://127.0.0.1:9999/' })).toBe('http://127.0.0.1:9999');
    expect(trainingPoolUrl({})).toBe('http://127.0.0.1:7072');
    expect(trainingPoolUrl({ TRAINING_POOL_PORT: '7100' })).toBe('http://127.0.0.1:7100');
  });

  it('gives way to Azure Batch only when Batch is configured', () => {
    expect(usesBatch({})).toBe(false);
    expect(usesBatch({ BATCH_ACCOUNT_ENDPOINT: 'https://a.westeurope.batch.azure.com' })).toBe(true);
    expect(
      usesBatch({ TRAINING_BACKEND: 'local', BATCH_ACCOUNT_ENDPOINT: 'https://a.b.batch.azure.com' }),
    ).toBe(false);
    expect(usesBatch({ TRAINING_BACKEND: 'batch' })).toBe(true);
  });
});

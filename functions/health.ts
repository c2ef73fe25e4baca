// GET /api/health (anonymous): the app and each dependency it needs, 503 when one fails.
import type { CosmosClient } from '@azure/cosmos';
import { app } from '@azure/functions';
import type { BlobServiceClient } from '@azure/storage-blob';
import { createRequire } from 'node:module';
import { blobServiceFromSettings } from '../shared/artifacts/blob-connection.js';
import { healthReport } from '../shared/health/health-report.js';
import { cosmosClient, cosmosSettings } from '../shared/registry/cosmos-connection.js';

// Built, this file is dist/functions/health.js; from sources (tests), functions/health.ts.
const packageJson = import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json';
const { name, version } = createRequire(import.meta.url)(packageJson) as {
  name: string;
  version: string;
};

// One client of each per process, made on first use: a probe every few seconds must not build
// a client (and its connection pool) each time. A client that cannot be made is not kept.
let storage: BlobServiceClient | undefined;
let cosmos: CosmosClient | undefined;

app.http('health', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  handler: async () => {
    const report = await healthReport(
      { name, version },
      {
        storage: () => (storage ??= blobServiceFromSettings()).getProperties(),
        cosmos: () => (cosmos ??= cosmosClient(cosmosSettings())).getDatabaseAccount(),
      },
    );
    return { status: report.status === 'ok' ? 200 : 503, jsonBody: report };
  },
});

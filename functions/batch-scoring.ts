// Batch scoring (journey 2): the nightly timer, the on-demand and runs routes, the run's
// orchestration and its activities. Registration and wiring only: the work is in shared/batch/.
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { blobServiceFromSettings } from '../shared/artifacts/blob-connection.js';
import { batchRunEdges } from '../shared/batch/batch-lineage.js';
import { partitionPrefix, planInputs } from '../shared/batch/batch-layout.js';
import type { BatchManifest } from '../shared/batch/batch-manifest.js';
import {
  batchActivities,
  batchFileOrchestrator,
  batchOrchestrator,
  batchScoring,
  batchScoringFile,
  type LineageInput,
} from '../shared/batch/batch-orchestrator.js';
import { getRun, listRuns, startRun } from '../shared/batch/batch-api.js';
import { startNightlyRuns, type BatchDeps } from '../shared/batch/batch-runs.js';
import {
  listLevel,
  openBatchContainers,
  writeManifest,
  type BatchContainers,
} from '../shared/batch/batch-storage.js';
import { durableRunInstances } from '../shared/batch/durable-run-instances.js';
import { scoreFile, type ScoreFileInput } from '../shared/batch/score-file.js';
import { artifactContainer } from '../shared/artifacts/artifact-paths.js';
import { BlobArtifactStore } from '../shared/artifacts/blob-artifact-store.js';
import { systemClock } from '../shared/clock.js';
import { ModelCache } from '../shared/scoring/model-cache.js';
import { clientRoutes } from './client-routes.js';
import { openRegistry } from '../shared/registry/open-registry.js';

let containers: Promise<BatchContainers> | undefined;
function openContainers(): Promise<BatchContainers> {
  containers ??= openBatchContainers(blobServiceFromSettings()).catch((error: unknown) => {
    containers = undefined;
    throw error;
  });
  return containers;
}

const depsFor = (client: df.DurableClient) => async (): Promise<BatchDeps> => ({
  registry: await openRegistry(),
  containers: await openContainers(),
  instances: durableRunInstances(client),
});

df.app.orchestration(batchOrchestrator, batchScoring);
df.app.orchestration(batchFileOrchestrator, batchScoringFile);

df.app.activity(batchActivities.listInputs, {
  handler: async ({ model, partition }: { model: string; partition: string }) =>
    planInputs(await listLevel((await openContainers()).inputs, partitionPrefix(model, partition), true)),
});

// The serving route's cache of verified sessions, one per process: every file of a run on this
// instance shares its model's session.
const models = new ModelCache(
  () => BlobArtifactStore.open(blobServiceFromSettings(), artifactContainer),
  512 * 2 ** 20,
  systemClock,
);
df.app.activity(batchActivities.scoreFile, {
  handler: async (input: ScoreFileInput, context: InvocationContext) => {
    const { inputs, outputs } = await openContainers();
    const outcome = await scoreFile({ inputs, outputs, loadModel: (owner) => models.load(owner) }, input);
    const { file, status, rows, rejected } = outcome.result;
    const what = outcome.written
      ? 'wrote output'
      : status === 'failed'
        ? 'failed'
        : 'found output already written';
    context.log(`batch ${input.runId}: ${what} for ${file} (${rows} rows, ${rejected} rejected)`);
    return outcome;
  },
});

df.app.activity(batchActivities.recordLineage, {
  handler: async (run: LineageInput) => (await openRegistry()).recordLineage(run.model, batchRunEdges(run)),
});

df.app.activity(batchActivities.writeManifest, {
  handler: async (manifest: BatchManifest) => writeManifest((await openContainers()).outputs, manifest),
});

clientRoutes<BatchDeps>(
  [
    ['batchScoringStart', 'POST', 'batch-scoring/{model}', startRun],
    ['batchScoringRuns', 'GET', 'batch-scoring/{model}/runs', listRuns],
    ['batchScoringRun', 'GET', 'batch-scoring/{model}/runs/{runId}', getRun],
  ],
  depsFor,
  'batch scoring',
);

// App settings are environment variables when functions are indexed, here as in Azure.
df.app.client.timer('batchScoringNightly', {
  schedule: process.env.BATCH_SCORING_SCHEDULE || '0 0 2 * * *',
  handler: async (_timer, client, context) => {
    const { started, passed } = await startNightlyRuns(await depsFor(client)());
    for (const run of started) context.log(`batch scoring started ${run.runId}`);
    for (const p of passed)
      context.log(`batch scoring passed over ${p.model}/${p.partition ?? ''}: ${p.reason}`);
  },
});

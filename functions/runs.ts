// Runs API routes (DESIGN.md section 4). Registration only: handling lives in
// shared/pipeline/runs-api.ts; the task hub tells which model a run belongs to and carries the
// approval event to the run's orchestration.
import * as df from 'durable-functions';
import { openRegistry } from '../shared/registry/open-registry.js';
import { approvalEventName } from '../shared/pipeline/approval.js';
import { approveRun, getRun, listRuns, rejectRun, type RunsPort } from '../shared/pipeline/runs-api.js';
import type { PipelineInput } from '../shared/pipeline/training-orchestrator.js';
import { clientRoutes } from './client-routes.js';
import { instanceStatus } from './start-training.js';

function port(client: df.DurableClient): () => Promise<RunsPort> {
  return async () => ({
    registry: await openRegistry(),
    now: () => new Date(),
    async modelOfRun(runId) {
      const status = await instanceStatus(client, runId);
      return (status?.input as PipelineInput | undefined)?.request?.model;
    },
    raiseApproval: (runId, event) => client.raiseEvent(runId, approvalEventName, event),
  });
}

clientRoutes<RunsPort>(
  [
    ['runsList', 'GET', 'runs', listRuns],
    ['runsGet', 'GET', 'runs/{runId}', getRun],
    ['runsApprove', 'POST', 'runs/{runId}/approve', approveRun],
    ['runsReject', 'POST', 'runs/{runId}/reject', rejectRun],
  ],
  port,
  'runs',
);

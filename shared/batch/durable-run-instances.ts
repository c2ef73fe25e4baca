// RunInstances over the Durable Functions client: batch runs are orchestration instances whose
// ids are the run ids.
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { batchOrchestrator, type BatchRunInput } from './batch-orchestrator.js';
import { runIdPrefix } from './batch-layout.js';
import type { RunInstance, RunInstances } from './batch-runs.js';

function instanceOf(status: DurableOrchestrationStatus): RunInstance {
  return {
    runId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    customStatus: status.customStatus ?? undefined,
    output: status.output ?? undefined,
    // The list call hands back the wire JSON, where times are strings.
    createdAt: new Date(status.createdTime).toISOString(),
    updatedAt: new Date(status.lastUpdatedTime).toISOString(),
  };
}

export function durableRunInstances(client: DurableClient): RunInstances {
  return {
    async get(runId) {
      try {
        return instanceOf(await client.getStatus(runId));
      } catch (error) {
        // The client reports an unknown instance only as an error naming the 404.
        if (error instanceof Error && /HTTP 404/.test(error.message)) return undefined;
        throw error;
      }
    },
    async start(input: BatchRunInput) {
      await client.startNew(batchOrchestrator, { instanceId: input.runId, input });
    },
    async list(model) {
      const prefix = runIdPrefix(model);
      const all = await client.getStatusAll();
      return all.filter((s) => s.instanceId.startsWith(prefix)).map(instanceOf);
    },
  };
}

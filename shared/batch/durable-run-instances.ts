// RunInstances over the Durable Functions client: batch runs are orchestration instances whose
// ids are the run ids.
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { PlatformError } from '../errors.js';
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

/** A dropped or refused connection to the task hub is the client's to retry (503), not a bug (500). */
async function reaching<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !/^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)$/.test(code)) throw error;
    throw new PlatformError(
      'DEPENDENCY_UNAVAILABLE',
      'The task hub could not be reached; try again.',
      {},
      { cause: error },
    );
  }
}

export function durableRunInstances(client: DurableClient): RunInstances {
  return {
    get: (runId) =>
      reaching(async () => {
        try {
          return instanceOf(await client.getStatus(runId));
        } catch (error) {
          // The client reports an unknown instance only as an error naming the 404.
          if (error instanceof Error && /HTTP 404/.test(error.message)) return undefined;
          throw error;
        }
      }),
    start: (input: BatchRunInput) =>
      reaching(async () => {
        await client.startNew(batchOrchestrator, { instanceId: input.runId, input });
      }),
    list: (model) =>
      reaching(async () => {
        const prefix = runIdPrefix(model);
        const all = await client.getStatusAll();
        return all.filter((s) => s.instanceId.startsWith(prefix)).map(instanceOf);
      }),
  };
}

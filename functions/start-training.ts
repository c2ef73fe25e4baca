// Starts a training run (the ingest trigger and the drift retrainer call this). The instance id
// is the run id, derived from the data's content, so the same request twice starts one run.
import type * as df from 'durable-functions';
import { runIdOf, trainingRequestSchema, type TrainingRequest } from '../shared/pipeline/training-request.js';
import { trainingOrchestratorName, type PipelineInput } from '../shared/pipeline/training-orchestrator.js';
import { parseInput } from '../shared/validate.js';

async function exists(client: df.DurableClient, instanceId: string): Promise<boolean> {
  try {
    await client.getStatus(instanceId, { showInput: false });
    return true;
  } catch (error) {
    // The library reports an unknown instance only as an Error naming the HTTP 404 it got.
    if (error instanceof Error && error.message.includes('HTTP 404')) return false;
    throw error;
  }
}

export async function startTraining(
  client: df.DurableClient,
  request: TrainingRequest,
): Promise<{ runId: string; started: boolean }> {
  const parsed = parseInput(trainingRequestSchema, request, 'training request');
  const runId = runIdOf(parsed);
  if (await exists(client, runId)) return { runId, started: false };
  const input: PipelineInput = { runId, request: parsed };
  try {
    await client.startNew(trainingOrchestratorName, { instanceId: runId, input });
  } catch (error) {
    // Two triggers for the same content at once: the other one started it.
    if (await exists(client, runId)) return { runId, started: false };
    throw error;
  }
  return { runId, started: true };
}

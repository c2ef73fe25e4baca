// The runs API (DESIGN.md section 4) as plain functions over the registry's run records and the
// task hub: list a model's runs newest first, read one run with its step timeline, and approve
// or reject a run that awaits approval (an external event to its orchestration).
import { z } from 'zod';
import { PlatformError } from '../errors.js';
import { actor, jsonBody, ok, type ApiRequest, type ApiResponse } from '../registry/http-api.js';
import { modelNameSchema, runIdSchema } from '../registry/names.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { parseInput } from '../validate.js';
import { approvalRequestSchema, type ApprovalEvent } from './approval.js';

export interface RunsPort {
  readonly registry: RegistryStore;
  /** The model a run belongs to, from its orchestration's input; undefined for an unknown run. */
  modelOfRun(runId: string): Promise<string | undefined>;
  raiseApproval(runId: string, event: ApprovalEvent): Promise<void>;
  now(): Date;
}

export type RunsHandler = (port: RunsPort, request: ApiRequest) => Promise<ApiResponse>;

async function findRun(port: RunsPort, request: ApiRequest) {
  const { runId } = parseInput(z.object({ runId: runIdSchema }), request.params, 'path');
  const model = await port.modelOfRun(runId);
  if (model === undefined) {
    throw new PlatformError(
      'NOT_FOUND',
      `No training run '${runId}'; list runs with GET /api/runs?model=NAME.`,
      {
        runId,
      },
    );
  }
  return port.registry.getRun(model, runId);
}

export const listRuns: RunsHandler = async (port, request) => {
  const { model } = parseInput(
    z.object({ model: modelNameSchema }),
    { model: request.query.get('model') ?? undefined },
    'query',
  );
  const runs = await port.registry.listRuns(model);
  return ok({ runs: runs.reverse() });
};

export const getRun: RunsHandler = async (port, request) => ok(await findRun(port, request));

function decide(approved: boolean): RunsHandler {
  return async (port, request) => {
    const run = await findRun(port, request);
    const body = request.body.trim() === '' ? {} : jsonBody(request);
    const decision = parseInput(approvalRequestSchema.partial({ by: true }), body, 'approval');
    if (run.status !== 'awaiting-approval') {
      throw new PlatformError('CONFLICT', `Run ${run.runId} is ${run.status}, not awaiting approval.`, {
        runId: run.runId,
        status: run.status,
      });
    }
    const event: ApprovalEvent = {
      approved,
      by: decision.by ?? actor(request),
      at: port.now().toISOString(),
      ...(decision.comment ? { comment: decision.comment } : {}),
    };
    await port.raiseApproval(run.runId, event);
    return ok({ runId: run.runId, decision: approved ? 'approved' : 'rejected', by: event.by }, 202);
  };
}

export const approveRun = decide(true);
export const rejectRun = decide(false);

// The training pipeline's orchestrator and activities (shared/pipeline/). Registration and
// wiring only: each activity opens the pipeline's services once per process and returns its
// step's outcome, so bad data or a failed trainer end the run with what went wrong.
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { applyGates, type GateInput } from '../shared/pipeline/gate.js';
import { openPipelineServices, type PipelineServices } from '../shared/pipeline/pipeline-services.js';
import { outcomeOf } from '../shared/pipeline/step-outcome.js';
import { profileStep, splitStep, validateStep } from '../shared/pipeline/steps/data-steps.js';
import { evaluateStep } from '../shared/pipeline/steps/evaluate-step.js';
import {
  lineageStep,
  promoteStep,
  registerStep,
  rejectVersionStep,
  saveRunStep,
} from '../shared/pipeline/steps/registry-steps.js';
import { pollTrainingStep, submitTrainingStep } from '../shared/pipeline/steps/train-steps.js';
import {
  activities,
  trainingOrchestrator,
  trainingOrchestratorName,
} from '../shared/pipeline/training-orchestrator.js';

const services = () => openPipelineServices();

// A test's way to kill the host with a step in flight, at the hardest point to resume from:
// with PIPELINE_HOLD_AFTER naming an activity, that activity does its work, logs so, and never
// answers, so its effects are made but the orchestrator has not recorded them.
const holdAfter = process.env.PIPELINE_HOLD_AFTER;

function activity<I, O>(name: string, run: (services: PipelineServices, input: I) => Promise<O>): void {
  df.app.activity(name, {
    handler: async (input: unknown, context: InvocationContext) => {
      const outcome = await outcomeOf(async () => run(await services(), input as I));
      if (name !== holdAfter) return outcome;
      context.log(`${name} done and held (PIPELINE_HOLD_AFTER)`);
      return new Promise<never>(() => {});
    },
  });
}

df.app.orchestration(trainingOrchestratorName, trainingOrchestrator);

// The run record is saved as is: a failure there is the registry's, retried, never the run's.
df.app.activity(activities.saveRun, {
  handler: async (run: unknown) => saveRunStep(await services(), run as Parameters<typeof saveRunStep>[1]),
});
activity(activities.validate, validateStep);
activity(activities.profile, profileStep);
activity(activities.split, splitStep);
activity(activities.submit, submitTrainingStep);
activity(activities.poll, pollTrainingStep);
activity(activities.evaluate, evaluateStep);
activity(activities.gate, async (_services, input: GateInput) => applyGates(input));
activity(activities.register, registerStep);
activity(activities.promote, promoteStep);
activity(activities.rejectVersion, rejectVersionStep);
activity(activities.lineage, lineageStep);

// The training pipeline as a Durable Functions orchestrator: validate → profile → split →
// train → evaluate → gate → register → (approval) → promote → lineage, one activity per step.
// Deterministic: time comes from context.df, waits are durable timers and external events, and
// every decision is made from activity results recorded in history. The run record is saved
// (whole, by the orchestrator alone) at each step, so GET /api/runs/{runId} tells the story.
import * as df from 'durable-functions';
import type { Approval } from '../registry/alias.js';
import type { ModelSpec } from '../registry/model-spec.js';
import type { RunRecord, RunStatus, RunStep } from '../registry/run-record.js';
import { approvalEventName, type ApprovalEvent } from './approval.js';
import type { GateReport } from './gate.js';
import type { RunError, StepOutcome } from './step-outcome.js';
import type { ReadPlan, SplitSizes, Validated } from './steps/data-steps.js';
import type { Evaluated } from './steps/evaluate-step.js';
import type { PromoteOutcome } from './steps/registry-steps.js';
import type { TrainingProgress } from './steps/train-steps.js';
import { datasetsSha256, type TrainingRequest } from './training-request.js';

export const trainingOrchestratorName = 'trainingPipeline';

export const activities = {
  saveRun: 'trainingSaveRun',
  validate: 'trainingValidate',
  profile: 'trainingProfile',
  split: 'trainingSplit',
  submit: 'trainingSubmit',
  poll: 'trainingPoll',
  evaluate: 'trainingEvaluate',
  gate: 'trainingGate',
  register: 'trainingRegister',
  promote: 'trainingPromote',
  rejectVersion: 'trainingRejectVersion',
  lineage: 'trainingLineage',
} as const;

export interface PipelineInput {
  runId: string;
  request: TrainingRequest;
}

export interface PipelineResult {
  status: RunStatus;
  version?: number;
  alias?: string;
  reason?: string;
}

/** Ends the run early with a terminal status; thrown inside the generator, caught at its top. */
class RunEnd {
  constructor(
    readonly status: RunStatus,
    readonly reason: string,
    readonly error?: RunError,
  ) {}
}

/** Evaluating again when the alias moved under a run (two runs racing) stops after this many rounds. */
const maxGateRounds = 3;
/** The first wait for a training task; later ones double up to the configured poll interval. */
const firstPollSeconds = 1;
/**
 * The run record takes the trainer's latest progress line at most this often (the custom status
 * takes every one): each save is a registry write and an activity, and a busy host slows the
 * trainer it shares a machine with.
 */
const progressSaveMs = 5_000;
/** Slack the orchestrator gives the backend past the task's own wall-clock limit before giving up. */
const pollGraceMs = 10 * 60_000;

type Step<T> = Generator<df.Task, T, unknown>;

export function* trainingOrchestrator(context: df.OrchestrationContext): Step<PipelineResult> {
  const { runId, request } = context.df.getInput<PipelineInput>();
  const { model } = request;
  const ref = { model, runId };
  const now = () => context.df.currentUtcDateTime.toISOString();
  const retry = new df.RetryOptions(2_000, 3);
  retry.backoffCoefficient = 2;
  const call = (name: string, input: unknown) => context.df.callActivityWithRetry(name, retry, input);

  const run: RunRecord = {
    model,
    runId,
    status: 'running',
    startedAt: now(),
    cause: request.cause,
    dataset: { uri: request.datasets[0]!.uri, sha256: datasetsSha256(request.datasets) },
    ...(request.datasets.length > 1 ? { datasets: request.datasets } : {}),
    steps: [],
  };
  const steps = run.steps!;
  const current = (): RunStep => steps.at(-1)!;
  const publish = () =>
    context.df.setCustomStatus({ status: run.status, step: current()?.name, detail: current()?.detail });

  function* save(): Step<void> {
    publish();
    yield call(activities.saveRun, run);
  }
  function* begin(name: string): Step<void> {
    steps.push({ name, status: 'running', startedAt: now() });
    yield* save();
  }
  function end(detail?: string): void {
    Object.assign(current(), { status: 'succeeded', endedAt: now() }, detail ? { detail } : {});
  }
  /** One activity as one step of the timeline; a failed outcome ends the run `failed`. */
  function* invoke<T>(activity: string, input: unknown): Step<T> {
    let outcome: StepOutcome<T>;
    try {
      outcome = (yield call(activity, input)) as StepOutcome<T>;
    } catch (error) {
      const message = `step ${current().name} failed after retries: ${(error as Error).message}`;
      throw new RunEnd('failed', message, { code: 'INTERNAL', message });
    }
    if (!outcome.ok) throw new RunEnd('failed', outcome.error.message, outcome.error);
    return outcome.value;
  }
  function* step<T>(name: string, activity: string, input: unknown, detail?: (value: T) => string): Step<T> {
    yield* begin(name);
    const value = yield* invoke<T>(activity, input);
    end(detail?.(value));
    return value;
  }

  try {
    const validated = yield* step<Validated>(
      'validate',
      activities.validate,
      { ...ref, datasets: request.datasets },
      (v) =>
        `${v.rows} rows, ${v.plan.schema.length - 1} features; task ${v.plan.task}${v.taskInferred ? ' (inferred from the target column; name it in the spec to pin it)' : ''}`,
    );
    const { spec, plan } = validated;
    run.dataset!.rows = validated.rows;
    run.task = { task: plan.task, target: plan.target, inferred: validated.taskInferred };
    yield* step<{ features: number }>(
      'profile',
      activities.profile,
      { ...ref, plan, profiled: validated.profiled },
      (p) => `${p.features} features profiled`,
    );
    const seed = typeof spec.params?.seed === 'number' ? spec.params.seed : 42;
    yield* step<SplitSizes>(
      'split',
      activities.split,
      { ...ref, plan, seed },
      (s) => `train ${s.train}, validation ${s.validation}, holdout ${s.holdout} rows (seed ${seed})`,
    );
    yield* train(plan, spec);
    const outcome = yield* evaluateAndPromote(plan, spec);
    yield* step('lineage', activities.lineage, { ...ref, datasets: request.datasets });
    run.status = 'succeeded';
    run.reason = outcome;
  } catch (error) {
    if (!(error instanceof RunEnd)) throw error;
    if (current()?.status === 'running')
      Object.assign(current(), {
        status: error.status === 'failed' ? 'failed' : 'succeeded',
        endedAt: now(),
      });
    run.status = error.status;
    run.reason = error.reason;
    if (error.error) run.error = error.error;
  }
  run.endedAt = now();
  yield* save();
  return {
    status: run.status,
    ...(run.version ? { version: run.version } : {}),
    ...(run.alias ? { alias: run.alias } : {}),
    reason: run.reason,
  };

  function* train(plan: ReadPlan, spec: ModelSpec): Step<void> {
    yield* begin('train');
    const { taskId, pollSeconds, timeoutMs } = yield* invoke<{
      taskId: string;
      pollSeconds: number;
      timeoutMs: number;
    }>(activities.submit, {
      ...ref,
      plan,
      spec: { algorithm: spec.algorithm, params: spec.params, compute: spec.compute },
    });
    const giveUpAt = context.df.currentUtcDateTime.getTime() + timeoutMs + pollGraceMs;
    // A short task is seen done soon after it ends, a long one is asked only every pollSeconds.
    let waitSeconds = Math.min(firstPollSeconds, pollSeconds);
    let progressSavedAt = 0;
    for (;;) {
      yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + waitSeconds * 1000));
      waitSeconds = Math.min(waitSeconds * 2, pollSeconds);
      const progress = yield* invoke<TrainingProgress>(activities.poll, { taskId, compute: spec.compute });
      if (progress.state === 'completed') {
        if (progress.succeeded) {
          end(progress.progress);
          return;
        }
        const failure = progress.failure!;
        current().detail = progress.progress;
        throw new RunEnd('failed', failure.message, {
          code: failure.code === 'TIMEOUT' ? 'TIMEOUT' : 'TASK_FAILED',
          message: failure.message,
          taskId,
          exitCode: failure.exitCode,
          stderrTail: failure.stderrTail,
        });
      }
      if (context.df.currentUtcDateTime.getTime() > giveUpAt) {
        const message = `training task ${taskId} did not finish within ${Math.round(timeoutMs / 60_000)} minutes`;
        throw new RunEnd('failed', message, { code: 'TIMEOUT', message, taskId });
      }
      if (progress.progress && progress.progress !== current().detail) {
        current().detail = progress.progress;
        publish();
        const at = context.df.currentUtcDateTime.getTime();
        if (at - progressSavedAt >= progressSaveMs) {
          progressSavedAt = at;
          yield* save();
        }
      }
    }
  }

  /** Evaluate, gate, register, approve and promote; again when the alias moved meanwhile. Returns the run's reason. */
  function* evaluateAndPromote(plan: ReadPlan, spec: ModelSpec): Step<string> {
    const { alias } = spec.deployment;
    let approval: Approval | undefined;
    for (let round = 1; ; round += 1) {
      const evaluated = yield* step<Evaluated>(
        'evaluate',
        activities.evaluate,
        { ...ref, plan, alias },
        (e) =>
          `${e.holdoutRows} holdout rows; ${e.champion ? `compared with ${alias} version ${e.champion.version}` : `no ${alias} yet`}${e.championNote ? ` (${e.championNote})` : ''}`,
      );
      run.metrics = evaluated.metrics;
      run.champion = evaluated.champion;
      const report = yield* step<GateReport>(
        'gate',
        activities.gate,
        { gates: spec.gates, task: plan.task, metrics: evaluated.metrics, champion: evaluated.champion },
        (r) => (r.passed ? 'passed' : r.failures.join('; ')),
      );
      run.report = { ...report };
      if (!report.passed) {
        if (run.version !== undefined) {
          yield* step(
            'reject',
            activities.rejectVersion,
            { model, version: run.version },
            () => `version ${run.version} archived`,
          );
        }
        throw new RunEnd('rejected', `gate failed: ${report.failures.join('; ')}`);
      }
      if (run.version === undefined) {
        const registered = yield* step<{ version: number }>(
          'register',
          activities.register,
          { ...ref, plan, evaluated, algorithm: spec.algorithm ?? 'gbdt', params: spec.params ?? {} },
          (r) => `version ${r.version}`,
        );
        run.version = registered.version;
        if (spec.deployment.requireApproval) approval = yield* awaitApproval(spec, registered.version);
      }
      if (!spec.deployment.autoPromote && !approval)
        return `registered version ${run.version}; the spec does not promote it`;
      const promoted = yield* step<PromoteOutcome>(
        'promote',
        activities.promote,
        {
          ...ref,
          alias,
          version: run.version,
          evaluatedAgainst: evaluated.champion?.version ?? null,
          ...(approval ? { approval } : {}),
        },
        (p) =>
          p.outcome === 'promoted'
            ? `${alias} -> version ${run.version}`
            : `${alias} serves version ${p.current}, ${p.outcome === 'stale' ? 'evaluating again against it' : 'which is newer; left as is'}`,
      );
      if (promoted.outcome === 'promoted') {
        run.alias = alias;
        return `version ${run.version} promoted to ${alias}`;
      }
      if (promoted.outcome === 'superseded')
        return `registered version ${run.version}; ${alias} already serves newer version ${promoted.current}`;
      if (round >= maxGateRounds)
        return `registered version ${run.version}; ${alias} kept moving, so it was not promoted`;
    }
  }

  function* awaitApproval(spec: ModelSpec, version: number): Step<Approval> {
    run.status = 'awaiting-approval';
    yield* begin('approval');
    const hours = spec.deployment.approvalTimeoutHours;
    const timer = context.df.createTimer(
      new Date(context.df.currentUtcDateTime.getTime() + hours * 3_600_000),
    );
    const event = context.df.waitForExternalEvent(approvalEventName);
    const winner = yield context.df.Task.any([event, timer]);
    run.status = 'running';
    if (winner === event) {
      timer.cancel();
      const decision = event.result as ApprovalEvent;
      const comment = decision.comment ? `: ${decision.comment}` : '';
      if (decision.approved) {
        end(`approved by ${decision.by}${comment}`);
        return {
          by: decision.by,
          at: decision.at,
          runId,
          ...(decision.comment ? { comment: decision.comment } : {}),
        };
      }
      end(`rejected by ${decision.by}${comment}`);
      yield* step(
        'reject',
        activities.rejectVersion,
        { model, version },
        () => `version ${version} archived`,
      );
      throw new RunEnd('rejected', `version ${version} rejected by ${decision.by}${comment}`);
    }
    end(`no decision within ${hours} hours`);
    yield* step('reject', activities.rejectVersion, { model, version }, () => `version ${version} archived`);
    throw new RunEnd('rejected', `version ${version} was not approved within ${hours} hours`);
  }
}

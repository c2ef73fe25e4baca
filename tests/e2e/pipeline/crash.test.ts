// Kill -9 the host during each step in turn and start it again: the run still ends with exactly
// one version and one promotion. The orchestrator resumes from its history, the training task
// keeps running in the pool service, and every step is safe to run again. Each kill lands at
// the hardest point: the step's activity has done its work (files written, version registered,
// alias moved) but the orchestrator has not recorded it, so the step runs again after restart.
// The host is held there (PIPELINE_HOLD_AFTER) until the test kills it, so no kill depends on timing.
import { describe, expect, it } from 'vitest';
import { activities } from '../../../shared/pipeline/training-orchestrator.js';
import { csvText, usePipelineStack } from '../../support/pipeline-stack.js';
import { synthetic } from '../../support/ml/synthetic.js';

const stack = usePipelineStack();

const steps = [
  activities.validate,
  activities.profile,
  activities.split,
  activities.submit,
  activities.poll,
  activities.evaluate,
  activities.gate,
  activities.register,
  activities.promote,
  activities.lineage,
];

describe('a host killed during each step', () => {
  it('resumes the run to exactly one version and one promotion', async () => {
    const model = 'crash';
    const data = csvText(synthetic({ task: 'binary', rows: 800, seed: 100, categorical: true }).table);
    await stack().restartHost({ PIPELINE_HOLD_AFTER: steps[0]! });
    await stack().drop(model, 'data.csv', data);
    for (const [index, step] of steps.entries()) {
      await stack().host.waitForLine(new RegExp(`${step} done and held`), 120_000);
      const next = steps[index + 1];
      await stack().restartHost(next ? { PIPELINE_HOLD_AFTER: next } : {});
    }
    const [run] = await stack().settledRuns(model, 1);
    expect(run, JSON.stringify(run)).toMatchObject({ status: 'succeeded', version: 1, alias: 'champion' });
    const versions = await stack().json<{ versions: unknown[] }>(`registry/models/${model}/versions`);
    expect(versions.versions).toHaveLength(1);
    const alias = await stack().json<{ version: number; history: { actor: string }[] }>(
      `registry/models/${model}/aliases/champion`,
    );
    expect(alias.version).toBe(1);
    expect(alias.history).toHaveLength(1);
    expect(alias.history[0]!.actor).toBe(run!.runId);
    // Lineage recorded again after a kill adds no second edge.
    const { edges } = await stack().json<{ edges: { from: string; to: string; kind: string }[] }>(
      `registry/models/${model}/lineage`,
    );
    const distinct = new Set(edges.map((e) => `${e.kind} ${e.from} ${e.to}`));
    expect(edges.length).toBeGreaterThan(0);
    expect(distinct.size).toBe(edges.length);
  }, 600_000);
});

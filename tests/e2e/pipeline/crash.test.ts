// Kill -9 the host while a run is in each step in turn, start it again, and every run still
// ends with exactly one version and one promotion: the orchestrator resumes from its history,
// the training task keeps running in the pool service, and every step is safe to run again.
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/host.js';
import { csvText, usePipelineStack, type RunBody } from '../../support/pipeline-stack.js';
import { synthetic } from '../../support/ml/synthetic.js';

const stack = usePipelineStack();

const steps = ['validate', 'profile', 'split', 'train', 'evaluate', 'gate', 'register', 'promote', 'lineage'];

describe('a host killed during each step', () => {
  it('resumes every run to exactly one version and one promotion', async () => {
    for (const [index, step] of steps.entries()) {
      const model = `crash-${step}`;
      const data = csvText(
        synthetic({ task: 'binary', rows: 800, seed: 100 + index, categorical: true }).table,
      );
      await stack().drop(model, 'data.csv', data);
      // Caught while the run record names the step as the one running (the record is saved as it begins).
      await eventually(
        async () => {
          const response = await stack().api(`runs?model=${model}`);
          if (!response.ok) return undefined;
          const [run] = ((await response.json()) as { runs: RunBody[] }).runs;
          const current = run?.steps.at(-1);
          if (run && run.status !== 'running')
            throw new Error(`${model} ended before step ${step}: ${run.status}`);
          return current?.name === step && current.status === 'running' ? true : undefined;
        },
        120_000,
        `${model} in step ${step}`,
      );
      await stack().restartHost();
      const [run] = await stack().settledRuns(model, 1);
      expect(run, `killed in ${step}: ${JSON.stringify(run)}`).toMatchObject({
        status: 'succeeded',
        version: 1,
        alias: 'champion',
      });
      const versions = await stack().json<{ versions: unknown[] }>(`registry/models/${model}/versions`);
      expect(versions.versions).toHaveLength(1);
      const alias = await stack().json<{ version: number; history: { actor: string }[] }>(
        `registry/models/${model}/aliases/champion`,
      );
      expect(alias.version).toBe(1);
      expect(alias.history).toHaveLength(1);
      expect(alias.history[0]!.actor).toBe(run!.runId);
    }
  }, 600_000);
});

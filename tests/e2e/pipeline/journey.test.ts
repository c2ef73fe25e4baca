// Journey 1 from the user's seat: drop a CSV into `datasets/{model}/` with the blob SDK and read
// the run, the registered version, its lineage and its drift baseline back through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthetic } from '../../support/ml/synthetic.js';
import {
  csvText,
  startPipelineStack,
  type PipelineStack,
  type RunBody,
} from '../../support/pipeline-stack.js';

let stack: PipelineStack;

beforeAll(async () => {
  stack = await startPipelineStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const churn = csvText(
  synthetic({ task: 'binary', rows: 1500, seed: 3, categorical: true, missing: 0.05 }).table,
);

describe('journey 1: drop data, get a model', () => {
  it('trains, registers and promotes a dropped CSV, with run, version, lineage and profile readable', async () => {
    await stack.drop('churn', 'churn.csv', churn);
    const [run] = await stack.settledRuns('churn', 1);
    expect(run, JSON.stringify(run)).toMatchObject({
      model: 'churn',
      status: 'succeeded',
      version: 1,
      alias: 'champion',
    });
    const full = await stack.json<RunBody>(`runs/${run!.runId}`);
    expect(full.runId).toMatch(/^train-churn-[0-9a-f]{16}$/);
    expect(full.steps.map((s) => s.name)).toEqual([
      'validate',
      'profile',
      'split',
      'train',
      'evaluate',
      'gate',
      'register',
      'promote',
      'lineage',
    ]);
    expect(full.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(full.task).toEqual({ task: 'binary', target: 'label', inferred: true });
    expect(full.dataset).toMatchObject({ uri: 'datasets/churn/churn.csv', rows: 1500 });
    expect(full.metrics?.rocAuc).toBeGreaterThan(0.8);
    expect(full.champion).toBeNull();

    const version = await stack.json<{
      runId: string;
      metrics: Record<string, number>;
      profile: { uri: string };
    }>('registry/models/churn/versions/1');
    expect(version.runId).toBe(full.runId);
    expect(version.metrics.rocAuc).toBeCloseTo(full.metrics!.rocAuc!, 10);
    const alias = await stack.json<{ version: number; history: { actor: string }[] }>(
      'registry/models/churn/aliases/champion',
    );
    expect(alias.version).toBe(1);
    const lineage = await stack.json<{ edges: { kind: string }[] }>('registry/models/churn/lineage');
    expect(lineage.edges.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['trained-on', 'produced', 'serves-as', 'profiled-as', 'baseline-of']),
    );

    const models = stack.blobs.getContainerClient('models');
    const profile = JSON.parse(
      (await models.getBlobClient('churn/1/profile.json').downloadToBuffer()).toString('utf8'),
    ) as { rowCount: number; features: { name: string }[]; predictions: { features: { name: string }[] } };
    expect(profile.rowCount).toBe(1500);
    expect(profile.predictions.features.map((f) => f.name)).toEqual([
      'prediction',
      'probability_no',
      'probability_yes',
    ]);
    expect(await models.getBlobClient('churn/1/metadata.json').exists()).toBe(true);
  });
});

// Journey 1's rules, through the host with Azurite and the Cosmos DB emulator: content-derived
// runs (a duplicate drop starts nothing), concurrent drops numbered without gaps, the champion
// gate, approvals (approve, reject, timeout) and bad files failing with row and column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/host.js';
import {
  csvText,
  startPipelineStack,
  type PipelineStack,
  type RunBody,
} from '../../support/pipeline-stack.js';
import { synthetic } from '../../support/ml/synthetic.js';

let stack: PipelineStack;
const maxBytes = 300_000;

beforeAll(async () => {
  stack = await startPipelineStack({ DATASET_MAX_BYTES: String(maxBytes) });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const good = (seed: number, rows = 1200) =>
  csvText(synthetic({ task: 'binary', rows, seed, categorical: true }).table);

async function putSpec(model: string, spec: Record<string, unknown>): Promise<void> {
  const response = await stack.api(`registry/models/${model}`, {
    method: 'PUT',
    body: JSON.stringify({ params: { maxRounds: 60 }, ...spec }),
  });
  expect(response.status, await response.text()).toBeLessThan(300);
}

async function versions(model: string): Promise<{ version: number; archived: boolean }[]> {
  const response = await stack.api(`registry/models/${model}/versions?archived=true`);
  if (response.status === 404) return [];
  const body = (await response.json()) as { versions: { version: number; archived: boolean }[] };
  return body.versions.sort((a, b) => a.version - b.version);
}

const runsOf = async (model: string) => (await stack.json<{ runs: RunBody[] }>(`runs?model=${model}`)).runs;

async function runWithStatus(model: string, status: string): Promise<RunBody> {
  return eventually(
    async () => (await runsOf(model).catch(() => [])).find((r) => r.status === status),
    120_000,
    `a ${status} run of ${model}`,
  );
}

describe('journey 1 governance', () => {
  it('starts one run for the same content dropped under two names', async () => {
    const data = good(5);
    await stack.drop('dupes', 'first.csv', data);
    const [run] = await stack.settledRuns('dupes', 1);
    await stack.drop('dupes', 'again.csv', data);
    await stack.host.waitForLine(
      /Run train-dupes-\w+ already exists for this content \(datasets\/dupes\/again\.csv/,
    );
    expect(await runsOf('dupes')).toHaveLength(1);
    expect(run).toMatchObject({ status: 'succeeded', version: 1 });
  });

  it('numbers two files dropped at once 1 and 2 and leaves the champion on one of them', async () => {
    await Promise.all([stack.drop('twins', 'a.csv', good(7)), stack.drop('twins', 'b.csv', good(8))]);
    const runs = await stack.settledRuns('twins', 2, 180_000);
    expect(runs.map((r) => r.version).sort()).toEqual([1, 2]);
    const champion = await stack.json<{ version: number }>('registry/models/twins/aliases/champion');
    for (const run of runs) {
      // Each run either promoted its version, or was gated against the other's and says so.
      if (run.status === 'succeeded') expect(run.reason).toMatch(/promoted to champion|newer version/);
      else expect(run).toMatchObject({ status: 'rejected', champion: { version: champion.version } });
    }
    const promoted = runs.filter((r) => r.alias === 'champion').map((r) => r.version);
    expect(promoted).toContain(champion.version);
  }, 180_000);

  it('rejects a worse challenger with a readable report and leaves the champion alone', async () => {
    const gates = {
      thresholds: [{ metric: 'accuracy', min: 0.3 }],
      champion: { metric: 'rocAuc', margin: 0.01 },
    };
    await putSpec('fraud', { gates });
    await stack.drop('fraud', 'good.csv', good(11));
    await stack.settledRuns('fraud', 1);
    // Someone changes the hyper-parameters for the worse: one stump instead of a forest.
    await putSpec('fraud', { gates, params: { maxRounds: 1, maxLeaves: 2 } });
    await stack.drop('fraud', 'more.csv', good(12));
    const runs = await stack.settledRuns('fraud', 2);
    const rejected = runs[0]!;
    expect(rejected, JSON.stringify(rejected)).toMatchObject({
      status: 'rejected',
      champion: { version: 1 },
    });
    expect(rejected.version).toBeUndefined();
    expect(rejected.reason).toMatch(/gate failed: rocAuc is [\d.]+; champion version 1 has [\d.]+/);
    const report = rejected.report as {
      passed: boolean;
      metrics: Record<string, { challenger: number; champion: number }>;
      thresholds: { metric: string; passed: boolean }[];
      champion: { metric: string; margin: number; passed: boolean };
    };
    expect(report.passed).toBe(false);
    expect(report.metrics.rocAuc!.champion).toBeGreaterThan(report.metrics.rocAuc!.challenger + 0.01);
    expect(report.thresholds).toEqual([expect.objectContaining({ metric: 'accuracy', passed: true })]);
    expect(report.champion).toMatchObject({ metric: 'rocAuc', margin: 0.01, passed: false });
    expect(await versions('fraud')).toHaveLength(1);
    expect(await stack.json<{ version: number }>('registry/models/fraud/aliases/champion')).toMatchObject({
      version: 1,
    });
  }, 180_000);

  it('waits for approval, then promotes on approve and archives on reject', async () => {
    const deployment = { requireApproval: true, approvalTimeoutHours: 24 };
    // A deliberately weak first version, so the second clears the champion gate and reaches approval.
    await putSpec('loans', { deployment, params: { maxRounds: 1, maxLeaves: 2 } });
    await stack.drop('loans', 'one.csv', good(21));
    const waiting = await runWithStatus('loans', 'awaiting-approval');
    expect(waiting.version).toBe(1);
    const early = await stack.api(`runs/${waiting.runId}/approve`, { method: 'POST', body: '{"by":7}' });
    expect(early.status).toBe(400);
    const approve = await stack.api(`runs/${waiting.runId}/approve`, {
      method: 'POST',
      body: JSON.stringify({ by: 'ada@example.com', comment: 'looks good' }),
    });
    expect(approve.status).toBe(202);
    const [approved] = await stack.settledRuns('loans', 1);
    expect(approved).toMatchObject({ status: 'succeeded', version: 1, alias: 'champion' });
    const alias = await stack.json<{ version: number; history: { approval?: { by: string } }[] }>(
      'registry/models/loans/aliases/champion',
    );
    expect(alias.version).toBe(1);
    expect(alias.history.at(-1)?.approval?.by).toBe('ada@example.com');
    const again = await stack.api(`runs/${waiting.runId}/approve`, { method: 'POST', body: '{"by":"ada"}' });
    expect(again.status).toBe(409);

    await putSpec('loans', { deployment });
    await stack.drop('loans', 'two.csv', good(22));
    const second = await eventually(
      async () => (await runsOf('loans')).find((r) => r.status === 'awaiting-approval'),
      120_000,
      'the second run awaiting approval',
    );
    await stack.api(`runs/${second.runId}/reject`, {
      method: 'POST',
      body: JSON.stringify({ by: 'bob', comment: 'no' }),
    });
    const runs = await stack.settledRuns('loans', 2);
    expect(runs[0]).toMatchObject({
      status: 'rejected',
      version: 2,
      reason: expect.stringMatching(/rejected by bob: no/),
    });
    expect(await versions('loans')).toEqual([
      expect.objectContaining({ version: 1, archived: false }),
      expect.objectContaining({ version: 2, archived: true }),
    ]);
    expect(await stack.json<{ version: number }>('registry/models/loans/aliases/champion')).toMatchObject({
      version: 1,
    });
  }, 240_000);

  it('rejects a version nobody approved within approvalTimeoutHours', async () => {
    await putSpec('leases', { deployment: { requireApproval: true, approvalTimeoutHours: 0.001 } });
    await stack.drop('leases', 'one.csv', good(31));
    const [run] = await stack.settledRuns('leases', 1);
    expect(run).toMatchObject({
      status: 'rejected',
      version: 1,
      reason: expect.stringMatching(/not approved within 0.001 hours/),
    });
    expect(await versions('leases')).toEqual([expect.objectContaining({ version: 1, archived: true })]);
    expect((await stack.api('registry/models/leases/aliases/champion')).status).toBe(404);
  });
});

describe('bad files', () => {
  const cases: [string, () => Promise<void> | void, string, Record<string, unknown>][] = [
    ['no-header', () => undefined, '1,2,3\n4,5,6\n', { kind: 'NO_HEADER' }],
    [
      'no-target',
      () => undefined,
      good(41).replace(/label/, 'outcome'),
      { kind: 'MISSING_TARGET', column: 'label' },
    ],
    [
      'one-class',
      () => undefined,
      good(42).replace(/,(yes|no)\r\n/g, ',yes\r\n'),
      { kind: 'SINGLE_CLASS_TARGET', column: 'label' },
    ],
    [
      'wrong-types',
      () => putSpec('wrong-types', { features: [{ name: 'x0', type: 'numeric' }] }),
      good(43).replace(/\r\n[^,\r\n]*,/, '\r\nabc,'),
      { kind: 'WRONG_TYPE', column: 'x0', rows: [1] },
    ],
    ['oversized', () => undefined, good(44, 6000), { kind: 'FILE_TOO_LARGE' }],
  ];

  it.each(cases)(
    '%s ends the run failed with what and where, and registers nothing',
    async (model, setup, data, problem) => {
      await setup();
      await stack.drop(model, 'data.csv', data);
      const [run] = await stack.settledRuns(model, 1);
      expect(run).toMatchObject({ status: 'failed', error: { code: 'INVALID_DATASET' } });
      expect(run!.error!.problems).toEqual(expect.arrayContaining([expect.objectContaining(problem)]));
      expect(run!.steps.at(-1)).toMatchObject({ name: 'validate', status: 'failed' });
      expect(await versions(model)).toEqual([]);
    },
  );

  it('ignores files that are not data and model names that are not valid', async () => {
    await stack.drop('notes', 'readme.txt', 'hello');
    await stack.drop('Bad_Name', 'data.csv', good(45));
    await stack.host.waitForLine(/Ignoring datasets\/notes\/readme\.txt: only \.csv and \.parquet/);
    await stack.host.waitForLine(
      /Ignoring datasets\/Bad_Name\/data\.csv: 'Bad_Name' is not a valid model name/,
    );
  });
});

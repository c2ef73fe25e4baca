// The loop closed from the user's seat, through the host with Azurite, the Cosmos DB emulator,
// the Service Bus emulator and the training pool: a dropped CSV becomes champion v1; captured
// traffic with one feature shifted is checked over HTTP; the alert on drift-alerts starts a
// retraining run whose candidate is gated against the champion; the same check again publishes
// nothing new (duplicate detection), and a later alert inside the cool-down starts nothing.
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../shared/monitoring/check-record.js';
import type { Table } from '../../shared/data/table.js';
import { retrainRunId } from '../../shared/monitoring/retrain.js';
import { csvText, startPipelineStack, type PipelineStack, type RunBody } from '../support/pipeline-stack.js';
import { synthetic } from '../support/ml/synthetic.js';

const model = 'churn';
const window = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z' };

let stack: PipelineStack;

/** Captured rows of the table, `x0` shifted by one standard deviation, the label as the prediction. */
function capturedTraffic(table: Table): string {
  const x0 = table.columns.get('x0')!.values as Float64Array;
  const colour = table.columns.get('colour')!.values as (string | null)[];
  const label = table.columns.get('label')!.values as (string | null)[];
  const lines: string[] = [];
  for (let r = 0; r < table.rowCount; r += 1) {
    lines.push(
      JSON.stringify({
        ts: new Date(Date.parse(window.from) + r * 1000).toISOString(),
        requestId: `req-${r}`,
        model,
        version: 1,
        alias: 'champion',
        inputs: Object.fromEntries(
          table.names
            .filter((n) => n !== 'label')
            .map((n) => [
              n,
              n === 'x0'
                ? x0[r]! + 1
                : n === 'colour'
                  ? colour[r]
                  : (table.columns.get(n)!.values as Float64Array)[r],
            ]),
        ),
        outputs: { prediction: label[r] },
      }),
    );
  }
  return lines.join('\n');
}

beforeAll(async () => {
  stack = await startPipelineStack({ DRIFT_CHECK_SCHEDULE: '0 0 0 1 1 *' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('drift closes the loop', () => {
  it('shifted traffic → check → alert → retraining run gated against the champion, once', async () => {
    await stack.drop(
      model,
      'churn.csv',
      csvText(synthetic({ task: 'binary', rows: 1500, seed: 3, categorical: true }).table),
    );
    const [first] = await stack.settledRuns(model, 1);
    expect(first).toMatchObject({ status: 'succeeded', version: 1, alias: 'champion' });

    const traffic = synthetic({ task: 'binary', rows: 1000, seed: 4, categorical: true }).table;
    const logs = stack.blobs.getContainerClient('inference-logs');
    await logs.createIfNotExists();
    const text = capturedTraffic(traffic);
    await logs
      .getBlockBlobClient(`${model}/2026-01-01/00/capture.jsonl`)
      .upload(text, Buffer.byteLength(text));

    const check = await stack.json<CheckRecord>(`monitoring/${model}/check`, {
      method: 'POST',
      body: JSON.stringify(window),
    });
    expect(check).toMatchObject({ version: 1, status: 'drift', window: { rows: 1000 } });
    expect(check.alert?.features[0]).toBe('x0');
    const messageId = `${model}-1-${window.to}`;
    expect(check.alert?.messageId).toBe(messageId);
    // The same check again: the same alert id, dropped by duplicate detection.
    expect(
      (
        await stack.json<CheckRecord>(`monitoring/${model}/check`, {
          method: 'POST',
          body: JSON.stringify(window),
        })
      ).alert?.messageId,
    ).toBe(messageId);

    const runs = await stack.settledRuns(model, 2, 180_000);
    const retrain = runs.find((r) => r.runId === retrainRunId(model, messageId));
    expect(retrain, JSON.stringify(runs)).toBeDefined();
    const full = await stack.json<RunBody>(`runs/${retrain!.runId}`);
    expect(full.steps.map((s) => s.name)).toContain('gate');
    expect(full.champion).toMatchObject({ version: 1 });
    expect(['succeeded', 'rejected']).toContain(full.status);

    // Another alert for the model inside the cool-down starts nothing.
    const sb = new ServiceBusClient(stack.serviceBus);
    await sb.createSender('drift-alerts').sendMessages({
      messageId: `${model}-1-later`,
      contentType: 'application/json',
      body: {
        model,
        version: 1,
        metric: 'wasserstein',
        features: ['x0'],
        observedAt: window.to,
        windowEnd: 'later',
      },
    });
    await stack.host.waitForLine(/churn-1-later for churn: not retraining: cool-down/, 30_000);
    await sb.close();
    expect((await stack.json<{ runs: RunBody[] }>(`runs?model=${model}`)).runs).toHaveLength(2);
  });
});

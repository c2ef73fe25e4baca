// Telemetry is off without its setting and, with it, reaches an ingestion endpoint (a local
// server standing in for Application Insights) as one trace per run: steps that carry the
// run's traceparent across processes share its operation id.
import { afterAll, describe, expect, it } from 'vitest';
import { startTelemetry, stopTelemetry, traced, traceparent } from '../../../shared/telemetry/telemetry.js';
import { startFakeIngestion, testTelemetryEnv, type FakeIngestion } from '../../support/fake-ingestion.js';
import { eventually } from '../../support/host.js';

let ingestion: FakeIngestion | undefined;
afterAll(async () => {
  await stopTelemetry();
  await ingestion?.stop();
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
});

describe('telemetry', () => {
  it('does nothing without APPLICATIONINSIGHTS_CONNECTION_STRING, and traced() still runs the work', async () => {
    expect(await startTelemetry({})).toBe(false);
    expect(await traced('noop', {}, () => Promise.resolve(42))).toBe(42);
    expect(traceparent()).toBeUndefined();
  });

  it('sends one trace per run, a failed step marked failed, and the duration metric', async () => {
    ingestion = await startFakeIngestion();
    Object.assign(process.env, testTelemetryEnv, { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    expect(await startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString })).toBe(
      true,
    );

    // The run starts in one invocation and hands its traceparent on, as an orchestration input would.
    let carried: string | undefined;
    await traced('pipeline.run', { model: 'churn' }, () => {
      carried = traceparent();
      return Promise.resolve();
    });
    expect(carried).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await traced('pipeline.train', { model: 'churn' }, () => Promise.resolve(), carried);
    await expect(
      traced(
        'pipeline.evaluate',
        { model: 'churn' },
        () => Promise.reject(new Error('holdout empty')),
        carried,
      ),
    ).rejects.toThrow('holdout empty');
    await traced('scoring.request', { model: 'churn' }, () => Promise.resolve());
    await stopTelemetry();

    const { received } = ingestion;
    const spans = await eventually(() => {
      const named = new Map(
        received.filter((e) => e.data.baseData.name).map((e) => [e.data.baseData.name, e]),
      );
      return ['pipeline.run', 'pipeline.train', 'pipeline.evaluate', 'scoring.request'].every((n) =>
        named.has(n),
      )
        ? named
        : undefined;
    }, 30_000);
    const run = spans.get('pipeline.run')!;
    const operation = run.tags['ai.operation.id'];
    expect(operation).toBe(carried?.split('-')[1]);
    for (const step of ['pipeline.train', 'pipeline.evaluate']) {
      expect(spans.get(step)?.tags['ai.operation.id']).toBe(operation);
      expect(spans.get(step)?.tags['ai.operation.parentId']).toBe(run.data.baseData.id);
    }
    expect(spans.get('pipeline.evaluate')?.data.baseData.success).toBe(false);
    expect(spans.get('scoring.request')?.tags['ai.operation.id']).not.toBe(operation);
    const metricNames = received.flatMap((e) => e.data.baseData.metrics?.map((m) => m.name) ?? []);
    expect(metricNames).toContain('mlops.operation.duration');
  });
});

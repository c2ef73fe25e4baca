// Telemetry is off without its setting and, with it, reaches an ingestion endpoint (a local
// server standing in for Application Insights' /v2.1/track) as one trace per run: steps that
// carry the run's traceparent across processes share its operation id.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { startTelemetry, stopTelemetry, traced, traceparent } from '../../../shared/telemetry/telemetry.js';
import { eventually } from '../../support/host.js';

interface Envelope {
  name: string;
  tags: Record<string, string>;
  data: {
    baseType: string;
    baseData: { name?: string; id?: string; success?: boolean; metrics?: { name: string }[] };
  };
}

const received: Envelope[] = [];
let server: Server | undefined;
afterAll(async () => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  await stopTelemetry();
  await new Promise((resolve) => server?.close(resolve));
});

async function startIngestion(): Promise<string> {
  // Application Insights ingestion is HTTPS only; the exporter gets the Cosmos DB emulator's
  // self-signed certificate, accepted for this test process alone.
  const certs = dirname(createRequire(import.meta.url).resolve('@vercel/cosmosdb-server/package.json'));
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const tls = { cert: readFileSync(join(certs, 'cert.pem')), key: readFileSync(join(certs, 'key.pem')) };
  server = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const items = (
        text.trim().startsWith('[')
          ? JSON.parse(text)
          : text
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l))
      ) as Envelope[];
      received.push(...items);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server!.address() as { port: number }).port}/`;
}

describe('telemetry', () => {
  it('does nothing without APPLICATIONINSIGHTS_CONNECTION_STRING, and traced() still runs the work', async () => {
    // A fresh module state: this import is the first start in the file.
    expect(await startTelemetry({})).toBe(false);
    expect(await traced('noop', {}, () => Promise.resolve(42))).toBe(42);
    expect(traceparent()).toBeUndefined();
  });

  it('sends one trace per run, a failed step marked failed, and the duration metric', async () => {
    const ingestion = await startIngestion();
    process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
    // Every trace kept (the distro's default keeps at most 5 per second), no live metrics stream.
    process.env.APPLICATIONINSIGHTS_CONFIGURATION_CONTENT = JSON.stringify({
      enableLiveMetrics: false,
      tracesPerSecond: 0,
      samplingRatio: 1,
    });
    const connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${ingestion}`;
    expect(await startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString })).toBe(true);

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

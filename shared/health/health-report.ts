// The health report: the app is healthy when every dependency answers. Pure; the probes that
// reach storage and Cosmos DB are passed in, each bounded by a timeout.
import { withTimeout } from '../with-timeout.js';

export type Probe = () => Promise<unknown>;

export interface DependencyHealth {
  status: 'ok' | 'failing';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'failing';
  app: { name: string; version: string };
  dependencies: Record<string, DependencyHealth>;
}

export async function healthReport(
  app: HealthReport['app'],
  probes: Record<string, Probe>,
  timeoutMs = 3_000,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, DependencyHealth]> => {
      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      try {
        await withTimeout(probe(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
        return [name, { status: 'ok', latencyMs: latency() }];
      } catch (error) {
        return [
          name,
          { status: 'failing', latencyMs: latency(), error: (error as Error)?.message ?? String(error) },
        ];
      }
    }),
  );
  const dependencies = Object.fromEntries(entries);
  const status = entries.every(([, health]) => health.status === 'ok') ? 'ok' : 'failing';
  return { status, app, dependencies };
}

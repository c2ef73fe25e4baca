// Traces and metrics to Application Insights through the Azure Monitor OpenTelemetry distro
// when APPLICATIONINSIGHTS_CONNECTION_STRING is set; nothing at all otherwise (the distro is
// not even loaded, and the OpenTelemetry API's no-op spans cost next to nothing).
//
// The journeys call traced() around their steps. A run that crosses processes (a pipeline's
// orchestrator and activities, a batch run's fan-out) carries its trace as a W3C traceparent
// string in its input: take traceparent() where the run starts and pass it as `parent` to each
// step, so the whole run is one trace (one operation in Application Insights).
import {
  context,
  metrics,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';

type Settings = Record<string, string | undefined>;

const scope = 'azfn-mlops';
let started: Promise<boolean> | undefined;
let stop: (() => Promise<void>) | undefined;

/** Whether the settings turn telemetry on (APPLICATIONINSIGHTS_CONNECTION_STRING is set). */
export const telemetryConfigured = (settings: Settings): boolean =>
  Boolean(settings.APPLICATIONINSIGHTS_CONNECTION_STRING);

/**
 * Starts export once per process when the connection setting is present. With
 * APPLICATIONINSIGHTS_AUTHENTICATION_STRING `Authorization=AAD` (how infra/ deploys it: local
 * auth is off) telemetry is sent with the app's managed identity.
 */
export function startTelemetry(
  settings: Settings = process.env,
  instrumentations: Instrumentation[] = [],
): Promise<boolean> {
  const connectionString = settings.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return Promise.resolve(false);
  started ??= (async () => {
    const [{ useAzureMonitor, shutdownAzureMonitor }, { registerInstrumentations }] = await Promise.all([
      import('@azure/monitor-opentelemetry'),
      import('@opentelemetry/instrumentation'),
    ]);
    const aad = /Authorization=AAD/i.test(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? '');
    const credential = aad ? new (await import('@azure/identity')).DefaultAzureCredential() : undefined;
    useAzureMonitor({
      azureMonitorExporterOptions: { connectionString, ...(credential ? { credential } : {}) },
    });
    registerInstrumentations({ instrumentations });
    stop = shutdownAzureMonitor;
    return true;
  })();
  return started;
}

/** Flushes and stops export (a process about to exit, or a test). */
export async function stopTelemetry(): Promise<void> {
  await stop?.();
}

const tracer = () => trace.getTracer(scope);
const duration = () =>
  metrics.getMeter(scope).createHistogram('mlops.operation.duration', {
    unit: 'ms',
    description: 'Duration of pipeline steps, scoring requests and batch runs',
  });

/**
 * Runs `fn` in a span named `name` (a child of `parent`, a traceparent, when given; else of
 * the active span), records its duration in the mlops.operation.duration histogram, and marks
 * the span failed when `fn` throws.
 */
export async function traced<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  parent?: string,
): Promise<T> {
  const base = parent ? propagation.extract(ROOT_CONTEXT, { traceparent: parent }) : context.active();
  const startedAt = performance.now();
  return tracer().startActiveSpan(name, { attributes }, base, async (span) => {
    let outcome = 'success';
    try {
      return await fn(span);
    } catch (error) {
      outcome = 'failure';
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
      duration().record(performance.now() - startedAt, { operation: name, outcome, ...attributes });
    }
  });
}

/** The active span as a W3C traceparent, to carry a run's trace into its later steps; undefined when not tracing. */
export function traceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

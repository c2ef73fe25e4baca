// Telemetry first, so every capability imported after it is traced (shared/telemetry): the
// Functions instrumentation makes each invocation's spans children of the host's request.
import * as azureFunctions from '@azure/functions';
import { startTelemetry, telemetryConfigured } from '../shared/telemetry/telemetry.js';

// Loaded only when telemetry is on: the instrumentation and the OpenTelemetry core under it
// take a cold start a quarter of a second to import.
if (telemetryConfigured(process.env)) {
  // A CommonJS bundle: Node's ESM loader cannot detect its named exports and gives `default`
  // alone; tsx (tests) gives the named exports.
  const loaded = await import('@azure/functions-opentelemetry-instrumentation');
  const { AzureFunctionsInstrumentationESM } = loaded.default ?? loaded;
  // Not enabled on construction (under a CommonJS loader, tsx in tests, that patches
  // @azure/functions at once): startTelemetry's registerInstrumentations enables it.
  const functionsInstrumentation = new AzureFunctionsInstrumentationESM({ enabled: false });
  if (await startTelemetry(process.env, [functionsInstrumentation])) {
    functionsInstrumentation.registerAzFunc(azureFunctions);
  }
}

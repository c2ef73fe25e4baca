// Telemetry first, so every capability imported after it is traced (shared/telemetry): the
// Functions instrumentation makes each invocation's spans children of the host's request.
import * as azureFunctions from '@azure/functions';
// A CommonJS bundle whose named exports Node's ESM loader cannot detect: take them off the default.
import instrumentation from '@azure/functions-opentelemetry-instrumentation';
import { startTelemetry } from '../shared/telemetry/telemetry.js';

// Not enabled on construction: under a CommonJS loader (tsx in tests) enabling patches
// @azure/functions at once, registering hooks even when telemetry is off.
const functionsInstrumentation = new instrumentation.AzureFunctionsInstrumentationESM({ enabled: false });
if (await startTelemetry(process.env, [functionsInstrumentation])) {
  functionsInstrumentation.registerAzFunc(azureFunctions);
}

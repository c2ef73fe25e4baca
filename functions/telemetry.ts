// Telemetry first, so every capability imported after it is traced (shared/telemetry): the
// Functions instrumentation makes each invocation's spans children of the host's request.
import * as azureFunctions from '@azure/functions';
// A webpack bundle: Node's ESM loader sees only its default export.
import functionsOpenTelemetry from '@azure/functions-opentelemetry-instrumentation';
import { startTelemetry } from '../shared/telemetry/telemetry.js';

const functionsInstrumentation = new functionsOpenTelemetry.AzureFunctionsInstrumentationESM();
if (await startTelemetry(process.env, [functionsInstrumentation])) {
  functionsInstrumentation.registerAzFunc(azureFunctions);
}

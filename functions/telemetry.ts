// Telemetry first, so every capability imported after it is traced (shared/telemetry): the
// Functions instrumentation makes each invocation's spans children of the host's request.
import * as azureFunctions from '@azure/functions';
// A webpack-built CommonJS bundle: Node sees no named exports in it, only the default.
import functionsInstrumentation from '@azure/functions-opentelemetry-instrumentation';
import { startTelemetry } from '../shared/telemetry/telemetry.js';

const instrumentation = new functionsInstrumentation.AzureFunctionsInstrumentationESM();
if (await startTelemetry(process.env, [instrumentation])) {
  instrumentation.registerAzFunc(azureFunctions);
}

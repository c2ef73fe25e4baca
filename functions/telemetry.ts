// Telemetry first, so every capability imported after it is traced (shared/telemetry): the
// Functions instrumentation makes each invocation's spans children of the host's request.
import * as azureFunctions from '@azure/functions';
import { AzureFunctionsInstrumentationESM } from '@azure/functions-opentelemetry-instrumentation';
import { startTelemetry } from '../shared/telemetry/telemetry.js';

const functionsInstrumentation = new AzureFunctionsInstrumentationESM();
if (await startTelemetry(process.env, [functionsInstrumentation])) {
  functionsInstrumentation.registerAzFunc(azureFunctions);
}

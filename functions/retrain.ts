// Retraining on drift: the `retrain` subscription of topic `drift-alerts` starts a training run
// on the model's latest data (shared/monitoring/retrain.ts decides whether and on what). The
// candidate goes through the pipeline's champion gate like any other run.
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import {
  driftAlertSchema,
  driftAlertTopic,
  retrainSubscription,
  serviceBusSetting,
} from '../shared/drift/drift-alert.js';
import { latestData } from '../shared/monitoring/latest-data.js';
import { openMonitor } from '../shared/monitoring/open-monitor.js';
import { decideRetrain } from '../shared/monitoring/retrain.js';
import { parseInput } from '../shared/validate.js';
import { startTraining } from './start-training.js';

app.serviceBusTopic('retrainOnDrift', {
  topicName: driftAlertTopic,
  subscriptionName: retrainSubscription,
  connection: serviceBusSetting,
  extraInputs: [df.input.durableClient()],
  handler: async (message, context) => {
    // A malformed alert fails here, and after its deliveries Service Bus dead-letters it.
    const alert = parseInput(driftAlertSchema, message, 'drift alert');
    const alertId = String(context.triggerMetadata?.messageId ?? '');
    const deps = await openMonitor();
    const decision = await decideRetrain(
      { ...deps, latestData: (model) => latestData(deps.blobs, model) },
      alert,
      alertId || `${alert.model}-${alert.version}-${alert.windowEnd}`,
    );
    if (!decision.start) {
      context.log(`drift alert ${alertId} for ${alert.model}: not retraining: ${decision.reason}`);
      return;
    }
    const { runId, started } = await startTraining(df.getClient(context), {
      model: alert.model,
      runId: decision.runId,
      datasets: decision.datasets,
      cause: { kind: 'drift', alertId },
    });
    context.log(
      `drift alert ${alertId} for ${alert.model}: run ${runId} ${started ? 'started' : 'already started'}`,
    );
  },
});

// Journey 1's trigger: a file dropped under `datasets/{model}/` starts training `{model}`.
// Declared as Flex Consumption requires (`source: 'EventGrid'`; the local host scans instead).
// The run id comes from the file's SHA-256, so the same content dropped again, under any name,
// starts nothing; a bad model name or an unsupported file type is a log line, not a crash.
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { createHash } from 'node:crypto';
import { modelNameSchema } from '../shared/registry/names.js';
import { startTraining } from './start-training.js';

const supported = /\.(csv|parquet)$/i;

app.storageBlob('ingest', {
  path: 'datasets/{model}/{name}',
  connection: 'AzureWebJobsStorage',
  source: 'EventGrid',
  extraInputs: [df.input.durableClient()],
  handler: async (blob: unknown, context: InvocationContext) => {
    const model = String(context.triggerMetadata?.model ?? '');
    const name = String(context.triggerMetadata?.name ?? '');
    const uri = `datasets/${model}/${name}`;
    if (!supported.test(name)) {
      context.log(`Ignoring ${uri}: only .csv and .parquet files start training.`);
      return;
    }
    const valid = modelNameSchema.safeParse(model);
    if (!valid.success) {
      context.error(
        `Ignoring ${uri}: '${model}' is not a valid model name (${valid.error.issues[0]?.message}).`,
      );
      return;
    }
    const sha256 = createHash('sha256')
      .update(blob as Buffer)
      .digest('hex');
    const { runId, started } = await startTraining(df.getClient(context), {
      model,
      datasets: [{ uri, sha256 }],
      cause: { kind: 'upload' },
    });
    context.log(
      started
        ? `Started training run ${runId} for ${uri}.`
        : `Run ${runId} already exists for this content (${uri} has SHA-256 ${sha256}); nothing started.`,
    );
  },
});

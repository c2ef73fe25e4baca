// Alias-to-artifact resolutions per second: what a cold scoring instance asks the registry
// (model + alias -> version, artifact URI and SHA-256), against a bare @azure/cosmos point
// read of one document, both on the Cosmos DB emulator in the same run. The registry copies
// the immutable artifact reference into the alias document at promotion time, so a resolution
// is one point read with no cache to go stale; the ratio shows what the registry adds on top.
import { Agent } from 'node:https';
import { CosmosClient } from '@azure/cosmos';
import { startCosmosEmulator } from '../local/emulators/cosmos.js';
import { sha256Hex } from '../shared/artifacts/checksum.js';
import { cosmosClient, cosmosSettings } from '../shared/registry/cosmos-connection.js';
import { documentId, registryContainerId } from '../shared/registry/cosmos-documents.js';
import { CosmosRegistryStore } from '../shared/registry/cosmos-registry-store.js';
import { newVersionSchema } from '../shared/registry/model-version.js';
import { round, throughputRatio, type Benchmark } from './result.js';

const model = 'bench';
const alias = 'champion';
const database = 'bench-registry';
const concurrency = 4;
const roundMs = 400;
const rounds = 12;

/** Operations per second of `operation` run by `concurrency` loops for `durationMs`. */
async function rate(
  operation: () => Promise<unknown>,
  durationMs: number,
): Promise<{ ops: number; ms: number }> {
  const started = performance.now();
  const deadline = started + durationMs;
  let ops = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await operation();
        ops += 1;
      }
    }),
  );
  return { ops, ms: performance.now() - started };
}

const bench: Benchmark = async (progress) => {
  progress('starting the Cosmos DB emulator');
  const emulator = await startCosmosEmulator();
  const settings = cosmosSettings({
    COSMOS_CONNECTION_STRING: emulator.connectionString,
    COSMOS_DATABASE: database,
  });
  const client = cosmosClient(settings);
  const bare = new CosmosClient({
    endpoint: emulator.endpoint,
    key: emulator.key,
    agent: new Agent({ keepAlive: true, rejectUnauthorized: false }),
  });
  try {
    const store = await CosmosRegistryStore.open(client, database);
    const bytes = Buffer.from('model bytes');
    const sha256 = sha256Hex(bytes);
    await store.registerVersion(
      newVersionSchema.parse({
        model,
        runId: 'bench-run',
        artifact: { sha256, size: bytes.length },
        signature: {
          inputs: [{ name: 'x', type: 'float', shape: ['N', 1] }],
          outputs: [{ name: 'label', type: 'float', shape: ['N'] }],
        },
        metrics: { auc: 0.9 },
        dataset: { uri: 'datasets/bench/a.csv', sha256 },
        trainer: { name: 'tabular' },
      }),
    );
    await store.promote(model, alias, 1, { actor: 'bench' });
    const item = bare.database(database).container(registryContainerId).item(documentId.alias(alias), model);

    const resolve = async () => {
      const resolved = await store.resolve(model, alias);
      if (resolved.artifact.sha256 !== sha256) throw new Error('resolved the wrong artifact');
    };
    const pointRead = async () => {
      const { resource } = await item.read();
      if (!resource) throw new Error('point read found nothing');
    };
    progress('warming up both paths');
    await rate(resolve, 300);
    await rate(pointRead, 300);

    const totals = { ours: { ops: 0, ms: 0 }, baseline: { ops: 0, ms: 0 } };
    // Many short rounds, each side going first in every other one, so that drift in the
    // machine's load and connection warm-up hit both sides alike.
    for (let i = 1; i <= rounds; i += 1) {
      const oursFirst = i % 2 === 1;
      const first = await rate(oursFirst ? resolve : pointRead, roundMs);
      const second = await rate(oursFirst ? pointRead : resolve, roundMs);
      const [ours, baseline] = oursFirst ? [first, second] : [second, first];
      totals.ours.ops += ours.ops;
      totals.ours.ms += ours.ms;
      totals.baseline.ops += baseline.ops;
      totals.baseline.ms += baseline.ms;
      if (i % 4 === 0)
        progress(
          `round ${i}/${rounds}: resolve ${round((ours.ops * 1000) / ours.ms, 1)}/s, point read ${round((baseline.ops * 1000) / baseline.ms, 1)}/s`,
        );
    }
    const value = round((totals.ours.ops * 1000) / totals.ours.ms, 1);
    const baseline = round((totals.baseline.ops * 1000) / totals.baseline.ms, 1);
    return {
      name: 'registry-resolve',
      value,
      unit: 'resolutions/s',
      baseline,
      ratio: throughputRatio(value, baseline),
    };
  } finally {
    client.dispose();
    bare.dispose();
    await emulator.stop();
  }
};

export default bench;

// Registers a real trained model the way the pipeline would (train, export, publish, promote),
// without running the pipeline: for tests of what comes after registration (scoring, batch).
import type { BlobServiceClient } from '@azure/storage-blob';
import { BlobArtifactStore } from '../../shared/artifacts/blob-artifact-store.js';
import { sha256Hex } from '../../shared/artifacts/checksum.js';
import { exportModel } from '../../shared/ml/export-model.js';
import { trainModel } from '../../shared/ml/train-model.js';
import type { Task } from '../../shared/ml/model.js';
import { artifactContainer } from '../../shared/artifacts/artifact-paths.js';
import { newVersionSchema } from '../../shared/registry/model-version.js';
import { interfaceOf } from '../../shared/ml/model-interface.js';
import { signatureOf } from '../../shared/registry/onnx-signature.js';
import { publishVersion } from '../../shared/registry/publish-version.js';
import type { RegistryStore } from '../../shared/registry/registry-store.js';
import { synthetic } from './ml/synthetic.js';

export async function registerTrainedModel(
  registry: RegistryStore,
  blobs: BlobServiceClient,
  model: string,
  options: { task?: Task; seed?: number; alias?: string } = {},
): Promise<{ bytes: Uint8Array; version: number }> {
  const task = options.task ?? 'binary';
  const { table, features } = synthetic({
    task,
    rows: 600,
    seed: options.seed ?? 3,
    missing: 0.05,
    categorical: true,
  });
  const { model: trained } = trainModel({
    task,
    algorithm: 'gbdt',
    target: 'label',
    features,
    train: table,
    validation: null,
    gbdt: { maxRounds: 20 },
  });
  const bytes = exportModel(trained, 'test');
  const runId = `train-${model}-${sha256Hex(bytes).slice(0, 12)}`;
  const input = newVersionSchema.parse({
    model,
    runId,
    artifact: { sha256: sha256Hex(bytes), size: bytes.length },
    signature: signatureOf(interfaceOf(bytes)),
    metrics: {},
    dataset: { uri: `datasets/${model}/train.csv`, sha256: sha256Hex(Buffer.from(runId)) },
    trainer: { name: 'tabular' },
    classes: trained.classes,
  });
  const artifacts = await BlobArtifactStore.open(blobs, artifactContainer);
  const { version } = await publishVersion(registry, artifacts, input, bytes);
  await registry.promote(model, options.alias ?? 'champion', version.version, { actor: 'test' });
  return { bytes, version: version.version };
}

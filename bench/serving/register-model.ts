// Registers an exported model the way the training pipeline does: a registry version whose
// signature and classes come from the graph's interface metadata, and the artifact at its path.
import type { ArtifactStore } from '../../shared/artifacts/artifact-store.js';
import { sha256Hex } from '../../shared/artifacts/checksum.js';
import { interfaceOf } from '../../shared/ml/model-interface.js';
import { newVersionSchema } from '../../shared/registry/model-version.js';
import { signatureOf } from '../../shared/registry/onnx-signature.js';
import { publishVersion } from '../../shared/registry/publish-version.js';
import type { RegistryStore } from '../../shared/registry/registry-store.js';

/** Registers bytes as the next version of `model`, as the training pipeline would. */
export async function register(
  registry: RegistryStore,
  artifacts: ArtifactStore,
  model: string,
  runId: string,
  bytes: Uint8Array,
): Promise<number> {
  const meta = interfaceOf(bytes);
  const input = newVersionSchema.parse({
    model,
    runId,
    artifact: { sha256: sha256Hex(bytes), size: bytes.length },
    signature: signatureOf(meta),
    metrics: {},
    dataset: { uri: `datasets/${model}/train.csv`, sha256: sha256Hex(Buffer.from(runId)) },
    trainer: { name: 'test' },
    classes: meta.classes,
  });
  const { version } = await publishVersion(registry, artifacts, input, bytes);
  return version.version;
}

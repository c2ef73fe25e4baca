// Version inputs for registry tests: a distinct artifact per run, so checksums differ.
import { sha256Hex } from '../../../shared/artifacts/checksum.js';
import { newVersionSchema, type NewVersion } from '../../../shared/registry/model-version.js';

let sequence = 0;

/** A model name no other test uses, so tests can share one database. */
export function uniqueModel(prefix = 'm'): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
}

export function artifactBytes(runId: string): Buffer {
  return Buffer.from(`onnx model bytes of ${runId}`);
}

export function newVersion(model: string, runId: string, overrides: Partial<NewVersion> = {}): NewVersion {
  const bytes = artifactBytes(runId);
  return newVersionSchema.parse({
    model,
    runId,
    artifact: { sha256: sha256Hex(bytes), size: bytes.length },
    signature: {
      inputs: [
        { name: 'age', type: 'float', shape: ['N', 1] },
        { name: 'plan', type: 'string', shape: ['N', 1] },
      ],
      outputs: [
        { name: 'label', type: 'string', shape: ['N'] },
        { name: 'probabilities', type: 'float', shape: ['N', 2] },
      ],
    },
    metrics: { auc: 0.8, accuracy: 0.75 },
    dataset: { uri: `datasets/${model}/train.csv`, sha256: sha256Hex(Buffer.from(`data of ${model}`)) },
    profile: { uri: `profiles/${model}/${runId}.json` },
    trainer: { name: 'tabular', version: '1', params: { rounds: 50 } },
    classes: ['no', 'yes'],
    ...overrides,
  });
}

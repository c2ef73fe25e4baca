// A run's pinned model, loaded once per process: every file activity of the run on this
// instance shares one verified artifact and one onnxruntime session.
import type { BlobServiceClient } from '@azure/storage-blob';
import { BlobArtifactStore } from '../artifacts/blob-artifact-store.js';
import { loadVerifiedArtifact, type ArtifactOwner } from '../artifacts/model-artifacts.js';
import { artifactContainer } from '../artifacts/artifact-paths.js';
import { interfaceOf } from '../ml/model-interface.js';
import { openSession } from '../ml/onnx-runtime.js';
import type { ScoringModel } from './score-file.js';

const loaded = new Map<string, Promise<ScoringModel>>();

export function scoringModelLoader(
  service: BlobServiceClient,
): (owner: ArtifactOwner) => Promise<ScoringModel> {
  return (owner) => {
    const key = `${owner.model}/${owner.version}/${owner.artifact.sha256}`;
    let model = loaded.get(key);
    if (!model) {
      model = (async () => {
        const store = await BlobArtifactStore.open(service, artifactContainer);
        const bytes = await loadVerifiedArtifact(store, owner);
        return { session: await openSession(bytes), model: interfaceOf(bytes) };
      })();
      // A failed load (storage down, bad checksum) is tried again by the next file, not cached.
      model.catch(() => loaded.delete(key));
      loaded.set(key, model);
    }
    return model;
  };
}

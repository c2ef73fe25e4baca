// A run's pinned model, loaded once per process: every file activity of the run on this
// instance shares one verified artifact and one onnxruntime session. A few recent versions are
// kept (runs of several models can overlap).
import type { BlobServiceClient } from '@azure/storage-blob';
import { artifactContainer } from '../artifacts/artifact-paths.js';
import { BlobArtifactStore } from '../artifacts/blob-artifact-store.js';
import { loadVerifiedArtifact, type ArtifactOwner } from '../artifacts/model-artifacts.js';
import { interfaceOf } from '../ml/model-interface.js';
import { openSession } from '../ml/onnx-runtime.js';
import type { ScoringModel } from './score-file.js';

const kept = 4;
const loaded = new Map<string, Promise<ScoringModel>>();

export function loadScoringModel(service: BlobServiceClient, owner: ArtifactOwner): Promise<ScoringModel> {
  const key = `${owner.model}/${owner.version}/${owner.artifact.sha256}`;
  const cached = loaded.get(key);
  if (cached) {
    // Most recently used last, so the oldest is first to go.
    loaded.delete(key);
    loaded.set(key, cached);
    return cached;
  }
  const model = (async () => {
    const store = await BlobArtifactStore.open(service, artifactContainer);
    const bytes = await loadVerifiedArtifact(store, owner);
    return { session: await openSession(bytes), model: interfaceOf(bytes) };
  })();
  // A failed load (storage down, bad checksum) is tried again by the next file, not cached.
  model.catch(() => loaded.delete(key));
  loaded.set(key, model);
  // Dropped, not released: an activity may still be scoring with it; the garbage collector
  // frees the native session once none is.
  for (const oldKey of loaded.keys()) {
    if (loaded.size <= kept) break;
    loaded.delete(oldKey);
  }
  return model;
}

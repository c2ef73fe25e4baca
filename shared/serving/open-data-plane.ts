// One data plane per process, made on first use from app settings: a cold Functions instance
// builds its caches once, and every request after that shares them.
import { BlobArtifactStore } from '../artifacts/blob-artifact-store.js';
import { blobServiceFromSettings } from '../artifacts/blob-connection.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { systemClock } from '../clock.js';
import { artifactContainer } from '../registry/model-version.js';
import { openRegistry } from '../registry/open-registry.js';
import { DataPlane } from './data-plane.js';
import { scoringSettings, type ScoringSettings } from './scoring-settings.js';

export interface Serving {
  readonly plane: DataPlane;
  readonly settings: ScoringSettings;
}

let serving: Serving | undefined;

export function openServing(log: (message: string, error?: unknown) => void = console.error): Serving {
  if (serving) return serving;
  const settings = scoringSettings();
  let artifacts: Promise<ArtifactStore> | undefined;
  const plane = new DataPlane({
    registry: () => openRegistry(),
    artifacts: () => {
      artifacts ??= BlobArtifactStore.open(blobServiceFromSettings(), artifactContainer).catch(
        (error: unknown) => {
          artifacts = undefined;
          throw error;
        },
      );
      return artifacts;
    },
    clock: systemClock,
    random: Math.random,
    cacheBytes: settings.cacheBytes,
    refreshMs: settings.refreshMs,
    observers: [],
    log,
  });
  serving = { plane, settings };
  return serving;
}

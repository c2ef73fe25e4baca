// One data plane per process, made on first use from app settings: a cold Functions instance
// builds its caches once, and every request after that shares them. Its observers count
// requests for automatic rollback (Table storage) and capture rows (Blob storage).
import { randomUUID } from 'node:crypto';
import type { BlobServiceClient } from '@azure/storage-blob';
import { BlobArtifactStore } from '../artifacts/blob-artifact-store.js';
import { blobServiceFromSettings } from '../artifacts/blob-connection.js';
import { systemClock } from '../clock.js';
import { artifactContainer } from '../artifacts/artifact-paths.js';
import { openRegistry } from '../registry/open-registry.js';
import { AutoRollback } from './auto-rollback.js';
import { Capture, type CaptureSink } from './capture.js';
import { DataPlane } from './data-plane.js';
import { scoringSettings, type ScoringSettings } from './scoring-settings.js';
import type { StatsStore } from './stats-store.js';

export interface Serving {
  readonly plane: DataPlane;
  readonly settings: ScoringSettings;
  readonly capture: Capture;
  readonly rollback: AutoRollback;
}

let serving: Serving | undefined;

/** Opens once; a failed open (the container being created as storage starts) is tried again. */
function once<T>(open: () => Promise<T>): () => Promise<T> {
  let opening: Promise<T> | undefined;
  return () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
}

function blobSink(blobs: BlobServiceClient): CaptureSink {
  const container = once(async () => {
    const client = blobs.getContainerClient('inference-logs');
    await client.createIfNotExists();
    return client;
  });
  return {
    async write(path, text) {
      await (await container()).getBlockBlobClient(path).upload(text, Buffer.byteLength(text), {
        blobHTTPHeaders: { blobContentType: 'application/x-ndjson' },
      });
    },
  };
}

/** The Table storage statistics, whose SDK loads with the first flush, after the first answer. */
function lazyStatsStore(): StatsStore {
  const store = once(async () => (await import('./table-stats-store.js')).TableStatsStore.fromSettings());
  return {
    put: async (cells) => (await store()).put(cells),
    window: async (...range) => (await store()).window(...range),
  };
}

export function openServing(): Serving {
  if (serving) return serving;
  const settings = scoringSettings();
  const log = (message: string, error?: unknown) => console.error(`[serving] ${message}`, error ?? '');
  const blobs = blobServiceFromSettings();
  const instance = process.env.WEBSITE_INSTANCE_ID?.slice(0, 16) || randomUUID().slice(0, 8);
  const registry = () => openRegistry();
  const rollback = new AutoRollback({
    store: lazyStatsStore(),
    registry,
    clock: systemClock,
    instance,
    flushMs: settings.statsFlushMs,
    log,
  });
  const capture = new Capture({
    sink: blobSink(blobs),
    clock: systemClock,
    random: Math.random,
    instance,
    flushMs: settings.captureFlushMs,
    maxRows: settings.captureMaxRows,
    log,
  });
  const plane = new DataPlane({
    registry,
    artifacts: once(() => BlobArtifactStore.open(blobs, artifactContainer)),
    clock: systemClock,
    random: Math.random,
    cacheBytes: settings.cacheBytes,
    refreshMs: settings.refreshMs,
    observers: [rollback.observe, capture.observe],
    log,
  });
  serving = { plane, settings, capture, rollback };
  return serving;
}

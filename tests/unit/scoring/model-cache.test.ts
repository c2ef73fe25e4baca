import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../shared/artifacts/checksum.js';
import { MemoryArtifactStore } from '../../../shared/artifacts/memory-artifact-store.js';
import { ManualClock } from '../../../shared/clock.js';
import { PlatformError } from '../../../shared/errors.js';
import { artifactPath, artifactUri } from '../../../shared/artifacts/artifact-paths.js';
import { FreshCache } from '../../../shared/scoring/fresh-cache.js';
import { ModelCache } from '../../../shared/scoring/model-cache.js';
import { oneFeatureModel } from '../../support/served-models.js';

async function stored(store: MemoryArtifactStore, version: number, shift: number) {
  const bytes = oneFeatureModel({ faulty: false, shift });
  await store.putOnce(artifactPath('m', version), bytes, {});
  return {
    model: 'm',
    version,
    artifact: { uri: artifactUri('m', version), sha256: sha256Hex(bytes), size: bytes.length },
  };
}

describe('ModelCache', () => {
  it('shares one load between concurrent cold requests', async () => {
    const store = new MemoryArtifactStore();
    let reads = 0;
    const counting = {
      putOnce: store.putOnce.bind(store),
      get: (path: string) => ((reads += 1), store.get(path)),
    };
    const cache = new ModelCache(async () => counting, 2 ** 30, new ManualClock(0));
    const owner = await stored(store, 1, 0);
    const loads = await Promise.all(Array.from({ length: 8 }, () => cache.load(owner)));
    expect(new Set(loads).size).toBe(1);
    expect(reads).toBe(1);
  });

  it('evicts the least recently used version past its memory budget', async () => {
    const store = new MemoryArtifactStore();
    const owners = [await stored(store, 1, 0), await stored(store, 2, 1), await stored(store, 3, 2)];
    const cache = new ModelCache(async () => store, owners[0]!.artifact.size * 3 * 2.5, new ManualClock(0));
    const first = await cache.load(owners[0]!);
    await cache.load(owners[1]!);
    await cache.load(owners[0]!);
    await cache.load(owners[2]!);
    expect(cache.size).toBe(2);
    expect(await cache.load(owners[0]!)).toBe(first);
  });

  it('answers 503 with the reason for a tampered artifact, and retries after a while', async () => {
    const store = new MemoryArtifactStore();
    const clock = new ManualClock(0);
    const owner = await stored(store, 1, 0);
    store.tamper(artifactPath('m', 1), Buffer.from('garbage'));
    const cache = new ModelCache(async () => store, 2 ** 30, clock);
    const failure = await cache.load(owner).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PlatformError);
    expect((failure as PlatformError).status).toBe(503);
    expect((failure as PlatformError).details.reason).toMatch(/SHA-256/);
    store.tamper(artifactPath('m', 1), oneFeatureModel({ faulty: false, shift: 0 }));
    await expect(cache.load(owner)).rejects.toThrow(/SHA-256/);
    clock.advance(5_000);
    await expect(cache.load(owner)).resolves.toMatchObject({ version: 1 });
  });
});

describe('FreshCache', () => {
  it('serves the cached value while it revalidates in the background, and keeps it when the read fails', async () => {
    const clock = new ManualClock(0);
    const cache = new FreshCache<number>(clock, 1000);
    let value = 1;
    let fail = false;
    const load = async () => {
      if (fail) throw new Error('registry down');
      return value;
    };
    expect(await cache.get('k', load)).toBe(1);
    value = 2;
    expect(await cache.get('k', load)).toBe(1);
    clock.advance(1000);
    expect(await cache.get('k', load)).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('k', load)).toBe(2);
    fail = true;
    clock.advance(1000);
    await cache.get('k', load);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('k', load)).toBe(2);
  });

  it('forgets a value whose thing is gone', async () => {
    const clock = new ManualClock(0);
    const cache = new FreshCache<number>(clock, 1000);
    await cache.get('k', async () => 1);
    clock.advance(1000);
    await cache.get('k', async () => {
      throw new PlatformError('NOT_FOUND', 'gone');
    });
    await new Promise((resolve) => setImmediate(resolve));
    await expect(cache.get('k', async () => 3)).resolves.toBe(3);
  });
});

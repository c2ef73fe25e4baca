// Pre-warm loads the deployment alias of the registry's models before any request, skipping a
// model with nothing promoted, and the first request then finds its version loaded.
import { describe, expect, it } from 'vitest';
import { MemoryArtifactStore } from '../../../shared/artifacts/memory-artifact-store.js';
import { ManualClock } from '../../../shared/clock.js';
import { modelSpecSchema } from '../../../shared/registry/model-spec.js';
import { MemoryRegistryStore } from '../../../shared/registry/memory-registry-store.js';
import { DataPlane } from '../../../shared/serving/data-plane.js';
import { oneFeatureModel, register } from '../../support/served-models.js';

describe('DataPlane.prewarm', () => {
  it('loads each model behind its deployment alias, up to the limit, and skips one with nothing promoted', async () => {
    const registry = new MemoryRegistryStore();
    const artifacts = new MemoryArtifactStore();
    for (const name of ['a', 'b', 'c']) {
      const version = await register(
        registry,
        artifacts,
        name,
        `${name}-run`,
        oneFeatureModel({ faulty: false }),
      );
      if (name !== 'b') await registry.promote(name, 'champion', version, { actor: 'test' });
    }
    await registry.putModel('empty', modelSpecSchema.parse({}));
    const logged: string[] = [];
    const plane = new DataPlane({
      registry: async () => registry,
      artifacts: async () => artifacts,
      clock: new ManualClock(0),
      random: () => 0.5,
      cacheBytes: 2 ** 30,
      refreshMs: 2_000,
      observers: [],
      log: (message) => logged.push(message),
    });
    await plane.prewarm(0);
    expect(plane.models.size).toBe(0);
    await plane.prewarm(10);
    expect(plane.models.size).toBe(2);
    expect(logged).toEqual([]);
    const { served } = await plane.target('a', undefined);
    expect(served.version).toBe(1);
    expect(plane.models.size).toBe(2);
  });
});

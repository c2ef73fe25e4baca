import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock.js';
import { MemoryMonitoringStore } from '../../../shared/monitoring/memory-monitoring-store.js';
import {
  decideRetrain,
  retrainRunId,
  type DataRef,
  type RetrainDeps,
} from '../../../shared/monitoring/retrain.js';
import { MemoryRegistryStore } from '../../../shared/registry/memory-registry-store.js';
import { modelSpecSchema } from '../../../shared/registry/model-spec.js';
import type { DriftAlert } from '../../../shared/drift/drift-alert.js';

const hour = 3_600_000;
const data: DataRef[] = [{ uri: 'datasets/churn/a.csv', sha256: 'a'.repeat(64) }];

function alert(windowEnd: string): DriftAlert {
  return {
    model: 'churn',
    version: 1,
    metric: 'wasserstein',
    features: ['age'],
    observedAt: windowEnd,
    windowEnd,
  };
}

let clock: ManualClock;
let deps: RetrainDeps & { registry: MemoryRegistryStore };

beforeEach(async () => {
  clock = new ManualClock(Date.UTC(2026, 0, 1));
  deps = {
    registry: new MemoryRegistryStore(),
    store: new MemoryMonitoringStore(),
    clock,
    latestData: (model) => Promise.resolve(model === 'churn' ? data : []),
  };
  await deps.registry.putModel('churn', modelSpecSchema.parse({ drift: { cooldownHours: 6 } }));
});

describe('retraining on a drift alert', () => {
  it('starts one run per alert, with an id derived from the alert, on the latest data', async () => {
    const first = await decideRetrain(deps, alert('2026-01-01T00:00:00.000Z'), 'churn-1-a');
    expect(first).toEqual({ start: true, runId: retrainRunId('churn', 'churn-1-a'), datasets: data });
    // The same alert delivered again: the same run id, so starting it again is a no-op.
    expect(await decideRetrain(deps, alert('2026-01-01T00:00:00.000Z'), 'churn-1-a')).toEqual(first);
  });

  it('holds further alerts for the cool-down, then starts again', async () => {
    await decideRetrain(deps, alert('a'), 'churn-1-a');
    clock.advance(5 * hour);
    const held = await decideRetrain(deps, alert('b'), 'churn-1-b');
    expect(held).toMatchObject({ start: false });
    expect(held.start ? '' : held.reason).toContain('cool-down');
    clock.advance(hour);
    expect(await decideRetrain(deps, alert('c'), 'churn-1-c')).toMatchObject({ start: true });
  });

  it('starts nothing while a run of the model is in progress, nor when retraining is off', async () => {
    await deps.registry.saveRun({
      model: 'churn',
      runId: 'train-churn-1',
      status: 'running',
      startedAt: new Date(clock.now()).toISOString(),
    });
    const busy = await decideRetrain(deps, alert('a'), 'churn-1-a');
    expect(busy.start ? '' : busy.reason).toContain('train-churn-1 of the model is still running');
    await deps.registry.putModel('quiet', modelSpecSchema.parse({ drift: { retrain: false } }));
    const off = await decideRetrain(deps, { ...alert('a'), model: 'quiet' }, 'quiet-1-a');
    expect(off.start ? '' : off.reason).toContain('drift.retrain');
  });

  it('says when the model has no data set to retrain on', async () => {
    await deps.registry.putModel('empty', modelSpecSchema.parse({}));
    const none = await decideRetrain(deps, { ...alert('a'), model: 'empty' }, 'empty-1-a');
    expect(none.start ? '' : none.reason).toContain('no data set under datasets/empty/');
  });
});

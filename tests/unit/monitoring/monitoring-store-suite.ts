// The one behavioural suite every MonitoringStore passes (in memory and on Cosmos DB).
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../../shared/monitoring/check-record.js';
import { keptChecks, type MonitoringStore } from '../../../shared/monitoring/monitoring-store.js';
import { uniqueModel } from '../../support/registry/fixtures.js';

function checkAt(model: string, hour: number, drifted = false): CheckRecord {
  const to = new Date(Date.UTC(2026, 0, 1, hour)).toISOString();
  return {
    model,
    version: 1,
    checkedAt: to,
    window: { from: to, to, rows: 500, requests: 500, batch: 0, skipped: 0 },
    status: drifted ? 'drift' : 'no-drift',
    features: [],
    prediction: null,
    drifted,
    alert: null,
  };
}

const hour = 3_600_000;

export function monitoringStoreSuite(name: string, store: () => MonitoringStore): void {
  describe(`MonitoringStore contract: ${name}`, () => {
    it('keeps the latest checks newest window first, a repeated check replacing its first run', async () => {
      const model = uniqueModel('checks');
      expect(await store().latestChecks(model)).toEqual([]);
      await store().recordCheck(checkAt(model, 1));
      await store().recordCheck(checkAt(model, 3));
      await store().recordCheck(checkAt(model, 2));
      await store().recordCheck(checkAt(model, 3, true));
      const checks = await store().latestChecks(model);
      expect(checks.map((c) => [c.window.to.slice(11, 13), c.drifted])).toEqual([
        ['03', true],
        ['02', false],
        ['01', false],
      ]);
    });

    it(`keeps at most ${keptChecks} checks`, async () => {
      const model = uniqueModel('many');
      for (let h = 0; h < keptChecks + 3; h += 1) await store().recordCheck(checkAt(model, h));
      const checks = await store().latestChecks(model);
      expect(checks).toHaveLength(keptChecks);
      expect(checks[0]?.window.to).toBe(checkAt(model, keptChecks + 2).window.to);
    });

    it('claims retraining once per cool-down, the same run again always', async () => {
      const model = uniqueModel('claims');
      expect(await store().claimRetrain(model, 'run-a', 0, 24 * hour)).toEqual({ claimed: true });
      expect(await store().claimRetrain(model, 'run-a', hour, 24 * hour)).toEqual({ claimed: true });
      expect(await store().claimRetrain(model, 'run-b', 2 * hour, 24 * hour)).toEqual({
        claimed: false,
        runId: 'run-a',
        until: new Date(24 * hour).toISOString(),
      });
      expect(await store().claimRetrain(model, 'run-b', 24 * hour, 24 * hour)).toEqual({ claimed: true });
      expect(await store().claimRetrain(model, 'run-c', 25 * hour, 24 * hour)).toMatchObject({
        claimed: false,
        runId: 'run-b',
      });
    });

    it('lets exactly one of racing alerts claim', async () => {
      const model = uniqueModel('race');
      const claims = await Promise.all(
        ['r1', 'r2', 'r3', 'r4'].map((runId) => store().claimRetrain(model, runId, 0, hour)),
      );
      expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    });
  });
}

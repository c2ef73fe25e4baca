import { describe, expect, it } from 'vitest';
import { merge, quantileMs, record, type Histogram } from '../../../shared/serving/latency-histogram.js';
import { judgeAlias } from '../../../shared/serving/rollback-rule.js';
import { servingPolicySchema } from '../../../shared/serving/serving-policy.js';
import { pickAlias, shadowAlias, stickyDraw } from '../../../shared/serving/traffic.js';

const policy = (serving: unknown) => servingPolicySchema.parse(serving);

describe('traffic', () => {
  it('sends everything to the default alias without a split', () => {
    expect(pickAlias(policy({}), 'champion', 0.99)).toBe('champion');
  });

  it('splits by share, treating shares as weights', () => {
    const split = policy({ traffic: { champion: 90, challenger: 0, canary: 10 } });
    const picks = Array.from({ length: 1000 }, (_, i) => pickAlias(split, 'champion', i / 1000));
    expect(picks.filter((p) => p === 'canary')).toHaveLength(100);
    expect(picks).not.toContain('challenger');
  });

  it('derives a stable draw from a sticky key', () => {
    expect(stickyDraw('session-1')).toBe(stickyDraw('session-1'));
    const draws = Array.from({ length: 1000 }, (_, i) => stickyDraw(`s-${i}`));
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    expect(draws.filter((d) => d < 0.5).length).toBeGreaterThan(420);
  });

  it('mirrors to the shadow alias by percent, never to the alias that answered', () => {
    const shadowed = policy({ shadow: { alias: 'challenger', percent: 25 } });
    expect(shadowAlias(shadowed, 'champion', 0.2)).toBe('challenger');
    expect(shadowAlias(shadowed, 'champion', 0.3)).toBeUndefined();
    expect(shadowAlias(shadowed, 'challenger', 0)).toBeUndefined();
  });

  it('refuses a split with no traffic at all', () => {
    expect(servingPolicySchema.safeParse({ traffic: { champion: 0 } }).success).toBe(false);
  });
});

describe('latency histogram', () => {
  it('merges across instances and gives p99 within one 10% bucket', () => {
    const a: Histogram = {};
    const b: Histogram = {};
    for (let i = 1; i <= 990; i++) record(a, 5);
    for (let i = 1; i <= 10; i++) record(b, 800);
    merge(a, b);
    expect(quantileMs(a, 0.5)).toBeGreaterThanOrEqual(5);
    expect(quantileMs(a, 0.5)).toBeLessThan(5.5);
    expect(quantileMs(a, 0.999)).toBeGreaterThanOrEqual(800);
    expect(quantileMs(a, 0.99)).toBeLessThan(5.5);
    expect(quantileMs({}, 0.99)).toBe(0);
  });
});

describe('rollback rule', () => {
  const rules = policy({
    traffic: { champion: 90, challenger: 10 },
    autoRollback: { maxErrorRate: 0.05, maxP99Ms: 200, minRequests: 50, bakeMinutes: 15 },
  });
  const now = Date.parse('2026-01-01T12:00:00Z');
  const promoted = (minutesAgo: number, previous: number | null, name = 'champion') => ({
    name,
    version: 2,
    previous,
    updatedAt: new Date(now - minutesAgo * 60_000).toISOString(),
  });
  const failing = { requests: 100, errors: 10, p99Ms: 20 };

  it('rolls back a baking alias that breaches the error rate, saying why', () => {
    const verdict = judgeAlias(rules, 'champion', promoted(5, 1), failing, now);
    expect(verdict).toMatchObject({ action: 'rollback', alias: 'champion', version: 2 });
    expect(verdict?.reason).toContain('error rate 0.100 (10 of 100 requests)');
  });

  it('judges p99 latency too', () => {
    const slow = { requests: 100, errors: 0, p99Ms: 350 };
    expect(judgeAlias(rules, 'champion', promoted(5, 1), slow, now)?.reason).toContain(
      'p99 latency 350.0 ms',
    );
  });

  it('leaves an alias alone with too few requests, after baking, or without a previous version', () => {
    expect(judgeAlias(rules, 'champion', promoted(5, 1), { ...failing, requests: 49 }, now)).toBeUndefined();
    expect(judgeAlias(rules, 'champion', promoted(20, 1), failing, now)).toBeUndefined();
    expect(judgeAlias(rules, 'champion', promoted(5, null), failing, now)).toBeUndefined();
  });

  it('drains a failing challenger that is not baking', () => {
    expect(judgeAlias(rules, 'champion', promoted(60, 1, 'challenger'), failing, now)).toMatchObject({
      action: 'drain',
      alias: 'challenger',
    });
  });

  it('does nothing without autoRollback in the policy', () => {
    expect(judgeAlias(policy({}), 'champion', promoted(5, 1), failing, now)).toBeUndefined();
  });
});

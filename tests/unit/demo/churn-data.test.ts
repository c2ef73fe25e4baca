import { describe, expect, it } from 'vitest';
import { churnCsv, churnProbability, customers, scoringCsv } from '../../../local/demo/churn-data.js';

describe('the demo data set', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(churnCsv(200, 1)).toBe(churnCsv(200, 1));
    expect(churnCsv(200, 1)).not.toBe(churnCsv(200, 2));
  });

  it('has a header, one line per customer, and both labels in a realistic mix', () => {
    const lines = churnCsv(2000, 1).trim().split('\n');
    expect(lines[0]).toBe('tenure_months,monthly_charges,contract,internet,support_calls,label');
    expect(lines).toHaveLength(2001);
    const churned = lines.slice(1).filter((line) => line.endsWith(',yes')).length / 2000;
    expect(churned).toBeGreaterThan(0.15);
    expect(churned).toBeLessThan(0.5);
    expect(scoringCsv(10, 3).split('\n')[0]).toBe(
      'tenure_months,monthly_charges,contract,internet,support_calls',
    );
  });

  it('shifts the market: higher prices, more monthly contracts, more churn', () => {
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const before = customers(2000, 5);
    const after = customers(2000, 5, true);
    expect(mean(after.map((c) => c.monthly_charges))).toBeGreaterThan(
      mean(before.map((c) => c.monthly_charges)) + 20,
    );
    const monthly = (list: typeof before) =>
      list.filter((c) => c.contract === 'month-to-month').length / list.length;
    expect(monthly(after)).toBeGreaterThan(monthly(before) + 0.2);
    expect(mean(after.map(churnProbability))).toBeGreaterThan(mean(before.map(churnProbability)));
  });
});

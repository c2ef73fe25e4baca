import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../../shared/errors.js';
import { assertParity } from '../../../shared/ml/parity.js';

describe('parity check', () => {
  it('passes differences within 1e-4 and reports the largest', () => {
    expect(assertParity([0.5, 0.25], [0.50005, 0.25], 2).maxAbsDiff).toBeCloseTo(5e-5, 9);
  });

  it('fails loudly, naming the row, beyond 1e-4', () => {
    try {
      assertParity([0.1, 0.9, 0.3, 0.7], [0.1, 0.9, 0.3002, 0.6998], 2);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).code).toBe('INTEGRITY_ERROR');
      expect((error as PlatformError).message).toMatch(/parity check failed: row 2/);
    }
  });

  it('treats NaN and length mismatches as failures', () => {
    expect(() => assertParity([Number.NaN], [0.5], 1)).toThrow(/parity/);
    expect(() => assertParity([0.5], [0.5, 0.5], 1)).toThrow(/parity/);
  });

  it('compares large regression values relative to their size (float32 keeps ~7 digits)', () => {
    expect(() => assertParity([123456.7], [123456.72], 1)).not.toThrow();
    expect(() => assertParity([123456.7], [123470], 1)).toThrow(/parity/);
  });
});

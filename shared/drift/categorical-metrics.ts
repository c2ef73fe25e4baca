// Drift statistics between two categorical distributions given as counts over the same
// categories (aligned by categorical-counts.ts); the reference is the training baseline.
import { chiSquareSurvival } from './special-functions.js';

/** The Jensen-Shannon distance with log base 2 (scipy's `jensenshannon(p, q, base=2)`): in [0, 1]. */
export function jensenShannon(reference: readonly number[], current: readonly number[]): number {
  const totalP = reference.reduce((a, b) => a + b, 0);
  const totalQ = current.reduce((a, b) => a + b, 0);
  if (totalP === 0 || totalQ === 0) return 0;
  let divergence = 0;
  reference.forEach((count, i) => {
    const p = count / totalP;
    const q = (current[i] as number) / totalQ;
    const m = (p + q) / 2;
    if (p > 0) divergence += p * Math.log(p / m);
    if (q > 0) divergence += q * Math.log(q / m);
  });
  return Math.sqrt(Math.max(0, divergence / 2) / Math.LN2);
}

export interface ChiSquareResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly df: number;
}

/**
 * Pearson's chi-square test of homogeneity on the 2 x k table of counts (scipy's
 * `chi2_contingency(..., correction=False)`). Both samples' noise is accounted for, so a
 * baseline of a few thousand rows does not inflate the false alarms. Categories empty in both
 * are left out.
 */
export function chiSquare(reference: readonly number[], current: readonly number[]): ChiSquareResult {
  const columns = reference.map((r, i) => [r, current[i] as number] as const).filter(([r, c]) => r + c > 0);
  const totalR = columns.reduce((sum, [r]) => sum + r, 0);
  const totalC = columns.reduce((sum, [, c]) => sum + c, 0);
  const total = totalR + totalC;
  const df = columns.length - 1;
  if (df < 1 || totalR === 0 || totalC === 0) return { statistic: 0, pValue: 1, df: Math.max(df, 0) };
  let statistic = 0;
  for (const [r, c] of columns) {
    const expectedR = (totalR * (r + c)) / total;
    const expectedC = (totalC * (r + c)) / total;
    statistic += (r - expectedR) ** 2 / expectedR + (c - expectedC) ** 2 / expectedC;
  }
  return { statistic, pValue: chiSquareSurvival(statistic, df), df };
}

import { describe, expect, it } from 'vitest';
import { linearScale, niceTicks, shares } from '../../../console/src/chart-scale.js';

describe('chart arithmetic', () => {
  it('maps a domain onto a range, inverted axes included', () => {
    const y = linearScale([0, 1], [100, 0]);
    expect(y(0)).toBe(100);
    expect(y(0.25)).toBe(75);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(0);
  });

  it('picks round ticks that cover the data', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0, 100, 4)).toEqual([0, 50, 100]);
    expect(niceTicks(0, 0.37, 3)).toEqual([0, 0.2]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });

  it('turns counts into shares, an empty window into zeros', () => {
    expect(shares([1, 3])).toEqual([0.25, 0.75]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });
});

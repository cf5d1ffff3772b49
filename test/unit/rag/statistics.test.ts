import { describe, expect, it } from 'vitest';
import {
  mad,
  median,
  ols,
  robustZScores,
  twoSidedTPValue,
} from '../../../src/shared/rag/statistics.js';

describe('statistics', () => {
  it('median and MAD ignore one outlier', () => {
    const xs = [10, 11, 9, 10, 12, 8, 10, 500];
    expect(median(xs)).toBe(10);
    expect(mad(xs)).toBe(1);
  });

  it('robust z-score flags the spike and not the ordinary days', () => {
    const xs = [40, 42, 38, 41, 39, 43, 40, 37, 240, 41];
    const z = robustZScores(xs);
    expect(z[8]).toBeGreaterThan(3.5);
    expect(z.filter((v) => Math.abs(v) >= 3.5)).toHaveLength(1);
  });

  it('robust z-score of a constant series is all zeros', () => {
    expect(robustZScores([5, 5, 5, 5])).toEqual([0, 0, 0, 0]);
  });

  it('OLS recovers an exact line with a tiny p-value', () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const fit = ols(
      xs,
      xs.map((x) => 3 + 2 * x),
    );
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.intercept).toBeCloseTo(3, 10);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect(fit.pValue).toBeLessThan(1e-6);
  });

  it('OLS on noisy data matches a hand computation', () => {
    // y = 1, 3, 2, 5, 4: slope 0.8, intercept 1.4, SSE 3.6, se = sqrt(1.2/10), t ≈ 2.309
    const fit = ols([0, 1, 2, 3, 4], [1, 3, 2, 5, 4]);
    expect(fit.slope).toBeCloseTo(0.8, 10);
    expect(fit.intercept).toBeCloseTo(1.4, 10);
    expect(fit.tStat).toBeCloseTo(2.3094, 3);
    // two-sided p for t = 2.3094 with 3 df ≈ 0.1041
    expect(fit.pValue).toBeCloseTo(0.1041, 3);
  });

  it('t distribution p-values match tables', () => {
    expect(twoSidedTPValue(2.228, 10)).toBeCloseTo(0.05, 3);
    expect(twoSidedTPValue(1.96, 1e6)).toBeCloseTo(0.05, 3);
    expect(twoSidedTPValue(0, 5)).toBeCloseTo(1, 10);
  });

  it('a flat series has no significant slope', () => {
    const fit = ols([0, 1, 2, 3, 4, 5, 6, 7], [10, 12, 9, 11, 10, 12, 9, 11]);
    expect(fit.pValue).toBeGreaterThan(0.3);
  });
});

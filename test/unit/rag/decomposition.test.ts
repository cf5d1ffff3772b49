import { describe, expect, it } from 'vitest';
import {
  decomposeAdditive,
  decomposeRatio,
  topDrivers,
} from '../../../src/shared/rag/decomposition.js';

describe('decomposition', () => {
  const segments = [
    { key: 'shoes', label: 'Shoes', previous: 1000, current: 300 },
    { key: 'hats', label: 'Hats', previous: 500, current: 600 },
    { key: 'bags', label: 'Bags', previous: 200, current: 150 },
  ];
  const total = 1050 - 1700;

  it('additive contributions sum to the total change and lead with the biggest drag', () => {
    const d = decomposeAdditive('category', segments, total);
    expect(d.map((x) => x.label)).toEqual(['Shoes', 'Bags', 'Hats']);
    expect(d.reduce((s, x) => s + x.contribution, 0)).toBe(total);
    expect(d[0]).toMatchObject({ contribution: -700, change_pct: -70 });
    expect(d[0]!.share_of_change_pct).toBeCloseTo((700 / 650) * 100, 6);
  });

  it('topDrivers keeps only segments moving with the change', () => {
    const d = decomposeAdditive('category', segments, total);
    expect(topDrivers(d, total).map((x) => x.label)).toEqual(['Shoes', 'Bags']);
  });

  it('ratio contributions sum exactly to the AOV change', () => {
    // Germany: 100 orders at 50 → 100 at 50; France: 100 at 100 → 20 at 100. AOV 75 → 58.33
    const d = decomposeRatio('country', [
      { key: 'de', label: 'Germany', prevNum: 5000, prevDen: 100, curNum: 5000, curDen: 100 },
      { key: 'fr', label: 'France', prevNum: 10000, prevDen: 100, curNum: 2000, curDen: 20 },
    ]);
    const sum = d.reduce((s, x) => s + x.contribution, 0);
    expect(sum).toBeCloseTo(7000 / 120 - 75, 10);
    // Mix shift: France (high AOV) shrank, so it explains the drop, though its own AOV is unchanged.
    expect(d[0]!.label).toBe('France');
    expect(d[0]!.change_pct).toBe(0);
  });

  it('a flat total has no share of change', () => {
    const d = decomposeAdditive(
      'channel',
      [{ key: 'web', label: 'web', previous: 5, current: 5 }],
      0,
    );
    expect(d[0]!.share_of_change_pct).toBeNull();
  });
});

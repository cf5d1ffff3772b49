import { describe, expect, it } from 'vitest';
import { classifyInsight } from '../../../src/shared/rag/insight-classifier.js';
import {
  checkNarrativeNumbers,
  deterministicNarrative,
  type InsightFacts,
} from '../../../src/shared/rag/insight-narrative.js';
import { resolveInsightPeriods } from '../../../src/shared/rag/insight-period.resolver.js';

const facts: InsightFacts = {
  intent: 'why',
  metric: 'revenue',
  currency: 'EUR',
  period: {
    label: 'October 2026',
    start: '2026-10-01T00:00:00.000Z',
    end: '2026-11-01T00:00:00.000Z',
  },
  comparison: {
    label: 'September 2026',
    start: '2026-09-01T00:00:00.000Z',
    end: '2026-10-01T00:00:00.000Z',
  },
  change: {
    previous: 285397.4,
    current: 222356.43,
    change: -63040.97,
    change_pct: -22.0888,
    unattributed: -10259.55,
    drivers: [
      {
        dimension: 'category',
        key: 'Sneakers',
        label: 'Sneakers',
        previous: 105000,
        current: 26299,
        contribution: -78701.2,
        change_pct: -74.4,
        share_of_change_pct: 124.8,
      },
    ],
  },
};

describe('insight text', () => {
  it('classifies the acceptance questions', () => {
    expect(classifyInsight('Why did revenue drop last month?')).toMatchObject({
      intent: 'why',
      metric: 'revenue',
    });
    expect(classifyInsight('Anything unusual last month?').intent).toBe('unusual');
    expect(classifyInsight('Which country is growing?')).toMatchObject({
      intent: 'trend',
      dimension: 'country',
      direction: 'up',
    });
    expect(classifyInsight('What were the top movers last week?').intent).toBe('top_movers');
    expect(classifyInsight('why did the average order value fall in october').metric).toBe('aov');
  });

  it('resolves last month, a named month and this month in the shop zone', () => {
    const asOf = new Date('2026-11-20T12:00:00Z');
    const last = resolveInsightPeriods('why did revenue drop last month?', asOf, 'Europe/Berlin');
    expect(last.current.start.toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(last.current.end.toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(last.previous.start.toISOString()).toBe('2026-08-31T22:00:00.000Z');
    const named = resolveInsightPeriods('why did sales fall in march?', asOf, 'UTC');
    expect(named.current.label).toBe('March 2026');
    expect(named.previous.label).toBe('February 2026');
    const dflt = resolveInsightPeriods('why?', asOf, 'UTC');
    expect(dflt.explicit).toBe(false);
    expect(dflt.current.label).toBe('October 2026');
    const mtd = resolveInsightPeriods('how is this month going?', asOf, 'UTC');
    expect(mtd.previous.end.toISOString()).toBe('2026-10-20T12:00:00.000Z');
  });

  it('deterministic narrative names the driver with its amount and percent', () => {
    const text = deterministicNarrative(facts);
    expect(text).toContain('Sneakers');
    expect(text).toContain('-€78,701');
    expect(text).toContain('Revenue fell 22.1%');
    expect(checkNarrativeNumbers(text, facts).ok).toBe(true);
  });

  it('number check rejects a figure the facts do not hold', () => {
    const good = 'Revenue fell 22.1% to €222,356, mostly because Sneakers lost €78,701 (-74.4%).';
    expect(checkNarrativeNumbers(good, facts)).toEqual({ ok: true, unknown: [] });
    const bad = 'Revenue fell 31% because Sneakers lost €90,000.';
    expect(checkNarrativeNumbers(bad, facts)).toEqual({ ok: false, unknown: ['31', '90,000'] });
  });
});

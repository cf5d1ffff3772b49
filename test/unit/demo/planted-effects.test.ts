import { describe, expect, it } from 'vitest';
import { DEMO_SHOPS, generateShop, plantedEffects } from '../../../src/shared/data/demo/index.js';
import {
  END,
  categoryRevenue,
  countsForRevenue,
  demoShop,
  localDay,
  revenue,
  within,
} from './demo-fixtures.js';

const SHOP_IDS = DEMO_SHOPS.map((s) => s.shopId);

describe('plantedEffects', () => {
  it('places every effect relative to endDate in the shop time zone', () => {
    const pe = plantedEffects(DEMO_SHOPS[0]!, END);
    expect(pe.lastMonth.label).toBe('2026-10');
    expect(pe.lastMonth.start.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(pe.previousMonth.label).toBe('2026-09');
    expect(pe.categoryCollapse.month).toBe('2026-10');
    expect(pe.orderSpike.date).toBe('2026-10-14'); // first Wednesday on or after the 10th
    expect(pe.countryGrowth.endSharePct / pe.countryGrowth.baseSharePct).toBeGreaterThan(2.8);

    const ny = plantedEffects(
      DEMO_SHOPS.find((s) => s.shopId === 3)!,
      END,
    );
    expect(ny.lastMonth.start.toISOString()).toBe('2026-10-01T04:00:00.000Z');
  });

  it.each(SHOP_IDS)(
    'shop %i: the category collapse drives a real revenue drop last month',
    (shopId) => {
      const { spec, docs } = demoShop(shopId);
      const pe = plantedEffects(spec, END);
      const last = revenue(docs.order, pe.lastMonth);
      const previous = revenue(docs.order, pe.previousMonth);
      expect(last).toBeLessThan(previous * 0.9);

      const catLast = categoryRevenue(docs.order, pe.lastMonth);
      const catPrev = categoryRevenue(docs.order, pe.previousMonth);
      const change = (c: string): number => (catLast.get(c) ?? 0) - (catPrev.get(c) ?? 0);
      const collapsed = pe.categoryCollapse.category;
      expect(catLast.get(collapsed)! / catPrev.get(collapsed)!).toBeLessThan(0.35);
      // It is the biggest negative driver, by far, and alone exceeds the total drop.
      const others = spec.categories.map((c) => c.name).filter((c) => c !== collapsed);
      expect(Math.min(...others.map(change))).toBeGreaterThan(change(collapsed) / 4);
      expect(-change(collapsed)).toBeGreaterThan(previous - last);
    },
  );

  it.each(SHOP_IDS)('shop %i: last month drops for any end month of the year', (shopId) => {
    const spec = DEMO_SHOPS.find((s) => s.shopId === shopId)!;
    for (let month = 0; month < 12; month++) {
      const endDate = new Date(Date.UTC(2026, month, 9));
      const docs = generateShop(spec, { endDate, days: 100 });
      const pe = plantedEffects(spec, endDate);
      const ratio = revenue(docs.order, pe.lastMonth) / revenue(docs.order, pe.previousMonth);
      expect({ endDate, ratio: ratio < 0.95 }).toEqual({ endDate, ratio: true });
    }
  });

  it.each(SHOP_IDS)('shop %i: the one-day spike is the standout day of last month', (shopId) => {
    const { spec, docs } = demoShop(shopId);
    const pe = plantedEffects(spec, END);
    const perDay = new Map<string, number>();
    let spikeProductOrders = 0;
    for (const o of docs.order) {
      if (!within(o, pe.lastMonth)) continue;
      const day = localDay(o.created_at, spec.timezone);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      if (
        day === pe.orderSpike.date &&
        o.items.some((i) => i.product_id === pe.orderSpike.productId)
      )
        spikeProductOrders++;
    }
    const spike = perDay.get(pe.orderSpike.date)!;
    const otherDays = [...perDay.entries()]
      .filter(([d]) => d !== pe.orderSpike.date)
      .map(([, n]) => n);
    const median = [...otherDays].sort((a, b) => a - b)[Math.floor(otherDays.length / 2)]!;
    expect(spike / median).toBeGreaterThan(4.5);
    expect(spike / median).toBeLessThan(9);
    expect(spike).toBeGreaterThan(2 * Math.max(...otherDays));
    expect(spikeProductOrders / spike).toBeGreaterThan(0.6);
    expect(pe.orderSpike.start.getTime()).toBeGreaterThanOrEqual(pe.lastMonth.start.getTime());
    expect(pe.orderSpike.end.getTime()).toBeLessThanOrEqual(pe.lastMonth.end.getTime());
  });

  it.each(SHOP_IDS)(
    'shop %i: the growth country roughly triples its share over ~6 months',
    (shopId) => {
      const { spec, docs } = demoShop(shopId);
      const pe = plantedEffects(spec, END);
      const country = pe.countryGrowth.country;
      const share = (start: Date, end: Date): number => {
        let all = 0;
        let mine = 0;
        for (const o of docs.order) {
          if (!within(o, { start, end }) || !countsForRevenue(o)) continue;
          all++;
          if (o.country === country) mine++;
        }
        return mine / all;
      };
      const before = share(
        new Date(pe.countryGrowth.start.getTime() - 180 * 86_400_000),
        pe.countryGrowth.start,
      );
      const recent = share(new Date(END.getTime() - 30 * 86_400_000), END);
      expect(before * 100).toBeCloseTo(pe.countryGrowth.baseSharePct, -0.5);
      expect(recent / before).toBeGreaterThan(2.3);
      expect(recent / before).toBeLessThan(4);
      // Steady rather than one jump: month by month the share climbs (allowing for
      // sampling noise of ~1 point a month in the smaller shops), each quarter well above the last.
      const months = [-6, -5, -4, -3, -2, -1].map((k) =>
        share(new Date(Date.UTC(2026, 10 + k, 1)), new Date(Date.UTC(2026, 11 + k, 1))),
      );
      const [m0, m1, m2, m3, m4, m5] = months as [number, number, number, number, number, number];
      expect((m3 + m4 + m5) / (m0 + m1 + m2)).toBeGreaterThan(1.25);
      expect(months.filter((m, i) => i > 0 && m > months[i - 1]!).length).toBeGreaterThanOrEqual(3);
    },
  );
});

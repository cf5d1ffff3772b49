import { beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../src/shared/data/documents.js';
import { demoShop } from './demo-shop.js';

/**
 * Share of orders: each value's orders (any status) in percent of all orders
 * of the period, checked against a plain count over the generated shop, and
 * told apart from the share of revenue, which weighs orders by their totals
 * and leaves out cancelled and refunded ones.
 */
const shop = demoShop();
const { docs } = shop;
const in2025 = docs.order.filter(
  (o) =>
    o.created_at >= new Date('2025-01-01T00:00:00Z') &&
    o.created_at < new Date('2026-01-01T00:00:00Z'),
);
const pct = (part: (o: Order) => boolean) => (100 * in2025.filter(part).length) / in2025.length;

describe('share of orders', () => {
  beforeAll(() => shop.load());
  const ask = (question: string) => shop.ask(question);

  it("of one value: that value's orders of all orders, any status", async () => {
    const country = in2025[0]!.country;
    const a = await ask(`share of orders from ${country} in 2025`);
    const expected = pct((o) => o.country === country);
    expect(a.data).toMatchObject({ kind: 'scalar', unit: 'percent' });
    expect(a.data.kind === 'scalar' && a.data.value).toBeCloseTo(expected, 1);
    const revenueShare = await ask(`share of revenue from ${country} in 2025`);
    expect(revenueShare.data.kind === 'scalar' && revenueShare.data.value).not.toBeCloseTo(
      expected,
      1,
    );
  });

  it("outside one value: every other value's orders", async () => {
    const country = in2025[0]!.country;
    const a = await ask(`what proportion of orders came from outside ${country} in 2025`);
    expect(a.data.kind === 'scalar' && a.data.value).toBeCloseTo(
      pct((o) => o.country !== country),
      1,
    );
  });

  it('by a dimension: one row per value, adding up to 100', async () => {
    const a = await ask('what percent of orders came from each channel in 2025');
    if (a.data.kind !== 'table') throw new Error(`expected a table: ${a.answer}`);
    const rows = new Map(a.data.rows.map(([k, v]) => [k, v as number]));
    for (const channel of new Set(in2025.map((o) => o.channel)))
      expect(rows.get(channel)).toBeCloseTo(
        pct((o) => o.channel === channel),
        1,
      );
    expect([...rows.values()].reduce((s, v) => s + v, 0)).toBeCloseTo(100, 0);
  });

  it("compared with another period: each period's share of its own orders", async () => {
    const country = in2025[0]!.country;
    const quarter = (from: string, to: string) =>
      docs.order.filter((o) => o.created_at >= new Date(from) && o.created_at < new Date(to));
    const share = (orders: Order[]) =>
      (100 * orders.filter((o) => o.country === country).length) / orders.length;
    const q3 = share(quarter('2025-07-01T00:00:00Z', '2025-10-01T00:00:00Z'));
    const q2 = share(quarter('2025-04-01T00:00:00Z', '2025-07-01T00:00:00Z'));
    for (const metric of ['orders', 'revenue']) {
      const a = await ask(`share of ${metric} from ${country} in Q3 2025 vs Q2 2025`);
      if (a.data.kind !== 'scalar' || !a.data.comparison) throw new Error(a.answer);
      // The previous share was 0 before: its rows lost their previous values.
      expect(a.data.comparison.previous).toBeGreaterThan(0);
      if (metric === 'orders') {
        expect(a.data.value).toBeCloseTo(q3, 1);
        expect(a.data.comparison.previous).toBeCloseTo(q2, 1);
      }
    }
  });

  it('is not taken by product or category, whose shares would not add up', () => {
    expect(shop.parse('share of orders by category in 2025').ok).toBe(false);
  });
});

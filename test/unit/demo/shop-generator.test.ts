import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { customerSchema, orderSchema, productSchema } from '../../../src/shared/data/documents.js';
import { DEMO_SHOPS, generateShop } from '../../../src/shared/data/demo/index.js';
import { END, countsForRevenue, demoShop } from './demo-fixtures.js';

const DAY_MS = 86_400_000;

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

describe('generateShop', () => {
  it('is deterministic: identical inputs give identical output, another seed differs', () => {
    const spec = DEMO_SHOPS[1]!;
    const a = generateShop(spec, { endDate: END, days: 120 });
    const b = generateShop(spec, { endDate: new Date(END.getTime()), days: 120 });
    expect(hashOf(b)).toBe(hashOf(a));
    const c = generateShop({ ...spec, seed: spec.seed + 1 }, { endDate: END, days: 120 });
    expect(hashOf(c)).not.toBe(hashOf(a));
  });

  it('honours days and ordersPerDay', () => {
    const spec = DEMO_SHOPS[0]!;
    const small = generateShop(spec, { endDate: END, days: 60 });
    const big = generateShop(spec, { endDate: END, days: 60, ordersPerDay: spec.ordersPerDay * 5 });
    expect(small.order[0]!.created_at.getTime()).toBeGreaterThanOrEqual(
      END.getTime() - 60 * DAY_MS,
    );
    expect(big.order.length / small.order.length).toBeGreaterThan(4);
    expect(big.order.length / small.order.length).toBeLessThan(6);
  });

  it.each(DEMO_SHOPS.map((s) => s.shopId))(
    'shop %i: every document passes the canonical schemas',
    (shopId) => {
      const { docs } = demoShop(shopId);
      // Collect failures and assert once: one expect per document is needlessly slow.
      const bad = [
        ...docs.order.filter(
          (o) => !orderSchema.safeParse(o).success || !(o.created_at instanceof Date),
        ),
        ...docs.product.filter((p) => !productSchema.safeParse(p).success),
        ...docs.customer.filter((c) => !customerSchema.safeParse(c).success),
      ];
      expect(bad).toEqual([]);
    },
  );

  it.each(DEMO_SHOPS.map((s) => s.shopId))(
    'shop %i: sizes, ids and references are sane',
    (shopId) => {
      const { spec, docs } = demoShop(shopId);
      expect(docs.product.length).toBeGreaterThanOrEqual(60);
      expect(docs.product.length).toBeLessThanOrEqual(150);
      const expected = spec.ordersPerDay * 730;
      expect(docs.order.length).toBeGreaterThan(expected * 0.85);
      expect(docs.order.length).toBeLessThan(expected * 1.15);
      expect(new Set(docs.order.map((o) => o.id)).size).toBe(docs.order.length);
      expect(new Set(docs.customer.map((c) => c.email)).size).toBe(docs.customer.length);

      const products = new Map(docs.product.map((p) => [p.id, p]));
      const firstOrder = new Map<unknown, number>();
      const badOrders = docs.order.filter((o) => {
        if (!firstOrder.has(o.customer_id)) firstOrder.set(o.customer_id, o.created_at.getTime());
        return (
          o.shop_id !== spec.shopId ||
          o.currency !== spec.currency ||
          o.items.length < 1 ||
          o.items.length > 5 ||
          o.items.some((i) => {
            const p = products.get(i.product_id);
            return (
              !p ||
              p.status === 'draft' ||
              i.unit_price !== p.price ||
              i.category !== p.category ||
              o.created_at.getTime() < p.created_at.getTime()
            );
          })
        );
      });
      expect(badOrders).toEqual([]);
      // Every customer ordered, and signed up at (or shortly before) their first order.
      expect(firstOrder.size).toBe(docs.customer.length);
      const badCustomers = docs.customer.filter((c) => {
        const gap = firstOrder.get(c.id)! - c.created_at.getTime();
        return !(gap >= 0 && gap < 46 * DAY_MS);
      });
      expect(badCustomers).toEqual([]);
      expect(docs.customer.some((c) => c.company)).toBe(true);
      expect(docs.product.some((p) => p.status === 'archived')).toBe(true);
      expect(docs.product.some((p) => p.status === 'draft')).toBe(true);
      expect(docs.product.some((p) => p.status === 'active' && (p.stock_quantity ?? 99) < 5)).toBe(
        true,
      );
      expect(docs.product.every((p) => p.cost! < p.price)).toBe(true);
    },
  );

  it.each(DEMO_SHOPS.map((s) => s.shopId))(
    'shop %i: grand_total = subtotal - discount + shipping + tax, in cents',
    (shopId) => {
      const { docs } = demoShop(shopId);
      const cents = (x: number): number => Math.round(x * 100);
      const isCents = (v: number): boolean => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;
      const bad = docs.order.filter((o) => {
        let subtotal = 0;
        for (const i of o.items) subtotal += i.quantity * cents(i.unit_price);
        return (
          cents(o.subtotal) !== subtotal ||
          cents(o.grand_total) !==
            cents(o.subtotal) - cents(o.discount) + cents(o.shipping) + cents(o.tax) ||
          ![o.subtotal, o.discount, o.shipping, o.tax, o.grand_total].every(isCents) ||
          o.discount >= o.subtotal ||
          o.tax < 0
        );
      });
      expect(bad).toEqual([]);
    },
  );

  it.each(DEMO_SHOPS.map((s) => s.shopId))(
    'shop %i: two years ending before endDate, realistic statuses and mix',
    (shopId) => {
      const { spec, docs } = demoShop(shopId);
      const orders = docs.order;
      const first = orders[0]!.created_at.getTime();
      const last = orders[orders.length - 1]!.created_at.getTime();
      expect(last).toBeLessThan(END.getTime());
      expect(END.getTime() - last).toBeLessThan(DAY_MS);
      expect(END.getTime() - first).toBeGreaterThan(728 * DAY_MS);
      expect(END.getTime() - first).toBeLessThanOrEqual(731 * DAY_MS);
      expect(orders.findIndex((o, i) => i > 0 && o.created_at < orders[i - 1]!.created_at)).toBe(
        -1,
      );

      const share = (status: string): number =>
        orders.filter((o) => o.status === status).length / orders.length;
      expect(share('cancelled')).toBeGreaterThan(0.02);
      expect(share('cancelled')).toBeLessThan(0.04);
      expect(share('refunded')).toBeGreaterThan(0.012);
      expect(share('refunded')).toBeLessThan(0.028);
      expect(share('delivered') + share('shipped')).toBeGreaterThan(0.9);
      // Recent orders are still in progress; old ones are never pending.
      const lastDay = orders.filter(
        (o) => END.getTime() - o.created_at.getTime() < DAY_MS && countsForRevenue(o),
      );
      expect(lastDay.every((o) => o.status === 'pending' || o.status === 'paid')).toBe(true);
      expect(
        orders.some(
          (o) => o.status === 'pending' && END.getTime() - o.created_at.getTime() > 2 * DAY_MS,
        ),
      ).toBe(false);

      const channels = new Set(orders.map((o) => o.channel));
      expect(channels.size).toBe(spec.channels.length);
      expect(new Set(orders.map((o) => o.country)).size).toBe(spec.countries.length);
      expect(new Set(orders.map((o) => o.payment_method)).size).toBeGreaterThanOrEqual(3);
      // Returning customers: about half the orders come from someone who ordered before.
      const seen = new Set<unknown>();
      let returning = 0;
      for (const o of orders) {
        if (seen.has(o.customer_id)) returning++;
        seen.add(o.customer_id);
      }
      expect(returning / orders.length).toBeGreaterThan(0.35);
      expect(returning / orders.length).toBeLessThan(0.65);
    },
  );

  it.each(DEMO_SHOPS.map((s) => s.shopId))(
    'shop %i: weekly and yearly seasonality, and growth',
    (shopId) => {
      const { spec, docs } = demoShop(shopId);
      const byWeekday = new Array<number>(7).fill(0);
      const byMonth = new Map<string, number>();
      const fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: spec.timezone,
        weekday: 'short',
        month: '2-digit',
        year: 'numeric',
      });
      const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
      let firstYear = 0;
      let secondYear = 0;
      const mid = END.getTime() - 365 * DAY_MS;
      for (const o of docs.order) {
        const parts = fmt.formatToParts(o.created_at);
        const part = (type: string): string => parts.find((p) => p.type === type)!.value;
        byWeekday[weekdays.indexOf(part('weekday'))]! += 1;
        const month = `${part('year')}-${part('month')}`;
        byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
        if (o.created_at.getTime() < mid) firstYear++;
        else secondYear++;
      }
      // Sunday is the busiest day, Saturday the quietest.
      expect(Math.max(...byWeekday)).toBe(byWeekday[6]);
      expect(Math.min(...byWeekday)).toBe(byWeekday[5]);
      // The December peak well above the summer dip of the same year (both 31 days).
      expect(byMonth.get('2025-12')!).toBeGreaterThan(1.3 * byMonth.get('2025-08')!);
      expect(byMonth.get('2025-11')!).toBeGreaterThan(1.1 * byMonth.get('2025-09')!);
      expect(secondYear / firstYear).toBeGreaterThan(1 + spec.yearlyGrowth / 2);
    },
  );
});

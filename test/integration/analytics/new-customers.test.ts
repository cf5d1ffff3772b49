import { beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../src/shared/data/documents.js';
import { demoShop } from './demo-shop.js';

/**
 * New customers are new by their first order of any kind (DESIGN.md): "new
 * customers via web" are the customers whose first order came via web, not
 * those whose first web order fell in the period after earlier orders
 * elsewhere. Checked against plain loops over a generated shop.
 */
const shop = demoShop();
const { docs } = shop;
const Q3 = [new Date('2026-07-01T00:00:00Z'), new Date('2026-10-01T00:00:00Z')] as const;
const inQ3 = (d: Date) => d >= Q3[0] && d < Q3[1];

/** Each customer's first order among `orders` (time order, then id). */
function firstOrders(orders: Order[]): Map<unknown, Order> {
  const first = new Map<unknown, Order>();
  for (const o of orders) {
    if (o.customer_id == null) continue;
    const seen = first.get(o.customer_id);
    if (!seen || o.created_at < seen.created_at) first.set(o.customer_id, o);
  }
  return first;
}

describe('new customers with a filter', () => {
  beforeAll(() => shop.load());

  async function value(question: string): Promise<unknown> {
    const a = await shop.ask(question);
    return a.data.kind === 'scalar' ? a.data.value : a.answer;
  }

  it("judges the filter on each customer's first order", async () => {
    const first = [...firstOrders(docs.order).values()].filter((o) => inQ3(o.created_at));
    for (const channel of ['web', 'pos']) {
      const expected = first.filter((o) => o.channel === channel).length;
      // The old reading: the first order within the channel.
      const firstInChannel = [
        ...firstOrders(docs.order.filter((o) => o.channel === channel)).values(),
      ].filter((o) => inQ3(o.created_at)).length;
      expect(expected).not.toBe(firstInChannel);
      expect(await value(`new customers via ${channel} in Q3 2026`)).toBe(expected);
    }
  });

  it("by country: the country of each new customer's first order", async () => {
    const first = [...firstOrders(docs.order).values()].filter((o) => inQ3(o.created_at));
    const expected = new Map<unknown, number>();
    for (const o of first) expected.set(o.country, (expected.get(o.country) ?? 0) + 1);
    const a = await shop.ask('new customers by country in Q3 2026');
    if (a.data.kind !== 'table') throw new Error(`expected a table: ${a.answer}`);
    expect(new Map(a.data.rows.map(([k, v]) => [k, v]))).toEqual(expected);
  });

  it('without a filter, counts every customer whose first order falls in the period', async () => {
    const expected = [...firstOrders(docs.order).values()].filter((o) => inQ3(o.created_at)).length;
    expect(await value('new customers in Q3 2026')).toBe(expected);
  });
});

import type { Order, ShopDocuments } from '../../../src/shared/data/documents.js';
import {
  DEMO_SHOPS,
  generateShop,
  type DemoShopSpec,
} from '../../../src/shared/data/demo/index.js';

/** The fixed end date the demo tests use (as_of for "last month" questions). */
export const END = new Date('2026-11-23T00:00:00.000Z');

const cache = new Map<number, ShopDocuments>();

/** Full two-year shops, generated once per test file. */
export function demoShop(shopId: number): { spec: DemoShopSpec; docs: ShopDocuments } {
  const spec = DEMO_SHOPS.find((s) => s.shopId === shopId);
  if (!spec) throw new Error(`no demo shop ${shopId}`);
  let docs = cache.get(shopId);
  if (!docs) {
    docs = generateShop(spec, { endDate: END });
    cache.set(shopId, docs);
  }
  return { spec, docs };
}

/** Revenue as DESIGN.md defines it: grand_total of orders not cancelled or refunded. */
export function countsForRevenue(o: Order): boolean {
  return o.status !== 'cancelled' && o.status !== 'refunded';
}

export function within(o: Order, range: { start: Date; end: Date }): boolean {
  return o.created_at >= range.start && o.created_at < range.end;
}

export function revenue(orders: Order[], range: { start: Date; end: Date }): number {
  let sum = 0;
  for (const o of orders) if (within(o, range) && countsForRevenue(o)) sum += o.grand_total;
  return sum;
}

export function categoryRevenue(
  orders: Order[],
  range: { start: Date; end: Date },
): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of orders) {
    if (!within(o, range) || !countsForRevenue(o)) continue;
    for (const i of o.items) {
      const key = i.category ?? '';
      out.set(key, (out.get(key) ?? 0) + i.quantity * i.unit_price);
    }
  }
  return out;
}

/** Local calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(at);
}

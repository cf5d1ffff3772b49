import type { ShopDocuments } from '../documents.js';
import type { DemoShopSpec } from './demo-shop.types.js';
import { generateOrders } from './order.generator.js';
import { plantedPlan } from './planted-effects.model.js';
import { buildCatalog, spikeProduct } from './product-catalog.generator.js';
import { shopDays } from './shop-calendar.model.js';

export interface GenerateShopOptions {
  /** Orders stop just before this instant; planted effects are placed relative to it. */
  endDate: Date;
  /** Whole local days of history ending with endDate's day (default 730). */
  days?: number;
  /** Overrides the spec's average, e.g. ~274 for a 200,000-order bench shop. */
  ordersPerDay?: number;
}

/**
 * Canonical documents of one demo shop. Pure: identical spec and options give
 * identical output (no Math.random, no clock), so tests and benchmarks can
 * rely on exact numbers.
 */
export function generateShop(spec: DemoShopSpec, opts: GenerateShopOptions): ShopDocuments {
  const days = opts.days ?? 730;
  if (!Number.isInteger(days) || days < 1) throw new Error(`days must be a positive integer, got ${days}`);
  if (Number.isNaN(opts.endDate.getTime())) throw new Error('endDate is not a valid date');
  const ordersPerDay = opts.ordersPerDay ?? spec.ordersPerDay;
  if (!(ordersPerDay > 0)) throw new Error(`ordersPerDay must be positive, got ${ordersPerDay}`);

  const catalog = buildCatalog(spec, opts.endDate);
  const featured = spikeProduct(catalog, spec.planted.spikeCategory, opts.endDate);
  const plan = plantedPlan(spec, opts.endDate, Number(featured.doc.id));
  const { orders, customers } = generateOrders({
    spec,
    catalog,
    days: shopDays(spec.timezone, opts.endDate, days),
    plan,
    endMs: opts.endDate.getTime(),
    ordersPerDay,
  });
  return { order: orders, product: catalog.products.map((p) => p.doc), customer: customers };
}

import type { Customer, Order, OrderItem, OrderStatus } from '../documents.js';
import type { CatalogProduct, Catalog } from './product-catalog.generator.js';
import { pickProduct } from './product-catalog.generator.js';
import { createCustomer, type DemoCustomer } from './customer.factory.js';
import type { DemoShopSpec } from './demo-shop.types.js';
import { growthMultiplier, type PlantedPlan } from './planted-effects.model.js';
import { HOUR_WEIGHTS, growthFactor, weekdayFactor, yearlyFactor } from './seasonality.model.js';
import { SeededRandom, WeightedPicker, hashString } from './seeded-random.js';
import { localSecondToUtcMs, type ShopDay } from './shop-calendar.model.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const FIRST_ORDER_ID = 100_001;

export interface OrderRunInput {
  spec: DemoShopSpec;
  catalog: Catalog;
  days: ShopDay[];
  plan: PlantedPlan;
  endMs: number;
  ordersPerDay: number;
}

interface Line {
  product: CatalogProduct;
  quantity: number;
}

const ITEM_COUNT = new WeightedPicker([1, 2, 3, 4, 5], [55, 26, 11, 5, 3]);
const QUANTITY = new WeightedPicker([1, 2, 3, 4], [80, 14, 4, 2]);
const BULKY_QUANTITY = new WeightedPicker([1, 2, 3, 4], [58, 28, 10, 4]);
/** Nobody buys four grinders: big-ticket lines are almost always single units. */
const BIG_TICKET_QUANTITY = new WeightedPicker([1, 2], [95, 5]);
const BIG_TICKET_CENTS = 80_00;
const HOUR = new WeightedPicker(
  HOUR_WEIGHTS.map((_, h) => h),
  HOUR_WEIGHTS,
);
const DISCOUNT_PCT = [10, 15, 20] as const;

/**
 * The order loop: day by day, a Poisson count around the seasonal level, then
 * each order's lines, customer, money and status. Runs in one pass with O(1)
 * work per order (weighted pickers, per-country customer pools) so 200,000
 * orders take well under a second or two.
 */
export function generateOrders(input: OrderRunInput): { orders: Order[]; customers: Customer[] } {
  const { spec, catalog, days, plan, endMs, ordersPerDay } = input;
  const rng = new SeededRandom(spec.seed, hashString('orders'));
  const channelPicker = new WeightedPicker(
    spec.channels.map((c) => c.value),
    spec.channels.map((c) => c.weight),
  );
  const paymentPicker = new WeightedPicker(
    spec.paymentMethods.map((c) => c.value),
    spec.paymentMethods.map((c) => c.weight),
  );
  const taxRate = new Map(spec.countries.map((c) => [c.name, c.taxRate]));
  const bulky = new Set(spec.categories.filter((c) => c.bulky).map((c) => c.name));
  const featured = catalog.products.find((p) => p.doc.id === plan.spike.productId);
  const pools = new Map<string, DemoCustomer[]>(spec.countries.map((c) => [c.name, []]));
  const customers: DemoCustomer[] = [];
  const orders: Order[] = [];

  days.forEach((day, dayIndex) => {
    const level =
      ordersPerDay *
      growthFactor(dayIndex, days.length, spec.yearlyGrowth) *
      weekdayFactor(day.weekday) *
      yearlyFactor(day.monthPosition) *
      Math.max(0.5, 1 + 0.07 * rng.gauss());
    const normalCount = rng.poisson(level);
    const isSpike = localDate(day) === plan.spike.date && featured !== undefined;
    const promoCount = isSpike ? Math.round(level * (plan.spike.multiplier - 1)) : 0;
    const inCollapse = day.year === plan.collapse.year && day.month === plan.collapse.month;
    // The growth country's weight changes slowly, so one picker per day suffices.
    const countryPicker = new WeightedPicker(
      spec.countries.map((c) => c.name),
      spec.countries.map((c) =>
        c.name === plan.growth.country ? c.weight * growthMultiplier(plan.growth, day.startMs + DAY_MS / 2) : c.weight,
      ),
    );
    const returningRate = 0.6 * (1 - Math.exp(-dayIndex / 150));

    // Encode (second of day, promo flag) in one number so a typed-array sort orders the day.
    const slots = new Float64Array(normalCount + promoCount);
    for (let i = 0; i < normalCount; i++) slots[i] = (HOUR.pick(rng) * 3600 + rng.int(0, 3599)) * 2;
    for (let i = 0; i < promoCount; i++) {
      // The viral post lands around noon; orders keep coming into the evening.
      slots[normalCount + i] = (rng.int(11, 23) * 3600 + rng.int(0, 3599)) * 2 + 1;
    }
    slots.sort();

    for (const slot of slots) {
      const isPromo = slot % 2 === 1;
      const atMs = localSecondToUtcMs(day, Math.floor(slot / 2), spec.timezone);
      if (atMs >= endMs) break;

      let lines = isPromo && featured ? promoLines(rng, catalog, featured, atMs) : basketLines(rng, catalog, atMs);
      for (const line of lines) line.quantity = quantityPicker(line.product, bulky).pick(rng);
      if (isPromo) (lines[0] as Line).quantity = 1;
      if (inCollapse) {
        // The planted collapse: most of the category's lines never happen, and an
        // order made only of them is never placed at all.
        lines = lines.filter((l) => l.product.doc.category !== plan.collapse.category || rng.next() < plan.collapse.keep);
        if (lines.length === 0) continue;
      }

      const country = countryPicker.pick(rng);
      const pool = pools.get(country) ?? [];
      let customer: DemoCustomer;
      if (pool.length > 0 && rng.chance(isPromo ? 0.2 : returningRate)) {
        // Half uniform (loyal old customers), half skewed to recent ones.
        const u = rng.next();
        const idx = rng.chance(0.5) ? Math.floor(u * pool.length) : Math.floor((1 - u * u) * pool.length);
        customer = pool[Math.min(idx, pool.length - 1)] as DemoCustomer;
      } else {
        customer = createCustomer(rng, spec, customers.length + 1, country, atMs);
        customers.push(customer);
        pool.push(customer);
        pools.set(country, pool);
      }
      if (customer.isCompany && !isPromo && rng.chance(0.5)) {
        // Businesses stock up on consumables (office coffee, filters), not on
        // everything: bulk gift sets or pans would make a small shop's months erratic.
        const factor = rng.int(2, 3);
        for (const line of lines) if (bulky.has(line.product.doc.category ?? '')) line.quantity *= factor;
      }

      let channel = channelPicker.pick(rng);
      if (isPromo && rng.chance(0.7)) channel = 'mobile';
      const payment =
        channel === 'pos' ? (rng.chance(0.75) ? 'card' : 'cash') : channel === 'marketplace' ? 'marketplace' : paymentPicker.pick(rng);

      // Money in integer cents so grand_total = subtotal - discount + shipping + tax exactly.
      let subtotal = 0;
      for (const l of lines) subtotal += l.quantity * l.product.priceCents;
      const discountPct = isPromo ? 25 : rng.chance(0.16) ? rng.pick(DISCOUNT_PCT) : 0;
      const discount = Math.round((subtotal * discountPct) / 100);
      const net = subtotal - discount;
      const domestic = country === spec.homeCountry;
      const freeAbove = spec.shipping.freeAbove * 100 * (domestic ? 1 : 2);
      const shipping =
        channel === 'pos' || net >= freeAbove
          ? 0
          : Math.round((domestic ? spec.shipping.domestic : spec.shipping.international) * 100);
      const tax = Math.round((net + shipping) * (taxRate.get(country) ?? 0));

      const items: OrderItem[] = lines.map((l) => ({
        product_id: l.product.doc.id,
        sku: l.product.doc.sku,
        name: l.product.doc.name,
        category: l.product.doc.category,
        quantity: l.quantity,
        unit_price: l.product.priceCents / 100,
      }));
      orders.push({
        id: FIRST_ORDER_ID + orders.length,
        shop_id: spec.shopId,
        customer_id: customer.doc.id,
        status: statusFor(rng, endMs - atMs),
        created_at: new Date(atMs),
        currency: spec.currency,
        subtotal: subtotal / 100,
        discount: discount / 100,
        shipping: shipping / 100,
        tax: tax / 100,
        grand_total: (net + shipping + tax) / 100,
        country,
        channel,
        payment_method: payment,
        items,
      });
    }
  });

  return { orders, customers: customers.map((c) => c.doc) };
}

function quantityPicker(product: CatalogProduct, bulky: Set<string>): WeightedPicker<number> {
  if (product.priceCents >= BIG_TICKET_CENTS) return BIG_TICKET_QUANTITY;
  return bulky.has(product.doc.category ?? '') ? BULKY_QUANTITY : QUANTITY;
}

function basketLines(rng: SeededRandom, catalog: Catalog, atMs: number): Line[] {
  const wanted = ITEM_COUNT.pick(rng);
  const lines: Line[] = [];
  for (let i = 0; i < wanted; i++) {
    const product = pickProduct(rng, catalog.categoryPicker.pick(rng), atMs);
    // A duplicate pick is dropped rather than retried: baskets just end up a bit smaller.
    if (!lines.some((l) => l.product === product)) lines.push({ product, quantity: 1 });
  }
  return lines;
}

function promoLines(rng: SeededRandom, catalog: Catalog, featured: CatalogProduct, atMs: number): Line[] {
  const lines: Line[] = [{ product: featured, quantity: 1 }];
  if (rng.chance(0.3)) {
    const extra = pickProduct(rng, catalog.categoryPicker.pick(rng), atMs);
    if (extra !== featured) lines.push({ product: extra, quantity: 1 });
  }
  return lines;
}

/**
 * Status by age at endDate: recent orders are still pending/paid/shipped, older
 * ones delivered; ~3% cancelled at any age, ~2% refunded once delivered.
 */
function statusFor(rng: SeededRandom, ageMs: number): OrderStatus {
  const u = rng.next();
  if (u < 0.03) return 'cancelled';
  if (ageMs > 7 * DAY_MS && u < 0.051) return 'refunded';
  const v = rng.next();
  if (ageMs < 24 * HOUR_MS) return v < 0.4 ? 'pending' : 'paid';
  if (ageMs < 72 * HOUR_MS) return v < 0.3 ? 'paid' : 'shipped';
  if (ageMs < 8 * DAY_MS) return v < 0.6 ? 'shipped' : 'delivered';
  return 'delivered';
}

function localDate(day: ShopDay): string {
  return `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
}

import type { Product } from '../documents.js';
import type { DemoShopSpec } from './demo-shop.types.js';
import { SeededRandom, WeightedPicker, hashString } from './seeded-random.js';

const DAY_MS = 86_400_000;

/** A catalogue product plus what the order generator needs to sell it. */
export interface CatalogProduct {
  doc: Product;
  priceCents: number;
  /** Sold only inside [availableFromMs, availableUntilMs): launch and archive dates. */
  availableFromMs: number;
  availableUntilMs: number;
  /** Relative popularity within its category (Zipf-like, so there are bestsellers). */
  popularity: number;
}

export interface CatalogCategory {
  name: string;
  products: CatalogProduct[];
  picker: WeightedPicker<CatalogProduct>;
  /** Always on sale: the fallback when a random pick is not yet launched or archived. */
  evergreen: CatalogProduct;
}

export interface Catalog {
  products: CatalogProduct[];
  categories: Map<string, CatalogCategory>;
  categoryPicker: WeightedPicker<CatalogCategory>;
}

/**
 * Builds the catalogue from the shop spec alone (its own random stream), so
 * `plantedEffects` can rebuild it cheaply and name the spike product without
 * generating orders. Dates are relative to endDate.
 */
export function buildCatalog(spec: DemoShopSpec, endDate: Date): Catalog {
  const rng = new SeededRandom(spec.seed, hashString('catalog'));
  const endMs = endDate.getTime();
  const products: CatalogProduct[] = [];
  const categories = new Map<string, CatalogCategory>();
  let nextId = 1;

  for (const cat of spec.categories) {
    const names = productNames(rng, cat.modifiers, cat.nouns, cat.productCount);
    const catProducts: CatalogProduct[] = [];
    names.forEach((name, rank) => {
      const priceCents = retailPriceCents(rng, cat.priceRange);
      // Rank 0 is the category's evergreen bestseller: always active and on sale
      // across the whole window, so every category can always sell something.
      const roll = rank === 0 ? 1 : rng.next();
      const status: Product['status'] = roll < 0.06 ? 'draft' : roll < 0.14 ? 'archived' : 'active';
      let createdDaysAgo: number;
      let untilMs = Number.POSITIVE_INFINITY;
      let stock: number;
      if (status === 'draft') {
        createdDaysAgo = rng.int(2, 45);
        stock = rng.int(0, 50);
      } else if (status === 'archived') {
        createdDaysAgo = rng.int(400, 1100);
        untilMs = endMs - rng.int(30, 380) * DAY_MS;
        stock = 0;
      } else {
        createdDaysAgo = rank === 0 ? rng.int(900, 1400) : rng.int(30, 1100);
        // A few low-stock items, so "what is running low?" has an answer.
        stock = rng.chance(0.07) ? rng.int(0, 4) : rng.int(10, 400);
      }
      const createdMs = endMs - createdDaysAgo * DAY_MS - rng.int(0, 86_399) * 1000;
      const id = nextId++;
      const product: CatalogProduct = {
        doc: {
          id,
          shop_id: spec.shopId,
          name,
          sku: `${cat.code}-${String(id).padStart(4, '0')}`,
          category: cat.name,
          price: priceCents / 100,
          cost: Math.round(priceCents * (0.35 + rng.next() * 0.25)) / 100,
          stock_quantity: stock,
          status,
          created_at: new Date(createdMs),
        },
        priceCents,
        availableFromMs: status === 'draft' ? Number.POSITIVE_INFINITY : createdMs,
        availableUntilMs: untilMs,
        popularity: status === 'draft' ? 0 : 1 / Math.pow(rank + 1, 0.9),
      };
      catProducts.push(product);
      products.push(product);
    });
    const evergreen = catProducts[0];
    if (!evergreen) throw new Error(`category ${cat.name} has no products`);
    categories.set(cat.name, {
      name: cat.name,
      products: catProducts,
      picker: new WeightedPicker(
        catProducts,
        catProducts.map((p) => p.popularity),
      ),
      evergreen,
    });
  }

  const catList = spec.categories.map((c) => categories.get(c.name) as CatalogCategory);
  return {
    products,
    categories,
    categoryPicker: new WeightedPicker(
      catList,
      spec.categories.map((c) => c.weight),
    ),
  };
}

/**
 * A product on sale at `atMs`, by popularity. A few retries, then the evergreen
 * bestseller, keeps this O(1) instead of filtering the list per order.
 */
export function pickProduct(rng: SeededRandom, category: CatalogCategory, atMs: number): CatalogProduct {
  for (let attempt = 0; attempt < 6; attempt++) {
    const p = category.picker.pick(rng);
    if (atMs >= p.availableFromMs && atMs < p.availableUntilMs) return p;
  }
  return category.evergreen;
}

/**
 * The product that goes viral on the spike day: a mid-ranked, long-listed active
 * product (not the bestseller, so the spike has a visible cause of its own).
 */
export function spikeProduct(catalog: Catalog, categoryName: string, endDate: Date): CatalogProduct {
  const category = catalog.categories.get(categoryName);
  if (!category) throw new Error(`unknown spike category: ${categoryName}`);
  const launchedBy = endDate.getTime() - 200 * DAY_MS;
  const candidate = category.products.find(
    (p, rank) => rank >= 2 && p.doc.status === 'active' && p.availableFromMs < launchedBy,
  );
  return candidate ?? category.evergreen;
}

function productNames(rng: SeededRandom, modifiers: string[], nouns: string[], count: number): string[] {
  const combos: string[] = [];
  for (const m of modifiers) for (const n of nouns) combos.push(`${m} ${n}`);
  // Fisher–Yates with the seeded stream: a stable but unordered selection.
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [combos[i], combos[j]] = [combos[j] as string, combos[i] as string];
  }
  const names = combos.slice(0, count);
  for (let i = names.length; i < count; i++) names.push(`${combos[i % combos.length] ?? 'Item'} ${i}`);
  return names;
}

/** Log-uniform in range, ending in .95, .99 or .00 like real price tags. */
function retailPriceCents(rng: SeededRandom, [min, max]: [number, number]): number {
  const raw = Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min)));
  const whole = Math.max(1, Math.floor(raw));
  const ending = rng.pick([95, 99, 0, 95]);
  return ending === 0 ? whole * 100 : (whole - 1) * 100 + ending;
}

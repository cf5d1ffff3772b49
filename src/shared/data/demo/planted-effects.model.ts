import type { DemoShopSpec, PlantedEffects } from './demo-shop.types.js';
import { buildCatalog, spikeProduct } from './product-catalog.generator.js';
import { localMonth, spikeDayOf } from './shop-calendar.model.js';

/**
 * When and where the effects land. Everything hangs off endDate in the shop's
 * time zone, so "last month" / "anything unusual last month?" asked with
 * as_of = endDate always sees them.
 */
export interface PlantedPlan {
  collapse: { year: number; month: number; category: string; keep: number };
  spike: { date: string; multiplier: number; productId: number };
  growth: { country: string; startMs: number; endMs: number; endMultiplier: number };
}

export function plantedPlan(spec: DemoShopSpec, endDate: Date, spikeProductId: number): PlantedPlan {
  const last = localMonth(spec.timezone, endDate, -1);
  const rampStart = localMonth(spec.timezone, endDate, -6);
  return {
    collapse: {
      year: last.year,
      month: last.month,
      category: spec.planted.collapseCategory,
      keep: spec.planted.collapseKeep,
    },
    spike: {
      date: spikeDayOf(spec.timezone, last).date,
      multiplier: spec.planted.spikeMultiplier,
      productId: spikeProductId,
    },
    growth: {
      country: spec.planted.growthCountry,
      startMs: rampStart.start.getTime(),
      endMs: endDate.getTime(),
      endMultiplier: spec.planted.growthEndMultiplier,
    },
  };
}

/** Weight multiplier of the growth country at an instant: 1 before the ramp, linear up to endMultiplier. */
export function growthMultiplier(plan: PlantedPlan['growth'], atMs: number): number {
  if (atMs <= plan.startMs) return 1;
  const t = Math.min(1, (atMs - plan.startMs) / (plan.endMs - plan.startMs));
  return 1 + (plan.endMultiplier - 1) * t;
}

/** The planted effects of one shop, described for tests and acceptance checks. */
export function plantedEffects(spec: DemoShopSpec, endDate: Date): PlantedEffects {
  const catalog = buildCatalog(spec, endDate);
  const featured = spikeProduct(catalog, spec.planted.spikeCategory, endDate);
  const plan = plantedPlan(spec, endDate, Number(featured.doc.id));
  const last = localMonth(spec.timezone, endDate, -1);
  const previous = localMonth(spec.timezone, endDate, -2);
  const spikeDay = spikeDayOf(spec.timezone, last);

  const totalWeight = spec.countries.reduce((s, c) => s + c.weight, 0);
  const w = spec.countries.find((c) => c.name === spec.planted.growthCountry)?.weight ?? 0;
  const m = spec.planted.growthEndMultiplier;
  const round1 = (x: number): number => Math.round(x * 10) / 10;

  return {
    shopId: spec.shopId,
    timezone: spec.timezone,
    endDate,
    lastMonth: { label: last.label, start: last.start, end: last.end },
    previousMonth: { label: previous.label, start: previous.start, end: previous.end },
    categoryCollapse: {
      category: plan.collapse.category,
      month: last.label,
      start: last.start,
      end: last.end,
      expectedChangePct: round1(-(1 - plan.collapse.keep) * 100),
      story: `${plan.collapse.category} went out of stock for all of ${last.label}: about ${Math.round((1 - plan.collapse.keep) * 100)}% of its order lines were lost, which drags total revenue down that month.`,
    },
    countryGrowth: {
      country: plan.growth.country,
      start: new Date(plan.growth.startMs),
      end: endDate,
      endMultiplier: m,
      baseSharePct: round1((w / totalWeight) * 100),
      endSharePct: round1(((w * m) / (totalWeight - w + w * m)) * 100),
      story: `${plan.growth.country} grows steadily from ${new Date(plan.growth.startMs).toISOString().slice(0, 10)}: its share of orders roughly triples by the end date.`,
    },
    orderSpike: {
      date: spikeDay.date,
      start: spikeDay.start,
      end: spikeDay.end,
      orderMultiplier: plan.spike.multiplier,
      productId: plan.spike.productId,
      productName: featured.doc.name,
      category: spec.planted.spikeCategory,
      story: `On ${spikeDay.date} "${featured.doc.name}" went viral: about ${plan.spike.multiplier}× a normal day's orders, most of them for that product with a 25% promo discount, mostly new customers on mobile.`,
    },
  };
}

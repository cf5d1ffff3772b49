import type { DataStore, Pipeline } from '../data/data-store.js';
import { NON_REVENUE_STATUSES } from '../data/documents.js';
import type { Period } from './insight-period.resolver.js';

/**
 * The aggregation pipelines behind the analysis. Every one starts with the
 * shop's `$match` and the created_at bounds (the embedded store binary-searches
 * on those), and asks for both periods in one pass so a comparison costs one
 * scan, not two.
 */

export interface Totals {
  /** Sum of grand_total over orders that count towards revenue. */
  revenue: number;
  /** Orders of any status. */
  orders: number;
  /** Orders that count towards revenue (the AOV denominator). */
  revenueOrders: number;
  units: number;
}

export interface PeriodTotals {
  key: string;
  label: string;
  previous: Totals;
  current: Totals;
}

/** Line-level segments (category, product): line amounts, not grand_total. */
export interface LineSegment {
  key: string;
  label: string;
  previous: { revenue: number; units: number };
  current: { revenue: number; units: number };
}

export interface RecordedQuery {
  collection: 'order';
  pipeline: Pipeline;
}

const counted = { $not: [{ $in: ['$status', [...NON_REVENUE_STATUSES]] }] };

function windowMatch(shopId: number, from: Date, to: Date): Record<string, unknown> {
  return { $match: { shop_id: shopId, created_at: { $gte: from, $lt: to } } };
}

function spanOf(prev: Period, cur: Period): { from: Date; to: Date } {
  return {
    from: new Date(Math.min(prev.start.getTime(), cur.start.getTime())),
    to: new Date(Math.max(prev.end.getTime(), cur.end.getTime())),
  };
}

function inPeriod(p: Period): Record<string, unknown> {
  return { $and: [{ $gte: ['$created_at', p.start] }, { $lt: ['$created_at', p.end] }] };
}

/** $group accumulators for the four order-level totals in one period. */
function orderAccumulators(prefix: 'cur' | 'prev', p: Period): Record<string, unknown> {
  const isP = inPeriod(p);
  const isCounted = { $and: [isP, counted] };
  return {
    [`${prefix}Revenue`]: { $sum: { $cond: [isCounted, '$grand_total', 0] } },
    [`${prefix}Orders`]: { $sum: { $cond: [isP, 1, 0] } },
    [`${prefix}RevenueOrders`]: { $sum: { $cond: [isCounted, 1, 0] } },
    [`${prefix}Units`]: { $sum: { $cond: [isCounted, { $sum: '$items.quantity' }, 0] } },
  };
}

function totalsOf(row: Record<string, unknown>, prefix: 'cur' | 'prev'): Totals {
  const n = (k: string): number => Number(row[`${prefix}${k}`] ?? 0);
  return { revenue: n('Revenue'), orders: n('Orders'), revenueOrders: n('RevenueOrders'), units: n('Units') };
}

export function orderSegmentsPipeline(
  shopId: number,
  field: 'country' | 'channel' | null,
  prev: Period,
  cur: Period,
): Pipeline {
  const { from, to } = spanOf(prev, cur);
  return [
    windowMatch(shopId, from, to),
    {
      $group: {
        _id: field ? { $ifNull: [`$${field}`, 'unknown'] } : null,
        ...orderAccumulators('cur', cur),
        ...orderAccumulators('prev', prev),
      },
    },
  ];
}

/** Totals of both periods by an order attribute, or overall when field is null. */
export async function orderSegments(
  store: DataStore,
  shopId: number,
  field: 'country' | 'channel' | null,
  prev: Period,
  cur: Period,
): Promise<PeriodTotals[]> {
  const rows = await store.aggregate(shopId, 'order', orderSegmentsPipeline(shopId, field, prev, cur));
  return rows.map((r) => ({
    key: String(r._id ?? 'all'),
    label: String(r._id ?? 'all'),
    previous: totalsOf(r, 'prev'),
    current: totalsOf(r, 'cur'),
  }));
}

export function lineSegmentsPipeline(
  shopId: number,
  field: 'category' | 'product',
  prev: Period,
  cur: Period,
): Pipeline {
  const { from, to } = spanOf(prev, cur);
  const amount = { $multiply: ['$items.quantity', '$items.unit_price'] };
  const acc = (prefix: 'cur' | 'prev', p: Period): Record<string, unknown> => ({
    [`${prefix}Revenue`]: { $sum: { $cond: [inPeriod(p), amount, 0] } },
    [`${prefix}Units`]: { $sum: { $cond: [inPeriod(p), '$items.quantity', 0] } },
  });
  return [
    windowMatch(shopId, from, to),
    { $match: { status: { $nin: [...NON_REVENUE_STATUSES] } } },
    { $unwind: '$items' },
    {
      $group: {
        _id: field === 'category' ? { $ifNull: ['$items.category', 'uncategorised'] } : '$items.product_id',
        name: { $last: '$items.name' },
        ...acc('cur', cur),
        ...acc('prev', prev),
      },
    },
  ];
}

export async function lineSegments(
  store: DataStore,
  shopId: number,
  field: 'category' | 'product',
  prev: Period,
  cur: Period,
): Promise<LineSegment[]> {
  const rows = await store.aggregate(shopId, 'order', lineSegmentsPipeline(shopId, field, prev, cur));
  return rows.map((r) => ({
    key: String(r._id),
    label: field === 'category' ? String(r._id) : String(r.name ?? r._id),
    previous: { revenue: Number(r.prevRevenue ?? 0), units: Number(r.prevUnits ?? 0) },
    current: { revenue: Number(r.curRevenue ?? 0), units: Number(r.curUnits ?? 0) },
  }));
}

const CUSTOMER_TYPES = ['new', 'returning', 'guest'] as const;

/**
 * New vs returning: a customer is new in a period when their first order (of
 * any status, over the shop's whole history) falls in it. That needs the
 * history up to the current period's end, so this is the one scan that is not
 * bounded below.
 */
export function customerTypePipeline(shopId: number, prev: Period, cur: Period): Pipeline {
  const { to } = spanOf(prev, cur);
  const typeIn = (p: Period): Record<string, unknown> => ({
    $cond: [
      { $eq: ['$_id', null] },
      'guest',
      { $cond: [{ $and: [{ $gte: ['$first', p.start] }, { $lt: ['$first', p.end] }] }, 'new', 'returning'] },
    ],
  });
  const fields = ['Revenue', 'Orders', 'RevenueOrders', 'Units'];
  const second: Record<string, unknown> = { _id: null };
  for (const t of CUSTOMER_TYPES) {
    for (const prefix of ['cur', 'prev'] as const) {
      for (const f of fields) {
        second[`${t}_${prefix}${f}`] = {
          $sum: { $cond: [{ $eq: [`$${prefix}Type`, t] }, `$${prefix}${f}`, 0] },
        };
      }
    }
  }
  return [
    { $match: { shop_id: shopId, created_at: { $lt: to } } },
    {
      $group: {
        _id: { $ifNull: ['$customer_id', null] },
        first: { $min: '$created_at' },
        ...orderAccumulators('cur', cur),
        ...orderAccumulators('prev', prev),
      },
    },
    {
      $project: {
        curType: typeIn(cur),
        prevType: typeIn(prev),
        ...Object.fromEntries(fields.flatMap((f) => [[`cur${f}`, 1], [`prev${f}`, 1]])),
      },
    },
    { $group: second },
  ];
}

export async function customerTypeSegments(
  store: DataStore,
  shopId: number,
  prev: Period,
  cur: Period,
): Promise<PeriodTotals[]> {
  const [row] = await store.aggregate(shopId, 'order', customerTypePipeline(shopId, prev, cur));
  if (!row) return [];
  return CUSTOMER_TYPES.map((t) => {
    const sub = Object.fromEntries(
      Object.entries(row)
        .filter(([k]) => k.startsWith(`${t}_`))
        .map(([k, v]) => [k.slice(t.length + 1), v]),
    );
    return {
      key: t,
      label: `${t} customers`,
      previous: totalsOf(sub, 'prev'),
      current: totalsOf(sub, 'cur'),
    };
  }).filter((s) => s.previous.orders + s.current.orders > 0);
}

export interface DayPoint {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  key: string;
  totals: Totals;
}

export function dailyPipeline(
  shopId: number,
  from: Date,
  to: Date,
  timezone: string,
  field: 'country' | 'channel' | null,
): Pipeline {
  const all: Period = { start: from, end: to, label: '', unit: 'custom' };
  const day = { $dateToString: { format: '%Y-%m-%d', date: '$created_at', timezone } };
  return [
    windowMatch(shopId, from, to),
    {
      $group: {
        _id: field ? { day, key: { $ifNull: [`$${field}`, 'unknown'] } } : { day, key: 'all' },
        ...orderAccumulators('cur', all),
      },
    },
  ];
}

/** Per local day (and per segment when field is set) totals over [from, to). */
export async function dailyTotals(
  store: DataStore,
  shopId: number,
  from: Date,
  to: Date,
  timezone: string,
  field: 'country' | 'channel' | null = null,
): Promise<DayPoint[]> {
  const rows = await store.aggregate(shopId, 'order', dailyPipeline(shopId, from, to, timezone, field));
  return rows.map((r) => {
    const id = r._id as { day: string; key: string };
    return { day: id.day, key: String(id.key), totals: totalsOf(r, 'cur') };
  });
}

/** Per local day line-level revenue by category (for category trends). */
export async function dailyCategoryRevenue(
  store: DataStore,
  shopId: number,
  from: Date,
  to: Date,
  timezone: string,
): Promise<{ day: string; key: string; revenue: number; units: number }[]> {
  const day = { $dateToString: { format: '%Y-%m-%d', date: '$created_at', timezone } };
  const rows = await store.aggregate(shopId, 'order', [
    windowMatch(shopId, from, to),
    { $match: { status: { $nin: [...NON_REVENUE_STATUSES] } } },
    { $unwind: '$items' },
    {
      $group: {
        _id: { day, key: { $ifNull: ['$items.category', 'uncategorised'] } },
        revenue: { $sum: { $multiply: ['$items.quantity', '$items.unit_price'] } },
        units: { $sum: '$items.quantity' },
      },
    },
  ]);
  return rows.map((r) => {
    const id = r._id as { day: string; key: string };
    return { day: id.day, key: id.key, revenue: Number(r.revenue), units: Number(r.units) };
  });
}

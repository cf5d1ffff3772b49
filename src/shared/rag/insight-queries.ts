import { DateTime, IANAZone } from 'luxon';
import type { DataStore, Pipeline } from '../data/data-store.js';
import { NON_REVENUE_STATUSES } from '../data/documents.js';
import type { Period } from './insight-period.resolver.js';

/**
 * The aggregation pipelines behind the analysis. Every one starts with the
 * shop's `$match` and created_at bounds (the embedded store binary-searches on
 * those). Accumulators stay plain `$sum`s grouped by a string key that carries
 * the order status; status-dependent metrics are folded in code afterwards.
 * Measured on mingo: per-document `$cond` accumulators were 10–20× slower than
 * this, and compound `_id` objects hash slower than a concatenated string.
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

const SEP = '|';
const EXCLUDED = new Set<string>(NON_REVENUE_STATUSES);
export const zeroTotals = (): Totals => ({ revenue: 0, orders: 0, revenueOrders: 0, units: 0 });

function windowMatch(shopId: number, from: Date, to: Date): Record<string, unknown> {
  return { $match: { shop_id: shopId, created_at: { $gte: from, $lt: to } } };
}

/** `<key>|<status>`; status never contains the separator, so split at the last one. */
function keyWithStatus(keyExpr: unknown): Record<string, unknown> {
  return { $concat: [{ $toString: { $ifNull: [keyExpr, 'unknown'] } }, SEP, '$status'] };
}

function splitKey(id: unknown): { key: string; status: string } {
  const s = String(id);
  const i = s.lastIndexOf(SEP);
  return { key: s.slice(0, i), status: s.slice(i + 1) };
}

function addRow(t: Totals, status: string, row: Record<string, unknown>): void {
  const orders = Number(row.orders ?? 0);
  t.orders += orders;
  if (EXCLUDED.has(status)) return;
  t.revenue += Number(row.revenue ?? 0);
  t.revenueOrders += orders;
  t.units += Number(row.units ?? 0);
}

export function orderTotalsPipeline(shopId: number, field: string | null, p: Period): Pipeline {
  return [
    windowMatch(shopId, p.start, p.end),
    {
      $group: {
        _id: field ? keyWithStatus(`$${field}`) : keyWithStatus('all'),
        revenue: { $sum: '$grand_total' },
        orders: { $sum: 1 },
        units: { $sum: { $sum: '$items.quantity' } },
      },
    },
  ];
}

/** Totals of one period by an order attribute (or 'all'). */
export async function orderTotals(
  store: DataStore,
  shopId: number,
  field: 'country' | 'channel' | 'customer_id' | null,
  p: Period,
): Promise<Map<string, Totals>> {
  const rows = await store.aggregate(shopId, 'order', orderTotalsPipeline(shopId, field, p));
  const out = new Map<string, Totals>();
  for (const r of rows) {
    const { key, status } = splitKey(r._id);
    const t = out.get(key) ?? zeroTotals();
    addRow(t, status, r);
    out.set(key, t);
  }
  return out;
}

function pairUp(
  prev: Map<string, Totals>,
  cur: Map<string, Totals>,
  label = (k: string) => k,
): PeriodTotals[] {
  const keys = new Set([...prev.keys(), ...cur.keys()]);
  return [...keys].map((k) => ({
    key: k,
    label: label(k),
    previous: prev.get(k) ?? zeroTotals(),
    current: cur.get(k) ?? zeroTotals(),
  }));
}

/** Both periods' totals by an order attribute. */
export async function orderSegments(
  store: DataStore,
  shopId: number,
  field: 'country' | 'channel' | null,
  prev: Period,
  cur: Period,
): Promise<PeriodTotals[]> {
  const [a, b] = await Promise.all([
    orderTotals(store, shopId, field, prev),
    orderTotals(store, shopId, field, cur),
  ]);
  return pairUp(a, b);
}

export function sumTotals(segs: Iterable<Totals>): Totals {
  const t = zeroTotals();
  for (const s of segs) {
    t.revenue += s.revenue;
    t.orders += s.orders;
    t.revenueOrders += s.revenueOrders;
    t.units += s.units;
  }
  return t;
}

export function lineTotalsPipeline(
  shopId: number,
  field: 'category' | 'product',
  p: Period,
): Pipeline {
  return [
    windowMatch(shopId, p.start, p.end),
    { $match: { status: { $nin: [...NON_REVENUE_STATUSES] } } },
    { $unwind: '$items' },
    {
      $group: {
        _id:
          field === 'category'
            ? { $ifNull: ['$items.category', 'uncategorised'] }
            : '$items.product_id',
        name: { $last: '$items.name' },
        revenue: { $sum: { $multiply: ['$items.quantity', '$items.unit_price'] } },
        units: { $sum: '$items.quantity' },
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
  const [a, b] = await Promise.all(
    [prev, cur].map((p) => store.aggregate(shopId, 'order', lineTotalsPipeline(shopId, field, p))),
  );
  const out = new Map<string, LineSegment>();
  const get = (r: Record<string, unknown>): LineSegment => {
    const key = String(r._id);
    let s = out.get(key);
    if (!s) {
      s = {
        key,
        label: field === 'category' ? key : typeof r.name === 'string' ? r.name : key,
        previous: { revenue: 0, units: 0 },
        current: { revenue: 0, units: 0 },
      };
      out.set(key, s);
    }
    return s;
  };
  for (const r of a!)
    Object.assign(get(r).previous, { revenue: Number(r.revenue), units: Number(r.units) });
  for (const r of b!)
    Object.assign(get(r).current, { revenue: Number(r.revenue), units: Number(r.units) });
  return [...out.values()];
}

/**
 * New vs returning: a customer is new in a period when their first order (any
 * status, whole history) falls in it. Customers seen before a period's start
 * come from one distinct-ids scan of the history before the earlier period, plus
 * the customers of the earlier period itself (and of any gap between the two).
 */
export async function customerTypeSegments(
  store: DataStore,
  shopId: number,
  prev: Period,
  cur: Period,
): Promise<PeriodTotals[]> {
  const distinctBefore = async (from: Date | null, to: Date): Promise<Set<string>> => {
    const rows = await store.aggregate(shopId, 'order', [
      { $match: { shop_id: shopId, created_at: from ? { $gte: from, $lt: to } : { $lt: to } } },
      { $group: { _id: '$customer_id' } },
    ]);
    return new Set(
      rows.filter((r) => r._id !== null && r._id !== undefined).map((r) => String(r._id)),
    );
  };
  const [seenBeforePrev, gap, prevByCustomer, curByCustomer] = await Promise.all([
    distinctBefore(null, prev.start),
    prev.end < cur.start ? distinctBefore(prev.end, cur.start) : Promise.resolve(new Set<string>()),
    orderTotals(store, shopId, 'customer_id', prev),
    orderTotals(store, shopId, 'customer_id', cur),
  ]);
  const seenBeforeCur = new Set([
    ...seenBeforePrev,
    ...gap,
    ...[...prevByCustomer.keys()].filter((k) => k !== 'unknown'),
  ]);
  const fold = (byCustomer: Map<string, Totals>, seen: Set<string>): Map<string, Totals> => {
    const out = new Map<string, Totals>();
    for (const [id, t] of byCustomer) {
      const type = id === 'unknown' ? 'guest' : seen.has(id) ? 'returning' : 'new';
      out.set(type, sumTotals([out.get(type) ?? zeroTotals(), t]));
    }
    return out;
  };
  return pairUp(
    fold(prevByCustomer, seenBeforePrev),
    fold(curByCustomer, seenBeforeCur),
    (k) => `${k} customers`,
  );
}

export interface DayPoint {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  key: string;
  totals: Totals;
}

/**
 * Bucket expression that maps exactly onto local days. Fixed-offset zones
 * (UTC and the like) shift created_at and bucket by day. Zones with DST get
 * UTC hours, folded into local days in code: `$dateToString`'s `timezone` would
 * do it in MongoDB, but mingo only knows "Area/City" names (not "UTC", not
 * three-part names) and is slow at it. Zones off by 30/45 minutes still land
 * a few orders per day on the neighbouring day; none of the demo shops use one.
 */
function bucketExpr(timezone: string, at: Date): { expr: unknown; toDay: (b: string) => string } {
  const zone = IANAZone.create(timezone);
  const fixed =
    timezone === 'UTC' ||
    timezone === 'Etc/UTC' ||
    (zone.isValid &&
      zone.offset(at.getTime()) === zone.offset(at.getTime() + 182 * 864e5) &&
      zone.offset(at.getTime()) === zone.offset(at.getTime() + 91 * 864e5));
  if (fixed) {
    const offsetMs = (zone.isValid ? zone.offset(at.getTime()) : 0) * 60_000;
    return {
      expr: {
        $dateToString: {
          format: '%Y-%m-%d',
          date: offsetMs ? { $add: ['$created_at', offsetMs] } : '$created_at',
        },
      },
      toDay: (b) => b,
    };
  }
  return {
    expr: { $dateToString: { format: '%Y-%m-%dT%H', date: '$created_at' } },
    toDay: (b) =>
      DateTime.fromISO(`${b}:00:00`, { zone: 'utc' }).setZone(timezone).toISODate() ?? b,
  };
}

export function dailyPipeline(
  shopId: number,
  from: Date,
  to: Date,
  bucket: unknown,
  field: string | null,
): Pipeline {
  return [
    windowMatch(shopId, from, to),
    {
      $group: {
        _id: {
          $concat: [
            bucket,
            SEP,
            field ? { $toString: { $ifNull: [`$${field}`, 'unknown'] } } : 'all',
            SEP,
            '$status',
          ],
        },
        revenue: { $sum: '$grand_total' },
        orders: { $sum: 1 },
        units: { $sum: { $sum: '$items.quantity' } },
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
  const { expr, toDay } = bucketExpr(timezone, from);
  const rows = await store.aggregate(shopId, 'order', dailyPipeline(shopId, from, to, expr, field));
  const out = new Map<string, DayPoint>();
  for (const r of rows) {
    const [b, key, status] = String(r._id).split(SEP) as [string, string, string];
    const day = toDay(b);
    const id = `${day}${SEP}${key}`;
    const p = out.get(id) ?? { day, key, totals: zeroTotals() };
    addRow(p.totals, status, r);
    out.set(id, p);
  }
  return [...out.values()];
}

/** Per local day line-level revenue and units by category (for category trends). */
export async function dailyCategoryRevenue(
  store: DataStore,
  shopId: number,
  from: Date,
  to: Date,
  timezone: string,
): Promise<{ day: string; key: string; revenue: number; units: number }[]> {
  const { expr, toDay } = bucketExpr(timezone, from);
  const rows = await store.aggregate(shopId, 'order', [
    windowMatch(shopId, from, to),
    { $match: { status: { $nin: [...NON_REVENUE_STATUSES] } } },
    { $unwind: '$items' },
    {
      $group: {
        _id: { $concat: [expr, SEP, { $ifNull: ['$items.category', 'uncategorised'] }] },
        revenue: { $sum: { $multiply: ['$items.quantity', '$items.unit_price'] } },
        units: { $sum: '$items.quantity' },
      },
    },
  ]);
  const out = new Map<string, { day: string; key: string; revenue: number; units: number }>();
  for (const r of rows) {
    const s = String(r._id);
    const i = s.indexOf(SEP);
    const day = toDay(s.slice(0, i));
    const key = s.slice(i + 1);
    const p = out.get(`${day}${SEP}${key}`) ?? { day, key, revenue: 0, units: 0 };
    p.revenue += Number(r.revenue);
    p.units += Number(r.units);
    out.set(`${day}${SEP}${key}`, p);
  }
  return [...out.values()];
}

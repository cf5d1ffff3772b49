import { DateTime } from 'luxon';
import type { DataStore } from '../data/data-store.js';
import {
  decomposeAdditive,
  decomposeRatio,
  topDrivers,
  type Driver,
  type DriverDimension,
} from './decomposition.js';
import type { Period } from './insight-period.resolver.js';
import {
  customerTypeSegments,
  dailyCategoryRevenue,
  dailyTotals,
  lineSegments,
  orderSegments,
  orderTotalsPipeline,
  sumTotals,
  type LineSegment,
  type PeriodTotals,
  type RecordedQuery,
  type Totals,
} from './insight-queries.js';
import { mean, median, ols, pctChange, robustZScores } from './statistics.js';

export const INSIGHT_METRICS = ['revenue', 'orders', 'aov', 'units'] as const;
export type InsightMetric = (typeof INSIGHT_METRICS)[number];

export function metricValue(metric: InsightMetric, t: Totals): number {
  switch (metric) {
    case 'revenue':
      return t.revenue;
    case 'orders':
      return t.orders;
    case 'units':
      return t.units;
    case 'aov':
      return t.revenueOrders > 0 ? t.revenue / t.revenueOrders : 0;
  }
}

export interface ChangeAnalysis {
  metric: InsightMetric;
  previous: number;
  current: number;
  change: number;
  change_pct: number | null;
  /** Every segment of every dimension, each dimension sorted by contribution. */
  drivers: Driver[];
  /** The few that explain the change best, across dimensions. */
  top: Driver[];
  /**
   * Revenue only: the part of the change that product lines do not carry
   * (shipping, tax, order discounts), so category/product contributions sum to
   * change − unattributed.
   */
  unattributed: number | null;
  query: RecordedQuery;
}

/** Period-over-period change of a metric and its decomposition by segment. */
export async function analyzeChange(
  store: DataStore,
  shopId: number,
  metric: InsightMetric,
  prev: Period,
  cur: Period,
): Promise<ChangeAnalysis> {
  const lineDims = metric === 'revenue' || metric === 'units';
  const [countries, channels, customers, categories, products] = await Promise.all([
    orderSegments(store, shopId, 'country', prev, cur),
    orderSegments(store, shopId, 'channel', prev, cur),
    customerTypeSegments(store, shopId, prev, cur),
    lineDims ? lineSegments(store, shopId, 'category', prev, cur) : Promise.resolve([]),
    lineDims ? lineSegments(store, shopId, 'product', prev, cur) : Promise.resolve([]),
  ]);
  // Every order has exactly one country (or 'unknown'), so countries sum to the total.
  const total = {
    previous: sumTotals(countries.map((c) => c.previous)),
    current: sumTotals(countries.map((c) => c.current)),
  };
  const previous = metricValue(metric, total.previous);
  const current = metricValue(metric, total.current);
  const change = current - previous;

  const drivers: Driver[] = [];
  const orderDims: [DriverDimension, PeriodTotals[]][] = [
    ['country', countries],
    ['channel', channels],
    ['customer_type', customers],
  ];
  for (const [dim, segs] of orderDims) {
    if (metric === 'aov') {
      drivers.push(
        ...decomposeRatio(
          dim,
          segs.map((s) => ({
            key: s.key,
            label: s.label,
            prevNum: s.previous.revenue,
            prevDen: s.previous.revenueOrders,
            curNum: s.current.revenue,
            curDen: s.current.revenueOrders,
          })),
        ),
      );
    } else {
      drivers.push(
        ...decomposeAdditive(
          dim,
          segs.map((s) => ({
            key: s.key,
            label: s.label,
            previous: metricValue(metric, s.previous),
            current: metricValue(metric, s.current),
          })),
          change,
        ),
      );
    }
  }
  let unattributed: number | null = null;
  if (lineDims) {
    const pick = (s: LineSegment, p: 'previous' | 'current'): number =>
      metric === 'revenue' ? s[p].revenue : s[p].units;
    const lineChange = categories.reduce((a, s) => a + pick(s, 'current') - pick(s, 'previous'), 0);
    if (metric === 'revenue') unattributed = change - lineChange;
    for (const [dim, segs] of [
      ['category', categories],
      ['product', products],
    ] as const) {
      drivers.push(
        ...decomposeAdditive(
          dim,
          segs.map((s) => ({
            key: s.key,
            label: s.label,
            previous: pick(s, 'previous'),
            current: pick(s, 'current'),
          })),
          change,
        ),
      );
    }
  }
  return {
    metric,
    previous,
    current,
    change,
    change_pct: pctChange(previous, current),
    drivers,
    top: topDrivers(drivers, change),
    unattributed,
    query: { collection: 'order', pipeline: orderTotalsPipeline(shopId, 'country', cur) },
  };
}

export interface Anomaly {
  /** Local day YYYY-MM-DD (or the Monday of a week). */
  date: string;
  metric: 'revenue' | 'orders';
  value: number;
  /** The usual level: median of the baseline. */
  usual: number;
  excess: number;
  excess_pct: number | null;
  z: number;
  direction: 'high' | 'low';
  /** What sold unusually that day: products far above their daily average. */
  drivers: { label: string; value: number; usual: number }[];
}

/** Iglewicz & Hoaglin's cut-off for the modified z-score. */
export const ANOMALY_Z = 3.5;

function localDays(from: Date, to: Date, timezone: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromJSDate(from, { zone: timezone }).startOf('day');
  const end = DateTime.fromJSDate(to, { zone: timezone });
  while (d < end) {
    out.push(d.toISODate() ?? '');
    d = d.plus({ days: 1 });
  }
  return out;
}

/**
 * Days of `period` far from their usual level. The yardstick is the period
 * plus the 8 weeks before it, scored with median/MAD so the spike being looked
 * for does not hide itself by inflating a standard deviation.
 */
export async function analyzeAnomalies(
  store: DataStore,
  shopId: number,
  period: Period,
  timezone: string,
): Promise<{ anomalies: Anomaly[]; baselineDays: number }> {
  const from = DateTime.fromJSDate(period.start, { zone: timezone }).minus({ weeks: 8 }).toJSDate();
  const days = localDays(from, period.end, timezone);
  const points = await dailyTotals(store, shopId, from, period.end, timezone);
  const byDay = new Map(points.map((p) => [p.day, p.totals]));
  const inPeriod = new Set(localDays(period.start, period.end, timezone));
  const anomalies: Anomaly[] = [];
  for (const metric of ['revenue', 'orders'] as const) {
    const values = days.map(
      (d) => (metric === 'revenue' ? byDay.get(d)?.revenue : byDay.get(d)?.orders) ?? 0,
    );
    const z = robustZScores(values);
    const usual = median(values);
    days.forEach((d, i) => {
      const zi = z[i]!;
      if (!inPeriod.has(d) || Math.abs(zi) < ANOMALY_Z) return;
      const value = values[i]!;
      anomalies.push({
        date: d,
        metric,
        value,
        usual,
        excess: value - usual,
        excess_pct: pctChange(usual, value),
        z: zi,
        direction: zi > 0 ? 'high' : 'low',
        drivers: [],
      });
    });
  }
  anomalies.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  // Explain the strongest day: which products sold far above their daily average.
  const top = anomalies[0];
  if (top) {
    const dayStart = DateTime.fromISO(top.date, { zone: timezone });
    const dayPeriod: Period = {
      start: dayStart.toJSDate(),
      end: dayStart.plus({ days: 1 }).toJSDate(),
      label: top.date,
      unit: 'day',
    };
    const base: Period = { start: from, end: period.end, label: 'baseline', unit: 'custom' };
    const segs = await lineSegments(store, shopId, 'product', base, dayPeriod);
    const perDay = days.length;
    const drivers = segs
      .map((s) => ({
        label: s.label,
        value: s.current.revenue,
        usual: s.previous.revenue / perDay,
      }))
      .sort((a, b) => b.value - b.usual - (a.value - a.usual))
      .slice(0, 3);
    for (const a of anomalies) if (a.date === top.date) a.drivers = drivers;
  }
  return { anomalies, baselineDays: days.length };
}

export interface TrendFit {
  dimension: DriverDimension | 'total';
  key: string;
  label: string;
  /** Weekly values (week starting Monday, local). */
  points: { t: string; value: number }[];
  /** Change per week, in metric units. */
  slope: number;
  /** slope relative to the series' mean, percent per week. */
  slope_pct_per_week: number | null;
  /** Fitted change from the first to the last week, in percent of the first. */
  fitted_change_pct: number | null;
  t_stat: number;
  p_value: number;
  significant: boolean;
}

function weekOf(day: string, timezone: string): string {
  return DateTime.fromISO(day, { zone: timezone }).startOf('week').toISODate() ?? day;
}

export function fitTrend(
  dimension: TrendFit['dimension'],
  key: string,
  label: string,
  points: { t: string; value: number }[],
): TrendFit {
  const ys = points.map((p) => p.value);
  const fit = ols(
    ys.map((_, i) => i),
    ys,
  );
  const m = mean(ys);
  const first = fit.intercept;
  const last = fit.intercept + fit.slope * (ys.length - 1);
  return {
    dimension,
    key,
    label,
    points,
    slope: fit.slope,
    slope_pct_per_week: m > 0 ? (fit.slope / m) * 100 : null,
    fitted_change_pct: first > 0 ? ((last - first) / first) * 100 : null,
    t_stat: fit.tStat,
    p_value: fit.pValue,
    significant: fit.pValue < 0.05,
  };
}

/**
 * Weekly trend of a metric over `window`, for the shop and for each segment of
 * the asked dimensions. Segments are ranked by relative growth, so a country
 * that grows faster than the shop stands out even when everything grows.
 */
export async function analyzeTrends(
  store: DataStore,
  shopId: number,
  metric: InsightMetric,
  window: Period,
  timezone: string,
  dimensions: ('country' | 'channel' | 'category')[],
): Promise<{ total: TrendFit; segments: TrendFit[] }> {
  const weeks = [
    ...new Set(localDays(window.start, window.end, timezone).map((d) => weekOf(d, timezone))),
  ];
  const bucket = (
    rows: { day: string; key: string; value: number }[],
  ): Map<string, Map<string, number>> => {
    const out = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const w = weekOf(r.day, timezone);
      const m = out.get(r.key) ?? new Map<string, number>();
      m.set(w, (m.get(w) ?? 0) + r.value);
      out.set(r.key, m);
    }
    return out;
  };
  const series = (m: Map<string, number>): { t: string; value: number }[] =>
    weeks.map((w) => ({ t: w, value: m.get(w) ?? 0 }));

  // AOV is a ratio: sum numerator and denominator per week before dividing.
  const weekly = (
    rows: { day: string; key: string; totals: Totals }[],
  ): Map<string, { t: string; value: number }[]> => {
    const out = new Map<string, { t: string; value: number }[]>();
    if (metric === 'aov') {
      const rev = bucket(rows.map((r) => ({ day: r.day, key: r.key, value: r.totals.revenue })));
      const cnt = bucket(
        rows.map((r) => ({ day: r.day, key: r.key, value: r.totals.revenueOrders })),
      );
      for (const [k, m] of rev) {
        const c = cnt.get(k);
        out.set(
          k,
          weeks.map((w) => ({
            t: w,
            value: (c?.get(w) ?? 0) > 0 ? (m.get(w) ?? 0) / c!.get(w)! : 0,
          })),
        );
      }
      return out;
    }
    for (const [k, m] of bucket(
      rows.map((r) => ({ day: r.day, key: r.key, value: metricValue(metric, r.totals) })),
    )) {
      out.set(k, series(m));
    }
    return out;
  };

  const tasks: Promise<TrendFit[]>[] = [];
  const total = dailyTotals(store, shopId, window.start, window.end, timezone).then((rows) => {
    const s = weekly(rows).get('all') ?? series(new Map());
    return [fitTrend('total', 'all', 'total', s)];
  });
  for (const dim of dimensions) {
    if (dim === 'category') {
      tasks.push(
        dailyCategoryRevenue(store, shopId, window.start, window.end, timezone).then((rows) =>
          [
            ...bucket(
              rows.map((r) => ({
                day: r.day,
                key: r.key,
                value: metric === 'units' ? r.units : r.revenue,
              })),
            ),
          ].map(([k, m]) => fitTrend('category', k, k, series(m))),
        ),
      );
    } else {
      tasks.push(
        dailyTotals(store, shopId, window.start, window.end, timezone, dim).then((rows) =>
          [...weekly(rows)].map(([k, s]) => fitTrend(dim, k, k, s)),
        ),
      );
    }
  }
  const [totalFit, ...segs] = await Promise.all([total, ...tasks]);
  const segments = segs
    .flat()
    .filter((s) => mean(s.points.map((p) => p.value)) > 0)
    .sort((a, b) => (b.slope_pct_per_week ?? 0) - (a.slope_pct_per_week ?? 0));
  return { total: totalFit[0]!, segments };
}

export interface Mover {
  dimension: 'product' | 'category';
  key: string;
  label: string;
  previous: number;
  current: number;
  change: number;
  change_pct: number | null;
}

/** Products and categories whose revenue moved most between the periods, up and down. */
export async function analyzeTopMovers(
  store: DataStore,
  shopId: number,
  prev: Period,
  cur: Period,
  n = 5,
): Promise<{ up: Mover[]; down: Mover[] }> {
  const [cats, prods] = await Promise.all([
    lineSegments(store, shopId, 'category', prev, cur),
    lineSegments(store, shopId, 'product', prev, cur),
  ]);
  const movers: Mover[] = [
    ...cats.map((s) => toMover('category', s)),
    ...prods.map((s) => toMover('product', s)),
  ];
  const up = movers
    .filter((m) => m.change > 0)
    .sort((a, b) => b.change - a.change)
    .slice(0, n);
  const down = movers
    .filter((m) => m.change < 0)
    .sort((a, b) => a.change - b.change)
    .slice(0, n);
  return { up, down };
}

function toMover(dimension: 'product' | 'category', s: LineSegment): Mover {
  return {
    dimension,
    key: s.key,
    label: s.label,
    previous: s.previous.revenue,
    current: s.current.revenue,
    change: s.current.revenue - s.previous.revenue,
    change_pct: pctChange(s.previous.revenue, s.current.revenue),
  };
}

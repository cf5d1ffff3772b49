import type { Pipeline, PipelineStage } from '../data/data-store.js';
import { NON_REVENUE_STATUSES, type CollectionName } from '../data/documents.js';
import { isShareMetric, METRICS } from './catalogue.js';
import {
  isTimeDimension,
  type DimensionFilter,
  type DimensionId,
  type MetricId,
  type QueryFilter,
  type StructuredQuery,
  type TimeDimension,
} from './structured-query.js';

/** Metrics over "orders not cancelled or refunded" (DESIGN.md). */
const REVENUE_METRICS: MetricId[] = [
  'revenue',
  'average_order_value',
  'units_sold',
  'largest_order',
  'revenue_share',
];

const ORDER_FIELDS: Record<string, string> = {
  country: 'country',
  channel: 'channel',
  status: 'status',
  payment_method: 'payment_method',
  customer: 'customer_id',
  product: 'items.name',
  category: 'items.category',
};
const PRODUCT_FIELDS: Record<string, string> = {
  category: 'category',
  product: 'name',
  product_status: 'status',
  status: 'status',
};
const CUSTOMER_FIELDS: Record<string, string> = { country: 'country' };

type Expr = unknown;

function fieldsOf(collection: CollectionName): Record<string, string> {
  return collection === 'order'
    ? ORDER_FIELDS
    : collection === 'product'
      ? PRODUCT_FIELDS
      : CUSTOMER_FIELDS;
}

function addCondition(
  match: Record<string, unknown>,
  field: string,
  cond: Record<string, unknown>,
): void {
  match[field] = { ...(match[field] ?? {}), ...cond };
}

function filterMatch(collection: CollectionName, filters: QueryFilter[]): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  const fields = fieldsOf(collection);
  for (const f of filters) {
    if (f.kind === 'amount') {
      addCondition(match, f.field, { [`$${f.op}`]: f.value });
      continue;
    }
    const field = fields[f.dimension];
    if (!field) continue;
    // Two negated filters on one field would overwrite each other's $nin; merge them.
    const key = f.negate ? '$nin' : '$in';
    const prior = (match[field] as Record<string, unknown[]> | undefined)?.[key] ?? [];
    addCondition(match, field, { [key]: [...prior, ...f.values] });
  }
  return match;
}

function dateBounds(
  q: StructuredQuery,
  collection: 'order' | 'product' | 'customer',
): { $gte?: Date; $lt?: Date } | null {
  const ranges = [q.range, q.compare?.range].filter(
    (r): r is NonNullable<typeof r> => r !== null && r !== undefined,
  );
  if (ranges.length === 0 || !q.range) {
    // "All time" is all time up to as_of: orders after it are the future of
    // whoever asks as of then. Products and customers are the current state.
    const asOf = Date.parse(q.asOf);
    return collection === 'order' && Number.isFinite(asOf) ? { $lt: new Date(asOf) } : null;
  }
  const start = Math.min(...ranges.map((r) => Date.parse(r.start)));
  const end = Math.max(...ranges.map((r) => Date.parse(r.end)));
  return { $gte: new Date(start), $lt: new Date(end) };
}

function inRange(dateExpr: string, r: { start: string; end: string }): Expr {
  return { $and: [{ $gte: [dateExpr, new Date(r.start)] }, { $lt: [dateExpr, new Date(r.end)] }] };
}

/**
 * mingo reads only "Area/City" names or offsets, MongoDB reads both; "UTC" is
 * spelt "Etc/UTC" so the same pipeline runs on either store.
 */
function pipelineZone(zone: string): string {
  return /^(utc|gmt|z|etc\/utc|etc\/gmt|universal|zulu)$/i.test(zone) ? 'Etc/UTC' : zone;
}

const QUARTER_START_MONTH = [
  '01',
  '01',
  '01',
  '04',
  '04',
  '04',
  '07',
  '07',
  '07',
  '10',
  '10',
  '10',
];

/**
 * Bucket start of a date in the shop's zone, as "YYYY-MM-DD"; weeks start on
 * Monday. Built from $dateToString rather than $dateTrunc because mingo 7
 * truncates January to the next year's January for month and quarter units.
 */
export function bucketExpr(dateExpr: string, unit: TimeDimension, zone: string): Expr {
  const timezone = pipelineZone(zone);
  const fmt = (format: string, date: Expr = dateExpr): Expr => ({
    $dateToString: { format, date, timezone },
  });
  switch (unit) {
    case 'day':
      return fmt('%Y-%m-%d');
    case 'month':
      return fmt('%Y-%m-01');
    case 'year':
      return fmt('%Y-01-01');
    case 'quarter':
      return {
        $concat: [
          fmt('%Y-'),
          {
            $arrayElemAt: [
              QUARTER_START_MONTH,
              { $subtract: [{ $month: { date: dateExpr, timezone } }, 1] },
            ],
          },
          '-01',
        ],
      };
    case 'week': {
      // The local calendar date as a UTC midnight, then back to its Monday: day
      // arithmetic in UTC never meets a DST jump. ($dateTrunc with a zone is wrong in mingo 7.)
      const localDay = { $dateFromString: { dateString: fmt('%Y-%m-%d'), format: '%Y-%m-%d' } };
      const back = {
        $multiply: [
          { $subtract: [{ $isoDayOfWeek: { date: dateExpr, timezone } }, 1] },
          86_400_000,
        ],
      };
      return { $dateToString: { format: '%Y-%m-%d', date: { $subtract: [localDay, back] } } };
    }
  }
}

function isLineLevel(q: StructuredQuery): boolean {
  const lineDims = q.groupBy === 'product' || q.groupBy === 'category';
  const lineFilter = q.filters.some(
    (f) => f.kind === 'dimension' && (f.dimension === 'product' || f.dimension === 'category'),
  );
  if (q.metric === 'units_sold') return true;
  if (q.metric === 'revenue' || q.metric === 'revenue_share') return lineDims || lineFilter;
  return lineDims && (q.metric === 'order_count' || q.metric === 'ordering_customers');
}

function keyExpr(q: StructuredQuery, dateField: string, shareDim: DimensionId | null): Expr {
  const dim = shareDim ?? q.groupBy;
  if (!dim) return null;
  if (isTimeDimension(dim)) return bucketExpr(dateField, dim, q.timezone);
  return `$${fieldsOf(METRICS[q.metric].collection)[dim] ?? dim}`;
}

/** The accumulators of one group, and how to turn them into `value`. */
function measure(metric: MetricId, line: boolean): { acc: Record<string, unknown>; value: Expr } {
  const lineAmount = { $multiply: ['$items.quantity', '$items.unit_price'] };
  const statusIs = (s: string): Expr => ({ $cond: [{ $eq: ['$status', s] }, 1, 0] });
  const pct = (num: string, den: string): Expr => ({
    $cond: [{ $eq: [den, 0] }, null, { $multiply: [{ $divide: [num, den] }, 100] }],
  });
  switch (metric) {
    case 'revenue':
    case 'revenue_share':
      return { acc: { v: { $sum: line ? lineAmount : '$grand_total' } }, value: '$v' };
    case 'units_sold':
      return { acc: { v: { $sum: '$items.quantity' } }, value: '$v' };
    case 'average_order_value':
      return {
        acc: { rev: { $sum: '$grand_total' }, n: { $sum: 1 } },
        value: { $cond: [{ $eq: ['$n', 0] }, null, { $divide: ['$rev', '$n'] }] },
      };
    case 'largest_order':
      return { acc: { v: { $max: '$grand_total' } }, value: '$v' };
    case 'refund_count':
      return { acc: { v: { $sum: statusIs('refunded') } }, value: '$v' };
    case 'cancellation_count':
      return { acc: { v: { $sum: statusIs('cancelled') } }, value: '$v' };
    case 'refund_rate':
      return {
        acc: { hit: { $sum: statusIs('refunded') }, n: { $sum: 1 } },
        value: pct('$hit', '$n'),
      };
    case 'cancellation_rate':
      return {
        acc: { hit: { $sum: statusIs('cancelled') }, n: { $sum: 1 } },
        value: pct('$hit', '$n'),
      };
    case 'stock_on_hand':
      return { acc: { v: { $sum: { $ifNull: ['$stock_quantity', 0] } } }, value: '$v' };
    default:
      return { acc: { v: { $sum: 1 } }, value: '$v' };
  }
}

/**
 * StructuredQuery → one aggregation pipeline for the DataStore. The first stage
 * is always `{ $match: { shop_id, created_at bounds, filters } }` so both stores
 * can use their indexes (the embedded store narrows by it). Rows come out as
 * `{ key, value, previous?, label? }`: key null for a single number, the bucket
 * start "YYYY-MM-DD" for time, the stored value otherwise.
 */
export function compileQuery(
  q: StructuredQuery,
  shopId: number,
): { collection: 'order' | 'product' | 'customer'; pipeline: Pipeline } {
  const def = METRICS[q.metric];
  const collection = def.collection;
  const line = collection === 'order' && isLineLevel(q);
  // A scalar share ("share of revenue from Germany") ranks the filter's dimension and keeps its rows.
  const dimensionFilters = q.filters.filter((f): f is DimensionFilter => f.kind === 'dimension');
  const shareFilter =
    isShareMetric(q.metric) && !q.groupBy
      ? (dimensionFilters.find((f) => !f.negate) ?? dimensionFilters[0] ?? null)
      : null;
  const preFilters = q.filters.filter((f) => f !== shareFilter);
  const first: Record<string, unknown> = { shop_id: shopId };
  const bounds = dateBounds(q, collection);
  const newCustomers = q.metric === 'new_customers';
  if (bounds) first.created_at = newCustomers ? { $lt: bounds.$lt } : bounds;
  // On line amounts, "excluding Beverages" drops Beverages lines after $unwind;
  // excluding here would drop every order that has one, with its other lines.
  const isLineFilter = (f: QueryFilter): f is DimensionFilter =>
    f.kind === 'dimension' && (f.dimension === 'product' || f.dimension === 'category');
  const orderFilters = line ? preFilters.filter((f) => !(isLineFilter(f) && f.negate)) : preFilters;
  // A new customer is new by their first order of any kind: "new customers via
  // web" are those whose first order came via web, so filters judge that order.
  if (!newCustomers) Object.assign(first, filterMatch(collection, orderFilters));
  if (collection === 'order' && REVENUE_METRICS.includes(q.metric)) {
    const explicit = preFilters.some(
      (f) => f.kind === 'dimension' && f.dimension === 'status' && !f.negate,
    );
    if (!explicit)
      addCondition(first, 'status', {
        $nin: [...((first.status as { $nin?: string[] })?.$nin ?? []), ...NON_REVENUE_STATUSES],
      });
  }
  if (newCustomers || q.metric === 'ordering_customers')
    addCondition(first, 'customer_id', { $ne: null });

  const pipeline: Pipeline = [{ $match: first }];
  let dateField = '$created_at';
  if (line) {
    pipeline.push({ $unwind: '$items' });
    const itemFilters = preFilters.filter(isLineFilter);
    if (itemFilters.length > 0) pipeline.push({ $match: filterMatch('order', itemFilters) });
  }
  if (newCustomers) {
    const onFirst = filterMatch(collection, orderFilters);
    // "new customers by country": the country of each customer's first order,
    // as filters judge that order too.
    const byField =
      q.groupBy && !isTimeDimension(q.groupBy) ? fieldsOf('order')[q.groupBy] : undefined;
    const fields = [...new Set([...Object.keys(onFirst), ...(byField ? [byField] : [])])];
    if (fields.length === 0) {
      pipeline.push({ $group: { _id: '$customer_id', first: { $min: '$created_at' } } });
    } else {
      pipeline.push(
        { $sort: { created_at: 1, id: 1 } },
        {
          $group: {
            _id: '$customer_id',
            first: { $first: '$created_at' },
            ...Object.fromEntries(fields.map((f) => [f, { $first: `$${f}` }])),
          },
        },
        ...(Object.keys(onFirst).length > 0 ? [{ $match: onFirst }] : []),
      );
    }
    dateField = '$first';
    if (bounds) pipeline.push({ $match: { first: bounds } });
  }

  const key = keyExpr(
    q,
    dateField,
    shareFilter && shareFilter.dimension !== 'product_status' ? shareFilter.dimension : null,
  );
  // Documents between the two periods (a year-over-year gap) belong to neither.
  const period: Expr =
    q.compare && q.range
      ? {
          $cond: [
            inRange(dateField, q.range),
            'current',
            { $cond: [inRange(dateField, q.compare.range), 'previous', null] },
          ],
        }
      : null;
  const { acc, value } = measure(q.metric, line);
  const distinct =
    q.metric === 'ordering_customers'
      ? '$customer_id'
      : line && q.metric === 'order_count'
        ? '$id'
        : null;
  if (distinct) {
    pipeline.push({ $group: { _id: { k: key, p: period, d: distinct } } });
    pipeline.push({ $group: { _id: { k: '$_id.k', p: '$_id.p' }, v: { $sum: 1 } } });
  } else {
    pipeline.push({ $group: { _id: { k: key, p: period }, ...acc } });
  }
  pipeline.push({
    $project: { _id: 0, key: '$_id.k', p: '$_id.p', value: distinct ? '$v' : value },
  });

  if (period) {
    pipeline.push({ $match: { p: { $ne: null } } });
    const pick = (p: string): Expr => ({ $sum: { $cond: [{ $eq: ['$p', p] }, '$value', 0] } });
    pipeline.push({ $group: { _id: '$key', value: pick('current'), previous: pick('previous') } });
    pipeline.push({ $project: { _id: 0, key: '$_id', value: 1, previous: 1 } });
  }
  if (isShareMetric(q.metric)) pipeline.push(...shareStages(Boolean(period), shareFilter));
  if (q.groupBy) appendOrdering(pipeline, q, shopId);
  return { collection, pipeline };
}

/**
 * Each row's value in percent of the rows' total; with a comparison, the
 * previous period's share of its own total too. A scalar share (one filter
 * value, or several) keeps the filter's rows and adds their shares.
 */
function shareStages(compared: boolean, shareFilter: DimensionFilter | null): PipelineStage[] {
  const percentOf = (part: string, total: string): Expr => ({
    $cond: [{ $eq: [total, 0] }, null, { $multiply: [{ $divide: [part, total] }, 100] }],
  });
  const stages: PipelineStage[] = [
    {
      $group: {
        _id: null,
        rows: { $push: { key: '$key', v: '$value', ...(compared ? { pv: '$previous' } : {}) } },
        total: { $sum: '$value' },
        ...(compared ? { ptotal: { $sum: '$previous' } } : {}),
      },
    },
    { $unwind: '$rows' },
    {
      $project: {
        _id: 0,
        key: '$rows.key',
        value: percentOf('$rows.v', '$total'),
        ...(compared ? { previous: percentOf('$rows.pv', '$ptotal') } : {}),
      },
    },
  ];
  if (shareFilter) {
    stages.push(
      { $match: { key: { [shareFilter.negate ? '$nin' : '$in']: shareFilter.values } } },
      {
        $group: {
          _id: null,
          value: { $sum: '$value' },
          ...(compared ? { previous: { $sum: '$previous' } } : {}),
        },
      },
      { $project: { _id: 0, key: null, value: 1, ...(compared ? { previous: 1 } : {}) } },
    );
  }
  return stages;
}

function customerLookup(shopId: number): PipelineStage[] {
  const c = '$$c';
  const company = { $ifNull: [`${c}.company`, ''] };
  return [
    {
      $lookup: {
        from: 'customer',
        let: { cid: '$key' },
        // shop_id inside the sub-pipeline: a lookup never reads another shop's customers.
        pipeline: [
          { $match: { shop_id: shopId, $expr: { $eq: ['$id', '$$cid'] } } },
          { $project: { _id: 0, company: 1, first_name: 1, last_name: 1 } },
        ],
        as: 'customer',
      },
    },
    {
      $addFields: {
        label: {
          $let: {
            vars: { c: { $arrayElemAt: ['$customer', 0] } },
            in: {
              $cond: [
                { $gt: [{ $strLenCP: company }, 0] },
                company,
                {
                  $trim: {
                    input: {
                      $concat: [
                        { $ifNull: [`${c}.first_name`, ''] },
                        ' ',
                        { $ifNull: [`${c}.last_name`, ''] },
                      ],
                    },
                  },
                },
              ],
            },
          },
        },
      },
    },
    { $project: { customer: 0 } },
  ];
}

function appendOrdering(pipeline: Pipeline, q: StructuredQuery, shopId: number): void {
  const customer = q.groupBy === 'customer';
  // Guest orders (no customer) are no customer's: they are left out of a
  // customer breakdown, after any share was taken of all orders.
  if (customer) pipeline.push({ $match: { key: { $ne: null } } });
  const byLabel = q.sort.by === 'label';
  if (customer && byLabel) pipeline.push(...customerLookup(shopId));
  const dir = q.sort.order === 'asc' ? 1 : -1;
  // Ties broken by key so the order is the same on every store and every run.
  pipeline.push({
    $sort: byLabel ? { [customer ? 'label' : 'key']: dir, key: 1 } : { value: dir, key: 1 },
  });
  if (q.limit !== null) pipeline.push({ $limit: q.limit });
  if (customer && !byLabel) pipeline.push(...customerLookup(shopId));
}

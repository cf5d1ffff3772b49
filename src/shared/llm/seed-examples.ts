import type { CollectionName } from '../data/documents.js';

/**
 * A verified question→pipeline pair, used as a few-shot example in Tier 2
 * prompts. Pipelines are written without `shop_id`: the prompt puts the asking
 * shop's id in, and the guard forces it anyway. Dates are EJSON `{ $date }`.
 */
export interface VerifiedExample {
  question: string;
  collection: CollectionName;
  pipeline: Record<string, unknown>[];
  /** Instant the question's relative dates were resolved against (unknown for vector-store hits). */
  as_of?: string;
  timezone?: string;
  /** `retrieved`: from the vector store, which does not say where it came from. */
  source: 'seed' | 'tier1' | 'feedback' | 'retrieved';
}

const d = (iso: string) => ({ $date: iso });
const AS_OF = '2026-11-23T09:00:00.000Z';
const REVENUE_STATUSES = { status: { $nin: ['cancelled', 'refunded'] } };

function seed(
  question: string,
  collection: CollectionName,
  pipeline: Record<string, unknown>[],
): VerifiedExample {
  return { question, collection, pipeline, as_of: AS_OF, timezone: 'UTC', source: 'seed' };
}

/**
 * The shared seed set: long-tail questions of the kinds Tier 1 does not
 * compile, each checked by `test/integration/llm/seed-examples.test.ts` (the
 * guard accepts it and it runs on the embedded store). Reference date
 * 2026-11-23 (a Monday), UTC.
 */
export const SEED_EXAMPLES: readonly VerifiedExample[] = Object.freeze([
  seed('Which customers ordered more than 3 times last month?', 'order', [
    { $match: { created_at: { $gte: d('2026-10-01T00:00:00Z'), $lt: d('2026-11-01T00:00:00Z') } } },
    { $group: { _id: '$customer_id', orders: { $sum: 1 } } },
    { $match: { orders: { $gt: 3 } } },
    { $sort: { orders: -1 } },
    { $project: { _id: 0, customer_id: '$_id', orders: 1 } },
  ]),
  seed('What share of orders used each payment method this year?', 'order', [
    { $match: { created_at: { $gte: d('2026-01-01T00:00:00Z'), $lt: d('2026-11-23T09:00:00Z') } } },
    { $group: { _id: '$payment_method', orders: { $sum: 1 } } },
    {
      $setWindowFields: {
        output: { total: { $sum: '$orders', window: { documents: ['unbounded', 'unbounded'] } } },
      },
    },
    {
      $project: {
        _id: 0,
        payment_method: '$_id',
        orders: 1,
        share_pct: { $round: [{ $multiply: [{ $divide: ['$orders', '$total'] }, 100] }, 1] },
      },
    },
    { $sort: { orders: -1 } },
  ]),
  seed('Which products have never been ordered?', 'product', [
    {
      $lookup: { from: 'order', localField: 'id', foreignField: 'items.product_id', as: 'orders' },
    },
    { $match: { orders: { $size: 0 } } },
    { $project: { _id: 0, id: 1, name: 1, category: 1 } },
    { $sort: { name: 1 } },
  ]),
  seed('What is the average number of items per order in October?', 'order', [
    { $match: { created_at: { $gte: d('2026-10-01T00:00:00Z'), $lt: d('2026-11-01T00:00:00Z') } } },
    { $project: { units: { $sum: '$items.quantity' } } },
    { $group: { _id: null, avg_units_per_order: { $avg: '$units' } } },
    { $project: { _id: 0, avg_units_per_order: { $round: ['$avg_units_per_order', 2] } } },
  ]),
  seed('Which day of the week brings the most revenue?', 'order', [
    { $match: REVENUE_STATUSES },
    { $group: { _id: { $isoDayOfWeek: '$created_at' }, revenue: { $sum: '$grand_total' } } },
    { $sort: { revenue: -1 } },
    { $project: { _id: 0, iso_day_of_week: '$_id', revenue: { $round: ['$revenue', 2] } } },
  ]),
  seed('Who are the 5 customers with the highest lifetime spend, by name?', 'order', [
    { $match: REVENUE_STATUSES },
    { $group: { _id: '$customer_id', revenue: { $sum: '$grand_total' } } },
    { $sort: { revenue: -1 } },
    { $limit: 5 },
    { $lookup: { from: 'customer', localField: '_id', foreignField: 'id', as: 'customer' } },
    { $unwind: '$customer' },
    {
      $project: {
        _id: 0,
        customer: {
          $ifNull: [
            '$customer.company',
            { $concat: ['$customer.first_name', ' ', '$customer.last_name'] },
          ],
        },
        revenue: { $round: ['$revenue', 2] },
      },
    },
  ]),
  seed('How many orders had a discount last week?', 'order', [
    {
      $match: {
        created_at: { $gte: d('2026-11-16T00:00:00Z'), $lt: d('2026-11-23T00:00:00Z') },
        discount: { $gt: 0 },
      },
    },
    { $count: 'orders' },
  ]),
  seed('What is the total shipping charged per country in 2025?', 'order', [
    { $match: { created_at: { $gte: d('2025-01-01T00:00:00Z'), $lt: d('2026-01-01T00:00:00Z') } } },
    { $group: { _id: '$country', shipping: { $sum: '$shipping' } } },
    { $sort: { shipping: -1 } },
    { $project: { _id: 0, country: '$_id', shipping: { $round: ['$shipping', 2] } } },
  ]),
  seed('Which products sold more than 100 units in the last 30 days?', 'order', [
    {
      $match: {
        created_at: { $gte: d('2026-10-24T00:00:00Z'), $lt: d('2026-11-23T00:00:00Z') },
        ...REVENUE_STATUSES,
      },
    },
    { $unwind: '$items' },
    { $group: { _id: '$items.name', units: { $sum: '$items.quantity' } } },
    { $match: { units: { $gt: 100 } } },
    { $sort: { units: -1 } },
    { $project: { _id: 0, product: '$_id', units: 1 } },
  ]),
  seed('What is the gross margin by category this year?', 'order', [
    {
      $match: {
        created_at: { $gte: d('2026-01-01T00:00:00Z'), $lt: d('2026-11-23T09:00:00Z') },
        ...REVENUE_STATUSES,
      },
    },
    { $unwind: '$items' },
    {
      $lookup: {
        from: 'product',
        localField: 'items.product_id',
        foreignField: 'id',
        as: 'product',
      },
    },
    { $unwind: '$product' },
    {
      $group: {
        _id: '$items.category',
        revenue: { $sum: { $multiply: ['$items.quantity', '$items.unit_price'] } },
        cost: { $sum: { $multiply: ['$items.quantity', { $ifNull: ['$product.cost', 0] }] } },
      },
    },
    {
      $project: {
        _id: 0,
        category: '$_id',
        revenue: { $round: ['$revenue', 2] },
        margin: { $round: [{ $subtract: ['$revenue', '$cost'] }, 2] },
      },
    },
    { $sort: { margin: -1 } },
  ]),
  seed('How many customers have a company name?', 'customer', [
    { $match: { company: { $nin: [null, ''] } } },
    { $count: 'customers' },
  ]),
  seed('What is the largest single order ever, and who placed it?', 'order', [
    { $sort: { grand_total: -1 } },
    { $limit: 1 },
    { $project: { _id: 0, order_id: '$id', customer_id: 1, grand_total: 1, created_at: 1 } },
  ]),
  seed('Running total of revenue by month in 2026', 'order', [
    {
      $match: {
        created_at: { $gte: d('2026-01-01T00:00:00Z'), $lt: d('2027-01-01T00:00:00Z') },
        ...REVENUE_STATUSES,
      },
    },
    {
      $group: {
        _id: { $dateToString: { format: '%Y-%m', date: '$created_at' } },
        revenue: { $sum: '$grand_total' },
      },
    },
    { $sort: { _id: 1 } },
    {
      $setWindowFields: {
        sortBy: { _id: 1 },
        output: {
          running_revenue: { $sum: '$revenue', window: { documents: ['unbounded', 'current'] } },
        },
      },
    },
    {
      $project: {
        _id: 0,
        month: '$_id',
        revenue: { $round: ['$revenue', 2] },
        running_revenue: { $round: ['$running_revenue', 2] },
      },
    },
  ]),
  seed('Which products are low on stock but sold in the last 7 days?', 'product', [
    { $match: { status: 'active', stock_quantity: { $lt: 10 } } },
    {
      $lookup: {
        from: 'order',
        let: { pid: '$id' },
        pipeline: [
          {
            $match: {
              created_at: { $gte: d('2026-11-16T00:00:00Z'), $lt: d('2026-11-23T00:00:00Z') },
            },
          },
          { $match: { $expr: { $in: ['$$pid', '$items.product_id'] } } },
          { $limit: 1 },
        ],
        as: 'recent',
      },
    },
    { $match: { 'recent.0': { $exists: true } } },
    { $project: { _id: 0, name: 1, stock_quantity: 1 } },
    { $sort: { stock_quantity: 1 } },
  ]),
  seed('How many orders per status in the last 90 days, as a count and a share?', 'order', [
    { $match: { created_at: { $gte: d('2026-08-25T00:00:00Z'), $lt: d('2026-11-23T00:00:00Z') } } },
    {
      $facet: {
        by_status: [{ $group: { _id: '$status', orders: { $sum: 1 } } }],
        total: [{ $count: 'orders' }],
      },
    },
    { $unwind: '$by_status' },
    { $unwind: '$total' },
    {
      $project: {
        status: '$by_status._id',
        orders: '$by_status.orders',
        share_pct: {
          $round: [{ $multiply: [{ $divide: ['$by_status.orders', '$total.orders'] }, 100] }, 1],
        },
      },
    },
    { $sort: { orders: -1 } },
  ]),
]);

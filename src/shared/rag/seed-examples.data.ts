import type { Pipeline } from '../data/data-store.js';
import type { CollectionName } from '../data/documents.js';

/**
 * Verified question → pipeline pairs every shop may use as few-shot examples
 * (stored under shop_id 0). shop_id 0 is a placeholder: Tier 2's guard forces
 * the asking shop's id into the first stage of anything it runs.
 */
export interface SeedExample {
  question: string;
  collection: CollectionName;
  pipeline: Pipeline;
}

const revenueStatuses = { $nin: ['cancelled', 'refunded'] };

export const SEED_EXAMPLES: SeedExample[] = [
  {
    question: 'What was the revenue by country in March 2026?',
    collection: 'order',
    pipeline: [
      {
        $match: {
          shop_id: 0,
          created_at: { $gte: '2026-03-01T00:00:00Z', $lt: '2026-04-01T00:00:00Z' },
          status: revenueStatuses,
        },
      },
      { $group: { _id: '$country', revenue: { $sum: '$grand_total' } } },
      { $sort: { revenue: -1 } },
    ],
  },
  {
    question: 'Top 5 products by units sold last month',
    collection: 'order',
    pipeline: [
      {
        $match: {
          shop_id: 0,
          created_at: { $gte: '2026-10-01T00:00:00Z', $lt: '2026-11-01T00:00:00Z' },
          status: revenueStatuses,
        },
      },
      { $unwind: '$items' },
      {
        $group: {
          _id: '$items.product_id',
          name: { $first: '$items.name' },
          units: { $sum: '$items.quantity' },
        },
      },
      { $sort: { units: -1 } },
      { $limit: 5 },
    ],
  },
  {
    question: 'How many orders were cancelled per week this quarter?',
    collection: 'order',
    pipeline: [
      {
        $match: {
          shop_id: 0,
          created_at: { $gte: '2026-10-01T00:00:00Z', $lt: '2026-11-23T00:00:00Z' },
          status: 'cancelled',
        },
      },
      {
        $group: {
          _id: { $dateToString: { format: '%G-W%V', date: '$created_at' } },
          orders: { $sum: 1 },
        },
      },
      { $sort: { _id: 1 } },
    ],
  },
  {
    question: 'Which customers spent more than 1000 in total?',
    collection: 'order',
    pipeline: [
      { $match: { shop_id: 0, status: revenueStatuses } },
      { $group: { _id: '$customer_id', spent: { $sum: '$grand_total' } } },
      { $match: { spent: { $gt: 1000 } } },
      { $sort: { spent: -1 } },
    ],
  },
  {
    question: 'Average order value by sales channel',
    collection: 'order',
    pipeline: [
      { $match: { shop_id: 0, status: revenueStatuses } },
      { $group: { _id: '$channel', revenue: { $sum: '$grand_total' }, orders: { $sum: 1 } } },
      { $project: { aov: { $divide: ['$revenue', '$orders'] } } },
    ],
  },
  {
    question: 'Products with less than 10 items in stock that are still active',
    collection: 'product',
    pipeline: [
      { $match: { shop_id: 0, status: 'active', stock_quantity: { $lt: 10 } } },
      { $project: { name: 1, sku: 1, stock_quantity: 1 } },
      { $sort: { stock_quantity: 1 } },
    ],
  },
  {
    question: 'How many new customers signed up per month this year?',
    collection: 'customer',
    pipeline: [
      { $match: { shop_id: 0, created_at: { $gte: '2026-01-01T00:00:00Z' } } },
      {
        $group: {
          _id: { $dateToString: { format: '%Y-%m', date: '$created_at' } },
          customers: { $sum: 1 },
        },
      },
      { $sort: { _id: 1 } },
    ],
  },
];

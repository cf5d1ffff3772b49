import { describe, expect, it } from 'vitest';
import { parsed } from './parse-helpers.js';

const APRIL = '1998-04-01..1998-04-30';

/** [phrase, metric]: each is asked as "<phrase> last month". */
const METRIC_PHRASES: [string, string][] = [
  ['orders', 'order_count'],
  ['how many orders', 'order_count'],
  ['number of orders', 'order_count'],
  ['order count', 'order_count'],
  ['# of orders', 'order_count'],
  ['order volume', 'order_count'],
  ['how many purchases', 'order_count'],
  ['transactions', 'order_count'],
  ['number of sales', 'order_count'],
  ['revenue', 'revenue'],
  ['sales', 'revenue'],
  ['total sales', 'revenue'],
  ['turnover', 'revenue'],
  ['income', 'revenue'],
  ['gross sales', 'revenue'],
  ['takings', 'revenue'],
  ['GMV', 'revenue'],
  ['how much money did we make', 'revenue'],
  ['how much did we earn', 'revenue'],
  ['what were our earnings', 'revenue'],
  ['total revenue', 'revenue'],
  ['Revenues', 'revenue'],
  ['average order value', 'average_order_value'],
  ['AOV', 'average_order_value'],
  ['avg order value', 'average_order_value'],
  ['average basket', 'average_order_value'],
  ['basket size', 'average_order_value'],
  ['average basket size', 'average_order_value'],
  ['mean order value', 'average_order_value'],
  ['average order size', 'average_order_value'],
  ['average spend', 'average_order_value'],
  ['average spend per order', 'average_order_value'],
  ['revenue per order', 'average_order_value'],
  ['how many customers did we acquire', 'new_customers'],
  ['new custs', 'new_customers'],
  ['cancels', 'cancellation_count'],
  ['average transaction value', 'average_order_value'],
  ['prods sold', 'units_sold'],
  ['how many new customers did we acquire', 'new_customers'],
  ['units sold', 'units_sold'],
  ['how many units did we sell', 'units_sold'],
  ['items sold', 'units_sold'],
  ['quantity sold', 'units_sold'],
  ['how many items did we sell', 'units_sold'],
  ['how many products did we sell', 'units_sold'],
  ['number of units', 'units_sold'],
  ['pieces sold', 'units_sold'],
  ['new customers', 'new_customers'],
  ['how many new customers', 'new_customers'],
  ['first-time customers', 'new_customers'],
  ['new buyers', 'new_customers'],
  ['customers acquired', 'new_customers'],
  ['unique customers', 'ordering_customers'],
  ['distinct customers', 'ordering_customers'],
  ['how many customers ordered', 'ordering_customers'],
  ['how many customers bought', 'ordering_customers'],
  ['how many customers did buy something', 'ordering_customers'],
  ['the sells', 'revenue'],
  ['active customers', 'ordering_customers'],
  ['paying customers', 'ordering_customers'],
  ['how many different customers placed orders', 'ordering_customers'],
  ['number of customers who placed an order', 'ordering_customers'],
  ['how many customers from Germany placed orders', 'ordering_customers'],
  ['customers who placed an order', 'ordering_customers'],
  ['count of clients that bought', 'ordering_customers'],
  ['total sales from web orders', 'revenue'],
  ['sales excluding web orders', 'revenue'],
  ['how many sales did we make', 'order_count'],
  ['how many customers signed up', 'customer_count'],
  ['number of customers', 'customer_count'],
  ['largest order', 'largest_order'],
  ['biggest order', 'largest_order'],
  ['highest order value', 'largest_order'],
  ['max order value', 'largest_order'],
  ['most expensive order', 'largest_order'],
  ['refunds', 'refund_count'],
  ['number of refunds', 'refund_count'],
  ['how many refunds', 'refund_count'],
  ['refund rate', 'refund_rate'],
  ['return rate', 'refund_rate'],
  ['percentage of orders refunded', 'refund_rate'],
  ['cancellations', 'cancellation_count'],
  ['how many cancellations', 'cancellation_count'],
  ['cancellation rate', 'cancellation_rate'],
  ['cancel rate', 'cancellation_rate'],
  ['% of orders cancelled', 'cancellation_rate'],
];

describe('metric synonyms', () => {
  it.each(METRIC_PHRASES)('"%s last month" → %s', (phrase, metric) => {
    expect(parsed(`${phrase} last month`)).toMatchObject({ metric, range: APRIL, groupBy: null });
  });
});

/** Catalogue metrics without a period. */
const CATALOGUE_CASES: [string, Record<string, unknown>][] = [
  ['How many customers do we have?', { metric: 'customer_count', range: null }],
  ['customer count', { metric: 'customer_count' }],
  ['how many clients are there', { metric: 'customer_count' }],
  ['How many products do we have?', { metric: 'product_count', filters: [] }],
  // Present tense, no period: how big the catalogue is, not units sold.
  ['how many products do we sell', { metric: 'product_count', range: null }],
  ['how many products did we sell', { metric: 'units_sold' }],
  ['how many products did we sell last month', { metric: 'units_sold', range: APRIL }],
  [
    'How many active products do we have?',
    { metric: 'product_count', filters: ['product_status=active'] },
  ],
  [
    'number of archived products',
    { metric: 'product_count', filters: ['product_status=archived'] },
  ],
  ['how many draft products', { metric: 'product_count', filters: ['product_status=draft'] }],
  [
    'how many products are out of stock',
    { metric: 'product_count', filters: ['stock_quantity lte 0'] },
  ],
  [
    'how many active products have fewer than 10 units in stock',
    { metric: 'product_count', filters: ['stock_quantity lt 10', 'product_status=active'] },
  ],
  [
    'products with less than 5 in stock',
    { metric: 'product_count', filters: ['stock_quantity lt 5'] },
  ],
  ['products with stock below 20', { metric: 'product_count', filters: ['stock_quantity lt 20'] }],
  ['how many products are in stock', { metric: 'product_count', filters: ['stock_quantity gt 0'] }],
  ['stock on hand', { metric: 'stock_on_hand' }],
  ['inventory level', { metric: 'stock_on_hand' }],
  ['how much stock do we have', { metric: 'stock_on_hand' }],
  ['units in stock for Chai', { metric: 'stock_on_hand', filters: ['product=Chai'] }],
  ['stock by category', { metric: 'stock_on_hand', groupBy: 'category' }],
  ['products per category', { metric: 'product_count', groupBy: 'category' }],
  ['SKUs in Beverages', { metric: 'product_count', filters: ['category=Beverages'] }],
  ['how many customers from Germany', { metric: 'customer_count', filters: ['country=Germany'] }],
  ['customers by country', { metric: 'customer_count', groupBy: 'country' }],
  ['How many orders do we have?', { metric: 'order_count', range: null }],
  ['orders of all time', { metric: 'order_count', range: null }],
  ['total revenue ever', { metric: 'revenue', range: null }],
  ['lifetime revenue', { metric: 'revenue', range: null }],
];

describe('catalogue and all-time questions', () => {
  it.each(CATALOGUE_CASES)('%s', (question, expected) => {
    expect(parsed(question)).toMatchObject(expected);
  });
});

import type { CollectionName } from '../data/documents.js';
import type { DimensionId, MetricId } from './structured-query.js';

export type MetricUnit = 'orders' | 'money' | 'units' | 'customers' | 'products' | 'percent';

export interface MetricDefinition {
  id: MetricId;
  label: string;
  unit: MetricUnit;
  collection: CollectionName;
  definition: string;
  /** Phrases the parser recognises (normalised: lower case, no punctuation). */
  synonyms: string[];
  dimensions: DimensionId[];
}

const TIME: DimensionId[] = ['day', 'week', 'month', 'quarter', 'year'];
const ORDER_ATTRS: DimensionId[] = ['country', 'channel', 'status', 'payment_method', 'customer'];
const LINE_ATTRS: DimensionId[] = ['product', 'category'];

/**
 * The semantic layer: one definition per metric, shared by the parser, the
 * compiler and the API docs. Definitions follow DESIGN.md word for word where it
 * has one.
 */
/** Shares: each group's value in percent of the total over the same period and filters. */
export function isShareMetric(id: MetricId): boolean {
  return id === 'revenue_share' || id === 'order_share';
}

export const METRICS: Record<MetricId, MetricDefinition> = {
  order_count: {
    id: 'order_count',
    label: 'orders',
    unit: 'orders',
    collection: 'order',
    definition: 'Orders created in the period, any status unless a status is asked for.',
    synonyms: [
      'number of orders',
      'order count',
      'order volume',
      'how many orders',
      'orders placed',
      'orders',
      'order',
      'purchases',
      'transactions',
      'number of sales',
      'sales count',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS, ...LINE_ATTRS],
  },
  revenue: {
    id: 'revenue',
    label: 'revenue',
    unit: 'money',
    collection: 'order',
    definition:
      'Sum of grand_total over orders not cancelled or refunded; by product or category, the sum of quantity × unit_price of their lines.',
    synonyms: [
      'gross merchandise value',
      'total sales',
      'gross sales',
      'sales revenue',
      'how much money',
      'how much did we sell',
      'how much have we sold',
      'how much did we make',
      'how much did we earn',
      'what did we make',
      'what did we earn',
      'spend',
      'spent',
      'revenue',
      'revenues',
      'sales',
      // Learners' plurals of "sale": "the sells of last month".
      'sells',
      'sellings',
      'turnover',
      'rev',
      'income',
      'earnings',
      'takings',
      'gmv',
      'money',
      'made',
      'earned',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS, ...LINE_ATTRS],
  },
  average_order_value: {
    id: 'average_order_value',
    label: 'average order value',
    unit: 'money',
    collection: 'order',
    definition: 'Revenue divided by the number of orders not cancelled or refunded.',
    synonyms: [
      'average order value',
      'avg order value',
      'mean order value',
      'average order size',
      'average order amount',
      'average order total',
      'average basket size',
      'average basket value',
      'average basket',
      'basket size',
      'basket value',
      'average sale',
      'average ticket',
      'average transaction value',
      'average transaction',
      'average sale value',
      'average spend per order',
      'average spend',
      'spend per order',
      'revenue per order',
      'sales per order',
      'value per order',
      'average order',
      'avg order',
      'average value of an order',
      'average value of orders',
      'average of the orders value',
      'average of the order value',
      'average of order value',
      'aov',
      'basket',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS],
  },
  units_sold: {
    id: 'units_sold',
    label: 'units sold',
    unit: 'units',
    collection: 'order',
    definition: 'Sum of item quantities over orders not cancelled or refunded.',
    synonyms: [
      'units sold',
      'items sold',
      'quantity sold',
      'pieces sold',
      'products sold',
      'number of units',
      'number of items',
      'how many units',
      'how many items',
      'volume sold',
      'units',
      'items',
      'pieces',
      'quantity',
      'qty',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS, ...LINE_ATTRS],
  },
  new_customers: {
    id: 'new_customers',
    label: 'new customers',
    unit: 'customers',
    collection: 'order',
    definition: 'Customers whose first order (any status) falls in the period.',
    synonyms: [
      'new customers',
      'new customer',
      'new buyers',
      'new clients',
      'first time customers',
      'first time buyers',
      'first time customers acquired',
      'first time buyers acquired',
      'customers acquired',
      'new customers did we acquire',
      'customers did we acquire',
      'customers have we acquired',
      'customers we have acquired',
      'customers we acquired',
      'customer acquisition',
      'acquired customers',
    ],
    dimensions: [...TIME, 'country', 'channel', 'payment_method'],
  },
  ordering_customers: {
    id: 'ordering_customers',
    label: 'ordering customers',
    unit: 'customers',
    collection: 'order',
    definition: 'Distinct customers with at least one order (any status) in the period.',
    synonyms: [
      'how many customers ordered',
      'how many customers bought',
      'how many customers purchased',
      'how many customers placed orders',
      'how many customers placed an order',
      'how many different customers',
      'distinct customers',
      'unique customers',
      'different customers',
      'ordering customers',
      'buying customers',
      'active customers',
      'paying customers',
      'customers who ordered',
      'customers that ordered',
      'customers who bought',
      'customers that bought',
      'customers who purchased',
      'customers ordered',
      'customers bought',
      'customers purchased',
      'customers placed orders',
      'customers placed an order',
      'distinct ordering customers',
      'customers with an order',
      'customers with orders',
      'customers with at least one order',
      'customers with any order',
      'how many customers were buying',
      'how many people ordered',
      'how many people bought',
      'how many people purchased',
      'customers ordering',
      'customers buying',
      'customers were buying',
      'customers that were buying',
      'customers who were buying',
      'unique buyers',
      'distinct buyers',
      'buyers',
      'shoppers',
    ],
    dimensions: [...TIME, 'country', 'channel', 'payment_method', 'status', 'product', 'category'],
  },
  customer_count: {
    id: 'customer_count',
    label: 'customers',
    unit: 'customers',
    collection: 'customer',
    definition: 'Customer records; with a period, customers created in it.',
    synonyms: [
      'number of customers',
      'customer count',
      'customer accounts',
      'customer base',
      'how many customers',
      'customers',
      'customer',
      'clients',
      'client',
    ],
    dimensions: [...TIME, 'country'],
  },
  product_count: {
    id: 'product_count',
    label: 'products',
    unit: 'products',
    collection: 'product',
    definition:
      'Catalogue products, any status unless one is asked for; with a period, products created in it.',
    synonyms: [
      'number of products',
      'product count',
      'catalog size',
      'catalogue size',
      'how many products',
      'products',
      'product',
      'skus',
      'sku',
      'listings',
    ],
    dimensions: [...TIME, 'category', 'status'],
  },
  largest_order: {
    id: 'largest_order',
    label: 'largest order',
    unit: 'money',
    collection: 'order',
    definition: 'Highest grand_total of one order not cancelled or refunded.',
    synonyms: [
      'largest order value',
      'largest order',
      'biggest order',
      'highest order value',
      'highest order',
      'maximum order value',
      'max order value',
      'maximum order',
      'max order',
      'most expensive order',
      'largest single order',
      'biggest single order',
      'largest purchase',
      'biggest purchase',
      'largest sale',
      'biggest sale',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS],
  },
  revenue_share: {
    id: 'revenue_share',
    label: 'share of revenue',
    unit: 'percent',
    collection: 'order',
    definition:
      'Part of revenue (in percent) that a dimension value brings, of the revenue of the same period and filters.',
    synonyms: [
      'share of revenue',
      'share of sales',
      'share of turnover',
      'percentage of revenue',
      'percentage of sales',
      'percent of revenue',
      'percent of sales',
      'proportion of revenue',
      'proportion of sales',
      'revenue share',
      'sales share',
      'share',
    ],
    dimensions: [...ORDER_ATTRS, ...LINE_ATTRS],
  },
  order_share: {
    id: 'order_share',
    label: 'share of orders',
    unit: 'percent',
    collection: 'order',
    definition:
      'Part of the orders (in percent, any status) that a dimension value has, of the orders of the same period and filters.',
    synonyms: [
      'share of orders',
      'percentage of orders',
      'percent of orders',
      'proportion of orders',
      'fraction of orders',
      'order share',
      'share of order volume',
    ],
    // An order has one country, channel...; it can hold several products, so
    // shares by product or category would not add up to 100.
    dimensions: [...ORDER_ATTRS],
  },
  refund_count: {
    id: 'refund_count',
    label: 'refunds',
    unit: 'orders',
    collection: 'order',
    definition: 'Orders created in the period whose status is refunded.',
    synonyms: [
      'number of refunds',
      'refund count',
      'refunds',
      'refund',
      'returns',
      'refunded orders',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS],
  },
  refund_rate: {
    id: 'refund_rate',
    label: 'refund rate',
    unit: 'percent',
    collection: 'order',
    definition: 'Refunded orders as a percentage of all orders created in the period.',
    synonyms: [
      'refund rate',
      'return rate',
      'refund ratio',
      'refund percentage',
      'percentage of orders refunded',
      'percent of orders refunded',
      'share of orders refunded',
      'percentage of refunded orders',
      'share of refunded orders',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS],
  },
  cancellation_count: {
    id: 'cancellation_count',
    label: 'cancellations',
    unit: 'orders',
    collection: 'order',
    definition: 'Orders created in the period whose status is cancelled.',
    synonyms: [
      'number of cancellations',
      'cancellation count',
      'cancellations',
      'cancellation',
      'cancelled orders',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS],
  },
  cancellation_rate: {
    id: 'cancellation_rate',
    label: 'cancellation rate',
    unit: 'percent',
    collection: 'order',
    definition: 'Cancelled orders as a percentage of all orders created in the period.',
    synonyms: [
      'cancellation rate',
      'cancel rate',
      'cancellation ratio',
      'cancellation percentage',
      'percentage of orders cancelled',
      'percent of orders cancelled',
      'share of orders cancelled',
      'percentage of cancelled orders',
      'share of cancelled orders',
    ],
    dimensions: [...TIME, ...ORDER_ATTRS],
  },
  stock_on_hand: {
    id: 'stock_on_hand',
    label: 'stock on hand',
    unit: 'units',
    collection: 'product',
    definition:
      'Sum of stock_quantity over catalogue products (any status unless one is asked for).',
    synonyms: [
      'stock on hand',
      'units in stock',
      'items in stock',
      'stock level',
      'stock levels',
      'inventory level',
      'inventory levels',
      'stock quantity',
      'how much stock',
      'inventory',
      'stock',
    ],
    dimensions: ['category', 'product'],
  },
};

export interface DimensionDefinition {
  id: DimensionId;
  kind: 'time' | 'attribute';
  label: string;
  /** Singular and plural nouns the parser accepts after "by", "per", "each", "top N". */
  nouns: string[];
  /** Words that alone ask for this grouping ("monthly"). */
  adjectives?: string[];
  field: string;
}

export const DIMENSIONS: Record<DimensionId, DimensionDefinition> = {
  day: {
    id: 'day',
    kind: 'time',
    label: 'day',
    nouns: ['day', 'days', 'date', 'dates'],
    adjectives: ['daily', 'per day', 'day by day', 'each day', 'every day', 'a day'],
    field: 'created_at',
  },
  week: {
    id: 'week',
    kind: 'time',
    label: 'week',
    nouns: ['week', 'weeks'],
    adjectives: ['weekly', 'week by week', 'each week', 'every week', 'a week', 'per week'],
    field: 'created_at',
  },
  month: {
    id: 'month',
    kind: 'time',
    label: 'month',
    nouns: ['month', 'months'],
    adjectives: ['monthly', 'month by month', 'each month', 'every month', 'a month', 'per month'],
    field: 'created_at',
  },
  quarter: {
    id: 'quarter',
    kind: 'time',
    label: 'quarter',
    nouns: ['quarter', 'quarters'],
    adjectives: ['quarterly', 'quarter by quarter', 'each quarter', 'every quarter', 'per quarter'],
    field: 'created_at',
  },
  year: {
    id: 'year',
    kind: 'time',
    label: 'year',
    nouns: ['year', 'years'],
    adjectives: [
      'yearly',
      'annual',
      'annually',
      'year by year',
      'each year',
      'every year',
      'per year',
    ],
    field: 'created_at',
  },
  country: {
    id: 'country',
    kind: 'attribute',
    label: 'country',
    nouns: [
      'country',
      'countries',
      'market',
      'markets',
      'region',
      'regions',
      'nation',
      'nations',
      'location',
      'locations',
    ],
    field: 'country',
  },
  channel: {
    id: 'channel',
    kind: 'attribute',
    label: 'channel',
    nouns: ['channel', 'channels', 'sales channel', 'sales channels', 'source', 'sources'],
    field: 'channel',
  },
  status: {
    id: 'status',
    kind: 'attribute',
    label: 'status',
    // Not "state": "please state the revenue" is a verb, "by state" a US state.
    nouns: ['status', 'statuses', 'order status', 'order statuses'],
    field: 'status',
  },
  payment_method: {
    id: 'payment_method',
    kind: 'attribute',
    label: 'payment method',
    nouns: [
      'payment method',
      'payment methods',
      'payment type',
      'payment types',
      'payment',
      'payments',
      'payment option',
      'payment options',
    ],
    field: 'payment_method',
  },
  customer: {
    id: 'customer',
    kind: 'attribute',
    label: 'customer',
    nouns: ['customer', 'customers', 'client', 'clients', 'buyer', 'buyers', 'account', 'accounts'],
    field: 'customer_id',
  },
  product: {
    id: 'product',
    kind: 'attribute',
    label: 'product',
    nouns: [
      'product',
      'products',
      'item',
      'items',
      'sku',
      'skus',
      'article',
      'articles',
      'seller',
      'sellers',
    ],
    field: 'items.name',
  },
  category: {
    id: 'category',
    kind: 'attribute',
    label: 'category',
    nouns: [
      'category',
      'categories',
      'product category',
      'product categories',
      'department',
      'departments',
      'product line',
      'product lines',
    ],
    field: 'items.category',
  },
};

export interface TimeRangeDoc {
  phrases: string[];
  meaning: string;
}

export const TIME_RANGES: TimeRangeDoc[] = [
  {
    phrases: ['today', 'yesterday', 'the day before yesterday'],
    meaning: 'That calendar day in the shop time zone (today: up to as_of).',
  },
  {
    phrases: [
      'this week',
      'this month',
      'this quarter',
      'this year',
      'week/month/quarter to date',
      'year to date',
      'so far this year',
    ],
    meaning: 'From the start of the current period up to as_of.',
  },
  {
    phrases: ['last week', 'last month', 'last quarter', 'last year', 'previous month'],
    meaning: 'The previous whole calendar period; weeks run Monday–Sunday.',
  },
  {
    phrases: ['last 7 days', 'past 30 days', 'last 3 weeks', 'last six months', 'past 2 quarters'],
    meaning: "The N whole units before the current one (days: the N days before as_of's day).",
  },
  {
    phrases: ['3 days ago', '2 weeks ago', 'the month before last'],
    meaning: 'The single whole unit that many units back.',
  },
  {
    phrases: [
      'March',
      'March 1998',
      'Q1',
      'Q1 1998',
      'first quarter of 1998',
      'H2 1997',
      'second half of 1997',
      '1997',
    ],
    meaning:
      'A named month, quarter, half or year; without a year, its latest occurrence that has started by as_of.',
  },
  {
    phrases: ['on 1998-03-05', 'March 5th 1998', '5 March 1998'],
    meaning: 'A single calendar day.',
  },
  {
    phrases: ['between 1998-01-01 and 1998-01-31', 'from March to May 1998', 'since April 1998'],
    meaning: 'Inclusive date spans; "since" runs up to as_of.',
  },
  {
    phrases: ['all time', 'ever', 'overall'],
    meaning: 'No date restriction (also the default when no period is given).',
  },
];

export const COMPARISONS: TimeRangeDoc[] = [
  {
    phrases: ['vs last month', 'compared to 2024', 'versus March 1998'],
    meaning: 'The same metric over the named period: value, previous value, change in percent.',
  },
  {
    phrases: ['vs the previous period', 'month over month', 'MoM', 'week over week'],
    meaning: 'The period of the same length right before.',
  },
  {
    phrases: ['year over year', 'YoY', 'vs the same period last year'],
    meaning: 'The same dates one year earlier.',
  },
];

/** The serialisable catalogue shown in the API docs. */
export const CATALOGUE = {
  metrics: Object.values(METRICS).map(
    ({ id, label, unit, collection, definition, synonyms, dimensions }) => ({
      id,
      label,
      unit,
      collection,
      definition,
      synonyms,
      dimensions,
    }),
  ),
  dimensions: Object.values(DIMENSIONS).map(({ id, kind, label, nouns, adjectives, field }) => ({
    id,
    kind,
    label,
    synonyms: [...nouns, ...(adjectives ?? [])],
    field,
  })),
  timeRanges: TIME_RANGES,
  comparisons: COMPARISONS,
  filters: [
    {
      dimension: 'country | channel | payment_method | category | product | customer',
      examples: [
        'from Germany',
        'only phone orders',
        'paid by card',
        'in Beverages',
        'excluding France',
      ],
    },
    {
      dimension: 'status',
      examples: ['paid orders', 'orders in shipped status', 'cancelled orders'],
    },
    { dimension: 'product_status', examples: ['active products', 'archived products'] },
    {
      dimension: 'amount',
      examples: [
        'orders over $100',
        'orders between 50 and 200 dollars',
        'products with fewer than 10 units in stock',
        'out of stock products',
      ],
    },
    {
      dimension: 'top / bottom N',
      examples: [
        'top 5 products by revenue',
        'worst 3 categories',
        'which country had the most orders',
        'best-selling product',
      ],
    },
  ],
};

import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../../src/shared/analytics/index.js';
import { AS_OF, parsed, VOCAB } from './parse-helpers.js';

const APRIL = '1998-04-01..1998-04-30';
const Y97 = '1997-01-01..1997-12-31';

/** Typos, case, punctuation, word order and numbers in words. */
const CASES: [string, Record<string, unknown>][] = [
  ['How many ordres did we get last mnth?', { metric: 'order_count', range: APRIL }],
  ['HOW MANY ORDERS LAST MONTH', { metric: 'order_count', range: APRIL }],
  ['how many orders, last month??!', { metric: 'order_count', range: APRIL }],
  ['orders... last month.', { metric: 'order_count', range: APRIL }],
  ['last month orders', { metric: 'order_count', range: APRIL }],
  ['last month, how many orders did we get?', { metric: 'order_count', range: APRIL }],
  ['what was the reveune in march', { metric: 'revenue', range: '1998-03-01..1998-03-31' }],
  ['revnue last month', { metric: 'revenue' }],
  ['revenu last month', { metric: 'revenue' }],
  [
    'whats the avrage order value in febuary',
    { metric: 'average_order_value', range: '1998-02-01..1998-02-28' },
  ],
  ['averge order value', { metric: 'average_order_value' }],
  ['orders in janaury', { range: '1998-01-01..1998-01-31' }],
  ['revenue in Setpember 1997', { range: '1997-09-01..1997-09-30' }],
  ['top 3 categorys by reveune in 1997', { groupBy: 'category', limit: 3, range: Y97 }],
  ['top 5 prodcuts by revenue', { groupBy: 'product', limit: 5 }],
  ['how many custmers do we have', { metric: 'customer_count' }],
  ['revenue form Germny', { filters: ['country=Germany'] }],
  ['sales of Beverges in 1997', { filters: ['category=Beverages'] }],
  ['unts sold last month', { metric: 'units_sold' }],
  ['revenue by contry', { groupBy: 'country' }],
  ['revenue by cateogry', { groupBy: 'category' }],
  ['cancelation rate', { metric: 'cancellation_rate' }],
  ['canceled orders', { metric: 'cancellation_count' }],
  ['orders that were canceled', { metric: 'order_count', filters: ['status=cancelled'] }],
  ['quaterly revenue', { groupBy: 'quarter' }],
  ['revenue yestreday', { range: '1998-05-05..1998-05-05' }],
  ['top twenty products', { limit: 20 }],
  ['top ten customers by revenue', { limit: 10, groupBy: 'customer' }],
  ['last fourteen days revenue', { range: '1998-04-22..1998-05-05' }],
  ['revenue in the last two weeks', { range: '1998-04-20..1998-05-03' }],
  ['revenue over the past twelve months', { range: '1997-05-01..1998-04-30' }],
  ['the three best selling products', { limit: 3, metric: 'units_sold' }],
  ['orders over one hundred dollars', { filters: ['grand_total gt 100'] }],
  ['orders over $1.5k', { filters: ['grand_total gt 1500'] }],
  ['orders over twenty five dollars', { filters: ['grand_total gt 25'] }],
  ['revenue for 1997 by month', { groupBy: 'month', range: Y97 }],
  ['by month revenue 1997', { groupBy: 'month', range: Y97 }],
  ['in 1997 what was revenue from germany', { filters: ['country=Germany'], range: Y97 }],
  ['Germany 1997 revenue', { filters: ['country=Germany'], range: Y97 }],
  ['revenue, Germany, 1997', { filters: ['country=Germany'], range: Y97 }],
  ['please tell me the total revenue we made in 1997', { metric: 'revenue', range: Y97 }],
  [
    'can you show me orders from last week please',
    { metric: 'order_count', range: '1998-04-27..1998-05-03' },
  ],
  ["what's our AOV this year?", { metric: 'average_order_value', range: '1998-01-01..1998-05-06' }],
  ["last year's revenue", { metric: 'revenue', range: Y97 }],
  ['Revenue: 1997 vs 1996', { range: Y97, compare: '1996-01-01..1996-12-31' }],
  [
    'revenue mtd vs same period last month',
    { range: '1998-05-01..1998-05-06', compare: '1998-04-01..1998-04-06' },
  ],
  ['I need the revenue for last month broken down by week', { range: APRIL }],
  ['what % of orders were refunded last month', { metric: 'refund_rate', range: APRIL }],
  [
    "how does April 1998's revenue compare to March's",
    { metric: 'revenue', range: APRIL, compare: '1998-03-01..1998-03-31' },
  ],
  [
    'did cancellations go up or down in April 1998 compared with March 1998?',
    { metric: 'cancellation_count', range: APRIL, compare: '1998-03-01..1998-03-31' },
  ],
  [
    'how much more revenue did we make in April 1998 than in March 1998',
    { metric: 'revenue', range: APRIL, compare: '1998-03-01..1998-03-31' },
  ],
  [
    'compare revenue in April 1998 with March 1998',
    { metric: 'revenue', range: APRIL, compare: '1998-03-01..1998-03-31' },
  ],
  [
    "how did last month's revenue stack up against March",
    { metric: 'revenue', range: APRIL, compare: '1998-03-01..1998-03-31' },
  ],
  [
    'hi, I would love to know the revenue last month if possible, cheers',
    { metric: 'revenue', range: APRIL },
  ],
  [
    'what share of our revenue came from Germany last month',
    { metric: 'revenue_share', filters: ['country=Germany'], range: APRIL },
  ],
  ['revenue in April 1998 compared to 1997', { range: APRIL, compare: '1997-04-01..1997-04-30' }],
  [
    'how did revenue change from Q4 1997 to Q1 1998',
    { range: '1998-01-01..1998-03-31', compare: '1997-10-01..1997-12-31' },
  ],
  [
    'orders in the last 7 days vs the previous 7 days',
    { range: '1998-04-29..1998-05-05', compare: '1998-04-22..1998-04-28' },
  ],
  [
    'revenue this year vs last year',
    { range: '1998-01-01..1998-05-06', compare: '1997-01-01..1997-12-31' },
  ],
  [
    'orders this week vs last week',
    { range: '1998-05-04..1998-05-06', compare: '1998-04-27..1998-05-03' },
  ],
  [
    'revenue in April 1998 compared to March 1998',
    { range: APRIL, compare: '1998-03-01..1998-03-31' },
  ],
  ['revenue last month vs the month before', { range: APRIL, compare: '1998-03-01..1998-03-31' }],
  [
    'revenue this month compared to last month',
    { range: '1998-05-01..1998-05-06', compare: APRIL },
  ],
  [
    'Number of orders 1997 compared to the previous year',
    { range: Y97, compare: '1996-01-01..1996-12-31' },
  ],
  [
    'revenue year over year for Q1 1998',
    { range: '1998-01-01..1998-03-31', compare: '1997-01-01..1997-03-31' },
  ],
  [
    'revenue YTD vs same period last year',
    { range: '1998-01-01..1998-05-06', compare: '1997-01-01..1997-05-06' },
  ],
  // A period named while it runs is to date too: compared like for like.
  [
    'sales in may vs same time last yr',
    { range: '1998-05-01..1998-05-06', compare: '1997-05-01..1997-05-06' },
  ],
  [
    'orders in 1998 compared with the same period last year',
    { range: '1998-01-01..1998-05-06', compare: '1997-01-01..1997-05-06' },
  ],
  [
    'Q2 1998 revenue compared with the same quarter last year',
    { range: '1998-04-01..1998-05-06', compare: '1997-04-01..1997-05-06' },
  ],
  [
    'revenue in 1998 versus the same period of 1997',
    { range: '1998-01-01..1998-05-06', compare: '1997-01-01..1997-05-06' },
  ],
  [
    'orders this year compared with the same period of the last year',
    { range: '1998-01-01..1998-05-06', compare: '1997-01-01..1997-05-06' },
  ],
  [
    'rev yday vs same day last wk',
    { range: '1998-05-05..1998-05-05', compare: '1998-04-28..1998-04-28' },
  ],
  [
    'orders last week compared with a week earlier',
    { range: '1998-04-27..1998-05-03', compare: '1998-04-20..1998-04-26' },
  ],
  [
    'Compare revenue for the last 30 days with the 30 days before that.',
    { range: '1998-04-06..1998-05-05', compare: '1998-03-07..1998-04-05' },
  ],
  [
    'compare Q1 1998 and Q1 1997 revenue',
    { range: '1998-01-01..1998-03-31', compare: '1997-01-01..1997-03-31' },
  ],
  [
    'orders last 7 days vs previous period',
    { range: '1998-04-29..1998-05-05', compare: '1998-04-22..1998-04-28' },
  ],
  ['revenue last month MoM', { compare: '1998-03-01..1998-03-31' }],
  [
    'revenue growth last quarter',
    { range: '1998-01-01..1998-03-31', compare: '1997-10-01..1997-12-31' },
  ],
  [
    'revenue this month, more than last month?',
    { range: '1998-05-01..1998-05-06', compare: APRIL },
  ],
  [
    'revenue by country in 1997 versus 1996',
    { groupBy: 'country', compare: '1996-01-01..1996-12-31' },
  ],
  ['how many orders did we take last month', { metric: 'order_count', range: APRIL }],
  ['total revenue across last month', { metric: 'revenue', range: APRIL }],
  [
    'how much did revenue grow in April versus March, in percent',
    { metric: 'revenue', range: APRIL, compare: '1998-03-01..1998-03-31' },
  ],
  // Shorthand, where the shop has no word like it; real words are not "corrected".
  ['hw many orders lst month', { metric: 'order_count', range: APRIL }],
  ['avg order val last month', { metric: 'average_order_value', range: APRIL }],
  ['rev by cat 1997', { metric: 'revenue', groupBy: 'category', range: Y97 }],
  ['top cat last month', { groupBy: 'category', limit: 1, range: APRIL }],
  ['revenue from Germany and France combined in 1997', { filters: ['country=Germany|France'] }],
  [
    'how many customers are based in Germany',
    { metric: 'customer_count', filters: ['country=Germany'] },
  ],
  ['orders settled by paypal in 1997', { filters: ['payment_method=paypal'], range: Y97 }],
  [
    'how many products are marked active',
    { metric: 'product_count', filters: ['product_status=active'] },
  ],
];

describe('tolerant parsing', () => {
  it.each(CASES)('%s', (question, expected) => {
    expect(parsed(question)).toMatchObject(expected);
  });

  it("keeps a shop's own word over a shorthand", () => {
    const r = parseQuestion('revenue from Cat Toys last month', {
      asOf: AS_OF,
      timezone: 'UTC',
      vocabulary: { ...VOCAB, categories: [...VOCAB.categories, 'Cat Toys'] },
    });
    expect(r.ok && r.query.filters).toEqual([
      expect.objectContaining({ dimension: 'category', values: ['Cat Toys'] }),
    ]);
  });

  it('finds a product by its name without the bracketed pack size or variant', () => {
    const vocabulary = {
      ...VOCAB,
      products: ['Wool Socks (3-Pack)', 'Mug (Red)', 'Mug (Blue)', 'Tea', 'Tea (Green)'],
    };
    const filterOf = (question: string) => {
      const r = parseQuestion(question, { asOf: AS_OF, timezone: 'UTC', vocabulary });
      return r.ok ? r.query.filters.map((f) => (f.kind === 'dimension' ? f.values : [])) : r.reason;
    };
    expect(filterOf('units of wool socks last month')).toEqual([['Wool Socks (3-Pack)']]);
    // A product called exactly that wins; variants sharing the name are all meant.
    expect(filterOf('revenue from tea')).toEqual([['Tea']]);
    expect(filterOf('revenue from mug')).toEqual([['Mug (Red)', 'Mug (Blue)']]);
  });

  it('does not turn an English word into a grammar word ("part" is not "past")', () => {
    const r = parseQuestion('what part of revenue came from Germany', {
      asOf: AS_OF,
      timezone: 'UTC',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.unplaced).toContain('part');
  });
});

describe("a company's name as people say it", () => {
  const vocabulary = {
    ...VOCAB,
    customers: [
      { id: 1, label: 'Harbour Lights Store Ltd' },
      { id: 2, label: 'Harbour View Ltd' },
      { id: 3, label: 'The Cosy Nook' },
      { id: 4, label: 'Kensington Emporium Limited' },
    ],
  };
  it.each([
    ['revenue from Harbour Lights', 'customer=1'],
    ['revenue from Harbour View', 'customer=2'],
    ['revenue from cosy nook', 'customer=3'],
    ['revenue excluding Kensington Emporium', 'customer!=4'],
  ])('%s → %s', (question, filter) => {
    expect(parsed(question, { vocabulary }).filters).toEqual([filter]);
  });
});

describe('a channel named among its synonyms', () => {
  const vocabulary = { ...VOCAB, channels: ['web', 'amazon', 'ebay'] };
  it.each([
    ['orders through Amazon in 1997', 'channel=amazon'],
    ['revenue excluding ebay', 'channel!=ebay'],
    ['marketplace revenue', 'channel=amazon|ebay'],
  ])('%s → %s', (question, filter) => {
    expect(parsed(question, { vocabulary }).filters).toEqual([filter]);
  });
});

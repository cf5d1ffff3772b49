import { describe, expect, it } from 'vitest';
import type { StructuredQuery } from '../../../src/shared/analytics/index.js';
import { parse, shape } from './parse-helpers.js';

/** Each chain is asked in order, every question a follow-up of the one before. */
const CHAINS: [string, Record<string, unknown>][][] = [
  [
    ['revenue last month', { metric: 'revenue', range: '1998-04-01..1998-04-30' }],
    ['and the month before?', { metric: 'revenue', range: '1998-03-01..1998-03-31' }],
    ['what about orders?', { metric: 'order_count', range: '1998-03-01..1998-03-31' }],
    ['only Germany', { metric: 'order_count', filters: ['country=Germany'] }],
    ['and France?', { filters: ['country=France'] }],
    ['by channel', { groupBy: 'channel', filters: ['country=France'] }],
    ['compared to the previous month', { compare: '1998-02-01..1998-02-28' }],
  ],
  [
    ['Revenue by country in 1997', { groupBy: 'country' }],
    ['only Germany', { groupBy: null, filters: ['country=Germany'] }],
    ['and 1996?', { range: '1996-01-01..1996-12-31', filters: ['country=Germany'] }],
    ['the year after', { range: '1997-01-01..1997-12-31' }],
    ['excluding Chai', { filters: ['country=Germany', 'product!=Chai'] }],
    ['for all countries', { filters: ['product!=Chai'] }],
  ],
  [
    ['top 5 products by revenue last month', { groupBy: 'product', limit: 5 }],
    ['what about units?', { metric: 'units_sold', groupBy: 'product', limit: 5 }],
    ['top 10', { limit: 10, groupBy: 'product' }],
    ['and the year before', { range: '1997-04-01..1997-04-30' }],
    ['just Beverages', { filters: ['category=Beverages'], groupBy: 'product' }],
  ],
  [
    [
      'orders last week vs the week before',
      { range: '1998-04-27..1998-05-03', compare: '1998-04-20..1998-04-26' },
    ],
    [
      'and the week before?',
      { range: '1998-04-20..1998-04-26', compare: '1998-04-13..1998-04-19' },
    ],
    [
      'what about in March?',
      { range: '1998-03-01..1998-03-31', compare: '1998-02-01..1998-02-28' },
    ],
  ],
  [
    ['revenue this month', { range: '1998-05-01..1998-05-06' }],
    ['the same period last year', { range: '1997-05-01..1997-05-06' }],
    ['by day', { groupBy: 'day' }],
  ],
  [
    ['how many orders in Q1 1998', { range: '1998-01-01..1998-03-31' }],
    ['and the previous quarter', { range: '1997-10-01..1997-12-31' }],
    ['over $100 only', { filters: ['grand_total gt 100'] }],
    ['what about AOV', { metric: 'average_order_value', filters: ['grand_total gt 100'] }],
  ],
  // Stepping from a to-date period gives the whole period before; "the same
  // period last year" keeps the elapsed part.
  [
    ['orders this month', { range: '1998-05-01..1998-05-06' }],
    ['and the month before?', { range: '1998-04-01..1998-04-30' }],
  ],
  [
    ['revenue this year', { range: '1998-01-01..1998-05-06' }],
    ['the year before', { range: '1997-01-01..1997-12-31' }],
  ],
  [
    ['units sold in May', { range: '1998-05-01..1998-05-06' }],
    ['compare with the same period last year', { compare: '1997-05-01..1997-05-06' }],
  ],
  [
    ['revenue last week', { range: '1998-04-27..1998-05-03' }],
    ['same but for the previous week', { range: '1998-04-20..1998-04-26' }],
    ['and the one before', { range: '1998-04-13..1998-04-19' }],
    ['split it per day', { groupBy: 'day' }],
    ['top 3 days instead', { groupBy: 'day', limit: 3 }],
  ],
  // Excluding one value of the breakdown leaves the others broken down.
  [
    ['units sold per category in 1997', { groupBy: 'category' }],
    ['exclude Beverages', { groupBy: 'category', filters: ['category!=Beverages'] }],
    ['now show revenue', { metric: 'revenue', groupBy: 'category' }],
  ],
  // A time breakdown added later is a series in calendar order.
  [
    ['top 3 countries by revenue in 1997', { groupBy: 'country', sort: 'value desc' }],
    ['only Germany', { groupBy: null }],
    ['broken down by month', { groupBy: 'month', sort: 'label asc' }],
  ],
  // "German orders" says which orders; the measure stays unless a count is asked.
  [
    ['what were sales in April?', { metric: 'revenue' }],
    ['just German orders', { metric: 'revenue', filters: ['country=Germany'] }],
    ['how many web orders', { metric: 'order_count' }],
  ],
  // A category after one of its products widens the filter.
  [
    ['units sold of Chai last month', { filters: ['product=Chai'] }],
    ['what about the whole Beverages category?', { filters: ['category=Beverages'] }],
  ],
];

describe('follow-ups reuse the earlier structure', () => {
  it.each(CHAINS.map((c, i) => [i + 1, c] as const))('chain %i', (_i, chain) => {
    let previous: StructuredQuery | undefined;
    for (const [question, expected] of chain) {
      const r = parse(question, { previous });
      if (!r.ok) throw new Error(`${question}: ${r.reason}`);
      expect(shape(r.query), question).toMatchObject(expected);
      previous = JSON.parse(JSON.stringify(r.query)) as StructuredQuery;
    }
  });

  it('refuses to step a period the earlier question did not have', () => {
    const first = parse('revenue by country');
    expect(first.ok).toBe(true);
    expect(
      parse('and the month before?', { previous: first.ok ? first.query : undefined }),
    ).toMatchObject({ ok: false });
  });

  it('without an earlier question, "the month before" is not understood', () => {
    expect(parse('and the month before?')).toMatchObject({ ok: false });
  });

  it.each(['and what is that in units?', 'what about web?', 'and in revenue?', 'by units sold'])(
    'without an earlier question, "%s" is refused, not answered for all time',
    (question) => {
      expect(parse(question)).toMatchObject({ ok: false });
    },
  );

  it('a whole question that opens with "and" is still answered', () => {
    expect(parse('and revenue last month?')).toMatchObject({ ok: true });
  });
});

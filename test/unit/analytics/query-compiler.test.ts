import { describe, expect, it } from 'vitest';
import {
  compileQuery,
  structuredQuerySchema,
  type StructuredQuery,
} from '../../../src/shared/analytics/index.js';
import { AS_OF, parse } from './parse-helpers.js';

function query(question: string): StructuredQuery {
  const r = parse(question);
  if (!r.ok) throw new Error(r.reason);
  return r.query;
}

const QUESTIONS = [
  'revenue last month',
  'Top 3 customers by revenue in 1998',
  'Monthly revenue for 1997',
  'new customers per month in 1997',
  'share of revenue from Germany',
  'revenue by country in 1997 versus 1996',
  'units of Beverages in 1997',
  'how many customers ordered',
  'how many active products are out of stock',
  'customers by country',
  'revenue by customer alphabetically',
  'orders over $100 by week',
];

describe('compileQuery', () => {
  it.each(QUESTIONS)("%s: one pipeline that opens with the shop's $match", (question) => {
    const { pipeline } = compileQuery(query(question), 42);
    expect(pipeline[0]).toHaveProperty('$match.shop_id', 42);
    for (const stage of pipeline) {
      expect(Object.keys(stage)).toHaveLength(1);
      const lookup = stage.$lookup as { pipeline: { $match: { shop_id: number } }[] } | undefined;
      if (lookup) expect(lookup.pipeline[0]?.$match.shop_id).toBe(42);
    }
    const forbidden = JSON.stringify(pipeline).match(
      /\$(out|merge|function|accumulator|where|unionWith)\b/,
    );
    expect(forbidden).toBeNull();
  });

  it('excludes cancelled and refunded orders from revenue and puts the dates in the first stage', () => {
    const { collection, pipeline } = compileQuery(query('revenue last month'), 2);
    expect(collection).toBe('order');
    expect(pipeline[0]).toEqual({
      $match: {
        shop_id: 2,
        created_at: {
          $gte: new Date('1998-04-01T00:00:00.000Z'),
          $lt: new Date('1998-05-01T00:00:00.000Z'),
        },
        status: { $nin: ['cancelled', 'refunded'] },
      },
    });
  });

  it('ends "all time" at as_of for orders, and leaves the catalogue as it is now', () => {
    const orders = compileQuery(query('how many orders have we had in total'), 2);
    expect(orders.pipeline[0]).toEqual({
      $match: { shop_id: 2, created_at: { $lt: new Date(AS_OF) } },
    });
    const customers = compileQuery(query('how many customers do we have'), 2);
    expect(customers.pipeline[0]).toEqual({ $match: { shop_id: 2 } });
  });

  it('counts orders of any status unless one is asked for', () => {
    expect(compileQuery(query('orders last month'), 2).pipeline[0]).not.toHaveProperty(
      '$match.status',
    );
    expect(compileQuery(query('paid orders last month'), 2).pipeline[0]).toHaveProperty(
      '$match.status',
      { $in: ['paid'] },
    );
  });

  it('uses line amounts for product and category revenue', () => {
    const text = JSON.stringify(compileQuery(query('revenue by category'), 2).pipeline);
    expect(text).toContain('$unwind');
    expect(text).toContain('"$multiply":["$items.quantity","$items.unit_price"]');
    expect(JSON.stringify(compileQuery(query('revenue by country'), 2).pipeline)).toContain(
      '"$sum":"$grand_total"',
    );
  });

  it('finds new customers from their first order over all earlier history', () => {
    const { pipeline } = compileQuery(query('new customers in 1997'), 2);
    expect(pipeline[0]).toHaveProperty('$match.created_at', {
      $lt: new Date('1998-01-01T00:00:00.000Z'),
    });
    expect(pipeline[1]).toEqual({
      $group: { _id: '$customer_id', first: { $min: '$created_at' } },
    });
  });

  it('reads the catalogue collections for product and customer counts', () => {
    const products = compileQuery(query('how many active products'), 2);
    expect(products.collection).toBe('product');
    expect(products.pipeline[0]).toEqual({ $match: { shop_id: 2, status: { $in: ['active'] } } });
    const customers = compileQuery(query('how many customers from France'), 2);
    expect(customers.collection).toBe('customer');
    expect(customers.pipeline[0]).toEqual({ $match: { shop_id: 2, country: { $in: ['France'] } } });
  });

  it('keeps the structured query plain JSON that validates after a round trip', () => {
    for (const question of QUESTIONS) {
      const q = query(question);
      const back = JSON.parse(JSON.stringify(q)) as unknown;
      expect(structuredQuerySchema.parse(back)).toEqual(q);
      expect(compileQuery(structuredQuerySchema.parse(back), 2)).toEqual(compileQuery(q, 2));
    }
  });
});

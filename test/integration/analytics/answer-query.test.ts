import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  answerQuery,
  compileQuery,
  loadShopVocabulary,
  parseQuestion,
  type ShopVocabulary,
} from '../../../src/shared/analytics/index.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import type { Order, ShopDocuments } from '../../../src/shared/data/documents.js';
import { customerDoc, orderDoc } from '../../support/documents.js';

const SHOP = 9;
const AS_OF = new Date('2026-11-23T12:00:00Z');

function order(id: number, at: string, total: number, extra: Partial<Order> = {}): Order {
  return orderDoc({
    id,
    shop_id: SHOP,
    created_at: new Date(at),
    grand_total: total,
    items: [
      {
        product_id: 1,
        sku: 'A',
        name: 'Apple Juice',
        category: 'Drinks',
        quantity: 2,
        unit_price: total / 2,
      },
    ],
    ...extra,
  });
}

const DOCS: ShopDocuments = {
  order: [
    order(1, '2026-11-16T09:00:00Z', 100),
    order(2, '2026-11-18T09:00:00Z', 50, { customer_id: 'c2', country: 'France' }),
    order(3, '2026-11-18T23:30:00Z', 30, { status: 'refunded' }),
    order(4, '2026-10-05T10:00:00Z', 80, { customer_id: 'c3' }),
    order(5, '2026-10-31T23:30:00Z', 20, { customer_id: 'c2' }),
    // Two categories in one order, long before the others.
    order(6, '2025-06-10T10:00:00Z', 40, {
      customer_id: 'c9',
      items: [
        {
          product_id: 1,
          sku: 'A',
          name: 'Apple Juice',
          category: 'Drinks',
          quantity: 3,
          unit_price: 10,
        },
        { product_id: 2, sku: 'B', name: 'Crisps', category: 'Snacks', quantity: 5, unit_price: 2 },
      ],
    }),
  ],
  product: [
    {
      id: 1,
      shop_id: SHOP,
      name: 'Apple Juice',
      sku: 'A',
      category: 'Drinks',
      price: 5,
      cost: 2,
      stock_quantity: 3,
      status: 'active',
      created_at: new Date('2026-01-01'),
    },
  ],
  customer: [
    customerDoc({ id: 'c1', shop_id: SHOP }),
    customerDoc({
      id: 'c2',
      shop_id: SHOP,
      first_name: 'Bo',
      last_name: 'Li',
      company: 'Li GmbH',
      country: 'France',
    }),
  ],
};

describe('answerQuery on the embedded store', () => {
  const store = new EmbeddedStore({});
  let vocabulary: ShopVocabulary;
  beforeAll(async () => {
    await store.replaceShop(SHOP, DOCS);
    vocabulary = await loadShopVocabulary(store, SHOP);
  });

  async function ask(question: string, timezone = 'UTC') {
    const r = parseQuestion(question, { asOf: AS_OF, timezone, vocabulary });
    if (!r.ok) throw new Error(r.reason);
    return answerQuery(store, SHOP, r.query, { currency: 'EUR', locale: 'de-DE', timezone });
  }

  it("excludes a category's lines, not the orders that contain one", async () => {
    const units = await ask('units sold excluding Snacks in June 2025');
    expect(units.data).toMatchObject({ kind: 'scalar', value: 3 });
    const revenue = await ask('revenue except Snacks in June 2025');
    expect(revenue.data).toMatchObject({ kind: 'scalar', value: 30 });
    // Counting orders, "without Snacks" leaves out the order that has them.
    const orders = await ask('orders without Snacks in June 2025');
    expect(orders.data).toMatchObject({ kind: 'scalar', value: 0 });
  });

  it('fills empty series buckets with zero', async () => {
    const a = await ask('daily orders last week');
    expect(a.data).toEqual({
      kind: 'series',
      interval: 'day',
      unit: 'orders',
      points: ['16', '17', '18', '19', '20', '21', '22'].map((d) => ({
        t: `2026-11-${d}`,
        value: d === '16' ? 1 : d === '18' ? 2 : 0,
      })),
    });
  });

  it('buckets by the shop time zone', async () => {
    const a = await ask('daily orders last week', 'Europe/Berlin');
    expect(a.data.kind === 'series' && a.data.points.filter((p) => p.value > 0)).toEqual([
      { t: '2026-11-16', value: 1 },
      { t: '2026-11-18', value: 1 },
      { t: '2026-11-19', value: 1 },
    ]);
    const m = await ask('monthly orders this year', 'Europe/Berlin');
    expect(m.data.kind === 'series' && m.data.points.slice(-2)).toEqual([
      { t: '2026-10', value: 1 },
      { t: '2026-11', value: 4 },
    ]);
  });

  it("answers a scalar with a comparison in percent and the shop's number format", async () => {
    const a = await ask('revenue this month vs last month');
    expect(a.data).toMatchObject({
      kind: 'scalar',
      value: 150,
      unit: 'EUR',
      comparison: { previous: 100, change_pct: 50 },
    });
    expect(a.answer).toContain('150,00');
    expect(a.answer).toContain('+50.0%');
    expect(a.explanation).toContain('2026-11-01..2026-11-23 (UTC)');
    expect(a.query?.pipeline[0]).toHaveProperty('$match.shop_id', SHOP);
  });

  it('labels customers by company, else full name, in named columns', async () => {
    const a = await ask('revenue by customer this year');
    expect(a.data).toEqual({
      kind: 'table',
      columns: ['customer', 'revenue'],
      unit: 'EUR',
      rows: [
        ['Ada Lovelace', 100],
        ['c3', 80],
        ['Li GmbH', 70],
      ],
    });
  });

  it('computes shares, rates and new customers', async () => {
    expect((await ask('share of revenue from France this year')).data).toMatchObject({ value: 20 });
    expect((await ask('refund rate this month')).data).toMatchObject({
      value: 33.3,
      unit: 'percent',
    });
    expect((await ask('new customers this month')).data).toMatchObject({ value: 1 });
    expect((await ask('new customers last month')).data).toMatchObject({ value: 2 });
    expect((await ask('stock on hand')).data).toMatchObject({ value: 3 });
  });

  it('buckets match luxon for every unit and zone', async () => {
    const { bucketExpr } = await import('../../../src/shared/analytics/query.compiler.js');
    const { Aggregator } = await import('mingo');
    const dates = Array.from(
      { length: 60 },
      (_, i) => new Date(Date.UTC(2023, 0, 1) + i * 13.7 * 86_400_000 + (i % 5) * 5 * 3_600_000),
    );
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) {
      for (const unit of ['day', 'week', 'month', 'quarter', 'year'] as const) {
        const rows: { k: string }[] = new Aggregator([
          { $project: { _id: 0, k: bucketExpr('$d', unit, zone) } },
        ]).run(dates.map((d) => ({ d }))) as never;
        rows.forEach((r, i) =>
          expect(r.k, `${zone} ${unit} ${dates[i]!.toISOString()}`).toBe(
            DateTime.fromJSDate(dates[i]!, { zone }).startOf(unit).toISODate(),
          ),
        );
      }
    }
    expect(compileQuery).toBeTypeOf('function');
  });
});

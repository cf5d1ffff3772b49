import { beforeAll, describe, expect, it } from 'vitest';
import {
  answerQuery,
  loadShopVocabulary,
  parseQuestion,
  type ShopVocabulary,
} from '../../../src/shared/analytics/index.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import type { Customer, Order } from '../../../src/shared/data/documents.js';
import { customerDoc, orderDoc } from '../../support/documents.js';

const SHOP = 11;
const AS_OF = new Date('2026-11-23T12:00:00Z');

const order = (id: number, customerId: string | null, total: number): Order =>
  orderDoc({
    id,
    shop_id: SHOP,
    customer_id: customerId,
    created_at: new Date(Date.UTC(2026, 10, 1 + id)),
    grand_total: total,
  });

const customer = (id: string, company: string): Customer =>
  customerDoc({ id, shop_id: SHOP, first_name: 'A', last_name: 'B', company });

/** Guest checkouts (no customer id) hold most of the orders and the money. */
const ORDERS = [
  order(1, 'c1', 100),
  order(2, 'c1', 100),
  order(3, 'c2', 50),
  order(4, null, 300),
  order(5, null, 300),
  order(6, null, 150),
];

describe('guest orders (no customer id)', () => {
  const store = new EmbeddedStore({});
  let vocabulary: ShopVocabulary;
  beforeAll(async () => {
    await store.replaceShop(SHOP, {
      order: ORDERS,
      product: [],
      customer: [customer('c1', 'Alpha Ltd'), customer('c2', 'Beta Ltd')],
    });
    vocabulary = await loadShopVocabulary(store, SHOP);
  });

  async function ask(question: string) {
    const r = parseQuestion(question, { asOf: AS_OF, timezone: 'UTC', vocabulary });
    if (!r.ok) throw new Error(r.reason);
    return answerQuery(store, SHOP, r.query, { currency: 'EUR', timezone: 'UTC' });
  }

  it('are no customer of a customer ranking or breakdown', async () => {
    expect((await ask('top 2 customers by number of orders this month')).data).toMatchObject({
      rows: [
        ['Alpha Ltd', 2],
        ['Beta Ltd', 1],
      ],
    });
    expect((await ask('revenue by customer this month')).data).toMatchObject({
      rows: [
        ['Alpha Ltd', 200],
        ['Beta Ltd', 50],
      ],
    });
  });

  it("still count in the total a customer's share is taken of", async () => {
    // Alpha Ltd: 200 of 1,000.
    expect((await ask('share of revenue by customer this month')).data).toMatchObject({
      rows: [
        ['Alpha Ltd', 20],
        ['Beta Ltd', 5],
      ],
    });
  });

  it('are in the shop totals and not among ordering customers', async () => {
    expect((await ask('revenue this month')).data).toMatchObject({ value: 1000 });
    expect((await ask('how many customers ordered this month')).data).toMatchObject({ value: 2 });
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataStore } from '../../../src/shared/data/data-store.js';
import { readShopDir } from '../../../src/shared/data/import/ndjson-import.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../../fixtures/northwind');

/**
 * The behaviour both adapters promise. Values come from the independently
 * computed Northwind answers (test/fixtures/northwind/eval.jsonl).
 */
export function dataStoreContract(name: string, make: () => Promise<DataStore>): void {
  describe(`DataStore contract: ${name}`, () => {
    let store: DataStore;
    const SHOP = 9002;

    beforeAll(async () => {
      store = await make();
      const docs = await readShopDir(NORTHWIND, 2);
      const relabel = <T extends { shop_id: number }>(d: T): T => ({ ...d, shop_id: SHOP });
      await store.replaceShop(SHOP, {
        order: docs.order.map(relabel),
        product: docs.product.map(relabel),
        customer: docs.customer.map(relabel),
      });
    });
    afterAll(async () => store?.close());

    it('runs a date-ranged revenue sum exactly', async () => {
      const rows = await store.aggregate(SHOP, 'order', [
        {
          $match: {
            shop_id: SHOP,
            created_at: { $gte: new Date('1998-03-01T00:00:00Z'), $lt: new Date('1998-04-01T00:00:00Z') },
            status: { $nin: ['cancelled', 'refunded'] },
          },
        },
        { $group: { _id: null, revenue: { $sum: '$grand_total' } } },
      ]);
      expect(rows[0]!.revenue).toBeCloseTo(110233.17, 2);
    });

    it('runs $lookup with the shop match inside the sub-pipeline', async () => {
      const rows = await store.aggregate(SHOP, 'order', [
        { $match: { shop_id: SHOP, customer_id: 'ALFKI' } },
        {
          $lookup: {
            from: 'customer',
            let: { c: '$customer_id' },
            pipeline: [{ $match: { shop_id: SHOP, $expr: { $eq: ['$id', '$$c'] } } }],
            as: 'customer',
          },
        },
        { $limit: 1 },
      ]);
      expect((rows[0]!.customer as { company: string }[])[0]!.company).toBe('Alfreds Futterkiste');
    });

    it('counts nothing as no document, as MongoDB does, also inside $facet and $lookup', async () => {
      const none = { shop_id: SHOP, customer_id: 'NO-SUCH-CUSTOMER' };
      // $expr keeps the embedded store's fast path out, so mingo runs the $count.
      const slow = { $expr: { $eq: ['$customer_id', 'NO-SUCH-CUSTOMER'] } };
      expect(await store.aggregate(SHOP, 'order', [{ $match: none }, { $count: 'n' }])).toEqual([]);
      expect(
        await store.aggregate(SHOP, 'order', [{ $match: { shop_id: SHOP, ...slow } }, { $count: 'n' }]),
      ).toEqual([]);
      const [facets] = await store.aggregate(SHOP, 'order', [
        { $match: { shop_id: SHOP, customer_id: 'ALFKI' } },
        { $facet: { none: [{ $match: slow }, { $count: 'n' }], all: [{ $count: 'n' }] } },
      ]);
      expect(facets).toEqual({ none: [], all: [{ n: 6 }] });
      const [joined] = await store.aggregate(SHOP, 'order', [
        { $match: { shop_id: SHOP, customer_id: 'ALFKI' } },
        { $limit: 1 },
        {
          $lookup: {
            from: 'customer',
            pipeline: [{ $match: { shop_id: SHOP, id: 'NO-SUCH-CUSTOMER' } }, { $count: 'n' }],
            as: 'matches',
          },
        },
      ]);
      expect(joined!.matches).toEqual([]);
    });

    it('refuses a pipeline that does not start with this shop', async () => {
      await expect(store.aggregate(SHOP, 'order', [{ $match: { shop_id: 2 } }])).rejects.toThrow(/shop_id/);
      await expect(store.aggregate(SHOP, 'order', [{ $limit: 1 }])).rejects.toThrow(/shop_id/);
    });

    it('enforces the row cap', async () => {
      await expect(
        store.aggregate(SHOP, 'order', [{ $match: { shop_id: SHOP } }], { maxRows: 10 }),
      ).rejects.toMatchObject({ code: 'RESULT_TOO_LARGE' });
    });

    it('reports counts, currency and a data version that every import bumps', async () => {
      const before = await store.shopInfo(SHOP);
      expect(before).toMatchObject({ counts: { order: 830, product: 77, customer: 91 }, currency: 'USD' });
      const docs = await readShopDir(NORTHWIND, 2);
      const relabel = <T extends { shop_id: number }>(d: T): T => ({ ...d, shop_id: SHOP });
      const after = await store.replaceShop(SHOP, {
        order: docs.order.slice(0, 10).map(relabel),
        product: docs.product.map(relabel),
        customer: docs.customer.map(relabel),
      });
      expect(after.dataVersion).toBe(before!.dataVersion + 1);
      expect(after.counts.order).toBe(10);
      expect(await store.listShops()).toContain(SHOP);
    });

    it('returns real sample documents of the shop only', async () => {
      const sample = await store.sample(SHOP, 'product', 2);
      expect(sample).toHaveLength(2);
      expect(sample.every((d) => d.shop_id === SHOP)).toBe(true);
    });
  });
}

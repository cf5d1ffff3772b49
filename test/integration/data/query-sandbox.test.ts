import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../src/shared/data/data-store.js';
import type { Order, ShopDocuments } from '../../../src/shared/data/documents.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';

/** A shop whose orders each hold two lines, and one customer. */
function shop(shopId: number, mark: string): ShopDocuments {
  const order = (i: number): Order => ({
    id: i,
    shop_id: shopId,
    customer_id: 'c1',
    status: 'paid',
    created_at: new Date(Date.UTC(2026, 0, 1, i)),
    currency: 'EUR',
    subtotal: 10,
    discount: 0,
    shipping: 0,
    tax: 0,
    grand_total: 10 + i,
    country: 'Germany',
    channel: 'web',
    payment_method: 'card',
    items: [
      { product_id: 1, sku: `${mark}-A`, name: 'Tea', category: 'Drinks', quantity: 1, unit_price: 4 },
      { product_id: 2, sku: `${mark}-B`, name: 'Cake', category: 'Food', quantity: 1, unit_price: 6 },
    ],
  });
  return {
    order: Array.from({ length: 200 }, (_, i) => order(i)),
    product: [],
    customer: [
      {
        id: 'c1',
        shop_id: shopId,
        first_name: 'Ada',
        last_name: 'L',
        company: null,
        email: `${mark}@example.com`,
        country: 'Germany',
        created_at: new Date('2025-01-01'),
      },
    ],
  };
}

const scoped = (shopId: number, ...stages: Pipeline): Pipeline => [
  { $match: { shop_id: shopId } },
  ...stages,
];

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe.each([
  ['in memory', () => Promise.resolve(null)],
  [
    'with a data dir',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'si-sandbox-'));
      dirs.push(dir);
      return dir;
    },
  ],
])('model-written pipelines in the sandbox (%s)', (_name, dataDir) => {
  let store: EmbeddedStore;
  const untrusted = { untrusted: true, timeoutMs: 2_000, maxRows: 1_000, maxBytes: 50_000 };

  beforeAll(async () => {
    store = new EmbeddedStore({ dataDir: await dataDir(), sandbox: { memoryMb: 256 } });
    await store.replaceShop(1, shop(1, 'one'));
    await store.replaceShop(5, shop(5, 'five'));
  });
  afterAll(() => store.close());

  it('answer as the same pipeline does in the store itself', async () => {
    const pipeline = scoped(
      1,
      { $unwind: '$items' },
      { $group: { _id: '$items.category', units: { $sum: '$items.quantity' } } },
      { $sort: { _id: 1 } },
    );
    expect(await store.aggregate(1, 'order', pipeline, untrusted)).toEqual(
      await store.aggregate(1, 'order', pipeline),
    );
  });

  it('are stopped at their time limit, and the next one runs', async () => {
    const started = performance.now();
    await expect(
      store.aggregate(
        1,
        'order',
        scoped(1, { $limit: 1 }, { $project: { n: { $size: { $range: [0, 2e9] } } } }),
        { ...untrusted, timeoutMs: 500 },
      ),
    ).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' });
    // Stopped, not waited out: the run itself would take many seconds or crash.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(await store.aggregate(1, 'order', scoped(1, { $count: 'n' }), untrusted)).toEqual([
      { n: 200 },
    ]);
  });

  it("do not wait behind another shop's slow one", async () => {
    let slowSettled = false;
    const slow = store
      .aggregate(
        1,
        'order',
        scoped(1, { $limit: 1 }, { $project: { n: { $size: { $range: [0, 2e9] } } } }),
        { ...untrusted, timeoutMs: 8_000 },
      )
      .catch(() => undefined)
      .finally(() => (slowSettled = true));
    expect(await store.aggregate(5, 'order', scoped(5, { $count: 'n' }), untrusted)).toEqual([
      { n: 200 },
    ]);
    expect(slowSettled).toBe(false);
    await slow;
  });

  it('cannot change the stored documents, their own or joined ones', async () => {
    for (const stages of [
      [{ $project: { 'items.sku': 0 } }, { $limit: 5 }],
      [{ $limit: 1 }, { $set: { 'items.0.unit_price': 999 } }],
      [
        { $limit: 1 },
        { $lookup: { from: 'customer', localField: 'customer_id', foreignField: 'id', as: 'c' } },
        { $set: { 'c.0.email': 'hijacked@example.com' } },
      ],
    ] as Pipeline[]) {
      await store.aggregate(1, 'order', scoped(1, ...stages), untrusted);
    }
    const [order] = await store.aggregate(1, 'order', scoped(1, { $limit: 1 }), untrusted);
    expect(order!.items).toEqual(shop(1, 'one').order[0]!.items);
    const [customer] = await store.aggregate(1, 'customer', scoped(1), untrusted);
    expect(customer!.email).toBe('one@example.com');
    const [stored] = await store.aggregate(1, 'order', scoped(1, { $limit: 1 }));
    expect(stored!.items).toEqual(shop(1, 'one').order[0]!.items);
  });

  it("cannot reach a built-in prototype that another shop's pipeline then reads", async () => {
    await store
      .aggregate(
        1,
        'order',
        scoped(
          1,
          { $limit: 1 },
          {
            $addFields: {
              p: { $getField: { field: { $concat: ['__pro', 'to__'] }, input: '$items' } },
            },
          },
          { $set: { 'p.5': 'injected' } },
        ),
        untrusted,
      )
      .catch(() => undefined);
    expect(([] as unknown[])[5]).toBeUndefined();
    const [row] = await store.aggregate(
      5,
      'order',
      scoped(5, { $limit: 1 }, { $project: { _id: 0, sixth: { $arrayElemAt: ['$items', 5] } } }),
      untrusted,
    );
    expect(row).toEqual({});
  });

  it('refuse a result over the byte budget, and values that are not data, with codes', async () => {
    await expect(
      store.aggregate(1, 'order', scoped(1, { $group: { _id: null, all: { $push: '$$ROOT' } } }), untrusted),
    ).rejects.toMatchObject({ code: 'RESULT_TOO_LARGE' });
    await expect(
      store.aggregate(1, 'order', scoped(1, { $group: { _id: '$hasOwnProperty' } }), untrusted),
    ).rejects.toMatchObject({ code: 'QUERY_FAILED' });
  });

  it('end with RESULT_TOO_LARGE when they run out of memory, and the store goes on', async () => {
    const doubling = {
      $reduce: {
        input: { $range: [0, 40] },
        initialValue: [1],
        in: { $concatArrays: ['$$value', '$$value'] },
      },
    };
    await expect(
      store.aggregate(1, 'order', scoped(1, { $limit: 1 }, { $project: { n: { $size: doubling } } }), {
        ...untrusted,
        timeoutMs: 60_000,
      }),
    ).rejects.toMatchObject({ code: 'RESULT_TOO_LARGE' });
    expect(await store.aggregate(5, 'order', scoped(5, { $count: 'n' }), untrusted)).toEqual([
      { n: 200 },
    ]);
  });

  it('see an import that lands after the sandbox loaded the shop', async () => {
    await store.aggregate(1, 'order', scoped(1, { $count: 'n' }), untrusted);
    const next = shop(1, 'one');
    await store.replaceShop(1, { ...next, order: next.order.slice(0, 3) });
    expect(await store.aggregate(1, 'order', scoped(1, { $count: 'n' }), untrusted)).toEqual([
      { n: 3 },
    ]);
    await store.replaceShop(1, shop(1, 'one'));
  });
});

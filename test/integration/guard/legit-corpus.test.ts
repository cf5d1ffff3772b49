import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import { readShopDir } from '../../../src/shared/data/import/ndjson-import.js';
import { guardPipeline } from '../../../src/shared/guard/pipeline-guard.js';
import { legitCases, NORTHWIND_DIR, NORTHWIND_SHOP_ID } from '../../fixtures/guard/guard-corpus.js';

/**
 * Every legitimate pipeline the guard accepts must also run, as rewritten, on
 * the real embedded store over Northwind: the rewrite (shop match merged
 * first, $lookup turned into a scoped sub-pipeline, caps) must not break the
 * queries it protects.
 */
const store = new EmbeddedStore({});

beforeAll(async () => {
  await store.replaceShop(NORTHWIND_SHOP_ID, await readShopDir(NORTHWIND_DIR, NORTHWIND_SHOP_ID));
});

describe('legitimate corpus on the embedded store', () => {
  it.each(legitCases().map((c) => [c.name, c] as const))('runs %s', async (_name, c) => {
    const guarded = guardPipeline(c, NORTHWIND_SHOP_ID);
    if (!guarded.ok) throw new Error(`guard rejected: ${guarded.reason} at ${guarded.path}`);
    const rows = await store.aggregate(NORTHWIND_SHOP_ID, guarded.collection, guarded.pipeline, {
      timeoutMs: 10_000,
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(1000);
  });

  it('joins with the field-form $lookup rewrite exactly as the field form would', async () => {
    // Two Northwind customers never ordered; the rewritten join must find exactly those.
    const guarded = guardPipeline(
      {
        collection: 'customer',
        pipeline: [
          { $lookup: { from: 'order', localField: 'id', foreignField: 'customer_id', as: 'o' } },
          { $match: { o: { $size: 0 } } },
          { $project: { _id: 0, id: 1 } },
          { $sort: { id: 1 } },
        ],
      },
      NORTHWIND_SHOP_ID,
    );
    if (!guarded.ok) throw new Error(guarded.reason);
    expect(await store.aggregate(NORTHWIND_SHOP_ID, 'customer', guarded.pipeline)).toEqual([
      { id: 'FISSA' },
      { id: 'PARIS' },
    ]);
  });

  it('joins array local fields (items.product_id) by shared value', async () => {
    const guarded = guardPipeline(
      {
        collection: 'order',
        pipeline: [
          { $match: { id: 10248 } },
          {
            $lookup: {
              from: 'product',
              localField: 'items.product_id',
              foreignField: 'id',
              as: 'p',
            },
          },
          { $project: { _id: 0, ids: '$p.id' } },
        ],
      },
      NORTHWIND_SHOP_ID,
    );
    if (!guarded.ok) throw new Error(guarded.reason);
    const [row] = await store.aggregate(NORTHWIND_SHOP_ID, 'order', guarded.pipeline);
    expect([...(row!.ids as number[])].sort((a, b) => a - b)).toEqual([11, 42, 72]);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import { readShopDir } from '../../../src/shared/data/import/ndjson-import.js';
import { dataStoreContract } from './data-store.contract.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

dataStoreContract('embedded (in memory)', () => Promise.resolve(new EmbeddedStore({})));
dataStoreContract('embedded (persisted)', async () => new EmbeddedStore({ dataDir: await tempDir() }));

describe('embedded store persistence', () => {
  it('a second process sees an import made by the first', async () => {
    const dir = await tempDir();
    const writer = new EmbeddedStore({ dataDir: dir });
    const reader = new EmbeddedStore({ dataDir: dir });
    const docs = await readShopDir(path.resolve(import.meta.dirname, '../../fixtures/northwind'), 2);
    await writer.replaceShop(2, { ...docs, order: docs.order.slice(0, 5) });
    const count = async () =>
      (await reader.aggregate(2, 'order', [{ $match: { shop_id: 2 } }, { $count: 'n' }]))[0]?.n;
    expect(await count()).toBe(5);
    await writer.replaceShop(2, docs);
    expect(await count()).toBe(830);
    expect(await reader.listShops()).toEqual([2]);
  });

  it('never hands out its stored documents for mutation', async () => {
    const store = new EmbeddedStore({});
    const docs = await readShopDir(path.resolve(import.meta.dirname, '../../fixtures/northwind'), 2);
    await store.replaceShop(2, docs);
    const [first] = await store.aggregate(2, 'order', [{ $match: { shop_id: 2 } }, { $limit: 1 }]);
    first!.grand_total = -1;
    const [again] = await store.aggregate(2, 'order', [{ $match: { shop_id: 2 } }, { $limit: 1 }]);
    expect(again!.grand_total).not.toBe(-1);
  });

  it('refuses JavaScript even if a pipeline slipped past the guard', async () => {
    const store = new EmbeddedStore({});
    const docs = await readShopDir(path.resolve(import.meta.dirname, '../../fixtures/northwind'), 2);
    await store.replaceShop(2, docs);
    await expect(
      store.aggregate(2, 'order', [
        { $match: { shop_id: 2 } },
        { $addFields: { x: { $function: { body: 'function() { return 1 }', args: [], lang: 'js' } } } },
      ]),
    ).rejects.toThrow();
  });
});

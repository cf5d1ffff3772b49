import type { ShopDataInfo } from '../data-store.js';
import type { CoreServices } from '../../runtime/core-services.js';
import { enqueueIngest } from '../../queues/queues.js';
import type { ShopDocuments } from '../documents.js';
import { readShopDir } from './ndjson-import.js';

export interface ImportOptions {
  name?: string;
  timezone?: string;
  locale?: string;
}

/**
 * Validate a canonical NDJSON folder, replace the shop's data in one step,
 * register the shop and queue its re-indexing. Nothing changes if any line is bad.
 */
export async function importShop(
  core: Pick<CoreServices, 'store' | 'shops' | 'queues'>,
  shopId: number,
  dir: string,
  options: ImportOptions = {},
): Promise<ShopDataInfo> {
  const docs = await readShopDir(dir, shopId);
  return importDocuments(core, shopId, docs, options);
}

export async function importDocuments(
  core: Pick<CoreServices, 'store' | 'shops' | 'queues'>,
  shopId: number,
  docs: ShopDocuments,
  options: ImportOptions = {},
): Promise<ShopDataInfo> {
  const info = await core.store.replaceShop(shopId, docs);
  const existing = await core.shops.get(shopId);
  await core.shops.upsert({
    shop_id: shopId,
    name: options.name ?? existing?.name ?? `Shop ${shopId}`,
    ...(info.currency ? { currency: info.currency } : {}),
    ...(options.timezone ? { timezone: options.timezone } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
  });
  await enqueueIngest(core.queues, { kind: 'index-shop', shop_id: shopId }, `index-shop-${shopId}-v${info.dataVersion}`);
  return info;
}

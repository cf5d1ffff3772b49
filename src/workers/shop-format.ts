import type { DataStore } from '../shared/data/data-store.js';
import type { QuestionJob } from '../shared/queues/question-job.js';
import type { ShopRegistry } from '../shared/shops/shop-registry.js';

export interface ShopFormat {
  currency: string;
  locale: string;
}

/**
 * How a shop's answers read. The data's own currency wins (an import names
 * it); then the shop's settings the API put on the job; the shop record is
 * read only for jobs queued without them.
 */
export async function shopFormat(
  job: QuestionJob,
  deps: { shops: ShopRegistry; store: DataStore },
): Promise<ShopFormat> {
  const fromJob = job.currency !== undefined && job.locale !== undefined;
  const [shop, info] = await Promise.all([
    fromJob ? null : deps.shops.get(job.shop_id),
    deps.store.shopInfo(job.shop_id),
  ]);
  return {
    currency: info?.currency ?? job.currency ?? shop?.currency ?? 'USD',
    locale: job.locale ?? shop?.locale ?? 'en-US',
  };
}

import { AppError } from '../errors/app-error.js';
import type { Pipeline, ShopDataInfo } from './data-store.js';
import type { ShopDocuments } from './documents.js';

/**
 * Both adapters refuse a pipeline that does not open with this shop's `$match`:
 * the guard and the compiler always put it there, so anything else is a bug
 * that must not read across shops.
 */
export function assertShopScoped(shopId: number, pipeline: Pipeline): void {
  const first = pipeline[0]?.$match as Record<string, unknown> | undefined;
  if (!first || first.shop_id !== shopId) {
    throw new AppError('QUERY_FAILED', `pipeline must start with { $match: { shop_id: ${shopId} } }`);
  }
}

export function summarise(shopId: number, version: number, docs: ShopDocuments): ShopDataInfo {
  const currencies = new Map<string, number>();
  for (const o of docs.order) currencies.set(o.currency, (currencies.get(o.currency) ?? 0) + 1);
  const currency = [...currencies.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  let first: Date | null = null;
  let last: Date | null = null;
  for (const o of docs.order) {
    if (!first || o.created_at < first) first = o.created_at;
    if (!last || o.created_at > last) last = o.created_at;
  }
  return {
    shopId,
    counts: { order: docs.order.length, product: docs.product.length, customer: docs.customer.length },
    dataVersion: version,
    currency,
    firstOrderAt: first,
    lastOrderAt: last,
  };
}

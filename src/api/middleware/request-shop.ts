import type { Request } from 'express';
import type { ShopRecord, ShopRegistry } from '../../shared/shops/shop-registry.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Shop records this request has read, so its middleware and route read each once. */
    shopsRead?: Map<number, Promise<ShopRecord | null>>;
  }
}

/**
 * The shop record, read at most once per request: the rate limiter needs the
 * shop's limit and the route needs the shop, and a second read would only add
 * a Redis round trip to every question.
 */
export function requestShop(
  req: Request,
  shops: ShopRegistry,
  shopId: number,
): Promise<ShopRecord | null> {
  req.shopsRead ??= new Map();
  let shop = req.shopsRead.get(shopId);
  if (!shop) {
    shop = shops.get(shopId);
    req.shopsRead.set(shopId, shop);
  }
  return shop;
}

import type { Request } from 'express';
import { AppError } from '../../shared/errors/app-error.js';

/**
 * Who is calling. Resolved by the auth middleware; `open` is the mode of a
 * deployment without keys configured (local development and the embedded
 * defaults), where the body's shop_id is taken as given.
 */
export type Caller = { kind: 'admin' } | { kind: 'shop'; shopId: number } | { kind: 'open' };

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

/**
 * The shop a request acts for. With a shop key the shop comes from the key and a
 * disagreeing body shop_id is a 403; admin and open callers must name the shop.
 */
export function shopIdFor(req: Request, bodyShopId: number | undefined): number {
  const caller = req.caller ?? { kind: 'open' };
  if (caller.kind === 'shop') {
    if (bodyShopId !== undefined && bodyShopId !== caller.shopId) {
      throw new AppError('FORBIDDEN', 'this key belongs to another shop');
    }
    return caller.shopId;
  }
  if (bodyShopId === undefined) throw new AppError('VALIDATION_FAILED', 'shop_id is required');
  return bodyShopId;
}

/** Whether the caller may see a given shop's jobs and data. */
export function canAccessShop(req: Request, shopId: number): boolean {
  const caller = req.caller ?? { kind: 'open' };
  return caller.kind !== 'shop' || caller.shopId === shopId;
}

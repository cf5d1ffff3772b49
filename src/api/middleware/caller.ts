import type { Request } from 'express';
import { AppError } from '../../shared/errors/app-error.js';

/**
 * Who is calling. Resolved by the auth middleware (`auth.ts`):
 * - `admin`: the `ADMIN_API_KEY`; any shop, shop management, imports, Bull Board;
 * - `shop`: a shop's API key; that shop only;
 * - `open`: no key, in a deployment without `ADMIN_API_KEY` (local development
 *   and the embedded defaults). The body's shop_id is taken as given, except
 *   for shops in `lockedShops`: once a shop has a key, calls for it need it.
 */
export type Caller =
  | { kind: 'admin' }
  | { kind: 'shop'; shopId: number; keyId: string }
  | { kind: 'open'; lockedShops?: ReadonlySet<number> };

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

/**
 * The shop a request acts for. With a shop key the shop comes from the key and a
 * disagreeing body shop_id is a 403; admin and open callers must name the shop,
 * and an open caller naming a shop that has a key is a 401.
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
  if (caller.kind === 'open' && caller.lockedShops?.has(bodyShopId)) {
    throw new AppError('UNAUTHORIZED', `shop ${bodyShopId} requires its API key`);
  }
  return bodyShopId;
}

/** Whether the caller may see a given shop's jobs and data. */
export function canAccessShop(req: Request, shopId: number): boolean {
  const caller = req.caller ?? { kind: 'open' };
  if (caller.kind === 'shop') return caller.shopId === shopId;
  if (caller.kind === 'open') return !caller.lockedShops?.has(shopId);
  return true;
}

/**
 * Operations across shops (Bull Board, listing and creating shops): the admin
 * key, or an open caller while no shop has a key yet (a purely local setup).
 */
export function canAdminister(req: Request): boolean {
  const caller = req.caller ?? { kind: 'open' };
  return (
    caller.kind === 'admin' || (caller.kind === 'open' && (caller.lockedShops?.size ?? 0) === 0)
  );
}

/**
 * Management of one shop (its keys, imports): the admin key; the shop's own key
 * where `allowShopKey` (key rotation); an open caller for a shop without keys.
 * Another shop's key is a 403 whether or not the shop exists.
 */
export function assertCanManageShop(
  req: Request,
  shopId: number,
  opts: { allowShopKey: boolean },
): void {
  const caller = req.caller ?? { kind: 'open' };
  if (caller.kind === 'admin') return;
  if (caller.kind === 'shop') {
    if (caller.shopId !== shopId)
      throw new AppError('FORBIDDEN', 'this key belongs to another shop');
    if (!opts.allowShopKey) throw new AppError('FORBIDDEN', 'this needs the admin key');
    return;
  }
  if (caller.lockedShops?.has(shopId))
    throw new AppError('UNAUTHORIZED', `shop ${shopId} requires its API key`);
}

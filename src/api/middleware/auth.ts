import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { secretsEqual } from '../../shared/auth/api-key.js';
import { AppError } from '../../shared/errors/app-error.js';
import type { ShopRegistry } from '../../shared/shops/shop-registry.js';
import { canAdminister, type Caller } from './caller.js';

export interface AuthOptions {
  /** `ADMIN_API_KEY`; when set the deployment is closed: every call needs a key. */
  adminKey: string | undefined;
  shops: ShopRegistry;
}

/** The token of `Authorization: Bearer <token>` (or the password of Basic, for Bull Board in a browser). */
function presentedToken(
  req: Request,
): { token: string; scheme: 'bearer' | 'basic' } | null | 'malformed' {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme, value] = header.split(/\s+/, 2) as [string, string | undefined];
  if (!value) return 'malformed';
  if (/^bearer$/i.test(scheme)) return { token: value, scheme: 'bearer' };
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? { token: decoded.slice(colon + 1), scheme: 'basic' } : 'malformed';
  }
  return 'malformed';
}

function unauthorized(message: string): AppError {
  return new AppError('UNAUTHORIZED', message);
}

/**
 * Resolve `req.caller` for /api and /admin requests.
 *
 * - A presented key must be valid (admin or an active shop key), else 401; a
 *   wrong key is never quietly treated as no key.
 * - No key with `ADMIN_API_KEY` set: 401. The deployment is closed.
 * - No key without `ADMIN_API_KEY`: the `open` caller, which carries the set of
 *   shops that have a key so those stay closed to it (see caller.ts). That set
 *   is read per request, which is fine for the local setups open mode is for;
 *   a deployment serving many shops sets `ADMIN_API_KEY`.
 */
export function authenticate(options: AuthOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void resolveCaller(req, options).then(
      (caller) => {
        req.caller = caller;
        next();
      },
      (err: unknown) => {
        if (err instanceof AppError && err.code === 'UNAUTHORIZED') {
          const browser = req.originalUrl.startsWith('/admin');
          res.setHeader(
            'WWW-Authenticate',
            browser ? 'Basic realm="shop-insights admin", charset="UTF-8"' : 'Bearer',
          );
        }
        next(err);
      },
    );
  };
}

async function resolveCaller(req: Request, options: AuthOptions): Promise<Caller> {
  const presented = presentedToken(req);
  if (presented === 'malformed') throw unauthorized('Authorization must be "Bearer <API key>"');
  if (presented) {
    if (options.adminKey && secretsEqual(presented.token, options.adminKey))
      return { kind: 'admin' };
    const shop = await options.shops.keys.verify(presented.token);
    if (shop) return { kind: 'shop', shopId: shop.shopId, keyId: shop.keyId };
    throw unauthorized('unknown, revoked or expired API key');
  }
  if (options.adminKey) throw unauthorized('an API key is required (Authorization: Bearer <key>)');
  return { kind: 'open', lockedShops: await options.shops.keys.keyedShops() };
}

/**
 * Bull Board and other cross-shop screens. Browsers get a Basic prompt (any
 * user name, the admin key as password), since they cannot send a Bearer header.
 */
export const requireAdmin: RequestHandler = (req, res, next) => {
  if (canAdminister(req)) {
    next();
    return;
  }
  if (req.caller?.kind === 'open') {
    res.setHeader('WWW-Authenticate', 'Basic realm="shop-insights admin", charset="UTF-8"');
    next(unauthorized('the admin key is required'));
    return;
  }
  next(new AppError('FORBIDDEN', 'this needs the admin key'));
};

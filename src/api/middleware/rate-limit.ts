import type { RequestHandler, Response } from 'express';
import { AppError } from '../../shared/errors/app-error.js';
import type {
  QuestionRateLimiter,
  RateLimitState,
} from '../../shared/limits/question-rate-limiter.js';
import type { ShopRegistry } from '../../shared/shops/shop-registry.js';
import { requestShop } from './request-shop.js';

function setHeaders(res: Response, state: RateLimitState): void {
  // The verdict can land after a validation error was answered.
  if (res.headersSent) return;
  // IETF draft "RateLimit header fields for HTTP" (the three-header form).
  res.setHeader('RateLimit-Limit', String(state.limit));
  res.setHeader('RateLimit-Remaining', String(state.remaining));
  res.setHeader('RateLimit-Reset', String(state.resetSeconds));
  res.setHeader('RateLimit-Policy', `${state.limit};w=60`);
}

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * The rate limiter's verdict on this question, still on its way: the
     * route reads and parses the question meanwhile and waits for it before
     * anything is written or queued. Rejects with RATE_LIMITED.
     */
    questionQuota?: Promise<void>;
  }
}

/**
 * Questions per minute on POST /api/ask: per API key for shop keys, per shop
 * for admin and open callers; the shop's `rate_limit_per_minute` overrides the
 * deployment default. The count goes to Redis here and the request moves on:
 * the verdict is `req.questionQuota`, which the route awaits after parsing
 * (a round trip the parse would otherwise wait behind). A body without a
 * usable shop_id is left for validation to reject.
 */
export function rateLimitQuestions(deps: {
  limiter: QuestionRateLimiter;
  shops: ShopRegistry;
  defaultPerMinute: number;
}): RequestHandler {
  return (req, res, next) => {
    const caller = req.caller ?? { kind: 'open' as const };
    const bodyShop = (req.body as { shop_id?: unknown } | undefined)?.shop_id;
    const shopId =
      caller.kind === 'shop'
        ? caller.shopId
        : Number.isInteger(bodyShop) && (bodyShop as number) > 0
          ? (bodyShop as number)
          : null;
    if (shopId === null) {
      next();
      return;
    }
    const subject = caller.kind === 'shop' ? `key:${caller.keyId}` : `shop:${shopId}`;
    const verdict = (async () => {
      // The count does not depend on the limit: both reads share a round trip.
      const [shop, counted] = await Promise.all([
        requestShop(req, deps.shops, shopId),
        deps.limiter.count(subject),
      ]);
      const perMinute = shop?.rate_limit_per_minute ?? deps.defaultPerMinute;
      try {
        setHeaders(res, deps.limiter.judge(counted, perMinute));
      } catch (err) {
        if (err instanceof AppError && err.code === 'RATE_LIMITED' && !res.headersSent) {
          const state = err.cause as RateLimitState;
          setHeaders(res, state);
          res.setHeader('Retry-After', String(state.resetSeconds));
        }
        throw err;
      }
    })();
    // A request that fails validation never awaits the verdict.
    verdict.catch(() => undefined);
    req.questionQuota = verdict;
    next();
  };
}

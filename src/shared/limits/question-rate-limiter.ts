import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error.js';
import type { RedisClient } from '../redis/redis-connection.js';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Questions per minute per subject (an API key, or a shop for admin and open
 * callers), counted in Redis by rate-limiter-flexible so every API process
 * shares one budget. The per-shop limit varies, so there is one limiter per
 * limit value over the same keys: the stored count is the same, only the
 * threshold it is compared with differs.
 */
export class QuestionRateLimiter {
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private limiter(points: number): RateLimiterRedis {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${this.prefix}:rate:ask`,
        points,
        duration: 60,
        // The API's Redis fails fast; so does the limiter (503, not a hang).
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(points, limiter);
    }
    return limiter;
  }

  /** Take one question from the subject's budget, or throw RATE_LIMITED with the state. */
  async consume(subject: string, perMinute: number): Promise<RateLimitState> {
    try {
      const res = await this.limiter(perMinute).consume(subject, 1);
      return stateOf(res, perMinute);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const state = stateOf(err, perMinute);
        throw new AppError(
          'RATE_LIMITED',
          `more than ${perMinute} questions a minute; retry in ${state.resetSeconds} s`,
          {
            details: { retry_after_seconds: state.resetSeconds },
            cause: state,
          },
        );
      }
      throw new AppError('REDIS_UNAVAILABLE', 'the service is temporarily unavailable', {
        cause: err,
      });
    }
  }
}

function stateOf(res: RateLimiterRes, limit: number): RateLimitState {
  return {
    limit,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

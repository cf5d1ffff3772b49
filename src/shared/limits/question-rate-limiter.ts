import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
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
 * shares one budget. Counting and judging are apart: the count needs no limit,
 * so it can go to Redis while the caller is still reading the shop whose
 * `rate_limit_per_minute` decides the verdict.
 */
export class QuestionRateLimiter {
  private readonly counter: RateLimiterRedis;

  constructor(redis: RedisClient, prefix: string) {
    this.counter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:rate:ask`,
      // Never rejects by itself: `judge` compares the count with the limit.
      points: Number.MAX_SAFE_INTEGER,
      duration: 60,
      // The API's Redis fails fast; so does the limiter (503, not a hang).
      rejectIfRedisNotReady: true,
    });
  }

  /** Count one question in the subject's current minute. */
  async count(subject: string): Promise<RateLimiterRes> {
    try {
      return await this.counter.consume(subject, 1);
    } catch (err) {
      throw new AppError('REDIS_UNAVAILABLE', 'the service is temporarily unavailable', {
        cause: err,
      });
    }
  }

  /** The state after a count, or RATE_LIMITED (with the state) when it is over the limit. */
  judge(counted: RateLimiterRes, perMinute: number): RateLimitState {
    const state = {
      limit: perMinute,
      remaining: Math.max(0, perMinute - counted.consumedPoints),
      resetSeconds: Math.max(1, Math.ceil(counted.msBeforeNext / 1000)),
    };
    if (counted.consumedPoints > perMinute) {
      throw new AppError(
        'RATE_LIMITED',
        `more than ${perMinute} questions a minute; retry in ${state.resetSeconds} s`,
        { details: { retry_after_seconds: state.resetSeconds }, cause: state },
      );
    }
    return state;
  }
}

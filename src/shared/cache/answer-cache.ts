import type { Tier } from '../queues/question-job.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { JobRecord } from '../results/job-record.js';

/** A finished answer as kept in the cache: what a new job record needs to answer at once. */
export interface CachedAnswer {
  job_id: string;
  tier: Tier;
  as_of: string;
  answer: string;
  data: JobRecord['data'];
  query: JobRecord['query'];
  explanation: string;
  structured_query?: unknown;
  meta?: Record<string, unknown>;
  cached_at: string;
}

/**
 * Finished answers by question fingerprint (see cache-policy.ts), one string
 * key each with the TTL of its class: `<prefix>:answer:{<shopId>}:<fingerprint>`.
 */
export class AnswerCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(shopId: number, fingerprint: string): string {
    return `${this.prefix}:answer:{${shopId}}:${fingerprint}`;
  }

  async get(shopId: number, fingerprint: string): Promise<CachedAnswer | null> {
    const text = await this.redis.get(this.key(shopId, fingerprint));
    return text ? (JSON.parse(text) as CachedAnswer) : null;
  }

  /** Cache a succeeded record; failures are never cached. */
  async put(record: JobRecord, fingerprint: string, ttlSeconds: number): Promise<void> {
    if (record.status !== 'succeeded' || record.answer === undefined) return;
    const value: CachedAnswer = {
      job_id: record.job_id,
      tier: record.tier,
      as_of: record.as_of,
      answer: record.answer,
      data: record.data,
      query: record.query ?? null,
      explanation: record.explanation ?? '',
      ...(record.structured_query !== undefined ? { structured_query: record.structured_query } : {}),
      ...(record.meta ? { meta: record.meta } : {}),
      cached_at: new Date().toISOString(),
    };
    await this.redis.set(this.key(record.shop_id, fingerprint), JSON.stringify(value), 'EX', ttlSeconds);
  }
}

import { createHash } from 'node:crypto';
import type { Tier } from '../queues/question-job.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { JobRecord } from '../results/job-record.js';
import { normaliseQuestion } from './cache-policy.js';

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

/** Delete a cached answer only if it is still the one a given job produced. One key: cluster-safe. */
const EVICT_IF_FROM_JOB = `
local v = redis.call('get', KEYS[1])
if v and cjson.decode(v).job_id == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/** Aliases are a short-lived shortcut; the fingerprint stays the source of truth. */
const ALIAS_TTL_SECONDS = 120;

/**
 * A request's identity before parsing: shop, normalised text, time zone, data
 * version, follow-up and as_of to the minute. Every cache bucket is at least
 * five minutes wide and ranges resolve to whole days, so requests equal in all
 * of these parse to the same fingerprint; a repeat then skips the Tier 1 parse
 * (a few ms of CPU) and answers from the cache at Redis speed.
 */
export function requestAlias(parts: {
  question: string;
  timezone: string;
  dataVersion: number;
  asOf: Date;
  followUpOf?: string;
}): string {
  const minute = Math.floor(parts.asOf.getTime() / 60_000);
  const text = JSON.stringify([
    normaliseQuestion(parts.question),
    parts.timezone,
    parts.dataVersion,
    parts.followUpOf ?? null,
    minute,
  ]);
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

/**
 * Finished answers by question fingerprint (see cache-policy.ts), one string
 * key each with the TTL of its class: `<prefix>:answer:{<shopId>}:<fingerprint>`,
 * plus request aliases: `<prefix>:answer-alias:{<shopId>}:<alias>` → fingerprint.
 */
export class AnswerCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(shopId: number, fingerprint: string): string {
    return `${this.prefix}:answer:{${shopId}}:${fingerprint}`;
  }

  private aliasKey(shopId: number, alias: string): string {
    return `${this.prefix}:answer-alias:{${shopId}}:${alias}`;
  }

  /** The fingerprint a recent identical request resolved to (see `requestAlias`). */
  async fingerprintFor(shopId: number, alias: string): Promise<string | null> {
    return this.redis.get(this.aliasKey(shopId, alias));
  }

  async rememberAlias(shopId: number, alias: string, fingerprint: string): Promise<void> {
    await this.redis.set(this.aliasKey(shopId, alias), fingerprint, 'EX', ALIAS_TTL_SECONDS);
  }

  async get(shopId: number, fingerprint: string): Promise<CachedAnswer | null> {
    const text = await this.redis.get(this.key(shopId, fingerprint));
    return text ? (JSON.parse(text) as CachedAnswer) : null;
  }

  /**
   * Drop the cached answer under `fingerprint` if job `jobId` produced it (an
   * answer someone marked wrong must not be served again); a newer answer
   * cached under the same fingerprint stays. True when one was dropped.
   */
  async evict(shopId: number, fingerprint: string, jobId: string): Promise<boolean> {
    const dropped = await this.redis.eval(
      EVICT_IF_FROM_JOB,
      1,
      this.key(shopId, fingerprint),
      jobId,
    );
    return Number(dropped) === 1;
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
      ...(record.structured_query !== undefined
        ? { structured_query: record.structured_query }
        : {}),
      ...(record.meta ? { meta: record.meta } : {}),
      cached_at: new Date().toISOString(),
    };
    await this.redis.set(
      this.key(record.shop_id, fingerprint),
      JSON.stringify(value),
      'EX',
      ttlSeconds,
    );
  }
}

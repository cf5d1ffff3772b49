import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/redis-connection.js';

export type IdempotencyOutcome =
  { kind: 'reserved' } | { kind: 'existing'; jobId: string; sameBody: boolean };

/** JSON with sorted keys, so the same body hashes the same whatever its key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function bodyHash(body: unknown): string {
  return createHash('sha256').update(stableJson(body)).digest('hex');
}

/**
 * `Idempotency-Key` of POST /api/ask, per shop:
 * `<prefix>:idempotency:{<shopId>}:<sha256 of the key>` → { body hash, job id }.
 * The first request reserves the key with SET NX before doing anything else, so
 * two concurrent retries cannot both create a job.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private key(shopId: number, idempotencyKey: string): string {
    const hashed = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
    return `${this.prefix}:idempotency:{${shopId}}:${hashed}`;
  }

  async reserve(
    shopId: number,
    idempotencyKey: string,
    hash: string,
    jobId: string,
  ): Promise<IdempotencyOutcome> {
    const key = this.key(shopId, idempotencyKey);
    const ok = await this.redis.set(
      key,
      JSON.stringify({ hash, job_id: jobId }),
      'EX',
      this.ttlSeconds,
      'NX',
    );
    if (ok === 'OK') return { kind: 'reserved' };
    const text = await this.redis.get(key);
    if (!text) return this.reserve(shopId, idempotencyKey, hash, jobId); // expired in between
    const stored = JSON.parse(text) as { hash: string; job_id: string };
    return { kind: 'existing', jobId: stored.job_id, sameBody: stored.hash === hash };
  }

  /** Point a reserved key at the job that ended up answering (a shared in-flight job). */
  async point(shopId: number, idempotencyKey: string, hash: string, jobId: string): Promise<void> {
    await this.redis.set(
      this.key(shopId, idempotencyKey),
      JSON.stringify({ hash, job_id: jobId }),
      'EX',
      this.ttlSeconds,
    );
  }

  /** Forget a reservation whose request failed before a job existed, so a retry can succeed. */
  async release(shopId: number, idempotencyKey: string): Promise<void> {
    await this.redis.del(this.key(shopId, idempotencyKey));
  }
}

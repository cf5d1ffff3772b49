import type { RedisClient } from '../redis/redis-connection.js';
import type { JobRecord, JobStatus } from './job-record.js';

export interface JobEvent {
  job_id: string;
  shop_id: number;
  status: JobStatus;
  tier: JobRecord['tier'];
  /** Submit-to-result time, on the final event only. */
  total_ms?: number;
  cache_hit?: boolean;
}

/** How many recent jobs each shop's history keeps. */
const HISTORY_LENGTH = 200;

/**
 * Job records in Redis, one JSON value per job with a TTL, plus each shop's
 * recent job ids and a pub/sub channel announcing status changes (used by
 * `wait_ms` and the SSE stream, so neither has to poll).
 *
 * Keys: `<prefix>:job:{<id>}` and `<prefix>:shop-jobs:{<shopId>}`; single-key
 * commands only, so it works unchanged on a Redis Cluster.
 */
export class ResultsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  get channel(): string {
    return `${this.prefix}:job-events`;
  }

  private jobKey(jobId: string): string {
    return `${this.prefix}:job:{${jobId}}`;
  }

  private historyKey(shopId: number): string {
    return `${this.prefix}:shop-jobs:{${shopId}}`;
  }

  /** Create a record; false if one with this id already exists. */
  async create(record: JobRecord): Promise<boolean> {
    const ok = await this.redis.set(
      this.jobKey(record.job_id),
      JSON.stringify(record),
      'EX',
      this.ttlSeconds,
      'NX',
    );
    if (ok !== 'OK') return false;
    const history = this.historyKey(record.shop_id);
    await this.redis.zadd(history, Date.parse(record.created_at), record.job_id);
    await this.redis.zremrangebyrank(history, 0, -HISTORY_LENGTH - 1);
    await this.redis.expire(history, this.ttlSeconds);
    return true;
  }

  async get(jobId: string): Promise<JobRecord | null> {
    const text = await this.redis.get(this.jobKey(jobId));
    return text ? (JSON.parse(text) as JobRecord) : null;
  }

  /**
   * Apply a change to a record. One worker owns a job at a time (BullMQ's lock),
   * so read-modify-write is safe here; the TTL is kept.
   */
  async update(jobId: string, change: (record: JobRecord) => JobRecord): Promise<JobRecord | null> {
    const current = await this.get(jobId);
    if (!current) return null;
    const next = change(current);
    await this.redis.set(this.jobKey(jobId), JSON.stringify(next), 'KEEPTTL');
    if (next.status !== current.status || next.tier !== current.tier) {
      await this.publish({
        job_id: next.job_id,
        shop_id: next.shop_id,
        status: next.status,
        tier: next.tier,
        ...(next.timings_ms ? { total_ms: next.timings_ms.total } : {}),
      });
    }
    return next;
  }

  async publish(event: JobEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }

  /** Most recent job ids of a shop, newest first. */
  async recentJobIds(shopId: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.historyKey(shopId), 0, limit - 1);
  }
}

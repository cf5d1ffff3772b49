import type { RedisClient } from '../redis/redis-connection.js';

/**
 * Atomically: forget entries older than the stale cutoff, refuse when the shop
 * already has `cap` unfinished jobs, else add this one. One key, so it runs
 * unchanged on a Redis Cluster.
 */
const ADMIT = `
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('zadd', KEYS[1], ARGV[3], ARGV[4])
redis.call('expire', KEYS[1], ARGV[5])
return 1`;

/**
 * A job that never reports back (its record expired, a worker bug) stops
 * counting after this long, so a lost job cannot lock a shop out for good. An
 * hour is well beyond any healthy wait, even behind a busy llm queue.
 */
const STALE_MS = 3600 * 1000;

/**
 * The per-shop cap on unfinished questions, so one shop cannot fill the
 * queues: `<prefix>:shop-queued:{<shopId>}`, a sorted set of job ids by
 * admission time. Admitted on submit, released when the job finishes.
 */
export class ShopQueueCap {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(shopId: number): string {
    return `${this.prefix}:shop-queued:{${shopId}}`;
  }

  /**
   * Admit a job unless the shop is at its cap. At the cap, members that
   * `finishedOf` reports as finished (a release that never ran: a worker
   * without the listeners, a crash in between) are dropped and the admission
   * tried once more, so the count heals itself instead of locking a shop out.
   */
  async admit(
    shopId: number,
    jobId: string,
    cap: number,
    finishedOf?: (jobIds: string[]) => Promise<string[]>,
  ): Promise<boolean> {
    if (await this.tryAdmit(shopId, jobId, cap)) return true;
    if (!finishedOf) return false;
    const members = await this.redis.zrange(this.key(shopId), '0', '-1');
    const finished = await finishedOf(members);
    if (finished.length === 0) return false;
    await this.redis.zrem(this.key(shopId), ...finished);
    return this.tryAdmit(shopId, jobId, cap);
  }

  private async tryAdmit(
    shopId: number,
    jobId: string,
    cap: number,
    now = Date.now(),
  ): Promise<boolean> {
    const result = await this.redis.eval(
      ADMIT,
      1,
      this.key(shopId),
      String(now - STALE_MS),
      String(cap),
      String(now),
      jobId,
      String(Math.ceil((STALE_MS * 2) / 1000)),
    );
    return Number(result) === 1;
  }

  async release(shopId: number, jobId: string): Promise<void> {
    await this.redis.zrem(this.key(shopId), jobId);
  }

  async count(shopId: number): Promise<number> {
    return this.redis.zcard(this.key(shopId));
  }
}

import type { RedisClient } from '../redis/redis-connection.js';

/** Compare-and-delete: only the job that claimed a fingerprint releases it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * Which job is currently answering a question fingerprint, so identical
 * questions asked while it runs join it instead of queueing again.
 * `<prefix>:in-flight:{<shopId>}:<fingerprint>` → job id, with a TTL as a
 * backstop for a job that never reports back; released when the job finishes.
 */
export class InFlightRegistry {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private key(shopId: number, fingerprint: string): string {
    return `${this.prefix}:in-flight:{${shopId}}:${fingerprint}`;
  }

  /** Claim the fingerprint for `jobId`; returns the job already holding it, or null. */
  async claim(shopId: number, fingerprint: string, jobId: string): Promise<string | null> {
    const key = this.key(shopId, fingerprint);
    const ok = await this.redis.set(key, jobId, 'EX', this.ttlSeconds, 'NX');
    return ok === 'OK' ? null : await this.redis.get(key);
  }

  /** Take over a fingerprint whose holder turned out to be finished or gone. */
  async replace(shopId: number, fingerprint: string, jobId: string): Promise<void> {
    await this.redis.set(this.key(shopId, fingerprint), jobId, 'EX', this.ttlSeconds);
  }

  async release(shopId: number, fingerprint: string, jobId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(shopId, fingerprint), jobId);
  }
}

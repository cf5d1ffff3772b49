import { z } from 'zod';
import type { RedisClient } from '../redis/redis-connection.js';
import { ApiKeyStore } from './api-key.store.js';

export const shopRecordSchema = z.object({
  shop_id: z.number().int().positive(),
  name: z.string().min(1).max(200),
  /** IANA zone the shop's relative dates resolve in. */
  timezone: z.string().default('UTC'),
  /** ISO 4217 code; answers format money in it. */
  currency: z.string().length(3).default('USD'),
  /** BCP 47 locale for number formatting. */
  locale: z.string().default('en-US'),
  created_at: z.string(),
  /** Overrides the deployment's default questions per minute per key. */
  rate_limit_per_minute: z.number().int().positive().optional(),
  /** Overrides the deployment's cap on queued jobs per shop. */
  max_queued: z.number().int().positive().optional(),
});
export type ShopRecord = z.infer<typeof shopRecordSchema>;

/**
 * The shops this deployment serves. Small, read on every request, so it lives
 * in Redis next to the queues: `<prefix>:shop:{<id>}` plus a set of ids. Their
 * API keys (hashed; create, rotate, revoke) are in `keys`.
 */
export class ShopRegistry {
  readonly keys: ApiKeyStore;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.keys = new ApiKeyStore(redis, prefix);
  }

  private key(shopId: number): string {
    return `${this.prefix}:shop:{${shopId}}`;
  }

  private get indexKey(): string {
    return `${this.prefix}:shops`;
  }

  async get(shopId: number): Promise<ShopRecord | null> {
    const text = await this.redis.get(this.key(shopId));
    return text ? shopRecordSchema.parse(JSON.parse(text)) : null;
  }

  async upsert(
    input: Omit<ShopRecord, 'created_at' | 'timezone' | 'currency' | 'locale'> &
      Partial<Pick<ShopRecord, 'timezone' | 'currency' | 'locale'>>,
  ): Promise<ShopRecord> {
    const existing = await this.get(input.shop_id);
    const record = shopRecordSchema.parse({
      ...existing,
      ...input,
      created_at: existing?.created_at ?? new Date().toISOString(),
    });
    await this.redis.set(this.key(record.shop_id), JSON.stringify(record));
    await this.redis.sadd(this.indexKey, String(record.shop_id));
    return record;
  }

  async list(): Promise<number[]> {
    const ids = await this.redis.smembers(this.indexKey);
    return ids.map(Number).sort((a, b) => a - b);
  }

  async nextId(): Promise<number> {
    const ids = await this.list();
    return (ids.at(-1) ?? 0) + 1;
  }

  /**
   * Register a new shop under a fresh id. The id is claimed with SET NX, so two
   * concurrent creations never share one.
   */
  async createNew(
    input: Omit<ShopRecord, 'created_at' | 'timezone' | 'currency' | 'locale' | 'shop_id'> &
      Partial<Pick<ShopRecord, 'timezone' | 'currency' | 'locale'>>,
  ): Promise<ShopRecord> {
    for (let tries = 0; tries < 20; tries++) {
      const shopId = (await this.nextId()) + tries;
      const record = shopRecordSchema.parse({
        ...input,
        shop_id: shopId,
        created_at: new Date().toISOString(),
      });
      const ok = await this.redis.set(this.key(shopId), JSON.stringify(record), 'NX');
      if (ok !== 'OK') continue;
      await this.redis.sadd(this.indexKey, String(shopId));
      return record;
    }
    throw new Error('could not allocate a shop id');
  }
}

import type { RedisClient } from '../redis/redis-connection.js';
import type { WebhookEventType } from './webhook-endpoints.store.js';

/** One try at sending a delivery. */
export interface DeliveryAttempt {
  at: string;
  status_code?: number;
  error?: string;
  duration_ms: number;
  retry_after_ms?: number;
}

/**
 * One event for one destination: the exact body that is signed (the same bytes
 * on every retry) and every attempt. The destination's secret is looked up at
 * send time from the endpoint (or the shop's question secret), never stored here.
 */
export interface DeliveryRecord {
  delivery_id: string;
  shop_id: number;
  /** `webhook-id`: the same for retries and replays, so receivers can deduplicate. */
  message_id: string;
  event_type: WebhookEventType;
  job_id: string;
  target: { kind: 'endpoint'; endpoint_id: string } | { kind: 'question_url' };
  url: string;
  body: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: DeliveryAttempt[];
  created_at: string;
  updated_at: string;
  delivered_at?: string;
  replay_of?: string;
}

/** What the delivery log shows: the payload parsed, everything else as stored. */
export function deliveryView(d: DeliveryRecord): Record<string, unknown> {
  const { body, ...rest } = d;
  return { ...rest, payload: JSON.parse(body) as unknown };
}

const LOG_LENGTH = 1_000;

/**
 * Delivery records and each shop's delivery log. Keys (one hash tag per shop, so
 * a shop's deliveries share a cluster slot): `<prefix>:webhook-delivery:{<shopId>}:<id>`
 * and `<prefix>:webhook-log:{<shopId>}` (ids by creation time).
 */
export class WebhookDeliveryStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private recordKey(shopId: number, id: string): string {
    return `${this.prefix}:webhook-delivery:{${shopId}}:${id}`;
  }

  private logKey(shopId: number): string {
    return `${this.prefix}:webhook-log:{${shopId}}`;
  }

  /** Store a new delivery; false when one with this id exists (a repeated dispatch). */
  async create(record: DeliveryRecord): Promise<boolean> {
    const ok = await this.redis.set(
      this.recordKey(record.shop_id, record.delivery_id),
      JSON.stringify(record),
      'EX',
      this.ttlSeconds,
      'NX',
    );
    if (ok !== 'OK') return false;
    const log = this.logKey(record.shop_id);
    await this.redis.zadd(log, Date.parse(record.created_at), record.delivery_id);
    await this.redis.zremrangebyrank(log, 0, -LOG_LENGTH - 1);
    await this.redis.expire(log, this.ttlSeconds);
    return true;
  }

  async get(shopId: number, id: string): Promise<DeliveryRecord | null> {
    if (!/^dlv_[0-9a-f]{8,64}$/.test(id)) return null;
    const text = await this.redis.get(this.recordKey(shopId, id));
    return text ? (JSON.parse(text) as DeliveryRecord) : null;
  }

  /** Read-modify-write; safe because one worker holds a delivery's job at a time. */
  async update(
    shopId: number,
    id: string,
    change: (d: DeliveryRecord) => DeliveryRecord,
  ): Promise<DeliveryRecord | null> {
    const current = await this.get(shopId, id);
    if (!current) return null;
    const next = { ...change(current), updated_at: new Date().toISOString() };
    await this.redis.set(this.recordKey(shopId, id), JSON.stringify(next), 'KEEPTTL');
    return next;
  }

  /** Newest first. */
  async list(
    shopId: number,
    limit: number,
    filter?: { job_id?: string },
  ): Promise<DeliveryRecord[]> {
    const ids = await this.redis.zrevrange(
      this.logKey(shopId),
      0,
      filter?.job_id ? LOG_LENGTH : limit - 1,
    );
    const out: DeliveryRecord[] = [];
    for (const id of ids) {
      const record = await this.get(shopId, id);
      if (!record || (filter?.job_id && record.job_id !== filter.job_id)) continue;
      out.push(record);
      if (out.length >= limit) break;
    }
    return out;
  }
}

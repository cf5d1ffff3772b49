import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/redis-connection.js';
import { generateWebhookSecret } from './webhook-signing.js';

export const WEBHOOK_EVENTS = ['question.succeeded', 'question.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** A shop's registered endpoint. The secret is shown once, at creation. */
export interface WebhookEndpoint {
  id: string;
  shop_id: number;
  url: string;
  events: WebhookEventType[];
  secret: string;
  description?: string;
  disabled: boolean;
  disabled_reason?: string;
  created_at: string;
}

export type WebhookEndpointView = Omit<WebhookEndpoint, 'secret'>;

export function endpointView(e: WebhookEndpoint): WebhookEndpointView {
  const { secret: _secret, ...view } = e;
  return view;
}

/** At most this many endpoints per shop: each finished question fans out to all. */
export const MAX_ENDPOINTS_PER_SHOP = 10;

/**
 * Per-shop webhook endpoints and the shop's secret for per-question
 * `webhook_url` deliveries. Keys: `<prefix>:webhook-endpoints:{<shopId>}` (hash
 * of id → JSON) and `<prefix>:webhook-secret:{<shopId>}`. Secrets are kept in
 * clear because signing needs them; they never enter a job payload or a log.
 */
export class WebhookEndpointStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private endpointsKey(shopId: number): string {
    return `${this.prefix}:webhook-endpoints:{${shopId}}`;
  }

  private secretKey(shopId: number): string {
    return `${this.prefix}:webhook-secret:{${shopId}}`;
  }

  async create(
    shopId: number,
    input: { url: string; events?: WebhookEventType[]; description?: string },
  ): Promise<WebhookEndpoint> {
    const endpoint: WebhookEndpoint = {
      id: `ep_${randomBytes(8).toString('hex')}`,
      shop_id: shopId,
      url: input.url,
      events:
        input.events && input.events.length > 0 ? [...new Set(input.events)] : [...WEBHOOK_EVENTS],
      secret: generateWebhookSecret(),
      ...(input.description ? { description: input.description } : {}),
      disabled: false,
      created_at: new Date().toISOString(),
    };
    await this.redis.hset(this.endpointsKey(shopId), endpoint.id, JSON.stringify(endpoint));
    return endpoint;
  }

  async get(shopId: number, id: string): Promise<WebhookEndpoint | null> {
    const text = await this.redis.hget(this.endpointsKey(shopId), id);
    return text ? (JSON.parse(text) as WebhookEndpoint) : null;
  }

  async list(shopId: number): Promise<WebhookEndpoint[]> {
    const all = await this.redis.hvals(this.endpointsKey(shopId));
    return all
      .map((t) => JSON.parse(t) as WebhookEndpoint)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async count(shopId: number): Promise<number> {
    return this.redis.hlen(this.endpointsKey(shopId));
  }

  async remove(shopId: number, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.endpointsKey(shopId), id)) > 0;
  }

  async setDisabled(
    shopId: number,
    id: string,
    disabled: boolean,
    reason?: string,
  ): Promise<WebhookEndpoint | null> {
    const current = await this.get(shopId, id);
    if (!current) return null;
    const { disabled_reason: _old, ...rest } = current;
    const next: WebhookEndpoint = {
      ...rest,
      disabled,
      ...(disabled && reason ? { disabled_reason: reason } : {}),
    };
    await this.redis.hset(this.endpointsKey(shopId), id, JSON.stringify(next));
    return next;
  }

  /** The secret that signs deliveries to per-question `webhook_url`s; created on first use. */
  async questionSecret(shopId: number): Promise<string> {
    const key = this.secretKey(shopId);
    const existing = await this.redis.get(key);
    if (existing) return existing;
    await this.redis.set(key, generateWebhookSecret(), 'NX');
    return (await this.redis.get(key))!;
  }

  async rotateQuestionSecret(shopId: number): Promise<string> {
    const secret = generateWebhookSecret();
    await this.redis.set(this.secretKey(shopId), secret);
    return secret;
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { webhookQueue } from '../queues/webhook-delivery.queue.js';
import type { Queues } from '../queues/queues.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { publicView, type JobRecord } from '../results/job-record.js';
import type { DeliveryRecord, WebhookDeliveryStore } from './webhook-deliveries.store.js';
import type { WebhookEndpointStore, WebhookEventType } from './webhook-endpoints.store.js';

/** The Standard Webhooks payload shape: `{ type, timestamp, data }`. */
export interface WebhookEvent {
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

function sha(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** BullMQ job ids may not contain ':'. Deterministic: a repeated dispatch adds nothing. */
export function deliveryJobId(deliveryId: string): string {
  return `webhook-${deliveryId}`;
}

/**
 * Turns a finished question into deliveries: one record and one job per
 * (destination, event), with deterministic ids, so a finished listener that
 * runs twice (a worker crash after the answer was stored) sends nothing twice.
 * Destinations: the shop's enabled endpoints subscribed to the event, plus the
 * question's own `webhook_url`s (the one it was asked with and those of
 * identical questions that joined it while in flight).
 */
export class WebhookDispatcher {
  constructor(
    private readonly deps: {
      redis: RedisClient;
      prefix: string;
      queues: Pick<Queues, 'webhooks'>;
      endpoints: WebhookEndpointStore;
      deliveries: WebhookDeliveryStore;
      /** How long extra per-question URLs are remembered (the job record's TTL). */
      hookTtlSeconds: number;
    },
  ) {}

  private hooksKey(jobId: string): string {
    return `${this.deps.prefix}:job-hooks:{${jobId}}`;
  }

  /** Remember one more URL to notify when a shared in-flight job finishes. */
  async addQuestionUrl(jobId: string, url: string): Promise<void> {
    const key = this.hooksKey(jobId);
    await this.deps.redis.sadd(key, url);
    await this.deps.redis.expire(key, this.deps.hookTtlSeconds);
  }

  async dispatch(record: JobRecord): Promise<DeliveryRecord[]> {
    if (record.status !== 'succeeded' && record.status !== 'failed') return [];
    const type: WebhookEventType =
      record.status === 'succeeded' ? 'question.succeeded' : 'question.failed';
    const event: WebhookEvent = {
      type,
      timestamp: record.finished_at ?? new Date().toISOString(),
      data: publicView(record),
    };
    const body = JSON.stringify(event);
    const messageId = `msg_${sha(`${record.job_id}|${type}`, 32)}`;
    const endpoints = (await this.deps.endpoints.list(record.shop_id)).filter(
      (e) => !e.disabled && e.events.includes(type),
    );
    const endpointUrls = new Set(endpoints.map((e) => e.url));
    const questionUrls = new Set(await this.deps.redis.smembers(this.hooksKey(record.job_id)));
    if (record.webhook_url) questionUrls.add(record.webhook_url);
    const targets: Pick<DeliveryRecord, 'target' | 'url'>[] = [
      ...endpoints.map((e) => ({
        target: { kind: 'endpoint' as const, endpoint_id: e.id },
        url: e.url,
      })),
      // A question URL that is also a subscribed endpoint gets one delivery, not two.
      ...[...questionUrls]
        .filter((u) => !endpointUrls.has(u))
        .map((u) => ({ target: { kind: 'question_url' as const }, url: u })),
    ];
    const now = new Date().toISOString();
    const created: DeliveryRecord[] = [];
    for (const t of targets) {
      const targetKey = t.target.kind === 'endpoint' ? t.target.endpoint_id : `url:${t.url}`;
      const delivery: DeliveryRecord = {
        delivery_id: `dlv_${sha(`${record.job_id}|${type}|${targetKey}`, 32)}`,
        shop_id: record.shop_id,
        message_id: messageId,
        event_type: type,
        job_id: record.job_id,
        target: t.target,
        url: t.url,
        body,
        status: 'pending',
        attempts: [],
        created_at: now,
        updated_at: now,
      };
      await this.deps.deliveries.create(delivery);
      await this.enqueue(delivery);
      created.push(delivery);
    }
    return created;
  }

  /**
   * Send a delivery again as a new delivery with the same message (same
   * `webhook-id` and body), so a receiver that already processed it can tell.
   */
  async replay(original: DeliveryRecord): Promise<DeliveryRecord> {
    const now = new Date().toISOString();
    const replay: DeliveryRecord = {
      ...original,
      delivery_id: `dlv_${randomBytes(16).toString('hex')}`,
      status: 'pending',
      attempts: [],
      created_at: now,
      updated_at: now,
      replay_of: original.delivery_id,
    };
    delete replay.delivered_at;
    await this.deps.deliveries.create(replay);
    await this.enqueue(replay);
    return replay;
  }

  private async enqueue(delivery: DeliveryRecord): Promise<void> {
    await this.deps.queues.webhooks.add(
      'deliver',
      { delivery_id: delivery.delivery_id, shop_id: delivery.shop_id },
      { ...webhookQueue.defaultJobOptions, jobId: deliveryJobId(delivery.delivery_id) },
    );
  }
}

import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../../shared/logging/logger.js';
import { parsePayload } from '../../shared/queues/queue-definition.js';
import { webhookQueue } from '../../shared/queues/webhook-delivery.queue.js';
import { WebhookAttemptError } from '../../shared/webhooks/webhook-backoff.js';
import type {
  DeliveryAttempt,
  WebhookDeliveryStore,
} from '../../shared/webhooks/webhook-deliveries.store.js';
import type { WebhookEndpointStore } from '../../shared/webhooks/webhook-endpoints.store.js';
import { sendWebhook } from '../../shared/webhooks/webhook-sender.js';
import { webhookHeaders } from '../../shared/webhooks/webhook-signing.js';
import type { WebhookUrlPolicy } from '../../shared/webhooks/webhook-url.policy.js';

export interface WebhookProcessorDeps {
  deliveries: WebhookDeliveryStore;
  endpoints: WebhookEndpointStore;
  policy: WebhookUrlPolicy;
  timeoutMs: number;
  logger: Logger;
}

/**
 * Send one delivery. 2xx: delivered. 410 Gone: the endpoint is disabled and
 * the delivery fails for good. Anything else (other statuses, refused
 * connections, timeouts) throws so BullMQ retries on the 'webhook' backoff,
 * which honours the receiver's Retry-After. The secret is read here, at send
 * time, from the endpoint (or the shop's question secret): a rotated or deleted
 * endpoint takes effect on the very next attempt.
 */
export function webhookDeliveryProcessor(deps: WebhookProcessorDeps) {
  return async (job: Job): Promise<void> => {
    const payload = parsePayload(webhookQueue, job.data);
    const attempt = job.attemptsMade + 1;
    const log = deps.logger.child({
      queue: 'webhooks',
      jobId: job.id,
      shopId: payload.shop_id,
      attempt,
    });
    const delivery = await deps.deliveries.get(payload.shop_id, payload.delivery_id);
    if (!delivery) throw new UnrecoverableError(`no delivery ${payload.delivery_id}`);
    if (delivery.status === 'succeeded') return;

    let secret: string;
    if (delivery.target.kind === 'endpoint') {
      const endpoint = await deps.endpoints.get(delivery.shop_id, delivery.target.endpoint_id);
      if (!endpoint || endpoint.disabled) {
        await fail(deps, delivery.shop_id, delivery.delivery_id, {
          at: new Date().toISOString(),
          error: endpoint ? 'endpoint disabled' : 'endpoint deleted',
          duration_ms: 0,
        });
        throw new UnrecoverableError(endpoint ? 'endpoint disabled' : 'endpoint deleted');
      }
      secret = endpoint.secret;
    } else {
      secret = await deps.endpoints.questionSecret(delivery.shop_id);
    }

    const at = new Date();
    const result = await sendWebhook({
      url: delivery.url,
      body: delivery.body,
      headers: webhookHeaders(secret, delivery.message_id, delivery.body, at),
      timeoutMs: deps.timeoutMs,
      policy: deps.policy,
    });
    const record: DeliveryAttempt = {
      at: at.toISOString(),
      duration_ms: result.durationMs,
      ...(result.status !== undefined ? { status_code: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.retryAfterMs !== undefined ? { retry_after_ms: result.retryAfterMs } : {}),
    };
    const status = result.status ?? 0;
    if (status >= 200 && status < 300) {
      await deps.deliveries.update(delivery.shop_id, delivery.delivery_id, (d) => ({
        ...d,
        status: 'succeeded',
        delivered_at: new Date().toISOString(),
        attempts: [...d.attempts, record],
      }));
      log.info({ status, ms: result.durationMs, event: delivery.event_type }, 'webhook delivered');
      return;
    }
    if (status === 410) {
      await fail(deps, delivery.shop_id, delivery.delivery_id, record);
      if (delivery.target.kind === 'endpoint') {
        await deps.endpoints.setDisabled(
          delivery.shop_id,
          delivery.target.endpoint_id,
          true,
          'receiver answered 410 Gone',
        );
        log.warn(
          { endpointId: delivery.target.endpoint_id },
          'webhook endpoint disabled after 410',
        );
      }
      throw new UnrecoverableError('receiver answered 410 Gone');
    }
    const reason = result.error ?? `receiver answered ${status}`;
    const last = attempt >= (job.opts.attempts ?? 1);
    if (last) {
      await fail(deps, delivery.shop_id, delivery.delivery_id, record);
      log.warn({ reason }, 'webhook delivery gave up');
    } else {
      await deps.deliveries.update(delivery.shop_id, delivery.delivery_id, (d) => ({
        ...d,
        attempts: [...d.attempts, record],
      }));
      log.info({ reason }, 'webhook attempt failed, will retry');
    }
    throw new WebhookAttemptError(reason, result.retryAfterMs);
  };
}

async function fail(
  deps: WebhookProcessorDeps,
  shopId: number,
  id: string,
  attempt: DeliveryAttempt,
): Promise<void> {
  await deps.deliveries.update(shopId, id, (d) => ({
    ...d,
    status: 'failed',
    attempts: [...d.attempts, attempt],
  }));
}

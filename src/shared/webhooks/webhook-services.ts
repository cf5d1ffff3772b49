import type { Config } from '../config/config.js';
import type { Queues } from '../queues/queues.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { WebhookDeliveryStore } from './webhook-deliveries.store.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointStore } from './webhook-endpoints.store.js';
import { webhookUrlPolicy, type WebhookUrlPolicy } from './webhook-url.policy.js';

export interface WebhookServices {
  endpoints: WebhookEndpointStore;
  deliveries: WebhookDeliveryStore;
  dispatcher: WebhookDispatcher;
  policy: WebhookUrlPolicy;
}

/** The webhook parts every process builds the same way (API, question workers, webhook worker). */
export function createWebhookServices(deps: {
  config: Config;
  redis: RedisClient;
  queues: Pick<Queues, 'webhooks'>;
}): WebhookServices {
  const prefix = deps.config.REDIS_PREFIX;
  const endpoints = new WebhookEndpointStore(deps.redis, prefix);
  const deliveries = new WebhookDeliveryStore(deps.redis, prefix, deps.config.RESULT_TTL_SECONDS);
  const dispatcher = new WebhookDispatcher({
    redis: deps.redis,
    prefix,
    queues: deps.queues,
    endpoints,
    deliveries,
    hookTtlSeconds: deps.config.RESULT_TTL_SECONDS,
  });
  return {
    endpoints,
    deliveries,
    dispatcher,
    policy: webhookUrlPolicy(deps.config.WEBHOOK_ALLOW_PRIVATE),
  };
}

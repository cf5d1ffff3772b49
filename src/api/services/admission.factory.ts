import { AnswerCache } from '../../shared/cache/answer-cache.js';
import { IdempotencyStore } from '../../shared/cache/idempotency.store.js';
import { InFlightRegistry } from '../../shared/cache/in-flight.registry.js';
import type { Config } from '../../shared/config/config.js';
import type { DataStore } from '../../shared/data/data-store.js';
import { QuestionRateLimiter } from '../../shared/limits/question-rate-limiter.js';
import { ShopQueueCap } from '../../shared/limits/shop-queue-cap.js';
import type { Queues } from '../../shared/queues/queues.js';
import type { RedisClient } from '../../shared/redis/redis-connection.js';
import {
  createWebhookServices,
  type WebhookServices,
} from '../../shared/webhooks/webhook-services.js';
import { IN_FLIGHT_TTL_SECONDS } from '../../shared/cache/cache-policy.js';
import type { AdmissionDeps } from './question.service.js';
import type { Logger } from '../../shared/logging/logger.js';
import { VocabularyCache } from '../../shared/routing/vocabulary-cache.js';

/** A version no import ever writes: cache entries made under it are never read back. */
const UNKNOWN_DATA_VERSION = -1;

export interface Tenancy {
  admission: AdmissionDeps;
  limiter: QuestionRateLimiter;
  webhooks: WebhookServices;
}

/** The per-shop safety parts of the API (cache, idempotency, limits, webhooks), built from config. */
export function createTenancy(deps: {
  config: Config;
  redis: RedisClient;
  store: DataStore;
  queues: Queues;
  logger?: Logger;
}): Tenancy {
  const { config, redis } = deps;
  const prefix = config.REDIS_PREFIX;
  const webhooks = createWebhookServices(deps);
  const vocabulary = new VocabularyCache(deps.store);
  return {
    webhooks,
    limiter: new QuestionRateLimiter(redis, prefix),
    admission: {
      cache: config.ANSWER_CACHE_ENABLED ? new AnswerCache(redis, prefix) : null,
      inFlight: new InFlightRegistry(redis, prefix, IN_FLIGHT_TTL_SECONDS),
      idempotency: new IdempotencyStore(redis, prefix, config.IDEMPOTENCY_TTL_SECONDS),
      queueCap: new ShopQueueCap(redis, prefix),
      defaultMaxQueued: config.SHOP_MAX_QUEUED,
      webhookPolicy: webhooks.policy,
      webhooks: webhooks.dispatcher,
      // The API reads the data store only to sharpen routing and caching; when
      // the store fails, questions are still accepted (uncached, routed without
      // the shop's names) and the workers' retries report the fault on the job.
      dataVersion: async (shopId) => {
        try {
          return (await deps.store.shopInfo(shopId))?.dataVersion ?? 0;
        } catch (err) {
          deps.logger?.warn({ err, shopId }, 'data version unavailable, answer cache skipped');
          return UNKNOWN_DATA_VERSION;
        }
      },
      vocabulary: async (shopId) => {
        try {
          return await vocabulary.get(shopId);
        } catch (err) {
          deps.logger?.warn({ err, shopId }, 'shop vocabulary unavailable, routing without it');
          return undefined;
        }
      },
    },
  };
}

import { AnswerCache } from '../shared/cache/answer-cache.js';
import { IN_FLIGHT_TTL_SECONDS } from '../shared/cache/cache-policy.js';
import { InFlightRegistry } from '../shared/cache/in-flight.registry.js';
import type { FinishedListener } from '../shared/jobs/question-lifecycle.js';
import { ShopQueueCap } from '../shared/limits/shop-queue-cap.js';
import type { CoreServices } from '../shared/runtime/core-services.js';
import { exampleIndexingListener } from './example-indexing.listener.js';
import { createWebhookServices } from '../shared/webhooks/webhook-services.js';

/**
 * Side effects of a finished question, shared by every question worker:
 * cache the answer, then let go of the in-flight claim and the shop's queue
 * slot (in that order, so an identical question arriving in between finds
 * either the running job or the cached answer), then queue the webhook
 * deliveries. Each listener is idempotent: the lifecycle may run them again
 * after a crash.
 */
export function finishedListeners(
  core: Pick<CoreServices, 'config' | 'redis' | 'queues'>,
): FinishedListener[] {
  const prefix = core.config.REDIS_PREFIX;
  const cache = new AnswerCache(core.redis, prefix);
  const inFlight = new InFlightRegistry(core.redis, prefix, IN_FLIGHT_TTL_SECONDS);
  const queueCap = new ShopQueueCap(core.redis, prefix);
  const webhooks = createWebhookServices(core);
  return [
    async (record) => {
      const plan = record.cache_plan;
      if (plan) {
        if (record.status === 'succeeded' && core.config.ANSWER_CACHE_ENABLED) {
          await cache.put(record, plan.fingerprint, plan.ttl_seconds);
        }
        await inFlight.release(record.shop_id, plan.fingerprint, record.job_id);
      }
      await queueCap.release(record.shop_id, record.job_id);
    },
    async (record) => {
      await webhooks.dispatcher.dispatch(record);
    },
    exampleIndexingListener(core.queues),
  ];
}

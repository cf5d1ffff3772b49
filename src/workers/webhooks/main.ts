import { getConfig } from '../../shared/config/config.js';
import { createCoreServices } from '../../shared/runtime/core-services.js';
import { installShutdown } from '../../shared/runtime/shutdown.js';
import { startWorker } from '../../shared/runtime/worker-runtime.js';
import { webhookBackoffStrategy } from '../../shared/webhooks/webhook-backoff.js';
import { createWebhookServices } from '../../shared/webhooks/webhook-services.js';
import { webhookDeliveryProcessor } from './webhook-delivery.processor.js';

const config = getConfig();
const core = await createCoreServices(config, 'worker-webhooks', 'worker');
const webhooks = createWebhookServices(core);
const worker = startWorker({
  queueName: 'webhooks',
  prefix: config.REDIS_PREFIX,
  connection: core.redis,
  logger: core.logger,
  // Deliveries wait on other people's servers, not on CPU: many at once.
  concurrency: config.WEBHOOK_CONCURRENCY,
  // Longer than the send timeout, so a slow receiver never looks like a stalled job.
  lockDuration: config.WEBHOOK_TIMEOUT_MS + 10_000,
  settings: {
    backoffStrategy: webhookBackoffStrategy({
      baseMs: config.WEBHOOK_RETRY_BASE_MS,
      maxMs: config.WEBHOOK_RETRY_MAX_MS,
    }),
  },
  processor: webhookDeliveryProcessor({
    deliveries: webhooks.deliveries,
    endpoints: webhooks.endpoints,
    policy: webhooks.policy,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    logger: core.logger,
  }),
});
core.logger.info({ concurrency: config.WEBHOOK_CONCURRENCY }, 'webhook worker started');
installShutdown(core.logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: 'worker', run: () => worker.close() },
  { name: 'clients', run: () => core.close() },
]);

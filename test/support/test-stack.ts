import type { Worker } from 'bullmq';
import type { Express } from 'express';
import { createApp } from '../../src/api/app.js';
import { readinessChecks } from '../../src/api/readiness.js';
import { JobEventHub } from '../../src/shared/events/job-event-hub.js';
import {
  questionProcessor,
  type FinishedListener,
} from '../../src/shared/jobs/question-lifecycle.js';
import type { EmbeddedStore } from '../../src/shared/data/embedded/embedded-store.js';
import { createRedis } from '../../src/shared/redis/redis-connection.js';
import { startWorker } from '../../src/shared/runtime/worker-runtime.js';
import { kpiHandler } from '../../src/workers/kpi/kpi-question.processor.js';
import { VocabularyCache } from '../../src/shared/routing/vocabulary-cache.js';
import { finishedListeners } from '../../src/workers/finished-listeners.js';
import { webhookDeliveryProcessor } from '../../src/workers/webhooks/webhook-delivery.processor.js';
import { webhookBackoffStrategy } from '../../src/shared/webhooks/webhook-backoff.js';
import { createWebhookServices } from '../../src/shared/webhooks/webhook-services.js';
import { createLlmDeps, llmHandler } from '../../src/workers/llm/llm-question.processor.js';
import type { Embedder } from '../../src/shared/rag/embedder.js';
import { createTestServices } from './test-services.js';

export type TestServices = Awaited<ReturnType<typeof createTestServices>>;

export interface TestStack {
  app: Express;
  core: TestServices;
  /** The API's own fail-fast Redis connection, as in production. */
  api: TestServices;
  events: JobEventHub;
  workers: Worker[];
  stop(): Promise<void>;
}

/**
 * The API app plus real BullMQ workers in this process, on the suite's Redis:
 * requests go through HTTP (supertest), jobs through real queues.
 */
export async function startTestStack(
  options: {
    overrides?: Record<string, string>;
    onFinished?: FinishedListener[];
    workers?: ('kpi' | 'llm' | 'webhooks')[];
    /**
     * Run the workers' real finished listeners (answer cache, in-flight and
     * queue-cap release, webhook dispatch) after `onFinished`. Off by default so
     * suites that repeat questions keep seeing fresh jobs.
     */
    productionListeners?: boolean;
    /** llm worker: the embedder for examples and suggestions (none: token overlap). */
    llm?: { embedder?: Embedder | null };
  } = {},
): Promise<TestStack> {
  const core = await createTestServices(options.overrides);
  // Both sides see the same shop data, as they would through one data dir.
  const api = await createTestServices(
    { ...options.overrides, REDIS_PREFIX: core.config.REDIS_PREFIX },
    'api',
    core.store as EmbeddedStore,
  );
  const subscriber = createRedis({ url: core.config.REDIS_URL, role: 'worker' });
  const events = await JobEventHub.start(subscriber, core.results.channel, core.logger);
  const app = createApp({
    logger: api.logger,
    queues: api.queues,
    results: api.results,
    events,
    shops: api.shops,
    readiness: readinessChecks(api),
    counters: api.counters,
    config: api.config,
    redis: api.redis,
    store: api.store,
  });
  const onFinished = [
    ...(options.onFinished ?? []),
    ...(options.productionListeners ? finishedListeners(core) : []),
  ];
  const workers: Worker[] = [];
  for (const kind of options.workers ?? ['kpi']) {
    if (kind === 'kpi') {
      workers.push(
        startWorker({
          queueName: 'kpi',
          prefix: core.config.REDIS_PREFIX,
          connection: core.redis,
          logger: core.logger,
          concurrency: 8,
          lockDuration: 5_000,
          processor: questionProcessor(
            'kpi',
            kpiHandler({ ...core, vocabulary: new VocabularyCache(core.store) }),
            {
              results: core.results,
              queues: core.queues,
              logger: core.logger,
              onFinished,
              counters: core.counters,
            },
          ),
        }),
      );
    }
  }
  if (options.workers?.includes('llm')) {
    workers.push(
      startWorker({
        queueName: 'llm',
        prefix: core.config.REDIS_PREFIX,
        connection: core.redis,
        logger: core.logger,
        concurrency: 1,
        lockDuration: 30_000,
        processor: questionProcessor(
          'llm',
          llmHandler(createLlmDeps(core, { embedder: options.llm?.embedder ?? null })),
          {
            results: core.results,
            queues: core.queues,
            logger: core.logger,
            onFinished,
            counters: core.counters,
          },
        ),
      }),
    );
  }
  if (options.workers?.includes('webhooks')) {
    const webhooks = createWebhookServices(core);
    workers.push(
      startWorker({
        queueName: 'webhooks',
        prefix: core.config.REDIS_PREFIX,
        connection: core.redis,
        logger: core.logger,
        concurrency: 8,
        lockDuration: core.config.WEBHOOK_TIMEOUT_MS + 10_000,
        settings: {
          backoffStrategy: webhookBackoffStrategy({
            baseMs: core.config.WEBHOOK_RETRY_BASE_MS,
            maxMs: core.config.WEBHOOK_RETRY_MAX_MS,
          }),
        },
        processor: webhookDeliveryProcessor({
          deliveries: webhooks.deliveries,
          endpoints: webhooks.endpoints,
          policy: webhooks.policy,
          timeoutMs: core.config.WEBHOOK_TIMEOUT_MS,
          logger: core.logger,
        }),
      }),
    );
  }
  return {
    app,
    core,
    api,
    events,
    workers,
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      await events.close();
      await api.close();
      await core.cleanup();
    },
  };
}

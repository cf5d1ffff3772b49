import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { parseConfig, type Config } from '../../src/shared/config/config.js';
import { EmbeddedStore } from '../../src/shared/data/embedded/embedded-store.js';
import { JobEventHub } from '../../src/shared/events/job-event-hub.js';
import { createLogger } from '../../src/shared/logging/logger.js';
import { closeQueues, createQueues } from '../../src/shared/queues/queues.js';
import { ResultsStore } from '../../src/shared/results/results-store.js';
import type { CoreServices } from '../../src/shared/runtime/core-services.js';
import { ShopRegistry } from '../../src/shared/shops/shop-registry.js';
import { SharedCounters } from '../../src/shared/metrics/shared-counters.js';
import {
  createRedis,
  isCluster,
  type RedisClient,
} from '../../src/shared/redis/redis-connection.js';

/**
 * Real services for one test file: the suite's redis-server under a prefix of
 * its own (removed afterwards), and an in-memory embedded store.
 */
export function createTestServices(
  overrides: Record<string, string> = {},
  role: 'api' | 'worker' = 'worker',
  sharedStore?: EmbeddedStore,
): Promise<CoreServices & { cleanup(): Promise<void> }> {
  return Promise.resolve(buildTestServices(overrides, role, sharedStore));
}

/** Job events of these services' results store, on a subscriber connection of their own. */
export function startEventHub(core: CoreServices): Promise<JobEventHub> {
  return JobEventHub.start(
    createRedis({ url: core.config.REDIS_URL, role: 'worker' }),
    core.results.channel,
    core.logger,
  );
}

function buildTestServices(
  overrides: Record<string, string>,
  role: 'api' | 'worker',
  sharedStore: EmbeddedStore | undefined,
): CoreServices & { cleanup(): Promise<void> } {
  const prefix = overrides.REDIS_PREFIX ?? `t${randomUUID().slice(0, 8)}`;
  const config: Config = parseConfig({
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...overrides,
  });
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'test' });
  const redis = createRedis({ url: config.REDIS_URL, role });
  const queues = createQueues(redis, prefix, logger);
  const results = new ResultsStore(redis, prefix, config.RESULT_TTL_SECONDS);
  const shops = new ShopRegistry(redis, prefix);
  const store = sharedStore ?? new EmbeddedStore({});
  const core: CoreServices = {
    config,
    logger,
    redis,
    queues,
    results,
    shops,
    store,
    counters: new SharedCounters(redis, prefix),
    async close() {
      await closeQueues(queues);
      await store.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
  return {
    ...core,
    async cleanup() {
      await core.close();
      await deleteByPrefix(config.REDIS_URL, prefix);
    },
  };
}

export async function deleteByPrefix(url: string, prefix: string): Promise<void> {
  const client = createRedis({ url, role: 'worker' });
  // On a cluster every master holds a share of the keys; delete one by one
  // because keys of one prefix hash to different slots.
  const nodes = isCluster(client) ? client.nodes('master') : [client];
  try {
    for (const node of nodes) {
      for (const pattern of [`${prefix}:*`, `{${prefix}:*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          for (const key of keys) await client.del(key);
        } while (cursor !== '0');
      }
    }
  } finally {
    client.disconnect();
  }
}

/** KEYS across every master: on a cluster each node holds only its slots' keys. */
export async function keysMatching(client: RedisClient, pattern: string): Promise<string[]> {
  const nodes = isCluster(client) ? client.nodes('master') : [client];
  const found = await Promise.all(nodes.map((n) => n.keys(pattern)));
  return found.flat();
}

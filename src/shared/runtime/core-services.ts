import type { Config } from '../config/config.js';
import { createDataStore } from '../data/create-data-store.js';
import type { DataStore } from '../data/data-store.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { closeQueues, createQueues, type Queues } from '../queues/queues.js';
import { createRedis, type RedisClient } from '../redis/redis-connection.js';
import { ResultsStore } from '../results/results-store.js';
import { ShopRegistry } from '../shops/shop-registry.js';
import { SharedCounters } from '../metrics/shared-counters.js';

export interface CoreServices {
  config: Config;
  logger: Logger;
  redis: RedisClient;
  queues: Queues;
  results: ResultsStore;
  shops: ShopRegistry;
  store: DataStore;
  counters: SharedCounters;
  close(): Promise<void>;
}

/** What every process (API, each worker, the CLI) builds from its config. */
export async function createCoreServices(
  config: Config,
  name: string,
  role: 'api' | 'worker',
): Promise<CoreServices> {
  const logger = createLogger({ level: config.LOG_LEVEL, name });
  const redis = createRedis({ url: config.REDIS_URL, role });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  const queues = createQueues(redis, config.REDIS_PREFIX, logger);
  const results = new ResultsStore(redis, config.REDIS_PREFIX, config.RESULT_TTL_SECONDS);
  const shops = new ShopRegistry(redis, config.REDIS_PREFIX);
  const store = await createDataStore(config);
  return {
    config,
    logger,
    redis,
    queues,
    results,
    shops,
    store,
    counters: new SharedCounters(redis, config.REDIS_PREFIX),
    async close() {
      await closeQueues(queues);
      await store.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

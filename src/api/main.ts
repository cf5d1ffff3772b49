import { getConfig } from '../shared/config/config.js';
import { JobEventHub } from '../shared/events/job-event-hub.js';
import { createRedis } from '../shared/redis/redis-connection.js';
import { createCoreServices } from '../shared/runtime/core-services.js';
import { installShutdown } from '../shared/runtime/shutdown.js';
import { createApp } from './app.js';
import { readinessChecks } from './readiness.js';

const config = getConfig();
const core = await createCoreServices(config, 'api', 'api');
// Pub/sub needs a connection of its own; it may wait for Redis like a worker.
const subscriber = createRedis({ url: config.REDIS_URL, role: 'worker' });
const events = await JobEventHub.start(subscriber, core.results.channel, core.logger);
const app = createApp({
  logger: core.logger,
  queues: core.queues,
  results: core.results,
  events,
  shops: core.shops,
  readiness: readinessChecks(core),
  config,
  redis: core.redis,
  store: core.store,
  counters: core.counters,
});
const server = app.listen(config.PORT, config.HOST, () => {
  core.logger.info(
    { host: config.HOST, port: config.PORT, store: core.store.kind },
    'api listening',
  );
});
installShutdown(core.logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: 'stop intake', run: () => new Promise((resolve) => server.close(resolve)) },
  { name: 'events', run: () => events.close() },
  { name: 'clients', run: () => core.close() },
]);

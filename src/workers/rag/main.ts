import { getConfig } from '../../shared/config/config.js';
import { questionProcessor } from '../../shared/jobs/question-lifecycle.js';
import { createCoreServices } from '../../shared/runtime/core-services.js';
import { createRetrievalServices } from '../../shared/runtime/retrieval-services.js';
import { installShutdown } from '../../shared/runtime/shutdown.js';
import { startWorker } from '../../shared/runtime/worker-runtime.js';
import { finishedListeners } from '../finished-listeners.js';
import { ragHandler } from './rag-question.processor.js';

const config = getConfig();
const core = await createCoreServices(config, 'worker-rag', 'worker');
const retrieval = await createRetrievalServices(config, core.logger);
const worker = startWorker({
  queueName: 'rag',
  prefix: config.REDIS_PREFIX,
  connection: core.redis,
  logger: core.logger,
  // Analysis scans a few months of orders and embeds the question: few at once.
  concurrency: config.RAG_CONCURRENCY,
  lockDuration: 60_000,
  processor: questionProcessor(
    'rag',
    ragHandler({ ...retrieval, store: core.store, shops: core.shops }),
    {
      results: core.results,
      queues: core.queues,
      logger: core.logger,
      onFinished: finishedListeners(core),
      counters: core.counters,
    },
  ),
});
core.logger.info(
  { concurrency: config.RAG_CONCURRENCY, retrieval: retrieval.vectors !== null },
  'rag worker started',
);
installShutdown(core.logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: 'worker', run: () => worker.close() },
  { name: 'clients', run: () => core.close() },
]);

import { getConfig } from '../../shared/config/config.js';
import { questionProcessor } from '../../shared/jobs/question-lifecycle.js';
import { createCoreServices } from '../../shared/runtime/core-services.js';
import { installShutdown } from '../../shared/runtime/shutdown.js';
import { startWorker } from '../../shared/runtime/worker-runtime.js';
import { finishedListeners } from '../finished-listeners.js';
import { kpiHandler } from './kpi-question.processor.js';
import { VocabularyCache } from '../../shared/routing/vocabulary-cache.js';

const config = getConfig();
const core = await createCoreServices(config, 'worker-kpi', 'worker');
const worker = startWorker({
  queueName: 'kpi',
  prefix: config.REDIS_PREFIX,
  connection: core.redis,
  logger: core.logger,
  concurrency: config.KPI_CONCURRENCY,
  // Tier 1 answers in milliseconds: a short lock finds a killed worker's jobs fast.
  lockDuration: 5_000,
  processor: questionProcessor(
    'kpi',
    kpiHandler({ ...core, vocabulary: new VocabularyCache(core.store) }),
    {
      results: core.results,
      queues: core.queues,
      logger: core.logger,
      onFinished: finishedListeners(core),
      counters: core.counters,
    },
  ),
});
core.logger.info({ concurrency: config.KPI_CONCURRENCY }, 'kpi worker started');
installShutdown(core.logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: 'worker', run: () => worker.close() },
  { name: 'clients', run: () => core.close() },
]);

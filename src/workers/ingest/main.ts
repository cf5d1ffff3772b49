import { getConfig } from '../../shared/config/config.js';
import { indexSeedExamples } from '../../shared/rag/index.js';
import { createCoreServices } from '../../shared/runtime/core-services.js';
import { createRetrievalServices } from '../../shared/runtime/retrieval-services.js';
import { installShutdown } from '../../shared/runtime/shutdown.js';
import { startWorker } from '../../shared/runtime/worker-runtime.js';
import { ingestProcessor } from './ingest.processor.js';

const config = getConfig();
const core = await createCoreServices(config, 'worker-ingest', 'worker');
const retrieval = await createRetrievalServices(config, core.logger);
if (retrieval.embedder && retrieval.vectors) {
  try {
    const n = await indexSeedExamples({ embedder: retrieval.embedder, vectors: retrieval.vectors });
    core.logger.info({ examples: n }, 'seed examples indexed');
  } catch (err) {
    core.logger.warn({ err }, 'seed examples not indexed yet');
  }
}
// Nightly re-index of every shop; the scheduler id makes this idempotent
// however many ingest workers start.
await core.queues.ingest.upsertJobScheduler(
  'nightly-index',
  { pattern: '0 3 * * *' },
  { name: 'index-all', data: { kind: 'index-all' } },
);
const worker = startWorker({
  queueName: 'ingest',
  prefix: config.REDIS_PREFIX,
  connection: core.redis,
  logger: core.logger,
  concurrency: config.INGEST_CONCURRENCY,
  // Indexing a large shop embeds thousands of texts.
  lockDuration: 120_000,
  processor: ingestProcessor(core, retrieval, core.logger),
});
core.logger.info({ retrieval: retrieval.vectors !== null }, 'ingest worker started');
installShutdown(core.logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: 'worker', run: () => worker.close() },
  { name: 'clients', run: () => core.close() },
]);

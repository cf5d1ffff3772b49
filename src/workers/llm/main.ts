import { getConfig } from '../../shared/config/config.js';
import { questionProcessor } from '../../shared/jobs/question-lifecycle.js';
import { VectorExampleRetriever } from '../../shared/llm/vector-example-retriever.js';
import { createEmbedder, VectorStore, type Embedder } from '../../shared/rag/index.js';
import { createCoreServices } from '../../shared/runtime/core-services.js';
import { installShutdown } from '../../shared/runtime/shutdown.js';
import { startWorker } from '../../shared/runtime/worker-runtime.js';
import { finishedListeners } from '../finished-listeners.js';
import { createLlmDeps, llmHandler } from './llm-question.processor.js';

const config = getConfig();
const core = await createCoreServices(config, 'worker-llm', 'worker');

// Retrieval and suggestions work without an embedder (token overlap), so a
// model that fails to load degrades them instead of keeping the worker down.
let embedder: Embedder | null = null;
try {
  embedder = await createEmbedder({
    provider: config.EMBEDDINGS_PROVIDER,
    ...(config.EMBEDDINGS_MODEL_DIR ? { modelDir: config.EMBEDDINGS_MODEL_DIR } : {}),
    allowRemote: config.EMBEDDINGS_ALLOW_REMOTE,
  });
} catch (err) {
  core.logger.warn({ err }, 'embedder unavailable, ranking examples by token overlap');
}

// Chroma, when configured, is the first place examples come from; the
// in-process search over the seed set and recent verified answers backs it up.
const primaryExamples =
  config.CHROMA_URL && embedder
    ? new VectorExampleRetriever({
        // Same collection as the ingest worker writes (createRetrievalServices).
        vectors: new VectorStore({
          url: config.CHROMA_URL,
          model: embedder.model,
          dimensions: embedder.dimensions,
          collectionPrefix: config.REDIS_PREFIX,
        }),
        embedder,
      })
    : null;
const deps = createLlmDeps(core, { embedder, primaryExamples });
if (!deps.client) core.logger.warn('OLLAMA_HOST is unset: llm questions fail with LLM_UNAVAILABLE');

const worker = startWorker({
  queueName: 'llm',
  prefix: config.REDIS_PREFIX,
  connection: core.redis,
  logger: core.logger,
  // The model is the bottleneck (one GPU): few jobs at once, and a cap per minute.
  concurrency: config.LLM_CONCURRENCY,
  limiter: { max: config.LLM_RATE_PER_MINUTE, duration: 60_000 },
  // A job may wait on the model for up to 3 rounds × OLLAMA_TIMEOUT_MS; the lock
  // (renewed by BullMQ at half its duration) only decides how soon a killed
  // worker's job is picked up again, so it is generous but bounded.
  lockDuration: Math.max(60_000, config.OLLAMA_TIMEOUT_MS),
  processor: questionProcessor('llm', llmHandler(deps), {
    results: core.results,
    queues: core.queues,
    logger: core.logger,
    onFinished: finishedListeners(core),
    counters: core.counters,
  }),
});
core.logger.info(
  {
    concurrency: config.LLM_CONCURRENCY,
    model: config.OLLAMA_MODEL,
    configured: deps.client !== null,
  },
  'llm worker started',
);
installShutdown(core.logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: 'worker', run: () => worker.close() },
  { name: 'clients', run: () => core.close() },
]);

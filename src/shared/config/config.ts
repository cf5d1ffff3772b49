import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/**
 * Every setting of every process, read once from the environment. Nothing else
 * reads `process.env`; classes take the parts they need as arguments so tests
 * can construct them with their own values. `.env.example` lists each variable
 * with its default.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int(3000),
  /** One URL for a single node, or a comma-separated list of cluster nodes. */
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key; lets several deployments (or tests) share a Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('si'),
  MONGODB_URL: optionalUrl,
  MONGODB_DB: z.string().default('shop_insights'),
  DATA_DIR: z.string().default('./data/store'),
  CHROMA_URL: optionalUrl,
  EMBEDDINGS_PROVIDER: z.enum(['use-lite', 'minilm']).default('use-lite'),
  EMBEDDINGS_MODEL_DIR: optionalUrl,
  EMBEDDINGS_ALLOW_REMOTE: bool.default(false),
  OLLAMA_HOST: optionalUrl,
  OLLAMA_MODEL: z.string().default('mistral:7b-instruct'),
  OLLAMA_TIMEOUT_MS: int(60_000, 100),
  /** Consecutive failed Ollama calls that open the circuit breaker. */
  OLLAMA_BREAKER_FAILURES: int(5, 1),
  /** How long the open circuit waits before letting one trial call through. */
  OLLAMA_BREAKER_HALF_OPEN_MS: int(60_000, 100),
  /** Verified question→pipeline examples put in each Tier 2 prompt. */
  LLM_EXAMPLES_K: int(3, 0),
  /** Extra model rounds after a rejected, failing or empty pipeline. */
  LLM_MAX_CORRECTIONS: int(2, 0),
  /** Admin key for shop management, imports and Bull Board. Unset: admin API off. */
  ADMIN_API_KEY: z.string().min(16).optional(),
  RESULT_TTL_SECONDS: int(7 * 24 * 3600, 60),
  QUERY_TIMEOUT_MS: int(5_000, 10),
  QUERY_MAX_ROWS: int(1_000, 1),
  /** Largest result a model-written (Tier 2) pipeline may return, in bytes. */
  QUERY_MAX_BYTES: int(1_000_000, 1_024),
  /** Heap of each of the embedded store's sandbox processes, where Tier 2 pipelines run. */
  QUERY_SANDBOX_MEMORY_MB: int(1_024, 64),
  /** Sandbox processes per worker (each keeps its own copy of the shops it served). */
  QUERY_SANDBOX_PROCESSES: int(2, 1),
  KPI_CONCURRENCY: int(16, 1),
  LLM_CONCURRENCY: int(2, 1),
  RAG_CONCURRENCY: int(2, 1),
  WEBHOOK_CONCURRENCY: int(8, 1),
  INGEST_CONCURRENCY: int(1, 1),
  /** Max LLM jobs started per minute per worker process (protects the GPU). */
  LLM_RATE_PER_MINUTE: int(120, 1),
  RATE_LIMIT_PER_MINUTE: int(60, 1),
  SHOP_MAX_QUEUED: int(200, 1),
  /** Hosts or CIDRs webhooks may reach even if private (e.g. "127.0.0.0/8,::1"). */
  WEBHOOK_ALLOW_PRIVATE: z.string().default(''),
  WEBHOOK_TIMEOUT_MS: int(10_000, 100),
  /** First retry delay of a webhook delivery; later ones grow ×3 with jitter. */
  WEBHOOK_RETRY_BASE_MS: int(5_000, 1),
  /** Longest wait between two delivery attempts (15 attempts ≈ one day with the defaults). */
  WEBHOOK_RETRY_MAX_MS: int(3.5 * 3600 * 1000, 1),
  /** How long an Idempotency-Key on POST /api/ask is remembered. */
  IDEMPOTENCY_TTL_SECONDS: int(24 * 3600, 1),
  /** Answer cache on/off (benchmarks of the uncached path turn it off). */
  ANSWER_CACHE_ENABLED: bool.default(true),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use and frozen. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

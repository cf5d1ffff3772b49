import type { Config } from '../../shared/config/config.js';
import type { DataStore } from '../../shared/data/data-store.js';
import type { CollectionName } from '../../shared/data/documents.js';
import { AppError } from '../../shared/errors/app-error.js';
import type { TierHandler } from '../../shared/jobs/question-lifecycle.js';
import type { SharedCounters } from '../../shared/metrics/shared-counters.js';
import type { Logger } from '../../shared/logging/logger.js';
import { formatLlmAnswer } from '../../shared/llm/answer-format.js';
import {
  FallbackExampleRetriever,
  InProcessExampleRetriever,
  type ExampleRetriever,
} from '../../shared/llm/example-retriever.js';
import { CircuitOpenError, LlmCallError, LlmClient } from '../../shared/llm/ollama-client.js';
import { buildPrompt } from '../../shared/llm/prompt-builder.js';
import { runSelfCorrecting, type RoundStep } from '../../shared/llm/self-correcting-query.js';
import { EmbeddingCache } from '../../shared/llm/similarity.js';
import { closestTier1Questions } from '../../shared/llm/suggestions.js';
import type { QuestionJob } from '../../shared/queues/question-job.js';
import type { Embedder } from '../../shared/rag/embedder.js';
import type { ResultsStore } from '../../shared/results/results-store.js';
import type { JobRecord } from '../../shared/results/job-record.js';

export interface LlmDeps {
  store: DataStore;
  /** Null when OLLAMA_HOST is not set: every job fails fast with LLM_UNAVAILABLE. */
  client: LlmClient | null;
  examples: ExampleRetriever;
  /** Null when no embedder loaded: suggestions rank by token overlap. */
  embeddings: EmbeddingCache | null;
  settings: Pick<
    Config,
    | 'LLM_EXAMPLES_K'
    | 'LLM_MAX_CORRECTIONS'
    | 'QUERY_TIMEOUT_MS'
    | 'QUERY_MAX_ROWS'
    | 'QUERY_MAX_BYTES'
  >;
}

/** Sample documents per collection in the prompt: enough to show shapes and values. */
const SAMPLES: Record<CollectionName, number> = { order: 1, product: 1, customer: 1 };

/**
 * Tier 2: retrieve examples, build the prompt, let the model write a pipeline,
 * guard it, run it, correct it (at most LLM_MAX_CORRECTIONS more rounds), and
 * format what it returned. Each model round goes into the attempt's `steps`.
 */
export function llmHandler(deps: LlmDeps): TierHandler {
  return async (job, { log, update }) => {
    const client = deps.client;
    if (!client)
      throw await unavailable(
        deps,
        job,
        'the language model is not configured (OLLAMA_HOST is unset)',
      );
    if (client.isOpen)
      throw await unavailable(
        deps,
        job,
        'the language model is unavailable (circuit open after repeated failures)',
      );

    const [examples, samples] = await Promise.all([
      deps.examples.find(job.shop_id, job.question, deps.settings.LLM_EXAMPLES_K),
      loadSamples(deps.store, job.shop_id),
    ]);
    const prompt = buildPrompt({
      question: job.question,
      shopId: job.shop_id,
      asOf: new Date(job.as_of),
      timezone: job.timezone,
      samples,
      examples,
      ...(job.escalation_reason ? { hint: job.escalation_reason } : {}),
    });
    log.debug({ examples: examples.map((e) => e.source) }, 'llm prompt built');

    try {
      const result = await runSelfCorrecting(prompt, {
        client,
        store: deps.store,
        shopId: job.shop_id,
        queryTimeoutMs: deps.settings.QUERY_TIMEOUT_MS,
        maxRows: deps.settings.QUERY_MAX_ROWS,
        maxBytes: deps.settings.QUERY_MAX_BYTES,
        maxCorrections: deps.settings.LLM_MAX_CORRECTIONS,
        onStep: (step) => update(withStep(step)),
      });
      const answer = formatLlmAnswer(result.rows, result.query, {
        model: client.model,
        rounds: result.rounds,
        asOf: job.as_of,
        timezone: job.timezone,
      });
      answer.meta = {
        model: client.model,
        rounds: result.rounds,
        examples: examples.map((e) => ({ question: e.question, source: e.source })),
      };
      return { kind: 'answer', answer };
    } catch (err) {
      if (err instanceof CircuitOpenError || (err instanceof LlmCallError && client.isOpen)) {
        // This failure opened the circuit (or it opened meanwhile): retrying is pointless until it half-opens.
        throw await unavailable(deps, job, new CircuitOpenError().message, err);
      }
      if (err instanceof LlmCallError) {
        // Transient: BullMQ tries again; the suggestions are there if this was the last attempt.
        throw new AppError(err.code, err.message, {
          retryable: true,
          cause: err,
          details: { suggestions: await suggestions(deps, job) },
        });
      }
      throw err;
    }
  };
}

async function unavailable(
  deps: LlmDeps,
  job: QuestionJob,
  message: string,
  cause?: unknown,
): Promise<AppError> {
  return new AppError('LLM_UNAVAILABLE', message, {
    retryable: false,
    cause,
    details: { suggestions: await suggestions(deps, job) },
  });
}

async function suggestions(deps: LlmDeps, job: QuestionJob): Promise<string[]> {
  return closestTier1Questions(job.question, deps.embeddings, 5);
}

async function loadSamples(
  store: DataStore,
  shopId: number,
): Promise<Partial<Record<CollectionName, Record<string, unknown>[]>>> {
  const entries = await Promise.all(
    (Object.entries(SAMPLES) as [CollectionName, number][]).map(
      async ([c, n]) => [c, await store.sample(shopId, c, n)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** The record with one more model round in its current attempt's `steps`. */
function withStep(step: RoundStep): (record: JobRecord) => JobRecord {
  return (r) => {
    const last = r.attempts.at(-1);
    if (!last) return r;
    const steps = [...(last.steps ?? []), step as unknown as Record<string, unknown>];
    return { ...r, attempts: [...r.attempts.slice(0, -1), { ...last, steps }] };
  };
}

/**
 * Everything the handler needs, built the same way by main.ts and the tests.
 * The embedder is optional: without one, retrieval and suggestions fall back
 * to token overlap. `primaryExamples` is the vector-store retriever when
 * Chroma is configured; the in-process search backs it up.
 */
export function createLlmDeps(
  core: {
    config: Config;
    store: DataStore;
    results: ResultsStore;
    logger: Logger;
    counters?: SharedCounters;
  },
  opts: {
    embedder?: Embedder | null;
    primaryExamples?: ExampleRetriever | null;
    client?: LlmClient | null;
  } = {},
): LlmDeps {
  const { config } = core;
  const embeddings = opts.embedder ? new EmbeddingCache(opts.embedder) : null;
  const client =
    opts.client !== undefined
      ? opts.client
      : config.OLLAMA_HOST
        ? new LlmClient({
            host: config.OLLAMA_HOST,
            model: config.OLLAMA_MODEL,
            timeoutMs: config.OLLAMA_TIMEOUT_MS,
            breakerFailures: config.OLLAMA_BREAKER_FAILURES,
            halfOpenAfterMs: config.OLLAMA_BREAKER_HALF_OPEN_MS,
          })
        : null;
  client?.onStateChange((state) => {
    core.logger.warn({ state }, 'ollama circuit state changed');
    // Shown at /metrics as si_llm_circuit_state (0 closed, 1 half-open, 2 open).
    const value = state === 'closed' ? 0 : state === 'half-open' ? 1 : 2;
    core.counters?.setGauge('llm_circuit_state', {}, value).catch((err: unknown) => {
      core.logger.warn({ err }, 'circuit state gauge not written');
    });
  });
  const inProcess = new InProcessExampleRetriever({ results: core.results, cache: embeddings });
  return {
    store: core.store,
    client,
    examples: new FallbackExampleRetriever(opts.primaryExamples ?? null, inProcess, core.logger),
    embeddings,
    settings: config,
  };
}

import type { DataStore } from '../data/data-store.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { guardPipeline } from '../guard/pipeline-guard.js';
import type { ExecutedQuery } from '../results/answer.js';
import { parseModelOutput, MODEL_OUTPUT_JSON_SCHEMA } from './model-output.js';
import type { ChatMessage, LlmClient } from './ollama-client.js';
import { correctionMessage } from './prompt-builder.js';

/** One model round as the job record keeps it (`attempts[].steps`). */
export interface RoundStep {
  round: number;
  at: string;
  verdict: 'answered' | 'malformed' | 'rejected' | 'run_error' | 'empty' | 'llm_error';
  /** Wall time of the model call. */
  model_ms: number;
  /** Time spent on parsing, the guard and the run. */
  check_ms?: number;
  /** What the model proposed (after parsing, before the guard). */
  proposed?: { collection: string; pipeline: unknown };
  /** The model's text when it could not be parsed (truncated). */
  raw?: string;
  error?: { code: string; reason: string; path?: string };
  rows?: number;
}

export interface SelfCorrectionOptions {
  client: LlmClient;
  store: DataStore;
  shopId: number;
  queryTimeoutMs: number;
  maxRows: number;
  /** Largest result in bytes; unset: rows alone are capped. */
  maxBytes?: number;
  /** Extra rounds after the first (the "at most 2 retries"). */
  maxCorrections: number;
  /** Called after every round; the job record is updated there, so a crash keeps them. */
  onStep?: (step: RoundStep) => Promise<void>;
}

export interface SelfCorrectionResult {
  rows: Record<string, unknown>[];
  query: ExecutedQuery;
  rounds: number;
  steps: RoundStep[];
}

const RAW_KEEP = 500;

/**
 * Ask, parse, guard, run; on a malformed answer, a guard rejection, a failed
 * run or an empty result, tell the model what went wrong and ask again, at
 * most `maxCorrections` times. A rejection is a value fed back to the model,
 * never an exception. A failed Ollama call is not the model's fault and is not
 * retried here: it is recorded and thrown (transient; BullMQ's attempts and the
 * circuit breaker decide what happens next).
 *
 * When no round returned rows, an empty result is the answer ("no rows"); if
 * no round even ran cleanly, the last problem fails the job with its own code, non-retryable: the model
 * had its chances and a retry would spend the GPU on the same prompt.
 */
export async function runSelfCorrecting(
  prompt: ChatMessage[],
  opts: SelfCorrectionOptions,
): Promise<SelfCorrectionResult> {
  const messages = [...prompt];
  const steps: RoundStep[] = [];
  const record = async (step: RoundStep) => {
    steps.push(step);
    await opts.onStep?.(step);
  };
  const rounds = opts.maxCorrections + 1;
  let lastEmpty: { rows: Record<string, unknown>[]; query: ExecutedQuery } | null = null;
  let lastFailure: AppError | null = null;

  for (let round = 1; round <= rounds; round++) {
    const at = new Date().toISOString();
    let content: string;
    let modelMs: number;
    const callStarted = performance.now();
    try {
      const res = await opts.client.chat(messages, MODEL_OUTPUT_JSON_SCHEMA);
      content = res.content;
      modelMs = res.durationMs;
    } catch (err) {
      const code = isAppError(err) ? err.code : 'LLM_FAILED';
      await record({
        round,
        at,
        verdict: 'llm_error',
        model_ms: ms(performance.now() - callStarted),
        error: { code, reason: (err as Error).message },
      });
      throw err;
    }
    const checkStarted = performance.now();
    messages.push({ role: 'assistant', content });

    const parsed = parseModelOutput(content);
    if (!parsed.ok) {
      await record({
        round,
        at,
        verdict: 'malformed',
        model_ms: ms(modelMs),
        check_ms: ms(performance.now() - checkStarted),
        raw: content.slice(0, RAW_KEEP),
        error: { code: 'LLM_FAILED', reason: parsed.reason },
      });
      lastFailure = new AppError(
        'LLM_FAILED',
        `the model did not produce a readable pipeline: ${parsed.reason}`,
      );
      messages.push(correctionMessage({ kind: 'malformed', reason: parsed.reason }));
      continue;
    }
    const proposed = parsed.value;
    const guarded = guardPipeline(proposed, opts.shopId, { maxLimit: opts.maxRows });
    if (!guarded.ok) {
      await record({
        round,
        at,
        verdict: 'rejected',
        model_ms: ms(modelMs),
        check_ms: ms(performance.now() - checkStarted),
        proposed,
        error: { code: guarded.code, reason: guarded.reason, path: guarded.path },
      });
      lastFailure = new AppError(
        'PIPELINE_REJECTED',
        `the generated pipeline was rejected: ${guarded.reason}`,
        {
          details: { path: guarded.path },
        },
      );
      messages.push(
        correctionMessage({ kind: 'rejected', reason: guarded.reason, path: guarded.path }),
      );
      continue;
    }
    const query: ExecutedQuery = { collection: guarded.collection, pipeline: guarded.pipeline };
    let rows: Record<string, unknown>[];
    try {
      rows = await opts.store.aggregate(opts.shopId, guarded.collection, guarded.pipeline, {
        timeoutMs: opts.queryTimeoutMs,
        maxRows: opts.maxRows,
        ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
        // The guard checked its shape; what it costs to run only a run can tell.
        untrusted: true,
      });
    } catch (err) {
      // The data store being down is not the model's fault: fail the attempt, let BullMQ retry.
      if (isAppError(err) && err.code === 'DATA_STORE_UNAVAILABLE') throw err;
      const code = isAppError(err) ? err.code : 'QUERY_FAILED';
      const reason = (err as Error).message;
      await record({
        round,
        at,
        verdict: 'run_error',
        model_ms: ms(modelMs),
        check_ms: ms(performance.now() - checkStarted),
        proposed,
        error: { code, reason },
      });
      lastFailure = isAppError(err)
        ? new AppError(err.code, reason)
        : new AppError('QUERY_FAILED', reason);
      messages.push(correctionMessage({ kind: 'run_error', reason }));
      continue;
    }
    if (rows.length === 0) {
      await record({
        round,
        at,
        verdict: 'empty',
        model_ms: ms(modelMs),
        check_ms: ms(performance.now() - checkStarted),
        proposed,
        rows: 0,
      });
      lastEmpty = { rows, query };
      messages.push(correctionMessage({ kind: 'empty', reason: 'zero documents came back' }));
      continue;
    }
    await record({
      round,
      at,
      verdict: 'answered',
      model_ms: ms(modelMs),
      check_ms: ms(performance.now() - checkStarted),
      proposed,
      rows: rows.length,
    });
    return { rows, query, rounds: round, steps };
  }
  // An empty result from any round beats a later broken one: "no rows" is an honest answer.
  if (lastEmpty) return { ...lastEmpty, rounds, steps };
  throw lastFailure ?? new AppError('LLM_FAILED', 'the model did not produce an answer');
}

function ms(v: number): number {
  return Math.round(v * 10) / 10;
}

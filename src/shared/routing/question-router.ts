import {
  asksAboutTheFuture,
  isInsightQuestion,
  parseQuestion,
  type ParseContext,
  type StructuredQuery,
} from '../analytics/index.js';
import type { Tier } from '../queues/question-job.js';

export interface RouteDecision {
  tier: Tier;
  /** Why Tier 1 could not take it (kept in the job record for the LLM tier). */
  reason?: string;
  /** Tier 1's parse, when it placed the question (the API keys its answer cache on it). */
  query?: StructuredQuery;
}

/**
 * Cheap, deterministic classification in the API, before anything is queued:
 * insight questions (why, trends, what stands out) and forecasts go to the rag tier; what
 * the Tier 1 parser places goes to kpi; the rest goes to the llm tier directly
 * instead of taking a detour through a kpi worker.
 */
export function routeQuestion(
  question: string,
  ctx: ParseContext,
  previous?: StructuredQuery,
): RouteDecision {
  // Forecasts go to the rag tier too, which says plainly that it does not forecast.
  if (isInsightQuestion(question) || asksAboutTheFuture(question)) return { tier: 'rag' };
  const parsed = parseQuestion(question, ctx, previous);
  if (parsed.ok) return { tier: 'kpi', query: parsed.query };
  return { tier: 'llm', reason: parsed.reason };
}

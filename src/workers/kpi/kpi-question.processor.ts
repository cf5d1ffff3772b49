import {
  answerQuery,
  parseQuestion,
  structuredQuerySchema,
  type ParseResult,
  type StructuredQuery,
} from '../../shared/analytics/index.js';
import type { QuestionJob } from '../../shared/queues/question-job.js';
import type { DataStore } from '../../shared/data/data-store.js';
import type { TierHandler } from '../../shared/jobs/question-lifecycle.js';
import type { ResultsStore } from '../../shared/results/results-store.js';
import type { ShopRegistry } from '../../shared/shops/shop-registry.js';
import type { VocabularyCache } from '../../shared/routing/vocabulary-cache.js';
import { shopFormat } from '../shop-format.js';

export interface KpiDeps {
  store: DataStore;
  results: ResultsStore;
  shops: ShopRegistry;
  vocabulary: VocabularyCache;
}

/**
 * Tier 1: parse, compile, run, format. A question the parser cannot place is
 * handed to the llm tier under the same job id, never guessed at.
 */
export function kpiHandler(deps: KpiDeps): TierHandler {
  return async (job) => {
    const parsed = fromPayload(job.structured_query) ?? (await parse(deps, job));
    if (!parsed.ok) return { kind: 'escalate', to: 'llm', reason: parsed.reason };
    const format = await shopFormat(job, deps);
    const answer = await answerQuery(deps.store, job.shop_id, parsed.query, {
      ...format,
      timezone: job.timezone,
    });
    return { kind: 'answer', answer, structuredQuery: parsed.query };
  };
}

/** The API's parse, when the payload carries a valid one. */
function fromPayload(value: unknown): ParseResult | null {
  if (value === undefined) return null;
  const checked = structuredQuerySchema.safeParse(value);
  return checked.success ? { ok: true, query: checked.data } : null;
}

async function parse(deps: KpiDeps, job: QuestionJob): Promise<ParseResult> {
  const previous = job.follow_up_of
    ? await previousQuery(deps.results, job.shop_id, job.follow_up_of)
    : undefined;
  const vocabulary = await deps.vocabulary.get(job.shop_id);
  return parseQuestion(
    job.question,
    {
      asOf: new Date(job.as_of),
      timezone: job.timezone,
      shopId: job.shop_id,
      ...(job.locale ? { locale: job.locale } : {}),
      ...(vocabulary ? { vocabulary } : {}),
    },
    previous,
  );
}

async function previousQuery(
  results: ResultsStore,
  shopId: number,
  jobId: string,
): Promise<StructuredQuery | undefined> {
  const record = await results.get(jobId);
  if (!record || record.shop_id !== shopId) return undefined;
  return record.structured_query as StructuredQuery | undefined;
}

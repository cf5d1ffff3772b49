import { asksAboutTheFuture } from '../../shared/analytics/index.js';
import type { DataStore } from '../../shared/data/data-store.js';
import { AppError } from '../../shared/errors/app-error.js';
import type { TierHandler } from '../../shared/jobs/question-lifecycle.js';
import { answerInsight, type InsightDeps } from '../../shared/rag/index.js';
import type { RetrievalServices } from '../../shared/runtime/retrieval-services.js';
import type { ShopRegistry } from '../../shared/shops/shop-registry.js';
import { shopFormat } from '../shop-format.js';

export interface RagDeps extends RetrievalServices {
  store: DataStore;
  shops: ShopRegistry;
  narrate?: InsightDeps['narrate'];
}

/** Tier 3: facts computed from the data, context from Chroma, a checked narrative. */
export function ragHandler(deps: RagDeps): TierHandler {
  return async (job) => {
    if (asksAboutTheFuture(job.question)) {
      throw new AppError(
        'NOT_UNDERSTOOD',
        'forecasts are not answered: shop-insights reports recorded sales up to as_of. Ask about a past period, e.g. "revenue last month" or "why did orders drop last week".',
      );
    }
    const { currency } = await shopFormat(job, deps);
    const answer = await answerInsight(
      {
        store: deps.store,
        vectors: deps.vectors,
        embedder: deps.embedder,
        narrate: deps.narrate ?? null,
      },
      {
        shopId: job.shop_id,
        question: job.question,
        asOf: new Date(job.as_of),
        timezone: job.timezone,
        currency,
      },
    );
    return { kind: 'answer', answer };
  };
}

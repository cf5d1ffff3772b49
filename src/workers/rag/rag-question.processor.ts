import type { DataStore } from '../../shared/data/data-store.js';
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

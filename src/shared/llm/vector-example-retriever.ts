import { findExamples, type Embedder, type VectorStore } from '../rag/index.js';
import { reviveDates, withoutShop, type ExampleRetriever } from './example-retriever.js';
import type { VerifiedExample } from './seed-examples.js';

/**
 * Examples from Chroma through Tier 3's index (this shop's confirmed and Tier 1
 * answers plus the shared seed set under shop 0), in the form the prompt
 * takes: the stored shop id dropped from the first `$match` (the prompt puts
 * the asking shop's in) and ISO date strings back to `{ $date }`.
 */
export class VectorExampleRetriever implements ExampleRetriever {
  constructor(private readonly deps: { vectors: VectorStore; embedder: Embedder }) {}

  async find(shopId: number, question: string, k: number): Promise<VerifiedExample[]> {
    if (k <= 0) return [];
    const found = await findExamples(this.deps, shopId, question, k);
    return found
      .filter((f) => Array.isArray(f.pipeline) && f.pipeline.length > 0)
      .map((f) => ({
        question: f.question,
        collection: f.collection,
        pipeline: f.pipeline.map((stage, i) =>
          reviveDates(i === 0 ? withoutShop(stage) : stage),
        ) as Record<string, unknown>[],
        source: 'retrieved' as const,
      }));
  }
}

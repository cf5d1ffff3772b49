import { suggestQuestions } from '../analytics/index.js';
import { rankBySimilarity, type EmbeddingCache } from './similarity.js';

/**
 * The questions Tier 1 answers that are closest to `question`: by embedding
 * similarity to the catalogue's canonical questions, or by token overlap when
 * no embedder is loaded. Offered with LLM_UNAVAILABLE, so a shop that asked a
 * long-tail question still has something it can ask and get answered now.
 */
export async function closestTier1Questions(
  question: string,
  cache: EmbeddingCache | null,
  n = 5,
): Promise<string[]> {
  const catalogue = suggestQuestions();
  const ranked = await rankBySimilarity(question, catalogue, cache);
  return ranked.slice(0, n).map((r) => catalogue[r.index]!);
}

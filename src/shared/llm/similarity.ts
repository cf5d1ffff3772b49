import type { Embedder } from '../rag/embedder.js';

/** Cosine similarity; both embedders give unit vectors, but do not rely on it. */
export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

const STOP_WORDS = new Set(
  'a an and are by did do does for from had has have how i in is it me much many of on or our per show the to was we were what when which who with you'.split(
    ' ',
  ),
);

export function tokens(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((t) => t.length > 1 && !STOP_WORDS.has(t))
      .map((t) => (t.length > 3 && t.endsWith('s') ? t.slice(0, -1) : t)),
  );
}

/** Jaccard overlap of content words: the fallback when no embedder loaded. */
export function tokenOverlap(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/**
 * Embeddings of texts that come back again and again (the catalogue's
 * questions, the seed set, a shop's recent questions), kept per process.
 * Bounded: the oldest entries go first.
 */
export class EmbeddingCache {
  private readonly vectors = new Map<string, number[]>();

  constructor(
    readonly embedder: Embedder,
    private readonly maxEntries = 5_000,
  ) {}

  async embed(texts: string[]): Promise<number[][]> {
    const missing = [...new Set(texts.filter((t) => !this.vectors.has(t)))];
    if (missing.length > 0) {
      const fresh = await this.embedder.embed(missing);
      missing.forEach((t, i) => this.vectors.set(t, fresh[i] ?? []));
      while (this.vectors.size > this.maxEntries) {
        const oldest = this.vectors.keys().next().value;
        if (oldest === undefined) break;
        this.vectors.delete(oldest);
      }
    }
    return texts.map((t) => this.vectors.get(t) ?? []);
  }
}

/**
 * Rank `candidates` by similarity to `query`: by embedding when a cache is
 * given and works, else by token overlap. Returns indices, best first.
 */
export async function rankBySimilarity(
  query: string,
  candidates: string[],
  cache: EmbeddingCache | null,
): Promise<{ index: number; score: number; method: 'embedding' | 'tokens' }[]> {
  if (candidates.length === 0) return [];
  if (cache) {
    try {
      const [q, ...vs] = await cache.embed([query, ...candidates]);
      return vs
        .map((v, index) => ({ index, score: cosine(q ?? [], v), method: 'embedding' as const }))
        .sort((a, b) => b.score - a.score);
    } catch {
      // An embedder that fails mid-run degrades to token overlap rather than failing the job.
    }
  }
  return candidates
    .map((c, index) => ({ index, score: tokenOverlap(query, c), method: 'tokens' as const }))
    .sort((a, b) => b.score - a.score);
}

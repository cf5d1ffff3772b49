import { COLLECTIONS } from '../data/documents.js';
import type { Logger } from '../logging/logger.js';
import type { JobRecord } from '../results/job-record.js';
import type { ResultsStore } from '../results/results-store.js';
import { SEED_EXAMPLES, type VerifiedExample } from './seed-examples.js';
import { rankBySimilarity, type EmbeddingCache } from './similarity.js';

/** Finds the k verified examples most similar to a question, for one shop. */
export interface ExampleRetriever {
  find(shopId: number, question: string, k: number): Promise<VerifiedExample[]>;
}

export interface InProcessRetrieverOptions {
  results: ResultsStore;
  /** Null: rank by token overlap instead of embeddings. */
  cache: EmbeddingCache | null;
  seed?: readonly VerifiedExample[];
  /** How many of the shop's recent jobs are looked at. */
  recentJobs?: number;
}

/**
 * Retrieval without Chroma: the shared seed set plus the shop's verified
 * answers still in the results store (Tier 1 answers, whose pipelines are
 * exact by construction, and answers the shop confirmed through feedback),
 * ranked in process by cosine similarity of question embeddings.
 */
export class InProcessExampleRetriever implements ExampleRetriever {
  private readonly seed: readonly VerifiedExample[];
  private readonly recentJobs: number;

  constructor(private readonly opts: InProcessRetrieverOptions) {
    this.seed = opts.seed ?? SEED_EXAMPLES;
    this.recentJobs = opts.recentJobs ?? 200;
  }

  async find(shopId: number, question: string, k: number): Promise<VerifiedExample[]> {
    if (k <= 0) return [];
    const own = await this.shopExamples(shopId);
    // The shop's own examples first, so a tie goes to them.
    const pool = dedupe([...own, ...this.seed]);
    const ranked = await rankBySimilarity(
      question,
      pool.map((e) => e.question),
      this.opts.cache,
    );
    return ranked.slice(0, k).map((r) => pool[r.index]!);
  }

  private async shopExamples(shopId: number): Promise<VerifiedExample[]> {
    const ids = await this.opts.results.recentJobIds(shopId, this.recentJobs);
    const records = await Promise.all(ids.map((id) => this.opts.results.get(id)));
    return records.flatMap((r) => (r && r.shop_id === shopId ? toExample(r) : []));
  }
}

/**
 * Chroma first (per shop plus the shared seed set, maintained by the ingest
 * worker), the in-process search when Chroma is not configured, fails or has
 * nothing yet. Retrieval only improves a prompt: it never fails a job.
 */
export class FallbackExampleRetriever implements ExampleRetriever {
  constructor(
    private readonly primary: ExampleRetriever | null,
    private readonly fallback: ExampleRetriever,
    private readonly logger?: Logger,
  ) {}

  async find(shopId: number, question: string, k: number): Promise<VerifiedExample[]> {
    if (this.primary) {
      try {
        const found = await this.primary.find(shopId, question, k);
        if (found.length > 0) return found;
      } catch (err) {
        this.logger?.warn(
          { err },
          'example retrieval from the vector store failed, using the in-process search',
        );
      }
    }
    try {
      return await this.fallback.find(shopId, question, k);
    } catch (err) {
      this.logger?.warn({ err }, 'example retrieval failed, prompting without examples');
      return [];
    }
  }
}

/** A finished job as a verified example, or nothing when it is not one. */
export function toExample(record: JobRecord): VerifiedExample[] {
  if (record.status !== 'succeeded' || !record.query) return [];
  if (record.feedback?.correct === false) return [];
  const source: VerifiedExample['source'] | null =
    record.feedback?.correct === true ? 'feedback' : record.tier === 'kpi' ? 'tier1' : null;
  if (!source) return [];
  const collection = record.query.collection;
  if (
    !(COLLECTIONS as readonly string[]).includes(collection) ||
    record.query.pipeline.length === 0
  )
    return [];
  const pipeline = record.query.pipeline.map((stage, i) =>
    reviveDates(i === 0 ? withoutShop(stage) : stage),
  );
  return [
    {
      question: record.question,
      collection: collection,
      pipeline: pipeline as Record<string, unknown>[],
      as_of: record.as_of,
      timezone: record.timezone,
      source,
    },
  ];
}

/** Drop the shop from the first `$match` (the prompt puts the asking shop's in). */
export function withoutShop(stage: Record<string, unknown>): Record<string, unknown> {
  const match = stage.$match as Record<string, unknown> | undefined;
  if (!match || Object.keys(stage).length !== 1) return stage;
  const rest = { ...match };
  delete rest.shop_id;
  return { $match: rest };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/**
 * Dates in a stored pipeline went through JSON and came back as strings;
 * shown to the model that way it would compare dates with strings. They go
 * back to EJSON `{ $date }`, the form the prompt asks for.
 */
export function reviveDates(value: unknown): unknown {
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? { $date: value } : value;
  if (Array.isArray(value)) return value.map(reviveDates);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveDates(v)]));
  }
  return value;
}

function dedupe(examples: VerifiedExample[]): VerifiedExample[] {
  const seen = new Set<string>();
  return examples.filter((e) => {
    const key = e.question.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

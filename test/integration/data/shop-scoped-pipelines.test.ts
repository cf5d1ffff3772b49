import { describe, expect, it } from 'vitest';
import {
  answerQuery,
  loadShopVocabulary,
  parseQuestion,
  suggestQuestions,
} from '../../../src/shared/analytics/index.js';
import type { AggregateOptions, DataStore, Pipeline } from '../../../src/shared/data/data-store.js';
import type { CollectionName } from '../../../src/shared/data/documents.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import { readShopDir } from '../../../src/shared/data/import/ndjson-import.js';
import { answerInsight } from '../../../src/shared/rag/index.js';

const NORTHWIND = new URL('../../fixtures/northwind', import.meta.url).pathname;
const SHOP = 2;

/** The real embedded store, noting every pipeline the service hands it. */
class RecordingStore {
  readonly seen: { collection: CollectionName; pipeline: Pipeline }[] = [];
  constructor(private readonly inner: EmbeddedStore) {}
  aggregate(shopId: number, collection: CollectionName, pipeline: Pipeline, options?: AggregateOptions) {
    this.seen.push({ collection, pipeline });
    return this.inner.aggregate(shopId, collection, pipeline, options);
  }
}

/** Every $lookup / $graphLookup / $facet sub-pipeline, recursively. */
function lookups(pipeline: Pipeline): Pipeline[] {
  const out: Pipeline[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object' || v instanceof Date) return;
    const o = v as Record<string, unknown>;
    const lookup = o.$lookup as { pipeline?: Pipeline } | undefined;
    if (lookup?.pipeline) out.push(lookup.pipeline);
    Object.values(o).forEach(visit);
  };
  visit(pipeline);
  return out;
}

/**
 * The shard key leads every query: each pipeline the service builds (Tier 1's
 * compiler, the shop vocabulary, Tier 3's analysis) opens with this shop's
 * $match, and so does every $lookup inside it. (Tier 2's pipelines get the same
 * from the guard; its corpus tests check that.)
 */
describe('every pipeline the service builds starts with the shop match', () => {
  it('holds for Tier 1, the vocabulary and Tier 3', async () => {
    const inner = new EmbeddedStore({});
    await inner.replaceShop(SHOP, await readShopDir(NORTHWIND, SHOP));
    const store = new RecordingStore(inner) as unknown as DataStore;
    const asOf = new Date('1998-05-06T18:00:00Z');
    const vocabulary = await loadShopVocabulary(store, SHOP);
    for (const question of suggestQuestions()) {
      const parsed = parseQuestion(question, { asOf, timezone: 'UTC', vocabulary, shopId: SHOP });
      if (parsed.ok) await answerQuery(store, SHOP, parsed.query, { currency: 'USD', timezone: 'UTC' });
    }
    for (const question of ['Why did revenue drop last month?', 'Anything unusual last month?', "What's trending?"]) {
      await answerInsight({ store }, { shopId: SHOP, question, asOf, timezone: 'UTC', currency: 'USD' });
    }
    const seen = (store as unknown as RecordingStore).seen;
    expect(seen.length).toBeGreaterThan(40);
    for (const { pipeline } of seen) {
      expect(Object.keys(pipeline[0]!)).toEqual(['$match']);
      expect((pipeline[0]!.$match as Record<string, unknown>).shop_id).toBe(SHOP);
      for (const sub of lookups(pipeline)) {
        expect((sub[0]?.$match as Record<string, unknown> | undefined)?.shop_id).toBe(SHOP);
      }
    }
  }, 60_000);
});

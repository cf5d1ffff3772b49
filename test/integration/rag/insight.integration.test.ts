import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SHOPS, generateShop, plantedEffects } from '../../../src/shared/data/demo/index.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import {
  answerInsight,
  findExamples,
  indexAnswer,
  indexSeedExamples,
  indexShop,
  SEED_EXAMPLES,
  type VectorStore,
  type Embedder,
} from '../../../src/shared/rag/index.js';
import { startVectorTestbed, type VectorTestbed } from '../../support/vector-testbed.js';

/**
 * Tier 3 acceptance: real Chroma (chroma run CLI), the real USE-lite embedder,
 * the real embedded store, over a demo shop with planted effects.
 */
const spec = DEMO_SHOPS[0]!;
const endDate = new Date('2026-11-20T12:00:00Z');
const planted = plantedEffects(spec, endDate);
const req = {
  shopId: spec.shopId,
  asOf: endDate,
  timezone: spec.timezone,
  currency: spec.currency,
};

let testbed: VectorTestbed;
let store: EmbeddedStore;
let embedder: Embedder;
let vectors: VectorStore;

beforeAll(async () => {
  testbed = await startVectorTestbed(`test-${process.pid}`);
  ({ embedder, vectors } = testbed);
  store = new EmbeddedStore({});
  await store.replaceShop(spec.shopId, generateShop(spec, { endDate }));
}, 120_000);

afterAll(async () => {
  await testbed?.stop();
});

describe('Tier 3 insights on demo data', () => {
  it('re-indexing a shop replaces its documents instead of adding more', async () => {
    const opts = { asOf: endDate, timezone: spec.timezone, currency: spec.currency };
    const first = await indexShop({ store, vectors, embedder }, spec.shopId, opts);
    const countAfterFirst = await vectors.count(spec.shopId);
    const second = await indexShop({ store, vectors, embedder }, spec.shopId, opts);
    expect(first.products).toBeGreaterThan(0);
    expect(first.digests).toBe(52);
    expect(second).toMatchObject({ products: first.products, digests: first.digests });
    expect(countAfterFirst).toBe(first.products + first.digests);
    expect(await vectors.count(spec.shopId)).toBe(countAfterFirst);
  }, 120_000);

  it('"why did revenue drop last month?" names the collapsed category with its amount', async () => {
    const res = await answerInsight(
      { store, vectors, embedder },
      { ...req, question: 'Why did revenue drop last month?' },
    );
    const cat = planted.categoryCollapse.category;
    expect(res.answer).toContain(cat);
    expect(res.answer).toMatch(/fell \d+\.\d%/);
    const row =
      res.data.kind === 'table'
        ? res.data.rows.find((r) => r[0] === 'category' && r[1] === cat)
        : undefined;
    expect(row).toBeDefined();
    const contribution = row![4] as number;
    expect(contribution).toBeLessThan(0);
    // The amount in the prose is the amount in the table.
    expect(res.answer).toContain(`-€${Math.round(Math.abs(contribution)).toLocaleString('en-US')}`);
    // And it is the first driver named: the collapse explains the drop.
    expect(res.data.kind === 'table' && res.data.rows[0]![1]).toBe(cat);
    expect((res.meta?.context_ids as string[]).length).toBeGreaterThan(0);
  }, 60_000);

  it('"anything unusual last month?" finds the spike day', async () => {
    const res = await answerInsight(
      { store, vectors, embedder },
      { ...req, question: 'Anything unusual last month?' },
    );
    expect(res.answer).toContain(planted.orderSpike.date);
    expect(res.answer).toContain(planted.orderSpike.productName);
    expect(res.data.kind === 'table' && res.data.rows[0]![0]).toBe(planted.orderSpike.date);
  }, 60_000);

  it('"which country is growing?" finds the planted country, significant', async () => {
    const res = await answerInsight(
      { store, vectors: null, embedder: null },
      { ...req, question: 'Which country is growing?' },
    );
    expect(res.answer).toContain(planted.countryGrowth.country);
    const rows = res.data.kind === 'table' ? res.data.rows : [];
    // Row 0 is the shop total; row 1 the fastest-growing country.
    expect(rows[1]).toMatchObject({ 0: 'country', 1: planted.countryGrowth.country, 7: true });
  }, 60_000);

  it('an LLM narrative with a number the facts lack is replaced by the deterministic one', async () => {
    const res = await answerInsight(
      { store, narrate: () => Promise.resolve('Revenue fell 99.9% because of the weather.') },
      { ...req, question: 'Why did revenue drop last month?' },
    );
    expect(res.meta?.narrated_by).toBe('deterministic');
    expect(res.meta?.narrative_rejected_numbers).toEqual(['99.9']);
    expect(res.answer).toContain(planted.categoryCollapse.category);
  }, 60_000);

  it('answered questions and shared seeds come back as few-shot examples, per shop', async () => {
    await indexSeedExamples({ vectors, embedder });
    const pipeline = [
      { $match: { shop_id: spec.shopId } },
      { $group: { _id: '$channel', n: { $sum: 1 } } },
    ];
    await indexAnswer({ store, vectors, embedder }, spec.shopId, {
      question: 'How many orders per sales channel?',
      answer: 'web 100, mobile 50',
      pipeline,
      collection: 'order',
      source: 'tier1',
    });
    // Same question again: overwritten, not duplicated.
    await indexAnswer({ store, vectors, embedder }, spec.shopId, {
      question: 'How many orders per sales channel?',
      answer: 'web 100, mobile 50',
      pipeline,
      collection: 'order',
      source: 'tier1',
    });
    expect(await vectors.count(spec.shopId, 'answer')).toBe(1);
    const ex = await findExamples(
      { vectors, embedder },
      spec.shopId,
      'How many orders came from each sales channel?',
      5,
    );
    expect(ex.find((e) => e.question === 'How many orders per sales channel?')).toMatchObject({
      collection: 'order',
      pipeline,
    });
    const seeds = new Set(SEED_EXAMPLES.map((e) => e.question));
    expect(ex.some((e) => seeds.has(e.question))).toBe(true);
    // Another shop sees the seeds but never shop 1's answers.
    const other = await findExamples({ vectors, embedder }, 99, 'number of orders by channel', 5);
    expect(other.every((e) => e.question !== 'How many orders per sales channel?')).toBe(true);
  }, 60_000);
});

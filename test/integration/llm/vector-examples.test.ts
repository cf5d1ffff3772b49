import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FallbackExampleRetriever,
  type ExampleRetriever,
} from '../../../src/shared/llm/example-retriever.js';
import { VectorExampleRetriever } from '../../../src/shared/llm/vector-example-retriever.js';
import {
  forgetAnswer,
  indexAnswer,
  type VectorStore,
  type Embedder,
} from '../../../src/shared/rag/index.js';
import { startVectorTestbed, type VectorTestbed } from '../../support/vector-testbed.js';

describe('Tier 2 examples from Chroma (real server, USE-lite)', () => {
  let testbed: VectorTestbed;
  let vectors: VectorStore;
  let embedder: Embedder;

  beforeAll(async () => {
    testbed = await startVectorTestbed('llmtest');
    ({ embedder, vectors } = testbed);
    await indexAnswer({ vectors, embedder, store: null as never }, 5, {
      question: 'How many orders had a discount last week?',
      answer: '12 orders',
      collection: 'order',
      pipeline: [
        {
          $match: {
            shop_id: 5,
            discount: { $gt: 0 },
            created_at: { $gte: '2026-11-16T00:00:00.000Z' },
          },
        },
        { $count: 'orders' },
      ],
      source: 'feedback',
    });
  }, 60_000);
  afterAll(async () => {
    await testbed?.stop();
  });

  it("returns the shop's confirmed answer in prompt form: no stored shop id, dates as $date", async () => {
    const found = await new VectorExampleRetriever({ vectors, embedder }).find(
      5,
      'How many discounted orders were there?',
      3,
    );
    expect(found[0]).toMatchObject({
      question: 'How many orders had a discount last week?',
      collection: 'order',
      source: 'retrieved',
      pipeline: [
        {
          $match: {
            discount: { $gt: 0 },
            created_at: { $gte: { $date: '2026-11-16T00:00:00.000Z' } },
          },
        },
        { $count: 'orders' },
      ],
    });
  });

  it("never returns another shop's answers", async () => {
    const found = await new VectorExampleRetriever({ vectors, embedder }).find(
      6,
      'How many orders had a discount last week?',
      5,
    );
    expect(found.map((f) => f.question)).not.toContain('How many orders had a discount last week?');
  });

  it('falls back to the in-process search when the vector store fails', async () => {
    const broken: ExampleRetriever = { find: () => Promise.reject(new Error('chroma down')) };
    const fallback: ExampleRetriever = {
      find: () =>
        Promise.resolve([
          { question: 'q', collection: 'order', pipeline: [{ $count: 'n' }], source: 'seed' },
        ]),
    };
    await expect(
      new FallbackExampleRetriever(broken, fallback).find(5, 'x', 3),
    ).resolves.toHaveLength(1);
  });
  it('takes back an answer marked wrong, but not a newer pipeline indexed under the same question', async () => {
    const deps = { vectors, embedder, store: null as never };
    const question = 'What was the revenue of paid orders yesterday?';
    const wrong = [{ $match: { shop_id: 6, status: 'paid' } }, { $count: 'orders' }];
    const right = [
      { $match: { shop_id: 6, status: 'paid' } },
      { $group: { _id: null, revenue: { $sum: '$grand_total' } } },
    ];
    await indexAnswer(deps, 6, {
      question,
      answer: '3',
      collection: 'order',
      pipeline: wrong,
      source: 'tier1',
    });
    expect(await vectors.count(6, 'answer')).toBe(1);
    await forgetAnswer(deps, 6, { question, pipeline: wrong });
    expect(await vectors.count(6, 'answer')).toBe(0);

    await indexAnswer(deps, 6, {
      question,
      answer: '€10',
      collection: 'order',
      pipeline: right,
      source: 'feedback',
    });
    await forgetAnswer(deps, 6, { question, pipeline: wrong });
    expect(await vectors.count(6, 'answer')).toBe(1);
    // Shop 5's example is untouched throughout.
    expect(await vectors.count(5, 'answer')).toBe(1);
  });
});

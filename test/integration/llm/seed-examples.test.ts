import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importShop } from '../../../src/shared/data/import/import-shop.js';
import { guardPipeline } from '../../../src/shared/guard/pipeline-guard.js';
import { SEED_EXAMPLES } from '../../../src/shared/llm/seed-examples.js';
import { createTestServices } from '../../support/test-services.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../../fixtures/northwind');

describe('the shared seed examples are verified pipelines', () => {
  let core: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    core = await createTestServices();
    await importShop(core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
  });
  afterAll(async () => core?.cleanup());

  it('has distinct questions', () => {
    const questions = SEED_EXAMPLES.map((e) => e.question.toLowerCase());
    expect(new Set(questions).size).toBe(questions.length);
    expect(SEED_EXAMPLES.length).toBeGreaterThanOrEqual(12);
  });

  it.each(SEED_EXAMPLES.map((e) => [e.question, e] as const))(
    '%s: the guard accepts it and it runs',
    async (_q, example) => {
      const guarded = guardPipeline(
        { collection: example.collection, pipeline: example.pipeline },
        2,
      );
      if (!guarded.ok) throw new Error(`rejected: ${guarded.reason} at ${guarded.path}`);
      const rows = await core.store.aggregate(2, guarded.collection, guarded.pipeline, {
        timeoutMs: 5_000,
        maxRows: 1_000,
      });
      expect(Array.isArray(rows)).toBe(true);
    },
  );

  it('the date-free ones return rows on a real shop', async () => {
    // Every Northwind product has been ordered: that question's right answer there is no rows.
    const dateFree = SEED_EXAMPLES.filter(
      (e) =>
        !JSON.stringify(e.pipeline).includes('$date') && !e.question.includes('never been ordered'),
    );
    expect(dateFree.length).toBeGreaterThanOrEqual(4);
    for (const e of dateFree) {
      const guarded = guardPipeline({ collection: e.collection, pipeline: e.pipeline }, 2);
      if (!guarded.ok) throw new Error(guarded.reason);
      const rows = await core.store.aggregate(2, guarded.collection, guarded.pipeline);
      expect(rows.length, e.question).toBeGreaterThan(0);
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import { readShopDir } from '../../../src/shared/data/import/ndjson-import.js';
import { failures, readEvalSet, runEvalCases } from './eval-runner.js';

// The repo's copy of ../shared/data/northwind (MIT) and ../shared/eval/northwind.jsonl.
const NORTHWIND = new URL('../../fixtures/northwind', import.meta.url).pathname;
const QUESTIONS = new URL('../../fixtures/northwind/eval.jsonl', import.meta.url).pathname;

describe('Tier 1 on the Northwind eval set (shop 2)', () => {
  const store = new EmbeddedStore({});
  beforeAll(async () => {
    await store.replaceShop(2, await readShopDir(process.env.NORTHWIND_DIR ?? NORTHWIND, 2));
  });

  it('answers at least 29 of 30 questions exactly', async () => {
    const results = await runEvalCases(store, readEvalSet(process.env.NORTHWIND_EVAL ?? QUESTIONS));
    const failed = failures(results);
    expect(results).toHaveLength(30);
    expect(failed.length, failed.join('\n')).toBeLessThanOrEqual(1);
  });
});

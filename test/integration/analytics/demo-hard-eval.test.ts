import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import { demoEvalShop } from '../../fixtures/eval/build-demo-eval.js';
import { failures, readEvalSet, runEvalCases } from './eval-runner.js';

const QUESTIONS = new URL('../../fixtures/eval/demo-hard.jsonl', import.meta.url).pathname;

/**
 * The harder set over the demo shops: answers computed by plain loops in
 * build-demo-eval.ts, independently of the compiler.
 */
describe('Tier 1 on the harder demo eval set (shops 1 and 3)', () => {
  const store = new EmbeddedStore({});
  beforeAll(async () => {
    await store.replaceShop(1, demoEvalShop(1));
    await store.replaceShop(3, demoEvalShop(3));
  }, 120_000);

  it('answers every question exactly', async () => {
    const cases = readEvalSet(QUESTIONS);
    const results = [
      ...(await runEvalCases(
        store,
        cases.filter((c) => c.shop_id === 1),
        'EUR',
      )),
      ...(await runEvalCases(
        store,
        cases.filter((c) => c.shop_id === 3),
        'USD',
      )),
    ];
    const failed = failures(results);
    expect(results).toHaveLength(42);
    expect(failed, failed.join('\n')).toEqual([]);
  }, 120_000);
});

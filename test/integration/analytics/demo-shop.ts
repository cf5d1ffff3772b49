import {
  answerQuery,
  loadShopVocabulary,
  parseQuestion,
  type ShopVocabulary,
} from '../../../src/shared/analytics/index.js';
import { DEMO_SHOPS, generateShop } from '../../../src/shared/data/demo/index.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';

/** As of 2026-11-22 15:00 UTC, the day after the generated data ends. */
export const DEMO_AS_OF = new Date('2026-11-22T15:00:00Z');

/**
 * Demo shop 1, generated, in an embedded store, and a Tier 1 `ask` that parses
 * with the shop's names and answers as the kpi worker does. Tests check the
 * answers against plain loops over `docs`. Call `load()` in a beforeAll.
 */
export function demoShop() {
  const spec = DEMO_SHOPS[0]!;
  const docs = generateShop(spec, { endDate: new Date('2026-11-22T00:00:00Z') });
  const store = new EmbeddedStore({});
  let vocabulary: ShopVocabulary | undefined;
  return {
    docs,
    async load(): Promise<void> {
      await store.replaceShop(spec.shopId, docs);
      vocabulary = await loadShopVocabulary(store, spec.shopId);
    },
    parse(question: string) {
      return parseQuestion(question, {
        asOf: DEMO_AS_OF,
        timezone: 'UTC',
        ...(vocabulary ? { vocabulary } : {}),
      });
    },
    async ask(question: string) {
      const r = this.parse(question);
      if (!r.ok) throw new Error(`${question}: ${r.reason}`);
      return answerQuery(store, spec.shopId, r.query, {
        currency: 'EUR',
        locale: 'en-GB',
        timezone: 'UTC',
      });
    },
  };
}

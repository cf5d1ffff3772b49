import { describe, expect, it } from 'vitest';
import { loadShopVocabulary, parseQuestion } from '../../../src/shared/analytics/index.js';
import type { Order } from '../../../src/shared/data/documents.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import { orderDoc } from '../../support/documents.js';

const AS_OF = new Date('2026-11-23T12:00:00Z');

const order = (id: number, channel: string, payment: string): Order =>
  orderDoc({
    id,
    shop_id: 1,
    created_at: new Date(Date.UTC(2026, 10, 1 + id)),
    channel,
    payment_method: payment,
  });

async function parseFor(orders: Order[], question: string) {
  const store = new EmbeddedStore({ sandbox: false });
  await store.replaceShop(1, { order: orders, product: [], customer: [] });
  const vocabulary = await loadShopVocabulary(store, 1);
  return parseQuestion(question, { asOf: AS_OF, timezone: 'UTC', vocabulary });
}

describe('a name that is both a channel and a payment method', () => {
  it('stands for the channel when both pick the same orders', async () => {
    const r = await parseFor(
      [order(1, 'marketplace', 'marketplace'), order(2, 'web', 'card')],
      'revenue through the marketplace this month',
    );
    expect(r.ok && r.query.filters).toMatchObject([
      { dimension: 'channel', values: ['marketplace'] },
    ]);
  });

  it('stays ambiguous, and is refused, when they pick different orders', async () => {
    const r = await parseFor(
      [order(1, 'marketplace', 'marketplace'), order(2, 'marketplace', 'card')],
      'revenue through the marketplace this month',
    );
    expect(r).toMatchObject({ ok: false });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionJob } from '../../../src/shared/queues/question-job.js';
import { shopFormat } from '../../../src/workers/shop-format.js';
import { createTestServices } from '../../support/test-services.js';

/** How a worker learns a shop's currency and locale (real shop registry, real store). */
describe('shopFormat', () => {
  let core: Awaited<ReturnType<typeof createTestServices>>;
  const job = (extra: Partial<QuestionJob> = {}): QuestionJob => ({
    job_id: 'j1',
    shop_id: 21,
    question: 'revenue last month',
    as_of: '2026-11-20T12:00:00.000Z',
    timezone: 'Europe/Berlin',
    ...extra,
  });

  beforeAll(async () => {
    core = await createTestServices();
    await core.shops.upsert({ shop_id: 21, name: 'Berlin shop', currency: 'EUR', locale: 'de-DE' });
  });
  afterAll(async () => core?.cleanup());

  it('uses the settings the API put on the job, and reads the shop for jobs queued without them', async () => {
    expect(await shopFormat(job({ currency: 'GBP', locale: 'en-GB' }), core)).toEqual({
      currency: 'GBP',
      locale: 'en-GB',
    });
    expect(await shopFormat(job(), core)).toEqual({ currency: 'EUR', locale: 'de-DE' });
  });

  it("lets the imported data's own currency win", async () => {
    await core.store.replaceShop(21, {
      order: [
        {
          id: 'o1',
          shop_id: 21,
          created_at: new Date('2026-11-01T10:00:00Z'),
          currency: 'CHF',
        } as never,
      ],
      product: [],
      customer: [],
    });
    expect(await shopFormat(job({ currency: 'GBP', locale: 'en-GB' }), core)).toEqual({
      currency: 'CHF',
      locale: 'en-GB',
    });
  });
});

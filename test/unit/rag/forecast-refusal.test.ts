import { describe, expect, it } from 'vitest';
import { asksAboutTheFuture } from '../../../src/shared/analytics/index.js';
import { AppError } from '../../../src/shared/errors/app-error.js';
import type { QuestionJob } from '../../../src/shared/queues/question-job.js';
import { routeQuestion } from '../../../src/shared/routing/question-router.js';
import { ragHandler, type RagDeps } from '../../../src/workers/rag/rag-question.processor.js';
import { createLogger } from '../../../src/shared/logging/logger.js';

const FUTURE = [
  'forecast revenue for next month',
  'predict orders for June',
  'what will sales be next quarter',
  'how many orders will we get next week',
  'projected revenue for 2027',
  'how much are we going to make this year',
  'how much we will sell in december?',
  'revenue we will make in Q1',
  'what will Q1 2026 revenue be',
];
const PAST = [
  'revenue last month',
  'why did orders drop last week',
  'will you show me the revenue by country',
  'top 5 products by units sold',
  'orders in the past 3 months',
  'how much we sold in december',
  'which customers will you list',
];

describe('questions about the future', () => {
  it.each(FUTURE)('%s: recognised and routed to the rag tier', (question) => {
    expect(asksAboutTheFuture(question)).toBe(true);
    expect(
      routeQuestion(question, { asOf: new Date('2026-11-22T15:00:00Z'), timezone: 'UTC' }).tier,
    ).toBe('rag');
  });

  it.each(PAST)('%s: not a forecast', (question) => {
    expect(asksAboutTheFuture(question)).toBe(false);
  });

  it('the rag tier fails them at once with NOT_UNDERSTOOD instead of describing a past period', async () => {
    const job: QuestionJob = {
      job_id: 'j1',
      shop_id: 1,
      question: 'forecast revenue for next month',
      as_of: '2026-11-22T15:00:00.000Z',
      timezone: 'UTC',
    };
    // No store, vectors or embedder: the refusal comes before any of them is touched.
    const run = ragHandler({} as RagDeps)(job, {
      log: createLogger({ level: 'silent', name: 'test' }),
      attempt: 1,
      update: () => Promise.resolve(),
    });
    await expect(run).rejects.toBeInstanceOf(AppError);
    await expect(run).rejects.toMatchObject({ code: 'NOT_UNDERSTOOD', retryable: false });
  });
});

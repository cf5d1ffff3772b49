import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/test-stack.js';

const ADMIN = 'admin-key-for-limit-tests-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };

describe('rate limits and the per-shop queue cap', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // No workers: every accepted question stays queued.
    stack = await startTestStack({
      overrides: { ADMIN_API_KEY: ADMIN, RATE_LIMIT_PER_MINUTE: '5' },
      workers: [],
    });
  });
  afterAll(async () => stack?.stop());

  async function shop(
    fields: Record<string, unknown> = {},
  ): Promise<{ id: number; auth: { authorization: string } }> {
    const res = await request(stack.app)
      .post('/api/shops')
      .set(admin)
      .send({ name: 'Limited', ...fields })
      .expect(201);
    return {
      id: res.body.shop.shop_id as number,
      auth: { authorization: `Bearer ${res.body.api_key}` },
    };
  }

  it('answers 429 with Retry-After and RateLimit headers at the limit, per key', async () => {
    const a = await shop({ rate_limit_per_minute: 3 });
    const b = await shop();
    for (let i = 1; i <= 3; i++) {
      const ok = await request(stack.app)
        .post('/api/ask')
        .set(a.auth)
        .send({ question: `How many orders in ${1990 + i}?` })
        .expect(202);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(3 - i));
    }
    const limited = await request(stack.app)
      .post('/api/ask')
      .set(a.auth)
      .send({ question: 'How many orders in 1999?' })
      .expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    // The question was read while the count was on its way, but nothing of it
    // was kept: no job was queued and none is in the shop's history.
    expect(await stack.api.queues.kpi.getJobCounts('prioritized', 'waiting')).toMatchObject({
      prioritized: 3,
    });
    expect(await stack.api.results.recentJobIds(a.id, 10)).toHaveLength(3);
    // Another shop has its own budget (the deployment default, 5).
    const other = await request(stack.app)
      .post('/api/ask')
      .set(b.auth)
      .send({ question: 'How many orders in 1999?' })
      .expect(202);
    expect(other.headers['ratelimit-limit']).toBe('5');
  });

  it('caps a shop’s unanswered questions with 429 QUEUE_FULL, and frees a slot when one finishes', async () => {
    const s = await shop({ max_queued: 2, rate_limit_per_minute: 100 });
    const first = await request(stack.app)
      .post('/api/ask')
      .set(s.auth)
      .send({ question: 'How many orders in 1995?' })
      .expect(202);
    await request(stack.app)
      .post('/api/ask')
      .set(s.auth)
      .send({ question: 'How many orders in 1996?' })
      .expect(202);
    const full = await request(stack.app)
      .post('/api/ask')
      .set(s.auth)
      .send({ question: 'How many orders in 1997?' })
      .expect(429);
    expect(full.body.error.code).toBe('QUEUE_FULL');
    // Another shop is not affected.
    const t = await shop({ max_queued: 2 });
    await request(stack.app)
      .post('/api/ask')
      .set(t.auth)
      .send({ question: 'How many orders in 1997?' })
      .expect(202);
    // A finished job no longer counts, even if no worker released its slot.
    await stack.core.results.update(first.body.job_id as string, (r) => ({
      ...r,
      status: 'failed',
    }));
    await request(stack.app)
      .post('/api/ask')
      .set(s.auth)
      .send({ question: 'How many orders in 1997?' })
      .expect(202);
  });
});

import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importShop } from '../../src/shared/data/import/import-shop.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../fixtures/northwind');
const AS_OF = '1998-05-06T18:00:00.000Z';

async function poll(stack: TestStack, jobId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const res = await request(stack.app).get(`/api/jobs/${jobId}`).expect(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('ask and poll, end to end through HTTP, real Redis and BullMQ', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
  });
  afterAll(async () => stack?.stop());

  it('queues a question, then the poll returns the exact answer', async () => {
    const accepted = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 2, question: 'How many orders did we get last month?', as_of: AS_OF })
      .expect(202);
    expect(accepted.body).toMatchObject({ status: 'queued', tier: 'kpi' });
    expect(accepted.body.status_url).toBe(`/api/jobs/${accepted.body.job_id}`);
    const done = await poll(stack, accepted.body.job_id as string);
    expect(done.status).toBe('succeeded');
    expect(done.tier).toBe('kpi');
    expect(done.data).toMatchObject({ kind: 'scalar', value: 74 });
    expect(typeof done.answer).toBe('string');
    expect(done.explanation).toMatch(/1998-04-01/);
    const query = done.query as { collection: string; pipeline: Record<string, unknown>[] };
    expect(query.pipeline[0]).toMatchObject({ $match: { shop_id: 2 } });
    expect(done.timings_ms).toMatchObject({ total: expect.any(Number) });
  });

  it('answers within the same request when wait_ms allows', async () => {
    const res = await request(stack.app)
      .post('/api/ask')
      .send({
        shop_id: 2,
        question: 'What was our revenue in March 1998?',
        as_of: AS_OF,
        wait_ms: 5000,
      })
      .expect(200);
    expect(res.body.status).toBe('succeeded');
    expect(res.body.data.value).toBeCloseTo(110233.17, 1);
  });

  it('resolves relative dates in the time zone of the request', async () => {
    // 1998-05-01T02:00Z is still April 30 in New York: "this month" is April there.
    const res = await request(stack.app)
      .post('/api/ask')
      .send({
        shop_id: 2,
        question: 'How many orders this month?',
        as_of: '1998-05-01T02:00:00Z',
        timezone: 'America/New_York',
        wait_ms: 5000,
      })
      .expect(200);
    expect(res.body.timezone).toBe('America/New_York');
    expect(res.body.explanation).toMatch(/1998-04-01/);
  });

  it("knows the shop's own product names, and the shop named in the question", async () => {
    const chai = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 2, question: 'Revenue from Chai in 1997', as_of: AS_OF, wait_ms: 5000 })
      .expect(200);
    expect(chai.body.tier).toBe('kpi');
    expect(chai.body.data.value).toBeCloseTo(5295.6, 1);
    const named = await request(stack.app)
      .post('/api/ask')
      .send({
        shop_id: 2,
        question: 'How many orders did shop 2 get in 1997?',
        as_of: AS_OF,
        wait_ms: 5000,
      })
      .expect(200);
    expect(named.body.tier).toBe('kpi');
    expect(named.body.data.value).toBe(408);
  });

  it('keeps the job record with attempts and status after it finished', async () => {
    const res = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 2, question: 'How many customers do we have?', wait_ms: 5000 })
      .expect(200);
    const again = await request(stack.app).get(`/api/jobs/${res.body.job_id}`).expect(200);
    expect(again.body.data.value).toBe(91);
    expect(again.body.attempts).toHaveLength(1);
    expect(again.body.attempts[0]).toMatchObject({ tier: 'kpi', outcome: 'succeeded' });
  });
});

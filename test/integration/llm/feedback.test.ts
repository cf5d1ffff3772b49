import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importShop } from '../../../src/shared/data/import/import-shop.js';
import {
  pipelineReply,
  startFakeOllama,
  type FakeOllama,
} from '../../support/fake-ollama.server.js';
import { startTestStack, type TestStack } from '../../support/test-stack.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../../fixtures/northwind');
const AS_OF = '1998-05-06T18:00:00.000Z';
const DISCOUNTED = [{ $match: { discount: { $gt: 0 } } }, { $count: 'orders' }];

describe('POST /api/jobs/:id/feedback', () => {
  let stack: TestStack;
  let ollama: FakeOllama;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, asserted field by field
  async function askLlm(question: string): Promise<Record<string, any>> {
    const res = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 2, question, as_of: AS_OF, wait_ms: 8000 })
      .expect(200);
    expect(res.body.tier).toBe('llm');
    return res.body;
  }

  beforeAll(async () => {
    ollama = await startFakeOllama();
    stack = await startTestStack({ workers: ['llm'], overrides: { OLLAMA_HOST: ollama.url } });
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
  });
  beforeEach(() => ollama.reset());
  afterAll(async () => {
    await stack?.stop();
    await ollama?.close();
  });

  it('stores a confirmation, queues the answer for indexing, and later prompts use it as an example', async () => {
    ollama.setDefault(pipelineReply('order', DISCOUNTED));
    const first = await askLlm('What share of orders had a discount?');
    expect(first.status).toBe('succeeded');

    const res = await request(stack.app)
      .post(`/api/jobs/${first.job_id}/feedback`)
      .send({ correct: true, comment: 'matches our books' })
      .expect(200);
    expect(res.body).toMatchObject({
      job_id: first.job_id,
      indexed: true,
      feedback: { correct: true, comment: 'matches our books' },
    });

    const job = await request(stack.app).get(`/api/jobs/${first.job_id}`).expect(200);
    expect(job.body.feedback).toMatchObject({ correct: true });
    const ingest = await stack.core.queues.ingest.getJob(`feedback-${first.job_id}`);
    expect(ingest?.data).toEqual({
      kind: 'index-answer',
      shop_id: 2,
      job_id: first.job_id,
      source: 'feedback',
    });

    // A similar question: the confirmed pair is among the retrieved examples, with this shop's id.
    ollama.reset();
    ollama.setDefault(pipelineReply('order', DISCOUNTED));
    await askLlm('How many orders had a discount?');
    const user = (ollama.requests[0]!.body.messages as { content: string }[])[1]!.content;
    expect(user).toContain('"What share of orders had a discount?"');
    expect(user).toContain('{"$match":{"shop_id":2,"discount":{"$gt":0}}}');
  });

  it('a rejected answer is stored but never becomes an example', async () => {
    ollama.setDefault(
      pipelineReply('order', [{ $match: { status: 'paid' } }, { $count: 'orders' }]),
    );
    const first = await askLlm('List customers whose email is missing');
    const res = await request(stack.app)
      .post(`/api/jobs/${first.job_id}/feedback`)
      .send({ correct: false })
      .expect(200);
    expect(res.body.indexed).toBe(false);
    expect(await stack.core.queues.ingest.getJob(`feedback-${first.job_id}`)).toBeUndefined();
    ollama.reset();
    ollama.setDefault(pipelineReply('order', DISCOUNTED));
    await askLlm('List customers whose email address is missing');
    const user = (ollama.requests[0]!.body.messages as { content: string }[])[1]!.content;
    expect(user).not.toContain('"List customers whose email is missing"');
  });

  it('answers 404 for an unknown job and 400 for a bad body or an unfinished job', async () => {
    await request(stack.app).post('/api/jobs/nope/feedback').send({ correct: true }).expect(404);
    ollama.setDefault(pipelineReply('order', DISCOUNTED));
    const done = await askLlm('Which products have never been ordered?');
    const bad = await request(stack.app)
      .post(`/api/jobs/${done.job_id}/feedback`)
      .send({ correct: 'yes' })
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    await request(stack.app)
      .post(`/api/jobs/${done.job_id}/feedback`)
      .send({ correct: true, extra: 1 })
      .expect(400);

    ollama.setDefault({ ...pipelineReply('order', DISCOUNTED), delayMs: 3_000 });
    const queued = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 2, question: 'Which products have never been ordered?', as_of: AS_OF })
      .expect(202);
    const early = await request(stack.app)
      .post(`/api/jobs/${queued.body.job_id}/feedback`)
      .send({ correct: true })
      .expect(400);
    expect(early.body.error.message).toMatch(/has not succeeded/);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await request(stack.app).get('/openapi.json').expect(200);
    expect(doc.body.paths['/api/jobs/{job_id}/feedback']?.post).toBeDefined();
  });
});

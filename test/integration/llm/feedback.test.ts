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
    expect(await ingestJobsFor(stack, first.job_id)).toEqual([
      { kind: 'index-answer', shop_id: 2, job_id: first.job_id, source: 'feedback' },
    ]);

    // A similar question: the confirmed pair is among the retrieved examples, with this shop's id.
    ollama.reset();
    ollama.setDefault(pipelineReply('order', DISCOUNTED));
    await askLlm('How many orders had a discount?');
    const user = (ollama.requests[0]!.body.messages as { content: string }[])[1]!.content;
    expect(user).toContain('"What share of orders had a discount?"');
    expect(user).toContain('{"$match":{"shop_id":2,"discount":{"$gt":0}}}');
  });

  it('a rejected answer is stored, withdrawn, and never becomes an example', async () => {
    ollama.setDefault(
      pipelineReply('order', [{ $match: { status: 'paid' } }, { $count: 'orders' }]),
    );
    const first = await askLlm('List customers whose email is missing');
    const res = await request(stack.app)
      .post(`/api/jobs/${first.job_id}/feedback`)
      .send({ correct: false })
      .expect(200);
    expect(res.body).toMatchObject({ indexed: false, withdrawn: true });
    expect(await ingestJobsFor(stack, first.job_id)).toEqual([
      { kind: 'forget-answer', shop_id: 2, job_id: first.job_id },
    ]);
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

describe('POST /api/jobs/:id/feedback with the answer cache', () => {
  let stack: TestStack;
  let ollama: FakeOllama;

  beforeAll(async () => {
    ollama = await startFakeOllama();
    stack = await startTestStack({
      workers: ['llm'],
      productionListeners: true,
      overrides: { OLLAMA_HOST: ollama.url },
    });
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
  });
  afterAll(async () => {
    await stack?.stop();
    await ollama?.close();
  });

  const ask = async () =>
    (
      await request(stack.app)
        .post('/api/ask')
        .send({
          shop_id: 2,
          question: 'How many orders were discounted?',
          as_of: AS_OF,
          wait_ms: 8000,
        })
        .expect(200)
    ).body as { job_id: string; cache_hit: boolean; status: string };

  it('an answer marked wrong is not served from the cache again; a confirmed one still is', async () => {
    ollama.setDefault(pipelineReply('order', DISCOUNTED));
    const first = await ask();
    expect(first).toMatchObject({ status: 'succeeded', cache_hit: false });
    const hit = await ask();
    expect(hit.cache_hit).toBe(true);

    // Confirming leaves the cache alone.
    await request(stack.app)
      .post(`/api/jobs/${hit.job_id}/feedback`)
      .send({ correct: true })
      .expect(200);
    expect((await ask()).cache_hit).toBe(true);

    // Marked wrong on the cache hit: the entry it was served from goes.
    const calls = ollama.requests.length;
    const res = await request(stack.app)
      .post(`/api/jobs/${hit.job_id}/feedback`)
      .send({ correct: false, comment: 'counts cancelled orders' })
      .expect(200);
    expect(res.body.withdrawn).toBe(true);
    const again = await ask();
    expect(again).toMatchObject({ status: 'succeeded', cache_hit: false });
    expect(ollama.requests.length).toBeGreaterThan(calls);
  });
});

/** The ingest jobs queued for one question job, oldest first. */
async function ingestJobsFor(stack: TestStack, jobId: string): Promise<unknown[]> {
  const jobs = await stack.core.queues.ingest.getJobs([
    'waiting',
    'prioritized',
    'delayed',
    'active',
    'completed',
    'failed',
  ]);
  return jobs
    .filter((j) => (j.data as { job_id?: string }).job_id === jobId)
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((j) => j.data as unknown);
}

import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { suggestQuestions } from '../../src/shared/analytics/index.js';
import { importShop } from '../../src/shared/data/import/import-shop.js';
import { createEmbedder, type Embedder } from '../../src/shared/rag/embedder.js';
import {
  pipelineReply,
  refusedUrl,
  startFakeOllama,
  type FakeOllama,
} from '../support/fake-ollama.server.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../fixtures/northwind');
const AS_OF = '1998-05-06T18:00:00.000Z';
/** Orders of April 1998 (Northwind): 74. */
const APRIL_COUNT = [
  {
    $match: {
      created_at: {
        $gte: { $date: '1998-04-01T00:00:00Z' },
        $lt: { $date: '1998-05-01T00:00:00Z' },
      },
    },
  },
  { $count: 'orders' },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, asserted field by field
type Body = Record<string, any>;

async function ask(stack: TestStack, question: string): Promise<Body> {
  const res = await request(stack.app)
    .post('/api/ask')
    .send({ shop_id: 2, question, as_of: AS_OF })
    .expect(202);
  expect(res.body.tier).toBe('llm');
  return finish(stack, res.body.job_id as string);
}

async function finish(stack: TestStack, jobId: string, timeoutMs = 20_000): Promise<Body> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await request(stack.app).get(`/api/jobs/${jobId}`).expect(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body as Body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${jobId} did not finish`);
}

async function stackFor(
  ollamaHost: string | undefined,
  extra: Record<string, string> = {},
  embedder: Embedder | null = null,
): Promise<TestStack> {
  const stack = await startTestStack({
    workers: ['llm'],
    overrides: {
      ...(ollamaHost ? { OLLAMA_HOST: ollamaHost } : {}),
      OLLAMA_MODEL: 'fake-model:7b',
      ...extra,
    },
    llm: { embedder },
  });
  await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
  return stack;
}

const steps = (job: Body, attempt = 0): Body[] => (job.attempts[attempt]?.steps ?? []) as Body[];

describe('Tier 2 with OLLAMA_HOST unset', () => {
  let stack: TestStack;
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await createEmbedder({ provider: 'use-lite' });
    stack = await stackFor(undefined, {}, embedder);
  });
  afterAll(async () => stack?.stop());

  it('fails fast with LLM_UNAVAILABLE and the closest questions Tier 1 can answer', async () => {
    const job = await ask(stack, 'Which country brings the most revenue per customer?');
    expect(job.status).toBe('failed');
    expect(job.tier).toBe('llm');
    expect(job.error.code).toBe('LLM_UNAVAILABLE');
    expect(job.error.message).toMatch(/not configured/);
    // Not retried: one attempt, no model round.
    expect(job.attempts).toHaveLength(1);
    expect(job.attempts[0].steps).toBeUndefined();
    const suggestions = job.error.suggestions as string[];
    expect(suggestions).toHaveLength(5);
    for (const s of suggestions) expect(suggestQuestions()).toContain(s);
    // Embedding similarity puts a country or revenue question first.
    expect(suggestions[0]).toMatch(/country|revenue/i);
  });

  it('answers within a wait_ms request, because nothing is waited for', async () => {
    const started = Date.now();
    const res = await request(stack.app)
      .post('/api/ask')
      .send({
        shop_id: 2,
        question: 'Which products have never been ordered?',
        as_of: AS_OF,
        wait_ms: 5000,
      })
      .expect(200);
    expect(res.body.error.code).toBe('LLM_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('Tier 2 with a scripted Ollama server', () => {
  let stack: TestStack;
  let ollama: FakeOllama;
  beforeAll(async () => {
    ollama = await startFakeOllama();
    stack = await stackFor(ollama.url, { OLLAMA_TIMEOUT_MS: '400' });
  });
  beforeEach(() => ollama.reset());
  afterAll(async () => {
    await stack?.stop();
    await ollama?.close();
  });

  it('answers with the guarded pipeline, a scalar, and an honest explanation', async () => {
    ollama.script(pipelineReply('order', APRIL_COUNT));
    const job = await ask(stack, 'How many orders had more than 3 lines in April 1998?');
    expect(job.status).toBe('succeeded');
    expect(job.tier).toBe('llm');
    expect(job.data).toEqual({ kind: 'scalar', value: 74, unit: 'orders', label: 'orders' });
    expect(job.answer).toBe('Here is what the generated query returned: orders = 74.');
    expect(job.explanation).toMatch(
      /written by the language model \(fake-model:7b\).*checked by the pipeline guard/,
    );
    // The query shown is the guarded one: shop first, row cap last.
    expect(job.query.collection).toBe('order');
    expect(job.query.pipeline[0]).toEqual({
      $match: {
        shop_id: 2,
        created_at: { $gte: '1998-04-01T00:00:00.000Z', $lt: '1998-05-01T00:00:00.000Z' },
      },
    });
    expect(job.query.pipeline.at(-1)).toEqual({ $limit: 1000 });
    expect(steps(job)).toMatchObject([{ round: 1, verdict: 'answered', rows: 1 }]);

    // The prompt: schema, metric definitions, the shop's samples, the reference date, examples, the question.
    const [system, user] = ollama.requests[0]!.body.messages as { role: string; content: string }[];
    expect(system!.content).toMatch(/grand_total/);
    expect(system!.content).toMatch(/revenue \(sales, turnover\): sum of grand_total/);
    expect(user!.content).toMatch(/Reference instant: 1998-05-06T18:00:00.000Z/);
    expect(user!.content).toMatch(/Sample documents of this shop/);
    expect(user!.content).toMatch(/Verified examples/);
    expect(user!.content).toMatch(/"How many orders had more than 3 lines in April 1998\?"/);
    expect(ollama.requests[0]!.body.format).toMatchObject({ type: 'object' });
  });

  it('returns a table when the result has rows and columns', async () => {
    ollama.script(
      pipelineReply('order', [
        { $group: { _id: '$channel', orders: { $sum: 1 } } },
        { $sort: { orders: -1 } },
        { $project: { _id: 0, channel: '$_id', orders: 1 } },
      ]),
    );
    const job = await ask(stack, 'Which products have never been ordered?');
    expect(job.status).toBe('succeeded');
    expect(job.data.kind).toBe('table');
    expect(job.data.columns).toEqual(expect.arrayContaining(['channel', 'orders']));
    expect(job.data.rows.length).toBeGreaterThan(0);
    expect(job.answer).toMatch(/^Here is what the generated query returned: \d+ rows? \(/);
  });

  it('feeds malformed JSON back to the model and uses the corrected answer', async () => {
    ollama.script(
      { content: '{"collection": "order", "pipeline": [ {"$count": ' },
      pipelineReply('order', APRIL_COUNT),
    );
    const job = await ask(stack, 'How many orders had more than 3 lines in April 1998?');
    expect(job.status).toBe('succeeded');
    expect(job.data.value).toBe(74);
    expect(steps(job).map((s) => s.verdict)).toEqual(['malformed', 'answered']);
    expect(steps(job)[0]!.raw).toContain('"$count"');
    const retry = ollama.requests[1]!.body.messages as { role: string; content: string }[];
    expect(retry.at(-2)).toMatchObject({ role: 'assistant' });
    expect(retry.at(-1)!.content).toMatch(/could not be read as the required JSON object/);
  });

  it('rejects dangerous pipelines, tells the model why, and records every attempt', async () => {
    ollama.script(
      pipelineReply('order', [{ $match: {} }, { $out: 'stolen' }]),
      pipelineReply('order', [{ $match: { $where: 'sleep(10000) || true' } }]),
      pipelineReply('order', APRIL_COUNT),
    );
    const job = await ask(stack, 'How many orders had more than 3 lines in April 1998?');
    expect(job.status).toBe('succeeded');
    expect(job.data.value).toBe(74);
    const s = steps(job);
    expect(s.map((x) => x.verdict)).toEqual(['rejected', 'rejected', 'answered']);
    expect(s[0]!.error).toMatchObject({
      code: 'PIPELINE_REJECTED',
      reason: expect.stringMatching(/\$out/),
    });
    expect(s[1]!.error.reason).toMatch(/\$where/);
    expect(s[0]!.proposed.pipeline).toEqual([{ $match: {} }, { $out: 'stolen' }]);
    const second = ollama.requests[1]!.body.messages as { content: string }[];
    expect(second.at(-1)!.content).toMatch(/pipeline guard rejected your pipeline/);
  });

  it('never runs a pipeline that reads another shop, and fails after the retries', async () => {
    ollama.setDefault(pipelineReply('order', [{ $match: { shop_id: 3 } }, { $count: 'orders' }]));
    const job = await ask(stack, 'How many orders had more than 3 lines in April 1998?');
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('PIPELINE_REJECTED');
    expect(job.error.message).toMatch(/another shop/);
    expect(steps(job)).toHaveLength(3);
    expect(steps(job).every((x) => x.verdict === 'rejected')).toBe(true);
    expect(job.attempts).toHaveLength(1);
    expect(ollama.requests).toHaveLength(3);
  });

  it('retries a failing run with the error, and an empty result too', async () => {
    ollama.script(
      pipelineReply('order', [{ $project: { x: { $divide: ['$grand_total', 'abc'] } } }]),
      pipelineReply('order', [{ $match: { status: 'lost' } }, { $project: { _id: 0, id: 1 } }]),
      pipelineReply('order', APRIL_COUNT),
    );
    const job = await ask(stack, 'How many orders had more than 3 lines in April 1998?');
    expect(job.status).toBe('succeeded');
    expect(steps(job).map((s) => s.verdict)).toEqual(['run_error', 'empty', 'answered']);
  });

  it('times out a slow model, retries the job once, and fails with the timeout', async () => {
    ollama.setDefault({ ...pipelineReply('order', APRIL_COUNT), delayMs: 3_000 });
    const job = await ask(stack, 'How many orders had more than 3 lines in April 1998?');
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('LLM_FAILED');
    expect(job.error.message).toMatch(/did not answer within 400 ms/);
    expect(job.error.suggestions.length).toBeGreaterThan(0);
    expect(job.attempts.map((a: Body) => a.outcome)).toEqual(['retrying', 'failed']);
    expect(steps(job, 0)).toMatchObject([{ verdict: 'llm_error', error: { code: 'LLM_FAILED' } }]);
  });
});

describe.each([
  ['500s', 'status'],
  ['a refused connection', 'refused'],
])('Tier 2 circuit breaker with %s', (_label, mode) => {
  let stack: TestStack;
  let ollama: FakeOllama;
  beforeAll(async () => {
    ollama = await startFakeOllama();
    ollama.setDefault({ status: 500, error: 'model runner crashed' });
    stack = await stackFor(mode === 'status' ? ollama.url : await refusedUrl());
  });
  afterAll(async () => {
    await stack?.stop();
    await ollama?.close();
  });

  it('opens after 5 consecutive failures, then jobs fail fast with LLM_UNAVAILABLE', async () => {
    const q = 'How many orders had more than 3 lines in April 1998?';
    // Two jobs of two attempts each: four failed calls, retryable errors.
    for (let i = 0; i < 2; i++) {
      const job = await ask(stack, q);
      expect(job.status).toBe('failed');
      expect(job.error.code).toBe(mode === 'status' ? 'LLM_FAILED' : 'LLM_UNAVAILABLE');
      expect(job.attempts.map((a: Body) => a.outcome)).toEqual(['retrying', 'failed']);
    }
    // The fifth failed call opens the circuit: this job stops without its retry.
    const fifth = await ask(stack, q);
    expect(fifth.error.code).toBe('LLM_UNAVAILABLE');
    expect(fifth.error.message).toMatch(/circuit open/);
    expect(fifth.attempts).toHaveLength(1);
    // From now on no call is made at all.
    const started = Date.now();
    const fast = await ask(stack, q);
    expect(fast.error.code).toBe('LLM_UNAVAILABLE');
    expect(fast.error.suggestions.length).toBeGreaterThan(0);
    expect(fast.attempts).toHaveLength(1);
    expect(fast.attempts[0].steps).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    if (mode === 'status') expect(ollama.requests).toHaveLength(5);
  });
});

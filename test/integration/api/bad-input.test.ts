import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allQueues } from '../../../src/shared/queues/queues.js';
import { startTestStack, type TestStack } from '../../support/test-stack.js';

/** Every bad input: a 4xx with a stable code, and nothing queued. */
describe('POST /api/ask rejects bad input without queueing anything', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ workers: [] });
    await stack.core.shops.upsert({ shop_id: 7, name: 'Test shop' });
  });
  afterAll(async () => stack?.stop());

  async function queuedJobs(): Promise<number> {
    const counts = await Promise.all(allQueues(stack.core.queues).map((q) => q.count()));
    return counts.reduce((a, b) => a + b, 0);
  }

  const cases: [string, unknown, number, string][] = [
    ['unknown shop', { shop_id: 999, question: 'orders last month' }, 404, 'SHOP_NOT_FOUND'],
    ['missing question', { shop_id: 7 }, 400, 'QUESTION_EMPTY'],
    ['empty question', { shop_id: 7, question: '' }, 400, 'QUESTION_EMPTY'],
    ['blank question', { shop_id: 7, question: '   \n ' }, 400, 'QUESTION_EMPTY'],
    [
      'question over 500 chars',
      { shop_id: 7, question: 'x'.repeat(501) },
      400,
      'QUESTION_TOO_LONG',
    ],
    ['question of wrong type', { shop_id: 7, question: 42 }, 400, 'VALIDATION_FAILED'],
    ['bad as_of', { shop_id: 7, question: 'orders', as_of: 'last tuesday' }, 400, 'BAD_DATE'],
    ['impossible as_of', { shop_id: 7, question: 'orders', as_of: '2026-02-30' }, 400, 'BAD_DATE'],
    [
      'bad timezone',
      { shop_id: 7, question: 'orders', timezone: 'Mars/Olympus' },
      400,
      'BAD_TIMEZONE',
    ],
    ['shop id as string', { shop_id: '7', question: 'orders' }, 400, 'VALIDATION_FAILED'],
    ['negative shop id', { shop_id: -1, question: 'orders' }, 400, 'VALIDATION_FAILED'],
    ['missing shop id', { question: 'orders' }, 400, 'VALIDATION_FAILED'],
    [
      'wait_ms too long',
      { shop_id: 7, question: 'orders', wait_ms: 10_001 },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'unknown field',
      { shop_id: 7, question: 'orders', sql: 'drop table' },
      400,
      'VALIDATION_FAILED',
    ],
    ['body not an object', [1, 2, 3], 400, 'VALIDATION_FAILED'],
    [
      'webhook not a URL',
      { shop_id: 7, question: 'orders', webhook_url: 'javascript:alert(1)' },
      400,
      'WEBHOOK_URL_NOT_ALLOWED',
    ],
  ];

  it.each(cases)('%s', async (_name, body, status, code) => {
    const before = await queuedJobs();
    const res = await request(stack.app)
      .post('/api/ask')
      .send(body as object)
      .expect(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    expect(await queuedJobs()).toBe(before);
  });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await request(stack.app)
      .post('/api/ask')
      .set('content-type', 'application/json')
      .send('{"shop_id": 7, "question": ')
      .expect(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('JSON sent as a form, as text or with no type (curl -d) is read as JSON', async () => {
    const body = JSON.stringify({ shop_id: 7, question: 'How many orders last month?' });
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', null]) {
      const req = request(stack.app).post('/api/ask');
      const res = type
        ? await req.set('content-type', type).send(body)
        : await req.send(Buffer.from(body));
      expect(res.status, String(type)).toBe(202);
    }
  });

  it('a form or other body that is not JSON → 415 UNSUPPORTED_MEDIA_TYPE, nothing queued', async () => {
    const before = await queuedJobs();
    const form = await request(stack.app)
      .post('/api/ask')
      .type('form')
      .send('shop_id=7&question=orders')
      .expect(415);
    expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const xml = await request(stack.app)
      .post('/api/ask')
      .set('content-type', 'application/xml')
      .send('<ask shop_id="7">orders</ask>')
      .expect(415);
    expect(xml.body.error.message).toContain('application/json');
    // From a browser on another site, only a JSON content type is read (it needs a preflight).
    await request(stack.app)
      .post('/api/ask')
      .set('origin', 'https://elsewhere.example')
      .set('content-type', 'text/plain')
      .send(JSON.stringify({ shop_id: 7, question: 'orders' }))
      .expect(415);
    expect(await queuedJobs()).toBe(before);
  });

  it('a known path with another method → 405 METHOD_NOT_ALLOWED with Allow', async () => {
    const res = await request(stack.app).get('/api/ask').expect(405);
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('POST');
    const job = await request(stack.app).delete('/api/jobs/some-id').expect(405);
    expect(job.headers.allow).toContain('GET');
  });

  it('body over 16 KB → 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 7, question: 'orders', pad: 'x'.repeat(17 * 1024) })
      .expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('unknown job id → 404 JOB_NOT_FOUND, also for ids that are not ids', async () => {
    for (const id of ['0d5f6b1e-0000-4000-8000-000000000000', '..%2F..%2Fetc', 'x'.repeat(200)]) {
      const res = await request(stack.app).get(`/api/jobs/${id}`).expect(404);
      expect(res.body.error.code).toBe('JOB_NOT_FOUND');
    }
  });

  it('unknown endpoint → 404 with the error shape', async () => {
    const res = await request(stack.app).get('/api/nope').expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('serves the OpenAPI document generated from the request schemas, and the docs UI', async () => {
    const doc = await request(stack.app).get('/openapi.json').expect(200);
    expect(doc.body.paths['/api/ask'].post.requestBody).toBeDefined();
    expect(JSON.stringify(doc.body.components.schemas.AskRequest)).toContain('wait_ms');
    const ui = await request(stack.app).get('/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('compresses large responses for clients that accept it, and leaves small ones as they are', async () => {
    const doc = await request(stack.app)
      .get('/openapi.json')
      .set('accept-encoding', 'gzip')
      .expect(200);
    expect(doc.headers['content-encoding']).toBe('gzip');
    const small = await request(stack.app)
      .get('/health')
      .set('accept-encoding', 'gzip')
      .expect(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.status).toBeDefined();
  });

  it('reports readiness per dependency', async () => {
    const res = await request(stack.app).get('/health/ready').expect(200);
    expect(res.body.dependencies.redis.status).toBe('up');
    expect(res.body.dependencies.data_store.status).toBe('up');
    expect(res.body.dependencies.llm.status).toBe('not_configured');
  });
});

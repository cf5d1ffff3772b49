import { readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/test-stack.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../../fixtures/northwind');
const AS_OF = '1998-05-06T18:00:00.000Z';
const ADMIN = 'admin-key-for-cache-tests-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };

/** The fixture as one NDJSON body for POST /api/shops/:id/import, optionally without some orders. */
async function northwindNdjson(
  dropOrder?: (o: { created_at: string }) => boolean,
): Promise<string> {
  const lines: string[] = [];
  for (const collection of ['order', 'product', 'customer']) {
    const text = await readFile(path.join(NORTHWIND, `${collection}.ndjson`), 'utf8');
    for (const line of text.split('\n').filter((l) => l.trim())) {
      const doc = JSON.parse(line) as { created_at: string };
      if (collection === 'order' && dropOrder?.(doc)) continue;
      lines.push(JSON.stringify({ collection, ...doc }));
    }
  }
  return lines.join('\n');
}

describe('answer cache: a repeated question is a hit until an import changes the data', () => {
  let stack: TestStack;
  let key: string;
  const auth = () => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    stack = await startTestStack({
      overrides: { ADMIN_API_KEY: ADMIN },
      productionListeners: true,
    });
    await request(stack.app)
      .post('/api/shops')
      .set(admin)
      .send({ shop_id: 2, name: 'Northwind' })
      .expect(201)
      .then((r) => {
        key = r.body.api_key as string;
      });
    const imported = await request(stack.app)
      .post('/api/shops/2/import')
      .set(admin)
      .set('content-type', 'application/x-ndjson')
      .send(await northwindNdjson())
      .expect(200);
    expect(imported.body.counts.customer).toBe(91);
  });
  afterAll(async () => stack?.stop());

  const ask = (question: string, extra: Record<string, unknown> = {}) =>
    request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({ question, as_of: AS_OF, wait_ms: 5000, ...extra });

  it('answers a repeat from the cache, with a job record GET can read', async () => {
    const first = await ask('What was our revenue in March 1998?').expect(200);
    expect(first.body.cache_hit).toBe(false);
    expect(first.body.data.value).toBeCloseTo(110233.17, 1);
    // Normalised: case, spacing and the question mark do not matter; neither does as_of for a closed period.
    const again = await ask('what was our  revenue in March 1998', {
      as_of: '1998-06-20T10:00:00Z',
    }).expect(200);
    expect(again.body).toMatchObject({ status: 'succeeded', cache_hit: true, tier: 'kpi' });
    expect(again.body.job_id).not.toBe(first.body.job_id);
    expect(again.body.data).toEqual(first.body.data);
    expect(again.body.answer).toBe(first.body.answer);
    expect(again.body.attempts).toEqual([]);
    const polled = await request(stack.app)
      .get(`/api/jobs/${again.body.job_id}`)
      .set(auth())
      .expect(200);
    expect(polled.body.cache_hit).toBe(true);
    // A hit is never queued.
    expect(await stack.core.queues.kpi.getJob(again.body.job_id as string)).toBeUndefined();
  });

  it('keys relative questions on their as_of bucket and time zone', async () => {
    const first = await ask('How many orders did we get last month?').expect(200);
    expect(first.body.cache_hit).toBe(false);
    expect((await ask('How many orders did we get last month?').expect(200)).body.cache_hit).toBe(
      true,
    );
    // In June, "last month" is May: a different answer, not a stale one.
    const june = await ask('How many orders did we get last month?', {
      as_of: '1998-06-10T10:00:00Z',
    }).expect(200);
    expect(june.body.cache_hit).toBe(false);
    const tz = await ask('How many orders did we get last month?', {
      timezone: 'Asia/Tokyo',
    }).expect(200);
    expect(tz.body.cache_hit).toBe(false);
  });

  it('an import retires every cached answer of the shop (new data version)', async () => {
    expect((await ask('What was our revenue in March 1998?').expect(200)).body.cache_hit).toBe(
      true,
    );
    await request(stack.app)
      .post('/api/shops/2/import')
      .set(admin)
      .set('content-type', 'application/x-ndjson')
      .send(await northwindNdjson((o) => o.created_at.startsWith('1998-03-1')))
      .expect(200);
    const fresh = await ask('What was our revenue in March 1998?').expect(200);
    expect(fresh.body.cache_hit).toBe(false);
    expect(fresh.body.data.value).toBeLessThan(110233);
    expect((await ask('What was our revenue in March 1998?').expect(200)).body.cache_hit).toBe(
      true,
    );
  });

  it("one shop's cached answers never answer another shop", async () => {
    const other = await request(stack.app)
      .post('/api/shops')
      .set(admin)
      .send({ name: 'Empty shop' })
      .expect(201);
    const res = await request(stack.app)
      .post('/api/ask')
      .set('authorization', `Bearer ${other.body.api_key}`)
      .send({ question: 'What was our revenue in March 1998?', as_of: AS_OF, wait_ms: 5000 })
      .expect(200);
    expect(res.body.cache_hit).toBe(false);
    expect(res.body.shop_id).toBe(other.body.shop.shop_id);
  });
});

describe('Idempotency-Key and in-flight sharing', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // No workers: jobs stay queued, so "in flight" lasts as long as the test needs.
    stack = await startTestStack({ workers: [] });
    await stack.core.shops.upsert({ shop_id: 4, name: 'Shop 4' });
  });
  afterAll(async () => stack?.stop());

  const post = (body: Record<string, unknown>, idempotencyKey?: string) => {
    const req = request(stack.app).post('/api/ask');
    if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
    return req.send({ shop_id: 4, ...body });
  };

  it('same key and body → the first job; same key, other body → 409', async () => {
    const first = await post(
      { question: 'How many orders last week?', as_of: AS_OF },
      'key-1',
    ).expect(202);
    const retry = await post(
      { as_of: AS_OF, question: 'How many orders last week?' },
      'key-1',
    ).expect(202);
    expect(retry.body.job_id).toBe(first.body.job_id);
    const reused = await post(
      { question: 'How many orders last month?', as_of: AS_OF },
      'key-1',
    ).expect(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stack.core.queues.kpi.count()).toBe(1);
  });

  it('concurrent retries with one key create one job', async () => {
    const body = { question: 'How many orders yesterday?', as_of: AS_OF, priority: 'batch' };
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => post(body, 'key-concurrent')));
    const ids = new Set(results.map((r) => r.body.job_id as string));
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect(ids.size).toBe(1);
  });

  it('identical questions in flight share one job; different ones do not', async () => {
    const a = await post({ question: 'Revenue by country in April 1998', as_of: AS_OF }).expect(
      202,
    );
    const b = await post({ question: 'revenue by country in april 1998?', as_of: AS_OF }).expect(
      202,
    );
    expect(b.body.job_id).toBe(a.body.job_id);
    const c = await post({ question: 'Revenue by channel in April 1998', as_of: AS_OF }).expect(
      202,
    );
    expect(c.body.job_id).not.toBe(a.body.job_id);
  });

  it('a failed request frees its Idempotency-Key for the retry', async () => {
    await post({ question: 'orders last week', webhook_url: 'https://10.0.0.1/x' }, 'key-2').expect(
      400,
    );
    await post({ question: 'orders last week', as_of: '1998-01-01T00:00:00Z' }, 'key-2').expect(
      202,
    );
  });
});

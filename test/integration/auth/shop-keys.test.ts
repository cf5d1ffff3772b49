import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importShop } from '../../../src/shared/data/import/import-shop.js';
import { startTestStack, type TestStack } from '../../support/test-stack.js';
import { keysMatching } from '../../support/test-services.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../../fixtures/northwind');
const ADMIN = 'admin-key-for-auth-tests-0123456789';
const AS_OF = '1998-05-06T18:00:00.000Z';
const admin = { authorization: `Bearer ${ADMIN}` };

describe('shop keys with ADMIN_API_KEY set (closed deployment)', () => {
  let stack: TestStack;
  let keyA: string; // shop 2 (Northwind)
  let keyB: string; // a second shop
  let shopB: number;

  beforeAll(async () => {
    stack = await startTestStack({ overrides: { ADMIN_API_KEY: ADMIN } });
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind' });
    keyA = (await request(stack.app).post('/api/shops/2/keys').set(admin).send({}).expect(201)).body
      .api_key;
    const created = await request(stack.app)
      .post('/api/shops')
      .set(admin)
      .send({ name: 'Shop B', timezone: 'Europe/Berlin' })
      .expect(201);
    keyB = created.body.api_key;
    shopB = created.body.shop.shop_id;
    expect(created.body.webhook_secret).toMatch(/^whsec_/);
    expect(created.body.key).not.toHaveProperty('hash');
  });
  afterAll(async () => stack?.stop());

  it('stores keys hashed: the key itself is nowhere in Redis', async () => {
    const keys = await keysMatching(
      stack.core.redis,
      `${stack.core.config.REDIS_PREFIX}:api-key:*`,
    );
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const k of keys) {
      const value = (await stack.core.redis.get(k))!;
      expect(value).not.toContain(keyA.split('_').at(-1));
      expect(value).not.toContain(keyB.split('_').at(-1));
      expect(JSON.parse(value).hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('asks with a key: the shop comes from the key', async () => {
    const res = await request(stack.app)
      .post('/api/ask')
      .set('authorization', `Bearer ${keyA}`)
      .send({ question: 'How many orders did we get last month?', as_of: AS_OF, wait_ms: 5000 })
      .expect(200);
    expect(res.body).toMatchObject({ shop_id: 2, status: 'succeeded' });
  });

  it('401 without a key, with a wrong key, or a malformed header; 403 for a disagreeing shop_id', async () => {
    const body = { shop_id: 2, question: 'How many orders last month?' };
    const none = await request(stack.app).post('/api/ask').send(body).expect(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    await request(stack.app)
      .post('/api/ask')
      .set('authorization', `Bearer ${keyA.slice(0, -2)}xx`)
      .send(body)
      .expect(401);
    await request(stack.app)
      .post('/api/ask')
      .set('authorization', 'Bearer not-a-key')
      .send(body)
      .expect(401);
    await request(stack.app).post('/api/ask').set('authorization', keyA).send(body).expect(401);
    const wrongShop = await request(stack.app)
      .post('/api/ask')
      .set('authorization', `Bearer ${keyB}`)
      .send(body)
      .expect(403);
    expect(wrongShop.body.error.code).toBe('FORBIDDEN');
    await request(stack.app).get('/api/jobs/x').expect(401);
  });

  it("another shop's job answers 404 exactly like a missing one", async () => {
    const asked = await request(stack.app)
      .post('/api/ask')
      .set('authorization', `Bearer ${keyA}`)
      .send({ question: 'What was our revenue in March 1998?', as_of: AS_OF, wait_ms: 5000 })
      .expect(200);
    const jobId = asked.body.job_id as string;
    await request(stack.app)
      .get(`/api/jobs/${jobId}`)
      .set('authorization', `Bearer ${keyA}`)
      .expect(200);
    await request(stack.app).get(`/api/jobs/${jobId}`).set(admin).expect(200);
    const foreign = await request(stack.app)
      .get(`/api/jobs/${jobId}`)
      .set('authorization', `Bearer ${keyB}`)
      .expect(404);
    const missing = await request(stack.app)
      .get(`/api/jobs/${jobId.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`)
      .set('authorization', `Bearer ${keyB}`)
      .expect(404);
    expect(foreign.body).toEqual({ error: { ...missing.body.error, message: expect.any(String) } });
    expect(foreign.body.error.message.replace(jobId, 'ID')).toBe(
      missing.body.error.message.replace(/no job \S+/, 'no job ID'),
    );
    expect(Object.keys(foreign.headers).sort()).toEqual(Object.keys(missing.headers).sort());
    // Nor can it follow up on it, nor learn it through shop B's other endpoints.
    const followUp = await request(stack.app)
      .post('/api/ask')
      .set('authorization', `Bearer ${keyB}`)
      .send({ question: 'and the month before?', context: { follow_up_of: jobId } })
      .expect(404);
    expect(followUp.body.error.code).toBe('JOB_NOT_FOUND');
    const deliveries = await request(stack.app)
      .get(`/api/webhooks/deliveries?job_id=${jobId}`)
      .set('authorization', `Bearer ${keyB}`)
      .expect(200);
    expect(deliveries.body.deliveries).toEqual([]);
  });

  it('a shop key cannot read or manage another shop, or anything admin-only', async () => {
    const b = { authorization: `Bearer ${keyB}` };
    await request(stack.app).get('/api/shops/2').set(b).expect(403);
    await request(stack.app).get('/api/shops/999').set(b).expect(403); // same answer whether it exists or not
    await request(stack.app).get('/api/shops/2/keys').set(b).expect(403);
    await request(stack.app).post('/api/shops/2/keys/rotate').set(b).send({}).expect(403);
    await request(stack.app).get('/api/shops').set(b).expect(403);
    await request(stack.app).post('/api/shops').set(b).send({ name: 'x' }).expect(403);
    await request(stack.app)
      .post(`/api/shops/${shopB}/import`)
      .set(b)
      .set('content-type', 'application/x-ndjson')
      .send('{}')
      .expect(403);
    await request(stack.app).get('/api/webhooks?shop_id=2').set(b).expect(403);
    const own = await request(stack.app).get(`/api/shops/${shopB}`).set(b).expect(200);
    expect(own.body).toMatchObject({ shop_id: shopB, timezone: 'Europe/Berlin' });
  });

  it('protects Bull Board with the admin key (Bearer, or Basic for browsers)', async () => {
    const none = await request(stack.app).get('/admin/queues').expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    await request(stack.app)
      .get('/admin/queues')
      .set('authorization', `Bearer ${keyA}`)
      .expect(403);
    await request(stack.app).get('/admin/queues').set(admin).expect(200);
    const basic = Buffer.from(`admin:${ADMIN}`).toString('base64');
    await request(stack.app)
      .get('/admin/queues')
      .set('authorization', `Basic ${basic}`)
      .expect(200);
  });

  it('rotates with a grace period, and revokes', async () => {
    const created = await request(stack.app)
      .post(`/api/shops/${shopB}/keys`)
      .set(admin)
      .send({ label: 'ci' })
      .expect(201);
    const oldKey = created.body.api_key as string;
    const rotated = await request(stack.app)
      .post(`/api/shops/${shopB}/keys/rotate`)
      .set('authorization', `Bearer ${oldKey}`)
      .send({ grace_seconds: 60 })
      .expect(201);
    const newKey = rotated.body.api_key as string;
    // Both work during the grace period; the old one shows when it ends.
    await request(stack.app)
      .get(`/api/shops/${shopB}`)
      .set('authorization', `Bearer ${oldKey}`)
      .expect(200);
    await request(stack.app)
      .get(`/api/shops/${shopB}`)
      .set('authorization', `Bearer ${newKey}`)
      .expect(200);
    const listed = await request(stack.app).get(`/api/shops/${shopB}/keys`).set(admin).expect(200);
    const old = (listed.body.keys as { key_id: string; expires_at?: string }[]).find(
      (k) => k.key_id === created.body.key.key_id,
    );
    expect(old?.expires_at).toBeDefined();
    // Rotation without grace ends every other key at once.
    const hard = await request(stack.app)
      .post(`/api/shops/${shopB}/keys/rotate`)
      .set('authorization', `Bearer ${newKey}`)
      .send({ grace_seconds: 0 })
      .expect(201);
    await request(stack.app)
      .get(`/api/shops/${shopB}`)
      .set('authorization', `Bearer ${newKey}`)
      .expect(401);
    await request(stack.app)
      .get(`/api/shops/${shopB}`)
      .set('authorization', `Bearer ${oldKey}`)
      .expect(401);
    await request(stack.app)
      .get(`/api/shops/${shopB}`)
      .set('authorization', `Bearer ${keyB}`)
      .expect(401);
    const latest = hard.body.api_key as string;
    await request(stack.app)
      .delete(`/api/shops/${shopB}/keys/${hard.body.key.key_id}`)
      .set('authorization', `Bearer ${latest}`)
      .expect(204);
    await request(stack.app)
      .get(`/api/shops/${shopB}`)
      .set('authorization', `Bearer ${latest}`)
      .expect(401);
  });
});

describe('open mode (no ADMIN_API_KEY): anonymous until a shop has a key', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({});
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind' });
    await stack.core.shops.upsert({ shop_id: 3, name: 'Unkeyed shop' });
  });
  afterAll(async () => stack?.stop());

  it('serves anonymous callers while no shop has a key, Bull Board included', async () => {
    await request(stack.app)
      .post('/api/ask')
      .send({
        shop_id: 2,
        question: 'How many orders did we get last month?',
        as_of: AS_OF,
        wait_ms: 5000,
      })
      .expect(200);
    await request(stack.app).get('/admin/queues').expect(200);
  });

  it('once a shop has a key, its calls need it; other shops stay open; cross-shop admin closes', async () => {
    const earlier = await request(stack.app)
      .post('/api/ask')
      .send({
        shop_id: 2,
        question: 'What was our revenue in March 1998?',
        as_of: AS_OF,
        wait_ms: 5000,
      })
      .expect(200);
    const key = (await request(stack.app).post('/api/shops/2/keys').send({}).expect(201)).body
      .api_key as string;
    const locked = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 2, question: 'orders last month' })
      .expect(401);
    expect(locked.body.error.code).toBe('UNAUTHORIZED');
    await request(stack.app).get(`/api/jobs/${earlier.body.job_id}`).expect(404);
    await request(stack.app)
      .get(`/api/jobs/${earlier.body.job_id}`)
      .set('authorization', `Bearer ${key}`)
      .expect(200);
    await request(stack.app).post('/api/shops/2/keys').send({}).expect(401); // no taking over a keyed shop
    await request(stack.app)
      .post('/api/shops/2/import')
      .set('content-type', 'application/x-ndjson')
      .send('{}')
      .expect(401);
    await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 3, question: 'How many customers do we have?' })
      .expect(202);
    await request(stack.app).get('/admin/queues').expect(401);
    await request(stack.app).get('/api/shops').expect(403);
  });
});

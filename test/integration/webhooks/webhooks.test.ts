import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importShop } from '../../../src/shared/data/import/import-shop.js';
import { freePort } from '../../support/redis-server.js';
import { startTestStack, type TestStack } from '../../support/test-stack.js';
import { until, WebhookReceiver } from './webhook-receiver.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../../fixtures/northwind');
const ADMIN = 'admin-key-for-webhook-tests-0123456789';
const AS_OF = '1998-05-06T18:00:00.000Z';

describe('webhooks: Standard Webhooks signing, retries, replay, 410, delivery log', () => {
  let stack: TestStack;
  let key: string;
  const receivers: WebhookReceiver[] = [];
  const auth = () => ({ authorization: `Bearer ${key}` });

  async function receiver(
    respond?: ConstructorParameters<typeof WebhookReceiver>[0],
  ): Promise<WebhookReceiver> {
    const r = await new WebhookReceiver(respond).start();
    receivers.push(r);
    return r;
  }

  async function endpoint(url: string, events?: string[]): Promise<{ id: string; secret: string }> {
    const res = await request(stack.app)
      .post('/api/webhooks')
      .set(auth())
      .send({ url, ...(events ? { events } : {}) })
      .expect(201);
    return res.body as { id: string; secret: string };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  type Json = any;

  async function deliveriesOf(jobId: string): Promise<Record<string, Json>[]> {
    const res = await request(stack.app)
      .get(`/api/webhooks/deliveries?job_id=${jobId}`)
      .set(auth())
      .expect(200);
    return res.body.deliveries as Record<string, Json>[];
  }

  beforeAll(async () => {
    stack = await startTestStack({
      overrides: {
        ADMIN_API_KEY: ADMIN,
        WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8,::1',
        WEBHOOK_RETRY_BASE_MS: '50',
        WEBHOOK_RETRY_MAX_MS: '400',
        WEBHOOK_TIMEOUT_MS: '1000',
      },
      workers: ['kpi', 'webhooks'],
      productionListeners: true,
    });
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind' });
    const created = await request(stack.app)
      .post('/api/shops/2/keys')
      .set('authorization', `Bearer ${ADMIN}`)
      .send({})
      .expect(201);
    key = created.body.api_key as string;
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await stack?.stop();
  });

  it('signs endpoint deliveries so the standardwebhooks reference library verifies them', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url);
    expect(ep.secret).toMatch(/^whsec_/);
    const asked = await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({ question: 'How many orders did we get last month?', as_of: AS_OF, wait_ms: 5000 })
      .expect(200);
    const [hook] = await r.waitFor(1);
    const payload = new Webhook(ep.secret).verify(hook!.body, hook!.headers) as {
      type: string;
      data: { job_id: string; data: unknown };
    };
    expect(payload.type).toBe('question.succeeded');
    expect(payload.data.job_id).toBe(asked.body.job_id);
    expect(payload.data.data).toMatchObject({ kind: 'scalar', value: 74 });
    expect(hook!.headers['webhook-id']).toMatch(/^msg_/);
    // A tampered body or another secret does not verify.
    expect(() =>
      new Webhook(ep.secret).verify(hook!.body.replace('74', '75'), hook!.headers),
    ).toThrow();
    const other = await request(stack.app)
      .post('/api/webhooks')
      .set(auth())
      .send({ url: `${r.url}?x` })
      .expect(201);
    expect(() =>
      new Webhook(other.body.secret as string).verify(hook!.body, hook!.headers),
    ).toThrow();
    await request(stack.app).delete(`/api/webhooks/${other.body.id}`).set(auth()).expect(204);
    await request(stack.app).delete(`/api/webhooks/${ep.id}`).set(auth()).expect(204);
    // Secrets never travel in job payloads.
    const jobs = await stack.core.queues.webhooks.getJobs([
      'completed',
      'waiting',
      'delayed',
      'active',
      'failed',
    ]);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(Object.keys(job.data).sort()).toEqual(['delivery_id', 'shop_id']);
      expect(job.id).toMatch(/^webhook-dlv_/);
    }
  });

  it('signs per-question webhook_url deliveries with the shop question secret, failures too', async () => {
    const r = await receiver();
    const secret = (
      await request(stack.app).get('/api/webhooks/question-secret').set(auth()).expect(200)
    ).body.secret as string;
    await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({
        question: 'How many orders did we get in April 1998?',
        as_of: AS_OF,
        webhook_url: r.url,
        wait_ms: 5000,
      })
      .expect(200);
    const [hook] = await r.waitFor(1);
    expect((new Webhook(secret).verify(hook!.body, hook!.headers) as { type: string }).type).toBe(
      'question.succeeded',
    );
  });

  it('retries while the receiver is down and delivers once it is back', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hook`;
    const ep = await endpoint(url);
    const asked = await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({ question: 'How many orders did we get in March 1998?', as_of: AS_OF, wait_ms: 5000 })
      .expect(200);
    const jobId = asked.body.job_id as string;
    // Nothing listens: attempts fail with a refused connection and are retried.
    const failing = await until(async () => {
      const [d] = await deliveriesOf(jobId);
      return d && d.attempts.length >= 2 ? d : null;
    });
    expect(failing.status).toBe('pending');
    expect(failing.attempts[0].error).toMatch(/ECONNREFUSED/);
    const r = new WebhookReceiver();
    receivers.push(r);
    await r.start(port);
    const [hook] = await r.waitFor(1);
    new Webhook(ep.secret).verify(hook!.body, hook!.headers);
    const delivered = await until(async () => {
      const [d] = await deliveriesOf(jobId);
      return d?.status === 'succeeded' ? d : null;
    });
    expect(delivered.attempts.length).toBeGreaterThanOrEqual(3);
    expect(delivered.attempts.at(-1).status_code).toBe(200);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.received).toHaveLength(1); // delivered once, not once per attempt
    await request(stack.app).delete(`/api/webhooks/${ep.id}`).set(auth()).expect(204);
  });

  it("honours the receiver's Retry-After", async () => {
    const r = await receiver((n) =>
      n === 1 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 204 },
    );
    const ep = await endpoint(r.url);
    await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({ question: 'How many orders did we get in February 1998?', as_of: AS_OF })
      .expect(202);
    const [first, second] = await r.waitFor(2);
    // Backoff alone would retry after ~50 ms; the receiver asked for 1 s.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    await request(stack.app).delete(`/api/webhooks/${ep.id}`).set(auth()).expect(204);
  });

  it('disables an endpoint that answers 410 Gone, and stops retrying', async () => {
    const r = await receiver(() => ({ status: 410 }));
    const ep = await endpoint(r.url);
    const asked = await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({
        question: 'How many orders did we get in January 1998?',
        as_of: AS_OF,
        wait_ms: 5000,
      })
      .expect(200);
    await r.waitFor(1);
    const list = await until(async () => {
      const res = await request(stack.app).get('/api/webhooks').set(auth()).expect(200);
      const found = (res.body.endpoints as { id: string; disabled: boolean }[]).find(
        (e) => e.id === ep.id,
      );
      return found?.disabled ? found : null;
    });
    expect(list).toMatchObject({ disabled: true, disabled_reason: expect.stringMatching(/410/) });
    const [d] = await deliveriesOf(asked.body.job_id as string);
    expect(d!.status).toBe('failed');
    await new Promise((res) => setTimeout(res, 300));
    expect(r.received).toHaveLength(1);
    // Replaying to a disabled endpoint is refused until it is enabled again.
    await request(stack.app)
      .post(`/api/webhooks/deliveries/${d!.delivery_id}/replay`)
      .set(auth())
      .expect(400);
    await request(stack.app).post(`/api/webhooks/${ep.id}/enable`).set(auth()).expect(200);
    await request(stack.app).delete(`/api/webhooks/${ep.id}`).set(auth()).expect(204);
  });

  it('replays a delivery: same webhook-id and body, a new entry in the log', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url);
    const asked = await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({
        question: 'How many orders did we get in December 1997?',
        as_of: AS_OF,
        wait_ms: 5000,
      })
      .expect(200);
    await r.waitFor(1);
    const [original] = await until(async () => {
      const list = await deliveriesOf(asked.body.job_id as string);
      return list[0]?.status === 'succeeded' ? list : null;
    });
    const replay = await request(stack.app)
      .post(`/api/webhooks/deliveries/${original!.delivery_id}/replay`)
      .set(auth())
      .expect(202);
    expect(replay.body.replay_of).toBe(original!.delivery_id);
    const [first, second] = await r.waitFor(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    new Webhook(ep.secret).verify(second!.body, second!.headers);
    const log = await deliveriesOf(asked.body.job_id as string);
    expect(log.map((d) => d.delivery_id)).toContain(replay.body.delivery_id);
    await request(stack.app).delete(`/api/webhooks/${ep.id}`).set(auth()).expect(204);
  });

  it("another shop's key cannot see or replay this shop's deliveries", async () => {
    const other = await request(stack.app)
      .post('/api/shops')
      .set('authorization', `Bearer ${ADMIN}`)
      .send({ name: 'Other shop' })
      .expect(201);
    const otherAuth = { authorization: `Bearer ${other.body.api_key}` };
    const mine = await request(stack.app).get('/api/webhooks/deliveries').set(auth()).expect(200);
    const some = mine.body.deliveries[0] as { delivery_id: string };
    expect(some).toBeDefined();
    const theirs = await request(stack.app)
      .get('/api/webhooks/deliveries')
      .set(otherAuth)
      .expect(200);
    expect(theirs.body.deliveries).toEqual([]);
    const missing = await request(stack.app)
      .get('/api/webhooks/deliveries/dlv_00000000000000000000000000000000')
      .set(otherAuth)
      .expect(404);
    const foreign = await request(stack.app)
      .get(`/api/webhooks/deliveries/${some.delivery_id}`)
      .set(otherAuth)
      .expect(404);
    expect(foreign.body.error.code).toBe(missing.body.error.code);
    await request(stack.app)
      .post(`/api/webhooks/deliveries/${some.delivery_id}/replay`)
      .set(otherAuth)
      .expect(404);
    await request(stack.app).get('/api/webhooks/deliveries?shop_id=2').set(otherAuth).expect(403);
  });
});

describe('webhook URLs must be public https', () => {
  let stack: TestStack;
  let key: string;

  beforeAll(async () => {
    stack = await startTestStack({ overrides: { ADMIN_API_KEY: ADMIN }, workers: [] });
    await stack.core.shops.upsert({ shop_id: 5, name: 'Shop 5' });
    key = (
      await request(stack.app)
        .post('/api/shops/5/keys')
        .set('authorization', `Bearer ${ADMIN}`)
        .send({})
        .expect(201)
    ).body.api_key as string;
  });
  afterAll(async () => stack?.stop());

  const refused = [
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://10.1.2.3/hook',
    'https://192.168.1.10/hook',
    'https://172.16.5.4/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[fd00::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://0.0.0.0/hook',
    'https://2130706433/hook',
    'http://127.0.0.1:8080/hook',
    'https://user:pw@93.184.215.14/hook',
    'https://no-such-host.invalid/hook',
  ];

  it.each(refused)('refuses %s for endpoints and per-question URLs', async (url) => {
    const ep = await request(stack.app)
      .post('/api/webhooks')
      .set('authorization', `Bearer ${key}`)
      .send({ url })
      .expect(400);
    expect(ep.body.error.code).toMatch(/WEBHOOK_URL_NOT_ALLOWED|VALIDATION_FAILED/);
    const ask = await request(stack.app)
      .post('/api/ask')
      .set('authorization', `Bearer ${key}`)
      .send({ question: 'How many orders last month?', webhook_url: url })
      .expect(400);
    expect(ask.body.error.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
  });

  it('refuses plain http even to a public address', async () => {
    const res = await request(stack.app)
      .post('/api/webhooks')
      .set('authorization', `Bearer ${key}`)
      .send({ url: 'http://93.184.215.14/hook' })
      .expect(400);
    expect(res.body.error.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
  });
});

import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/api/middleware/auth.js';
import { errorHandler } from '../../src/api/middleware/error-handler.js';
import { jobEventsRouter } from '../../src/api/routes/job-events.routes.js';
import { importDocuments, importShop } from '../../src/shared/data/import/import-shop.js';
import { readShopDir } from '../../src/shared/data/import/ndjson-import.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../fixtures/northwind');
const AS_OF = '1998-05-06T18:00:00.000Z';

/** Northwind again under another shop id: a second shop to be kept apart from. */
async function importCopy(stack: TestStack, shopId: number): Promise<void> {
  const docs = await readShopDir(NORTHWIND, 2);
  await importDocuments(
    stack.core,
    shopId,
    {
      order: docs.order.map((d) => ({ ...d, shop_id: shopId })),
      product: docs.product.map((d) => ({ ...d, shop_id: shopId })),
      customer: docs.customer.map((d) => ({ ...d, shop_id: shopId })),
    },
    { name: 'Other', timezone: 'UTC' },
  );
}

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** Read an SSE response frame by frame (comments come back as event ':'). */
async function* frames(res: Response): AsyncGenerator<Frame> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(':')) {
        yield { event: ':', data: {} };
        continue;
      }
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) yield { event, data: JSON.parse(data) as Record<string, unknown> };
    }
  }
}

async function collect(res: Response): Promise<Frame[]> {
  const all: Frame[] = [];
  for await (const f of frames(res)) all.push(f);
  return all;
}

function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  const server = createServer(app);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}` });
    }),
  );
}

/** Listeners the hub holds for one job (private; read to prove a closed stream lets go). */
function listeners(stack: TestStack, jobId: string): number {
  const hub = stack.events as unknown as { emitter: { listenerCount(name: string): number } };
  return hub.emitter.listenerCount(jobId);
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /api/jobs/:id/events (Server-Sent Events), real Redis pub/sub and workers', () => {
  let stack: TestStack;
  let server: Server;
  let base: string;
  let keyShop2: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
    await importCopy(stack, 3);
    keyShop2 = (await stack.api.shops.keys.create(2, 'sse')).api_key;
    ({ server, base } = await listen(stack.app));
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await stack?.stop();
  });

  const auth = () => ({ Authorization: `Bearer ${keyShop2}` });

  it('streams queued → running → succeeded, then the whole job, then ends', async () => {
    // Hold the queue so the stream is open before the job moves.
    await stack.api.queues.kpi.pause();
    const accepted = await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({ question: 'How many orders did we get last month?', as_of: AS_OF })
      .expect(202);
    const jobId = accepted.body.job_id as string;
    const res = await fetch(`${base}/api/jobs/${jobId}/events`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toMatch(/no-cache/);
    const stream = frames(res);
    const first = await stream.next();
    expect(first.value).toMatchObject({
      event: 'status',
      data: { job_id: jobId, shop_id: 2, status: 'queued', tier: 'kpi' },
    });
    await stack.api.queues.kpi.resume();
    const rest: Frame[] = [];
    for await (const f of stream) rest.push(f);
    // A fast job may finish before the stream re-reads it after "running": that frame may merge away.
    const statuses = rest.filter((f) => f.event === 'status').map((f) => f.data.status);
    expect(['running,succeeded', 'succeeded']).toContain(statuses.join(','));
    const done = rest.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({
      job_id: jobId,
      status: 'succeeded',
      data: { kind: 'scalar', value: 74 },
    });
    expect(listeners(stack, jobId)).toBe(0);
  });

  it('answers a finished job at once with its final state', async () => {
    const finished = await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({ question: 'How many customers do we have?', wait_ms: 5000 })
      .expect(200);
    const res = await fetch(`${base}/api/jobs/${finished.body.job_id}/events`, {
      headers: auth(),
    });
    const all = await collect(res);
    expect(all.map((f) => f.event)).toEqual(['status', 'done']);
    expect(all[1]!.data).toMatchObject({ status: 'succeeded', data: { value: 91 } });
  });

  it("hides other shops' jobs and unknown jobs behind the same 404", async () => {
    const other = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 3, question: 'How many customers do we have?', wait_ms: 5000 })
      .expect(200);
    const foreign = await request(stack.app)
      .get(`/api/jobs/${other.body.job_id}/events`)
      .set(auth())
      .expect(404);
    expect(foreign.body.error.code).toBe('JOB_NOT_FOUND');
    const unknown = await request(stack.app)
      .get('/api/jobs/no-such-job/events')
      .set(auth())
      .expect(404);
    expect(unknown.body.error.code).toBe('JOB_NOT_FOUND');
    // Shop 2 has a key now: a keyless caller cannot follow its jobs.
    const ownJob = await request(stack.app)
      .post('/api/ask')
      .set(auth())
      .send({ question: 'How many customers do we have?', wait_ms: 5000 })
      .expect(200);
    await request(stack.app).get(`/api/jobs/${ownJob.body.job_id}/events`).expect(404);
    await request(stack.app)
      .get(`/api/jobs/${ownJob.body.job_id}/events`)
      .set({ Authorization: 'Bearer nope' })
      .expect(401);
  });

  it('sends heartbeats and lets go of the job when the client disconnects', async () => {
    // The app's stream uses a 15 s heartbeat; the same router with a short one shows the behaviour.
    const app = express();
    app.use('/api', authenticate({ adminKey: undefined, shops: stack.api.shops }));
    app.use(jobEventsRouter({ results: stack.api.results, events: stack.events, heartbeatMs: 50 }));
    app.use(errorHandler(stack.api.logger));
    const mini = await listen(app);
    try {
      await stack.api.queues.kpi.pause();
      const accepted = await request(stack.app)
        .post('/api/ask')
        .set(auth())
        .send({ question: 'Revenue by country last month', as_of: AS_OF })
        .expect(202);
      const jobId = accepted.body.job_id as string;
      const abort = new AbortController();
      const res = await fetch(`${mini.base}/api/jobs/${jobId}/events`, {
        headers: auth(),
        signal: abort.signal,
      });
      const seen: string[] = [];
      for await (const f of frames(res)) {
        seen.push(f.event);
        if (seen.filter((e) => e === ':').length >= 2) break;
      }
      expect(seen[0]).toBe('status');
      expect(seen.filter((e) => e === 'status')).toHaveLength(1);
      expect(listeners(stack, jobId)).toBe(1);
      abort.abort();
      await until(() => listeners(stack, jobId) === 0);
    } finally {
      await stack.api.queues.kpi.resume();
      mini.server.closeAllConnections();
      await new Promise((r) => mini.server.close(r));
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await request(stack.app).get('/openapi.json').expect(200);
    const op = doc.body.paths['/api/jobs/{job_id}/events'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/event-stream']);
    expect(doc.body.paths['/api/jobs'].get).toBeDefined();
    expect(doc.body.paths['/api/suggestions'].get).toBeDefined();
  });
});

describe('GET /api/jobs (history) and GET /api/suggestions', () => {
  let stack: TestStack;
  let keyShop2: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
    await importCopy(stack, 3);
    keyShop2 = (await stack.api.shops.keys.create(2, 'history')).api_key;
  });
  afterAll(async () => stack?.stop());

  it("lists the key's shop's jobs newest first, as summaries", async () => {
    const auth = { Authorization: `Bearer ${keyShop2}` };
    const asked: string[] = [];
    for (const question of ['How many customers do we have?', 'Revenue by country last month']) {
      const res = await request(stack.app)
        .post('/api/ask')
        .set(auth)
        .send({ question, as_of: AS_OF, wait_ms: 5000 })
        .expect(200);
      asked.push(res.body.job_id as string);
      await new Promise((r) => setTimeout(r, 5));
    }
    await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 3, question: 'How many customers do we have?', wait_ms: 5000 })
      .expect(200);

    const res = await request(stack.app).get('/api/jobs?limit=20').set(auth).expect(200);
    expect(res.body.shop_id).toBe(2);
    expect(res.body.jobs.map((j: { job_id: string }) => j.job_id)).toEqual(asked.reverse());
    expect(res.body.jobs[1]).toMatchObject({
      question: 'How many customers do we have?',
      status: 'succeeded',
      tier: 'kpi',
      answer: expect.any(String),
      cache_hit: false,
    });
    expect(res.body.jobs[1]).not.toHaveProperty('data');

    const one = await request(stack.app).get('/api/jobs?limit=1').set(auth).expect(200);
    expect(one.body.jobs).toHaveLength(1);
  });

  it('scopes by key, and needs shop_id (and a keyless shop) in open mode', async () => {
    const auth = { Authorization: `Bearer ${keyShop2}` };
    await request(stack.app).get('/api/jobs?shop_id=3').set(auth).expect(403);
    const open = await request(stack.app).get('/api/jobs?shop_id=3').expect(200);
    expect(open.body.shop_id).toBe(3);
    expect(open.body.jobs.length).toBeGreaterThan(0);
    await request(stack.app).get('/api/jobs').expect(400);
    await request(stack.app).get('/api/jobs?shop_id=2').expect(401);
    await request(stack.app).get('/api/jobs?shop_id=99').expect(404);
    await request(stack.app).get('/api/jobs?limit=0').set(auth).expect(400);
    await request(stack.app).get('/api/jobs?limit=abc').set(auth).expect(400);
  });

  it('offers the Tier 1 example questions', async () => {
    const res = await request(stack.app).get('/api/suggestions').expect(200);
    expect(res.body.suggestions).toContain('Top 5 products by revenue last month');
  });
});

import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allQueues } from '../../src/shared/queues/queues.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { anyField, INJECTIONS, jsonValue, malformedJson, oddString } from './fuzz-arbitraries.js';

const ADMIN = 'admin-key-for-the-fuzz-tests-0123456789';
/** The shop most requests are about; it has a key, so open calls to it are refused. */
const SHOP = 7;
/** A shop whose keys the fuzzer may create, rotate and revoke. */
const SCRATCH_SHOP = 8;
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

type Auth = 'admin' | 'shop' | 'none' | 'wrong' | 'malformed';
const auth = fc.constantFrom<Auth>('admin', 'shop', 'none', 'wrong', 'malformed');

/** Path segments that are hard to decode: odd text, bad percent escapes, traversal. */
const pathSegment = fc.oneof(
  fc.constantFrom(
    '7',
    '8',
    '0',
    '-1',
    '9007199254740993',
    '1e3',
    '%',
    '%zz',
    '%ED%A0%80',
    '%C0%AF',
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    '%F0%9F%98%80',
    'ep_0123456789abcdef',
    'dlv_x',
    'key_x',
    'x'.repeat(300),
  ),
  oddString(20).map((s) => {
    try {
      return encodeURIComponent(s) || 'x';
    } catch {
      // Lone surrogates cannot be URI-encoded: send their CESU-8 bytes instead.
      return '%ED%A0%80x';
    }
  }),
);

const queryString = fc
  .dictionary(
    fc.constantFrom('shop_id', 'limit', 'job_id', 'x', '__proto__', 'shop_id[$gt]'),
    fc.oneof(pathSegment, fc.constantFrom('7', '', '1000', '-5', 'abc')),
    { maxKeys: 3 },
  )
  .map((q) =>
    Object.entries(q)
      .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
      .join('&'),
  );

/** Every route of the API with the methods it serves (and some it does not). */
const ROUTES: [string, string][] = [
  ['POST', '/api/ask'],
  ['GET', '/api/jobs/:id'],
  ['POST', '/api/jobs/:id/feedback'],
  ['POST', '/api/webhooks'],
  ['GET', '/api/webhooks'],
  ['GET', '/api/webhooks/question-secret'],
  ['POST', '/api/webhooks/question-secret/rotate'],
  ['GET', '/api/webhooks/deliveries'],
  ['GET', '/api/webhooks/deliveries/:id'],
  ['POST', '/api/webhooks/deliveries/:id/replay'],
  ['POST', '/api/webhooks/:id/enable'],
  ['DELETE', '/api/webhooks/:id'],
  ['POST', '/api/shops'],
  ['GET', '/api/shops'],
  ['GET', '/api/shops/:shop'],
  ['PATCH', '/api/shops/:shop'],
  ['GET', '/api/shops/:shop/keys'],
  ['POST', '/api/shops/:shop/keys'],
  ['POST', '/api/shops/:shop/keys/rotate'],
  ['DELETE', '/api/shops/:shop/keys/:id'],
  ['POST', '/api/shops/:shop/import'],
  ['GET', '/health'],
  ['GET', '/health/ready'],
  ['GET', '/metrics'],
  ['GET', '/openapi.json'],
  ['GET', '/admin/queues'],
  ['PUT', '/api/ask'],
  ['DELETE', '/api/jobs/:id'],
  ['GET', '/api/:id'],
];

type Body =
  { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; type: string };

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'application/x-ndjson',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
);

const body: fc.Arbitrary<Body> = fc.oneof(
  fc.constant<Body>({ kind: 'none' }),
  jsonValue.map<Body>((value) => ({ kind: 'json', value })),
  fc
    .record({
      shop_id: anyField,
      question: fc.oneof(oddString(80), anyField),
      url: fc.oneof(oddString(20), fc.constantFrom('http://127.0.0.1:1/x', 'file:///etc/passwd')),
      name: anyField,
      correct: anyField,
      events: anyField,
      label: anyField,
      grace_seconds: anyField,
    })
    .map<Body>((value) => ({ kind: 'json', value })),
  fc.tuple(malformedJson, contentType).map<Body>(([text, type]) => ({ kind: 'raw', text, type })),
  fc.constantFrom<Body>(
    { kind: 'raw', text: 'x'.repeat(17 * 1024), type: 'application/json' },
    { kind: 'raw', text: `{"question":"${'é'.repeat(9000)}"}`, type: 'application/json' },
    {
      kind: 'raw',
      text: '{"collection":"order","id":1,"shop_id":{"$gt":0}}\n{"collection":"__proto__"}',
      type: 'application/x-ndjson',
    },
  ),
);

/** Usually left out, often valid, sometimes of a wrong type. */
const sometimes = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: valid },
    { weight: 1, arbitrary: anyField },
  );

/** Questions: odd Unicode, huge, injection-looking, or not a string at all. */
const question = fc.oneof(
  { weight: 3, arbitrary: oddString(60) },
  { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(...INJECTIONS)
      .map((i) => `How many orders did we get last month? ${i}`),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 490, maxLength: 520 }) },
  { weight: 1, arbitrary: fc.constant('😀'.repeat(260)) },
  { weight: 1, arbitrary: anyField },
);

/** An `/api/ask` body: mostly plausible, each field sometimes wrong. */
const askBody = fc
  .record({
    shop_id: fc.oneof(
      { weight: 6, arbitrary: fc.constant(SHOP) },
      { weight: 1, arbitrary: anyField },
    ),
    question,
    as_of: sometimes(fc.constantFrom('1998-05-06T18:00:00Z', '2026-02-30', '99999-01-01')),
    timezone: sometimes(fc.constantFrom('UTC', 'Europe/Berlin', '../../etc/localtime')),
    webhook_url: sometimes(
      fc.constantFrom(
        'http://127.0.0.1:1/hook',
        'http://169.254.169.254/latest/meta-data',
        'javascript:alert(1)',
        'https://exa\u0000mple.com/',
      ),
    ),
    // A valid wait would hold the request open with no worker running: keep it short.
    wait_ms: sometimes(fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(10_001, 1.5))),
    priority: sometimes(fc.constantFrom('interactive', 'batch', 'urgent')),
    context: sometimes(fc.record({ follow_up_of: oddString(10) })),
    extra: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: anyField },
    ),
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

/** Mostly callers that may ask for the shop, so requests get past authentication. */
const askAuth = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Auth>('admin', 'shop') },
  { weight: 1, arbitrary: auth },
);

describe('fuzzing every endpoint: never a 5xx, never a job for a rejected request', () => {
  let stack: TestStack;
  let shopKey: string;

  beforeAll(async () => {
    stack = await startTestStack({
      workers: [],
      overrides: {
        ADMIN_API_KEY: ADMIN,
        RATE_LIMIT_PER_MINUTE: '1000000',
        SHOP_MAX_QUEUED: '1000000',
        WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8',
      },
    });
    await stack.core.shops.upsert({ shop_id: SHOP, name: 'Fuzzed shop' });
    await stack.core.shops.upsert({ shop_id: SCRATCH_SHOP, name: 'Scratch shop' });
    const created = await request(stack.app)
      .post(`/api/shops/${SHOP}/keys`)
      .set('authorization', `Bearer ${ADMIN}`)
      .send({})
      .expect(201);
    shopKey = created.body.api_key as string;
  });
  afterAll(async () => stack?.stop());

  function header(a: Auth): Record<string, string> {
    switch (a) {
      case 'admin':
        return { authorization: `Bearer ${ADMIN}` };
      case 'shop':
        return { authorization: `Bearer ${shopKey}` };
      case 'wrong':
        return { authorization: 'Bearer si_live_0000000000000000' };
      case 'malformed':
        return { authorization: 'Token \u00ff' };
      case 'none':
        return {};
    }
  }

  /** Jobs in every queue and every state. */
  async function jobCount(): Promise<number> {
    const counts = await Promise.all(
      allQueues(stack.core.queues).map(async (q) =>
        Object.values(
          await q.getJobCounts(
            'waiting',
            'active',
            'delayed',
            'prioritized',
            'completed',
            'failed',
            'waiting-children',
          ),
        ).reduce((a, b) => a + b, 0),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async function send(method: string, path: string, b: Body, a: Auth): Promise<request.Response> {
    const agent = request(stack.app);
    const verb = method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    let req = agent[verb](path).set(header(a)).timeout(10_000);
    if (b.kind === 'json') req = req.set('content-type', 'application/json');
    if (b.kind === 'raw' && b.type) req = req.set('content-type', b.type);
    if (b.kind === 'json') return req.send(JSON.stringify(b.value) ?? 'null');
    if (b.kind === 'raw') return req.send(b.text);
    return req;
  }

  /** The invariants every response must keep. */
  async function check(res: request.Response, before: number): Promise<void> {
    expect(res.status, `${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
    if (res.status >= 400) {
      if (res.type === 'application/json') {
        const err = (res.body as { error?: { code?: unknown; message?: unknown } }).error;
        expect(typeof err?.code).toBe('string');
        expect(typeof err?.message).toBe('string');
      }
      expect(await jobCount()).toBe(before);
    }
  }

  it('POST /api/ask with fuzzed bodies', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(askBody, askAuth, async (value, a) => {
        const before = await jobCount();
        const res = await send('POST', '/api/ask', { kind: 'json', value }, a);
        await check(res, before);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 202) {
          // Accepted: the job carries the question as given, as data.
          const id = (res.body as { job_id: string; tier: 'kpi' | 'llm' | 'rag' }).job_id;
          const tier = (res.body as { tier: 'kpi' | 'llm' | 'rag' }).tier;
          const job = await stack.core.queues[tier].getJob(id);
          expect(job?.data.question).toBe(String(value.question).trim());
          expect(job?.data.shop_id).toBe(SHOP);
        }
      }),
      { numRuns: RUNS * 2 },
    );
    // Not vacuous: a good share got past validation and was queued.
    expect(statuses.get(202) ?? 0, JSON.stringify([...statuses])).toBeGreaterThanOrEqual(
      Math.ceil(RUNS / 30),
    );
  });

  it('POST /api/ask with malformed JSON and wrong content types', async () => {
    await fc.assert(
      fc.asyncProperty(malformedJson, contentType, auth, async (text, type, a) => {
        const before = await jobCount();
        const res = await send('POST', '/api/ask', { kind: 'raw', text, type }, a);
        await check(res, before);
      }),
      { numRuns: RUNS },
    );
  });

  it('every other route with fuzzed path parameters, query strings and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        pathSegment,
        fc.oneof(fc.constantFrom(String(SHOP), String(SCRATCH_SHOP)), pathSegment),
        queryString,
        body,
        auth,
        async ([method, template], id, shop, query, b, a) => {
          // Keys of the main shop stay as they are, so later runs can still use its key.
          const shopParam = shop === String(SHOP) && template.includes('/keys') ? '8' : shop;
          const path =
            template.replace(':shop', shopParam).replace(':id', id) + (query ? `?${query}` : '');
          const before = await jobCount();
          const res = await send(method, path, b, a);
          await check(res, before);
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('is still healthy and answers a plain question afterwards', async () => {
    await request(stack.app).get('/health').expect(200);
    const res = await request(stack.app)
      .post('/api/ask')
      .set(header('shop'))
      .send({ question: 'How many orders did we get last month?' })
      .expect(202);
    expect(res.body.tier).toBe('kpi');
  });
});

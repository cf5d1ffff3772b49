/**
 * Round trip (issue 7): a Tier 1 answer from submit to result on a shop with
 * ~200,000 orders in the embedded store, through HTTP (`POST /api/ask` with
 * `wait_ms`) and a real BullMQ kpi worker, against its floor measured in the
 * same run: a bare BullMQ no-op round trip (add → worker → `completed` event
 * on QueueEvents) plus the same query's pipeline run directly on the store.
 * Then a cache hit against a plain Express JSON endpoint (the floor of a
 * cached answer). Target: overhead under 1.5× the floor.
 *
 *   npx tsx bench/round-trip.bench.ts            (RT_RUNS=200 RT_ORDERS=200000)
 *
 * Everything runs in this one process on one redis-server (no AOF): the API
 * listens on loopback, the worker shares the event loop, so the service and
 * its floor pay the same costs. The measurements are interleaved (one of
 * each per round) so drift on a shared machine hits all of them alike.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Queue, QueueEvents, Worker } from 'bullmq';
import express from 'express';
import { createApp } from '../src/api/app.js';
import { readinessChecks } from '../src/api/readiness.js';
import { compileQuery, parseQuestion } from '../src/shared/analytics/index.js';
import { parseConfig } from '../src/shared/config/config.js';
import { DEMO_SHOPS, generateShop } from '../src/shared/data/demo/index.js';
import { EmbeddedStore } from '../src/shared/data/embedded/embedded-store.js';
import { JobEventHub } from '../src/shared/events/job-event-hub.js';
import { questionProcessor } from '../src/shared/jobs/question-lifecycle.js';
import { createLogger } from '../src/shared/logging/logger.js';
import { SharedCounters } from '../src/shared/metrics/shared-counters.js';
import { closeQueues, createQueues } from '../src/shared/queues/queues.js';
import { createRedis } from '../src/shared/redis/redis-connection.js';
import { ResultsStore } from '../src/shared/results/results-store.js';
import { VocabularyCache } from '../src/shared/routing/vocabulary-cache.js';
import type { CoreServices } from '../src/shared/runtime/core-services.js';
import { startWorker } from '../src/shared/runtime/worker-runtime.js';
import { ShopRegistry } from '../src/shared/shops/shop-registry.js';
import { finishedListeners } from '../src/workers/finished-listeners.js';
import { kpiHandler } from '../src/workers/kpi/kpi-question.processor.js';
import { startRedis } from '../test/support/redis-server.js';
import { percentile, printTable } from './bench-stats.js';

const RUNS = Number(process.env.RT_RUNS ?? 200);
const WARMUP = 20;
const ORDERS = Number(process.env.RT_ORDERS ?? 200_000);
const DAYS = 730;
const spec = DEMO_SHOPS[0]!;
const SHOP = spec.shopId;
const END = new Date('2026-11-01T00:00:00Z');
const AS_OF = '2026-11-01T00:00:00.000Z';
const QUESTIONS = ['What was our revenue last month?', 'Revenue by category last year'];

const redisServer = await startRedis();
const env = {
  REDIS_URL: redisServer.url,
  REDIS_PREFIX: 'rt',
  LOG_LEVEL: 'silent',
  NODE_ENV: 'production',
  RATE_LIMIT_PER_MINUTE: '100000000',
  SHOP_MAX_QUEUED: '100000',
} as const;
const config = parseConfig(env);
const noCache = parseConfig({ ...env, ANSWER_CACHE_ENABLED: 'false' });
const logger = createLogger({ level: 'silent', name: 'bench' });

console.log(`generating ${ORDERS} orders …`);
const docs = generateShop(spec, { endDate: END, ordersPerDay: Math.round(ORDERS / DAYS) });
const store = new EmbeddedStore({});
await store.replaceShop(SHOP, docs);
console.log(`shop ${SHOP}: ${docs.order.length} orders`);

// The worker side, wired as src/workers/kpi/main.ts wires it.
const workerRedis = createRedis({ url: config.REDIS_URL, role: 'worker' });
const core: CoreServices = {
  config,
  logger,
  redis: workerRedis,
  queues: createQueues(workerRedis, config.REDIS_PREFIX, logger),
  results: new ResultsStore(workerRedis, config.REDIS_PREFIX, config.RESULT_TTL_SECONDS),
  shops: new ShopRegistry(workerRedis, config.REDIS_PREFIX),
  store,
  counters: new SharedCounters(workerRedis, config.REDIS_PREFIX),
  close: () => Promise.resolve(),
};
await core.shops.upsert({ shop_id: SHOP, name: 'Bench shop', timezone: 'UTC' });
const kpiWorker = startWorker({
  queueName: 'kpi',
  prefix: config.REDIS_PREFIX,
  connection: workerRedis,
  logger,
  concurrency: config.KPI_CONCURRENCY,
  lockDuration: 5_000,
  processor: questionProcessor(
    'kpi',
    kpiHandler({ ...core, vocabulary: new VocabularyCache(store) }),
    {
      results: core.results,
      queues: core.queues,
      logger,
      onFinished: finishedListeners(core),
      counters: core.counters,
    },
  ),
});

// The API side, wired as src/api/main.ts wires it: one app without the answer
// cache (every ask runs Tier 1), one with it (cache hits).
const apiRedis = createRedis({ url: config.REDIS_URL, role: 'api' });
const apiQueues = createQueues(apiRedis, config.REDIS_PREFIX, logger);
const apiResults = new ResultsStore(apiRedis, config.REDIS_PREFIX, config.RESULT_TTL_SECONDS);
const apiShops = new ShopRegistry(apiRedis, config.REDIS_PREFIX);
const subscriber = createRedis({ url: config.REDIS_URL, role: 'worker' });
const events = await JobEventHub.start(subscriber, apiResults.channel, logger);
const apiCore: CoreServices = {
  ...core,
  redis: apiRedis,
  queues: apiQueues,
  results: apiResults,
  shops: apiShops,
};
const appFor = (c: typeof config) =>
  createApp({
    logger,
    queues: apiQueues,
    results: apiResults,
    events,
    shops: apiShops,
    readiness: readinessChecks(apiCore),
    config: c,
    redis: apiRedis,
    store,
    counters: null,
  });
const servers: Server[] = [];
const listen = async (app: express.Express): Promise<string> => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const uncachedApi = await listen(appFor(noCache));
const cachedApi = await listen(appFor(config));
// The floor of a cached answer: Express parsing a JSON body and answering JSON.
const plain = express();
plain.use(express.json());
plain.post('/echo', (req, res) => {
  res.json({ ok: true, question: (req.body as { question?: string }).question });
});
const plainUrl = await listen(plain);

// The floor of the queue: a no-op job, add → worker → completion event.
const noopQueue = new Queue('noop', { connection: workerRedis, prefix: '{rt-noop}' });
const noopConnections = [0, 1].map(() => createRedis({ url: config.REDIS_URL, role: 'worker' }));
const noopWorker = new Worker('noop', () => Promise.resolve(), {
  connection: noopConnections[0]!,
  prefix: '{rt-noop}',
  concurrency: config.KPI_CONCURRENCY,
});
const noopEvents = new QueueEvents('noop', {
  connection: noopConnections[1]!,
  prefix: '{rt-noop}',
});
await noopEvents.waitUntilReady();
const waiting = new Map<string, () => void>();
noopEvents.on('completed', ({ jobId }) => waiting.get(jobId)?.());
let noopId = 0;
const noopRoundTrip = async (): Promise<void> => {
  const id = `n${noopId++}`;
  const done = new Promise<void>((resolve) => waiting.set(id, resolve));
  await noopQueue.add('noop', { shop_id: SHOP }, { jobId: id, removeOnComplete: true });
  await done;
  waiting.delete(id);
};

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

try {
  const rows: Record<string, string | number>[] = [];
  for (const question of QUESTIONS) {
    const parsed = parseQuestion(question, { asOf: new Date(AS_OF), timezone: 'UTC' });
    if (!parsed.ok) throw new Error(`${question}: ${parsed.reason}`);
    const query = compileQuery(parsed.query, SHOP);
    const ask = async () => {
      const r = await post(`${uncachedApi}/api/ask`, {
        shop_id: SHOP,
        question,
        as_of: AS_OF,
        wait_ms: 10_000,
      });
      if (r.status !== 'succeeded' || r.tier !== 'kpi' || r.cache_hit !== false)
        throw new Error(`not a fresh Tier 1 answer: ${JSON.stringify(r).slice(0, 300)}`);
    };
    const direct = () => store.aggregate(SHOP, query.collection, query.pipeline);
    const t = { answer: [] as number[], bull: [] as number[], pipeline: [] as number[] };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const a = await timed(ask);
      const b = await timed(noopRoundTrip);
      const p = await timed(direct);
      if (i < WARMUP) continue;
      t.answer.push(a);
      t.bull.push(b);
      t.pipeline.push(p);
    }
    const med = (xs: number[]) => percentile(xs, 50);
    const p99 = (xs: number[]) => percentile(xs, 99);
    const floorMed = med(t.bull) + med(t.pipeline);
    const floorP99 = p99(t.bull) + p99(t.pipeline);
    rows.push({
      question,
      'answer p50 ms': med(t.answer),
      'answer p99 ms': p99(t.answer),
      'bullmq no-op p50': med(t.bull),
      'pipeline p50': med(t.pipeline),
      'floor p50': floorMed,
      'floor p99': floorP99,
      'p50 ratio': med(t.answer) / floorMed,
      'p99 ratio': p99(t.answer) / floorP99,
    });
  }
  printTable(
    `Tier 1 submit → result over HTTP vs floor (${docs.order.length} orders, ${RUNS} runs each, in-process, redis without AOF)`,
    rows,
  );

  // Cached answers vs a plain Express endpoint.
  const hitBody = { shop_id: SHOP, question: QUESTIONS[0], as_of: AS_OF };
  const first = await post(`${cachedApi}/api/ask`, { ...hitBody, wait_ms: 10_000 });
  if (first.status !== 'succeeded') throw new Error('warm-up ask failed');
  const hit = async () => {
    const r = await post(`${cachedApi}/api/ask`, hitBody);
    if (r.cache_hit !== true) throw new Error(`expected a cache hit: ${JSON.stringify(r)}`);
  };
  const echo = () => post(`${plainUrl}/echo`, hitBody);
  const c = { hit: [] as number[], plain: [] as number[] };
  for (let i = 0; i < WARMUP + RUNS * 2; i++) {
    const h = await timed(hit);
    const e = await timed(echo);
    if (i < WARMUP) continue;
    c.hit.push(h);
    c.plain.push(e);
  }
  printTable(`cache hit vs a plain Express JSON endpoint (${RUNS * 2} runs each)`, [
    {
      'cache hit p50 ms': percentile(c.hit, 50),
      'cache hit p99 ms': percentile(c.hit, 99),
      'plain p50 ms': percentile(c.plain, 50),
      'plain p99 ms': percentile(c.plain, 99),
      'p50 ratio': percentile(c.hit, 50) / percentile(c.plain, 50),
      'p99 ratio': percentile(c.hit, 99) / percentile(c.plain, 99),
    },
  ]);
} finally {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await kpiWorker.close();
  await noopWorker.close();
  await noopEvents.close();
  await noopQueue.close();
  await events.close();
  await closeQueues(core.queues);
  await closeQueues(apiQueues);
  for (const c of [workerRedis, apiRedis, subscriber, ...noopConnections]) c.disconnect();
  await redisServer.stop();
}

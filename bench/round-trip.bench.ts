/**
 * Round trip (issues 3 and 7): a Tier 1 answer from submit to result on a
 * shop with ~200,000 orders in the embedded store, with the service's real
 * processes as the Procfile starts them (`web`, `worker-kpi`), against its
 * floor measured in the same run with the same process layout:
 *
 * - a bare BullMQ round trip: this process adds a no-op job, a worker in
 *   another process runs it, the `completed` event comes back on QueueEvents;
 * - plus the same question's compiled pipeline run directly on the store.
 *
 * A second floor puts HTTP in front of the first: a plain Express endpoint
 * that queues a no-op job and answers when it completes (the least any HTTP
 * API on a queue costs), plus the same pipeline. The gap between the two
 * floors is the HTTP hop, which the first one leaves out.
 *
 * Then a cache hit against a plain Express JSON endpoint in another process
 * (the floor of a cached answer). Target: under 1.5× the floor.
 *
 *   npm run bench:round-trip            (RT_RUNS=200 RT_ORDERS=200000)
 *
 * The measurements are interleaved (one of each per round) so drift on a
 * shared machine hits all of them alike. The service logs at `info`, as it
 * would in production (to files in the temp dir).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { compileQuery, parseQuestion } from '../src/shared/analytics/index.js';
import { parseConfig } from '../src/shared/config/config.js';
import { DEMO_SHOPS, generateShop } from '../src/shared/data/demo/index.js';
import { EmbeddedStore } from '../src/shared/data/embedded/embedded-store.js';
import { importDocuments } from '../src/shared/data/import/import-shop.js';
import { createLogger } from '../src/shared/logging/logger.js';
import { closeQueues, createQueues } from '../src/shared/queues/queues.js';
import { ShopRegistry } from '../src/shared/shops/shop-registry.js';
import { ProcessStack } from '../test/support/process-stack.js';
import { startRedis } from '../test/support/redis-server.js';
import { percentile, postJson, printTable } from './bench-stats.js';

const RUNS = Number(process.env.RT_RUNS ?? 200);
const WARMUP = 20;
const ORDERS = Number(process.env.RT_ORDERS ?? 200_000);
const DAYS = 730;
const spec = DEMO_SHOPS[0]!;
const SHOP = spec.shopId;
const END = new Date('2026-11-01T00:00:00Z');
const AS_OF = '2026-11-01T00:00:00.000Z';
const NOOP_QUEUE = 'noop';
const NOOP_PREFIX = '{rt-noop}';
/** RT_QUESTIONS=light or heavy runs one of the two; both by default. */
const QUESTION_SETS: Record<string, string[]> = {
  light: ['What was our revenue last month?'],
  heavy: ['Revenue by category last year'],
};
const QUESTIONS = QUESTION_SETS[process.env.RT_QUESTIONS ?? ''] ?? [
  ...QUESTION_SETS.light!,
  ...QUESTION_SETS.heavy!,
];

const dir = await mkdtemp(path.join(os.tmpdir(), 'si-rt-'));
const redisServer = await startRedis({ dir: path.join(dir, 'redis') });
const env = {
  REDIS_URL: redisServer.url,
  REDIS_PREFIX: 'rt',
  DATA_DIR: path.join(dir, 'store'),
  LOG_LEVEL: 'info',
  NODE_ENV: 'production',
  RATE_LIMIT_PER_MINUTE: '100000000',
  SHOP_MAX_QUEUED: '100000',
};
const config = parseConfig(env);
const client = new Redis(redisServer.url, { maxRetriesPerRequest: null });

console.log(`generating ${ORDERS} orders …`);
const docs = generateShop(spec, { endDate: END, ordersPerDay: Math.round(ORDERS / DAYS) });
const store = new EmbeddedStore({ dataDir: config.DATA_DIR });
const setupQueues = createQueues(
  client,
  config.REDIS_PREFIX,
  createLogger({ level: 'silent', name: 'bench' }),
);
await importDocuments(
  { store, shops: new ShopRegistry(client, config.REDIS_PREFIX), queues: setupQueues },
  SHOP,
  docs,
  { name: 'Bench shop', timezone: 'UTC' },
);
await closeQueues(setupQueues);
console.log(`shop ${SHOP}: ${docs.order.length} orders`);

const stack = new ProcessStack(env, dir);
// Two APIs: one without the answer cache (every ask runs Tier 1), one with it
// (cache hits). The worker caches answers, as it does by default.
const uncachedApi = await stack.startApi({ ANSWER_CACHE_ENABLED: 'false' });
const cachedApi = await stack.startApi();
stack.start('worker-kpi');

const floor = spawn(process.execPath, ['--import', 'tsx', 'bench/support/floor-process.ts'], {
  env: {
    ...process.env,
    FLOOR_REDIS_URL: redisServer.url,
    FLOOR_QUEUE: NOOP_QUEUE,
    FLOOR_PREFIX: NOOP_PREFIX,
    FLOOR_CONCURRENCY: String(config.KPI_CONCURRENCY),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const floorPort = await new Promise<string>((resolve, reject) => {
  floor.once('exit', (code) => reject(new Error(`floor process exited (${code})`)));
  createInterface({ input: floor.stdout }).on('line', (line) => {
    if (line.startsWith('ready ')) resolve(line.slice('ready '.length));
  });
});
const plainUrl = `http://127.0.0.1:${floorPort}`;

const noopQueue = new Queue(NOOP_QUEUE, { connection: client, prefix: NOOP_PREFIX });
const eventsConnection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
const noopEvents = new QueueEvents(NOOP_QUEUE, {
  connection: eventsConnection,
  prefix: NOOP_PREFIX,
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

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

try {
  const rows: Record<string, string | number>[] = [];
  const relayRows: Record<string, string | number>[] = [];
  for (const question of QUESTIONS) {
    const parsed = parseQuestion(question, { asOf: new Date(AS_OF), timezone: 'UTC' });
    if (!parsed.ok) throw new Error(`${question}: ${parsed.reason}`);
    const query = compileQuery(parsed.query, SHOP);
    const ask = async () => {
      const r = await postJson(`${uncachedApi}/api/ask`, {
        shop_id: SHOP,
        question,
        as_of: AS_OF,
        wait_ms: 10_000,
      });
      if (r.status !== 'succeeded' || r.tier !== 'kpi' || r.cache_hit !== false)
        throw new Error(`not a fresh Tier 1 answer: ${JSON.stringify(r).slice(0, 300)}`);
    };
    const direct = () => store.aggregate(SHOP, query.collection, query.pipeline);
    const relay = () => postJson(`${plainUrl}/relay`, { shop_id: SHOP, question });
    const t = {
      answer: [] as number[],
      bull: [] as number[],
      pipeline: [] as number[],
      relay: [] as number[],
    };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const a = await timed(ask);
      const b = await timed(noopRoundTrip);
      const p = await timed(direct);
      const r = await timed(relay);
      if (i < WARMUP) continue;
      t.answer.push(a);
      t.bull.push(b);
      t.pipeline.push(p);
      t.relay.push(r);
    }
    const med = (xs: number[]) => percentile(xs, 50);
    const p99 = (xs: number[]) => percentile(xs, 99);
    /** The answer against one floor: a hop (BullMQ alone, or behind HTTP) plus the pipeline. */
    const againstFloor = (hop: string, hopTimes: number[]) => {
      const floorMed = med(hopTimes) + med(t.pipeline);
      const floorP99 = p99(hopTimes) + p99(t.pipeline);
      return {
        question,
        'answer p50 ms': med(t.answer),
        'answer p99 ms': p99(t.answer),
        [`${hop} p50`]: med(hopTimes),
        'pipeline p50': med(t.pipeline),
        'floor p50': floorMed,
        'floor p99': floorP99,
        'p50 ratio': med(t.answer) / floorMed,
        'p99 ratio': p99(t.answer) / floorP99,
      };
    };
    rows.push(againstFloor('bullmq no-op', t.bull));
    relayRows.push(againstFloor('http relay', t.relay));
  }
  printTable(
    `Tier 1 submit → result over HTTP vs floor (${docs.order.length} orders, ${RUNS} runs each; web + worker-kpi processes, redis without AOF)`,
    rows,
  );
  printTable(
    'the same answers against an HTTP relay (plain Express → no-op BullMQ job → answer) plus the pipeline',
    relayRows,
  );

  // Cached answers vs a plain Express endpoint.
  const hitBody = { shop_id: SHOP, question: QUESTIONS[0], as_of: AS_OF };
  const first = await postJson(`${cachedApi}/api/ask`, { ...hitBody, wait_ms: 10_000 });
  if (first.status !== 'succeeded') throw new Error('warm-up ask failed');
  const hit = async () => {
    const r = await postJson(`${cachedApi}/api/ask`, hitBody);
    if (r.cache_hit !== true) throw new Error(`expected a cache hit: ${JSON.stringify(r)}`);
  };
  const echo = () => postJson(`${plainUrl}/echo`, hitBody);
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
  floor.kill('SIGTERM');
  await stack.stop();
  await noopEvents.close();
  await noopQueue.close();
  eventsConnection.disconnect();
  client.disconnect();
  await redisServer.stop();
  await rm(dir, { recursive: true, force: true });
}

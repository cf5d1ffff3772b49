/**
 * Issue 2's figure: time from submit to result for "How many orders did shop 1
 * get last month?" through the queue, with the real processes (API + one kpi
 * worker) on a redis-server and demo shop 1 in the embedded store.
 * Median and p99 of N sequential questions, read from the job records.
 *   npx tsx bench/first-question.bench.ts [N=100]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/shared/config/config.js';
import { DEMO_SHOPS, generateShop } from '../src/shared/data/demo/index.js';
import { EmbeddedStore } from '../src/shared/data/embedded/embedded-store.js';
import { importDocuments } from '../src/shared/data/import/import-shop.js';
import { createLogger } from '../src/shared/logging/logger.js';
import { closeQueues, createQueues } from '../src/shared/queues/queues.js';
import { ShopRegistry } from '../src/shared/shops/shop-registry.js';
import { ProcessStack } from '../test/support/process-stack.js';
import { startRedis } from '../test/support/redis-server.js';
import { median, percentile, printTable } from './bench-stats.js';

const N = Number(process.argv[2] ?? 100);
const dir = await mkdtemp(path.join(os.tmpdir(), 'si-bench-'));
const redis = await startRedis({ dir });
const env = {
  REDIS_URL: redis.url,
  REDIS_PREFIX: 'bench',
  DATA_DIR: path.join(dir, 'store'),
  LOG_LEVEL: 'warn',
  // Measure the queue path, not the answer cache.
  ANSWER_CACHE_ENABLED: 'false',
  // One client asking 100 times a minute is the point here, not the limiter.
  RATE_LIMIT_PER_MINUTE: '100000',
};
const config = parseConfig(env);
const client = new Redis(redis.url, { maxRetriesPerRequest: null });
const queues = createQueues(
  client,
  config.REDIS_PREFIX,
  createLogger({ level: 'silent', name: 'bench' }),
);
const spec = DEMO_SHOPS.find((s) => s.shopId === 1)!;
await importDocuments(
  {
    store: new EmbeddedStore({ dataDir: config.DATA_DIR }),
    shops: new ShopRegistry(client, config.REDIS_PREFIX),
    queues,
  },
  1,
  generateShop(spec, { endDate: new Date() }),
  { name: spec.name, timezone: spec.timezone },
);
await closeQueues(queues);
const stack = new ProcessStack(env, dir);
try {
  const api = await stack.startApi();
  stack.start('worker-kpi');
  const ask = async () => {
    const res = await fetch(`${api}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        shop_id: 1,
        question: 'How many orders did shop 1 get last month?',
        wait_ms: 10_000,
      }),
    });
    return (await res.json()) as {
      status: string;
      timings_ms?: { total: number; queued: number; run: number };
    };
  };
  for (let i = 0; i < 5; i++) await ask(); // warm-up: loads the shop into the worker
  const totals: number[] = [];
  const clientSide: number[] = [];
  const queuedMs: number[] = [];
  const runMs: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const body = await ask();
    clientSide.push(performance.now() - t);
    if (body.status !== 'succeeded' || !body.timings_ms)
      throw new Error(`question ${i}: ${JSON.stringify(body)}`);
    totals.push(body.timings_ms.total);
    queuedMs.push(body.timings_ms.queued);
    runMs.push(body.timings_ms.run);
  }
  printTable(`"How many orders did shop 1 get last month?" — ${N} sequential questions`, [
    {
      measure: 'submit → result (job record)',
      'median ms': median(totals),
      'p99 ms': percentile(totals, 99),
    },
    {
      measure: '  of which queued',
      'median ms': median(queuedMs),
      'p99 ms': percentile(queuedMs, 99),
    },
    { measure: '  of which running', 'median ms': median(runMs), 'p99 ms': percentile(runMs, 99) },
    {
      measure: 'HTTP round trip with wait_ms',
      'median ms': median(clientSide),
      'p99 ms': percentile(clientSide, 99),
    },
  ]);
} finally {
  await stack.stop();
  client.disconnect();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}

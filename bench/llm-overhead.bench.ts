/**
 * Tier 2 figure: the latency the tier adds around the model call. The model is
 * the Ollama-compatible test server answering at once (zero delay), so what
 * is left is ours: example retrieval, sample documents, the prompt, parsing,
 * the guard, running the pipeline on the embedded store (Northwind), the
 * job-record updates in Redis and formatting. Real redis-server, real `ollama`
 * client over real HTTP. Run: npx tsx bench/llm-overhead.bench.ts
 */
import path from 'node:path';
import { parseConfig } from '../src/shared/config/config.js';
import { EmbeddedStore } from '../src/shared/data/embedded/embedded-store.js';
import { readShopDir } from '../src/shared/data/import/ndjson-import.js';
import { createLogger } from '../src/shared/logging/logger.js';
import { createEmbedder, type Embedder } from '../src/shared/rag/index.js';
import { createRedis } from '../src/shared/redis/redis-connection.js';
import type { JobRecord } from '../src/shared/results/job-record.js';
import { ResultsStore } from '../src/shared/results/results-store.js';
import { createLlmDeps, llmHandler } from '../src/workers/llm/llm-question.processor.js';
import { pipelineReply, startFakeOllama } from '../test/support/fake-ollama.server.js';
import { startRedis } from '../test/support/redis-server.js';

const RUNS = 60;
const WARMUP = 5;
const SHOP = 2;
const AS_OF = '1998-05-06T18:00:00.000Z';
const PIPELINE = [
  {
    $match: {
      created_at: {
        $gte: { $date: '1998-04-01T00:00:00Z' },
        $lt: { $date: '1998-05-01T00:00:00Z' },
      },
    },
  },
  { $unwind: '$items' },
  {
    $group: {
      _id: '$items.category',
      revenue: { $sum: { $multiply: ['$items.quantity', '$items.unit_price'] } },
    },
  },
  { $sort: { revenue: -1 } },
];

const redis = await startRedis();
const ollama = await startFakeOllama();
ollama.setDefault(pipelineReply('order', PIPELINE));
const config = parseConfig({
  REDIS_URL: redis.url,
  REDIS_PREFIX: 'bench-llm',
  OLLAMA_HOST: ollama.url,
  LOG_LEVEL: 'silent',
});
const logger = createLogger({ level: 'silent', name: 'bench' });
const client = createRedis({ url: redis.url, role: 'worker' });
const results = new ResultsStore(client, config.REDIS_PREFIX, 3600);
const store = new EmbeddedStore({});
await store.replaceShop(
  SHOP,
  await readShopDir(path.resolve(import.meta.dirname, '../test/fixtures/northwind'), SHOP),
);

// Some history, so retrieval has the shop's own Tier 1 answers to rank, as in production.
for (let i = 0; i < 100; i++) {
  const id = `hist-${i}`;
  await results.create(record(id, `How many orders in week ${i} of 1997?`));
  await results.update(id, (r) => ({
    ...r,
    status: 'succeeded',
    tier: 'kpi',
    query: { collection: 'order', pipeline: [{ $match: { shop_id: SHOP } }, { $count: 'orders' }] },
  }));
}

function record(id: string, question: string): JobRecord {
  return {
    job_id: id,
    shop_id: SHOP,
    question,
    status: 'running',
    tier: 'llm',
    as_of: AS_OF,
    timezone: 'UTC',
    created_at: new Date().toISOString(),
    attempts: [{ tier: 'llm', attempt: 1, started_at: new Date().toISOString() }],
    escalations: [],
    cache_hit: false,
  };
}

async function measure(label: string, embedder: Embedder | null): Promise<void> {
  const deps = createLlmDeps({ config, store, results, logger }, { embedder });
  const handler = llmHandler(deps);
  const totals: number[] = [];
  const model: number[] = [];
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const id = `${label}-${i}`;
    const rec = record(id, `What is the revenue per category in April 1998, run ${i}?`);
    await results.create(rec);
    const t = performance.now();
    const out = await handler(
      { job_id: id, shop_id: SHOP, question: rec.question, as_of: AS_OF, timezone: 'UTC' },
      {
        log: logger,
        attempt: 1,
        update: async (change) => {
          await results.update(id, change);
        },
      },
    );
    const total = performance.now() - t;
    if (out.kind !== 'answer') throw new Error('expected an answer');
    const steps = (await results.get(id))!.attempts[0]!.steps!;
    if (i >= WARMUP) {
      totals.push(total);
      model.push(steps.reduce((s, x) => s + Number(x.model_ms), 0));
    }
  }
  const overhead = totals.map((t, i) => t - model[i]!);
  console.log(
    `${label}: total p50 ${p(totals, 50)} ms · model call (fake, zero delay, HTTP) p50 ${p(model, 50)} ms · ` +
      `extra latency of the tier p50 ${p(overhead, 50)} ms, p95 ${p(overhead, 95)} ms`,
  );
}

function p(values: number[], pct: number): string {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((pct / 100) * s.length))]!.toFixed(1);
}

try {
  await measure('token-overlap retrieval', null);
  const embedder = await createEmbedder({ provider: 'use-lite' });
  await measure('use-lite retrieval', embedder);
} finally {
  await ollama.close();
  client.disconnect();
  await redis.stop();
}

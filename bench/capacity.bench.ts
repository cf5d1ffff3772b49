/**
 * Capacity model (issue 9): questions per second per worker process for each
 * tier on this machine, Redis work per question, and from those the processes
 * and Redis shards for 1,000 shops × 60 questions a minute — measured, then
 * extrapolated, with the assumptions printed.
 *
 *   npx tsx bench/capacity.bench.ts          (CAP_KPI=600 CAP_LLM=200 CAP_RAG=60)
 *
 * Setup: redis-server (no AOF), the real processes from the Procfile, demo
 * shop 1 (~29,000 orders) in the embedded store, a local Chroma (the rag
 * worker embeds the question and retrieves context), and the test suite's
 * Ollama-compatible server answering at once (so the llm figure is the
 * worker's own ceiling, not a model's).
 *
 * Per tier: N distinct questions are submitted through the API while no worker
 * of that tier runs (the API's own rate and Redis work), then ONE worker
 * process drains them at its configured concurrency (rate = N / first start →
 * last finish, from the job records). Redis work = INFO commandstats and
 * INFO cpu deltas, less the idle rate measured right after.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/shared/config/config.js';
import { DEMO_SHOPS, generateShop, writeShopDir } from '../src/shared/data/demo/index.js';
import { EmbeddedStore } from '../src/shared/data/embedded/embedded-store.js';
import { importShop } from '../src/shared/data/import/import-shop.js';
import { createLogger } from '../src/shared/logging/logger.js';
import { allQueues, closeQueues, createQueues } from '../src/shared/queues/queues.js';
import { ResultsStore } from '../src/shared/results/results-store.js';
import { ShopRegistry } from '../src/shared/shops/shop-registry.js';
import { startChroma } from '../test/support/chroma-server.js';
import { pipelineReply, startFakeOllama } from '../test/support/fake-ollama.server.js';
import { ProcessStack, type ProcessName } from '../test/support/process-stack.js';
import { startRedis } from '../test/support/redis-server.js';
import { printTable, postJson } from './bench-stats.js';

type Tier = 'kpi' | 'llm' | 'rag';
const N: Record<Tier, number> = {
  kpi: Number(process.env.CAP_KPI ?? 600),
  llm: Number(process.env.CAP_LLM ?? 200),
  rag: Number(process.env.CAP_RAG ?? 60),
};
const SUBMIT_CONCURRENCY = 16;
/** The target: 1,000 shops asking 60 questions a minute each. */
const SHOPS = 1_000;
const PER_SHOP_PER_MINUTE = 60;
const ASSUME = {
  /** Share of questions answered from the answer cache (repeated dashboard questions). */
  cacheHit: Number(process.env.CAP_CACHE_HIT ?? 0.3),
  /** Of the rest, the share of each tier. */
  mix: { kpi: 0.8, llm: 0.15, rag: 0.05 } as Record<Tier, number>,
  /** Wall time a real model takes per Tier 2 answer (all its rounds), and per Tier 3 narrative. */
  modelSeconds: Number(process.env.CAP_MODEL_SECONDS ?? 2),
  /** Keep each process and each Redis shard at most this busy. */
  utilisation: 0.5,
};

const spec = DEMO_SHOPS[0]!;
const SHOP = spec.shopId;
const END = new Date('2026-11-01T00:00:00Z');
const dir = await mkdtemp(path.join(os.tmpdir(), 'si-capacity-'));
const redis = await startRedis({ dir: path.join(dir, 'redis') });
const chroma = await startChroma();
const ollama = await startFakeOllama();
ollama.respondWith(() =>
  pipelineReply('order', [{ $match: { status: 'delivered' } }, { $count: 'orders' }]),
);
const env = {
  REDIS_URL: redis.url,
  REDIS_PREFIX: 'cap',
  DATA_DIR: path.join(dir, 'store'),
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  RATE_LIMIT_PER_MINUTE: '100000000',
  SHOP_MAX_QUEUED: '1000000',
  LLM_RATE_PER_MINUTE: '1000000',
  OLLAMA_HOST: ollama.url,
  OLLAMA_MODEL: ollama.model,
  CHROMA_URL: chroma.url,
};
const config = parseConfig(env);
const client = new Redis(redis.url, { maxRetriesPerRequest: null });
const logger = createLogger({ level: 'silent', name: 'capacity' });
const queues = createQueues(client, config.REDIS_PREFIX, logger);
const results = new ResultsStore(client, config.REDIS_PREFIX, 3600);
const stack = new ProcessStack(env, dir);

/**
 * Questions of each tier, made distinct by their as_of (no cache hit, no two
 * sharing one in-flight job): question i of a tier is template i % k on its own
 * day (kpi, llm) or month (rag) before the shop's last day.
 */
const QUESTIONS: Record<Tier, string[]> = {
  kpi: ['How many orders yesterday?', 'Revenue yesterday', 'Average order value yesterday'],
  llm: ['How many orders had more than 3 lines yesterday?'],
  rag: [
    'Why did revenue change last month?',
    'What stands out in sales last month?',
    'Why did orders drop last month?',
  ],
};
function asOfFor(tier: Tier, i: number): string {
  const k = QUESTIONS[tier].length;
  const t = new Date(END);
  if (tier === 'rag') t.setUTCMonth(t.getUTCMonth() - Math.floor(i / k));
  else t.setUTCDate(t.getUTCDate() - i);
  return t.toISOString();
}

interface RedisStats {
  calls: number;
  scripts: number;
  cpu: number;
  at: number;
}
async function redisStats(): Promise<RedisStats> {
  const [commands, cpu] = await Promise.all([client.info('commandstats'), client.info('cpu')]);
  let calls = 0;
  let scripts = 0;
  for (const m of commands.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const n = Number(m[2]);
    // INFO itself is ours, not the service's.
    if (m[1] === 'info') continue;
    calls += n;
    if (m[1] === 'evalsha' || m[1] === 'eval' || m[1] === 'fcall') scripts += n;
  }
  const user = Number(/used_cpu_user:([\d.]+)/.exec(cpu)?.[1] ?? 0);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(cpu)?.[1] ?? 0);
  return { calls, scripts, cpu: user + sys, at: performance.now() };
}
const diff = (a: RedisStats, b: RedisStats) => ({
  calls: b.calls - a.calls,
  scripts: b.scripts - a.scripts,
  cpu: b.cpu - a.cpu,
  seconds: (b.at - a.at) / 1000,
});

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return NaN;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function waitDrained(names: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await Promise.all(
      allQueues(queues)
        .filter((q) => names.includes(q.name))
        .map((q) => q.getJobCounts('waiting', 'active', 'prioritized', 'completed', 'failed')),
    );
    // Delayed jobs are scheduled ones (digests) or retries: not work to wait for.
    const n = (c: Record<string, number>, k: string) => c[k] ?? 0;
    if (
      counts.every(
        (c) =>
          n(c, 'waiting') + n(c, 'active') + n(c, 'prioritized') === 0 &&
          n(c, 'completed') + n(c, 'failed') > 0,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  const counts = await Promise.all(
    allQueues(queues).map(async (q) => [q.name, await q.getJobCounts()]),
  );
  throw new Error(`queues ${names.join(',')} not drained: ${JSON.stringify(counts)}`);
}

interface TierFigures {
  tier: Tier;
  n: number;
  concurrency: number;
  workerQps: number;
  apiQps: number;
  workerCpuMs: number;
  apiCpuMs: number;
  apiCalls: number;
  workerCalls: number;
  scripts: number;
  cpuUs: number;
  workerCpuUs: number;
}

async function measureTier(tier: Tier, api: string): Promise<TierFigures> {
  const n = N[tier];
  const apiPid = stack.processes.find((p) => p.name === 'web')?.child.pid;
  const a0 = await cpuSeconds(apiPid);
  const s0 = await redisStats();
  const jobIds: string[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: SUBMIT_CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const question = QUESTIONS[tier][i % QUESTIONS[tier].length]!;
        const r = await postJson(`${api}/api/ask`, {
          shop_id: SHOP,
          question,
          as_of: asOfFor(tier, i),
        });
        if (r.tier !== tier || typeof r.job_id !== 'string')
          throw new Error(`${question}: expected a ${tier} job, got ${JSON.stringify(r)}`);
        jobIds.push(r.job_id);
      }
    }),
  );
  const apiSeconds = (performance.now() - t0) / 1000;
  const s1 = await redisStats();
  const a1 = await cpuSeconds(apiPid);
  const worker = stack.start(`worker-${tier}` as ProcessName);
  // Start-up (imports, model load) is not per question: count CPU from the first job on.
  let w0 = NaN;
  for (let waited = 0; waited < 60_000 && Number.isNaN(w0); waited += 20) {
    const first = await results.get(jobIds[0]!);
    if (first && first.status !== 'queued') w0 = await cpuSeconds(worker.child.pid);
    else await new Promise((r) => setTimeout(r, 20));
  }
  const records = await waitFinal(jobIds, 300_000);
  const w1 = await cpuSeconds(worker.child.pid);
  const s2 = await redisStats();
  // The worker idles (blocking pops, stalled-job checks): that rate is not per question.
  await new Promise((r) => setTimeout(r, 3_000));
  const s3 = await redisStats();
  worker.child.kill('SIGTERM');
  await worker.exited;
  const failed = records.filter((r) => r.status !== 'succeeded');
  if (failed.length > 0)
    throw new Error(`${failed.length} ${tier} jobs failed: ${JSON.stringify(failed[0]?.error)}`);
  const started = Math.min(...records.map((r) => Date.parse(r.attempts[0]!.started_at)));
  const finished = Math.max(...records.map((r) => Date.parse(r.finished_at!)));
  const submit = diff(s0, s1);
  const work = diff(s1, s2);
  const idle = diff(s2, s3);
  const workerCalls = work.calls - (idle.calls / idle.seconds) * work.seconds;
  const workerCpu = work.cpu - (idle.cpu / idle.seconds) * work.seconds;
  const concurrency = {
    kpi: config.KPI_CONCURRENCY,
    llm: config.LLM_CONCURRENCY,
    rag: config.RAG_CONCURRENCY,
  }[tier];
  return {
    tier,
    n,
    concurrency,
    workerQps: n / ((finished - started) / 1000),
    apiQps: n / apiSeconds,
    workerCpuMs: ((w1 - w0) / n) * 1000,
    apiCpuMs: ((a1 - a0) / n) * 1000,
    apiCalls: submit.calls / n,
    workerCalls: workerCalls / n,
    scripts: (submit.scripts + work.scripts) / n,
    cpuUs: ((submit.cpu + workerCpu) / n) * 1e6,
    workerCpuUs: (workerCpu / n) * 1e6,
  };
}

async function waitFinal(jobIds: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await Promise.all(jobIds.map((id) => results.get(id)));
    if (records.every((r) => r && (r.status === 'succeeded' || r.status === 'failed')))
      return records.map((r) => r!);
    if (Date.now() > deadline) throw new Error('jobs not final in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

try {
  console.log('importing demo shop 1 …');
  const docs = generateShop(spec, { endDate: END });
  await writeShopDir(docs, path.join(dir, 'shop'));
  await importShop(
    {
      store: new EmbeddedStore({ dataDir: config.DATA_DIR }),
      shops: new ShopRegistry(client, config.REDIS_PREFIX),
      queues,
    },
    SHOP,
    path.join(dir, 'shop'),
    { name: spec.name, timezone: 'UTC' },
  );
  const api = await stack.startApi();
  // Index the shop into Chroma (catalogue, digests) for the rag worker, then stop:
  // the indexing of each answer is background work, not part of a question.
  const ingest = stack.start('worker-ingest');
  await waitDrained(['ingest'], 180_000).catch(async (err: unknown) => {
    const log = await readFile(path.join(dir, 'worker-ingest-0.log'), 'utf8').catch(() => '');
    console.error(log.slice(-3000));
    throw err;
  });
  ingest.child.kill('SIGTERM');
  await ingest.exited;
  // Warm the API and the shop's vocabulary (loaded on a shop's first question).
  const warm = stack.start('worker-kpi');
  for (let i = 0; i < 20; i++)
    await postJson(`${api}/api/ask`, {
      shop_id: SHOP,
      question: 'Units sold yesterday',
      as_of: asOfFor('kpi', i),
      wait_ms: 5_000,
    });
  warm.child.kill('SIGTERM');
  await warm.exited;
  console.log(`shop ${SHOP}: ${docs.order.length} orders; measuring …`);

  const figures: TierFigures[] = [];
  for (const tier of ['kpi', 'llm', 'rag'] as Tier[]) {
    figures.push(await measureTier(tier, api));
    console.log(`  ${tier}: done`);
  }

  // Cache hits: the API alone, one question answered before.
  const hitBody = { shop_id: SHOP, question: 'Revenue last month', as_of: END.toISOString() };
  const kpi = stack.start('worker-kpi');
  for (let i = 0; i < 50; i++) {
    const r = await postJson(`${api}/api/ask`, { ...hitBody, wait_ms: 5_000 });
    if (r.status === 'succeeded') break;
    await new Promise((res) => setTimeout(res, 200));
  }
  const apiPid = stack.processes.find((p) => p.name === 'web')?.child.pid;
  const hc0 = await cpuSeconds(apiPid);
  const h0 = await redisStats();
  const load = await autocannon({
    url: `${api}/api/ask`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(hitBody),
    connections: SUBMIT_CONCURRENCY,
    duration: 5,
  });
  const h1 = await redisStats();
  const hc1 = await cpuSeconds(apiPid);
  kpi.child.kill('SIGTERM');
  await kpi.exited;
  const hits = load.requests.total;
  const hit = {
    apiQps: load.requests.average,
    calls: diff(h0, h1).calls / hits,
    cpuUs: (diff(h0, h1).cpu / hits) * 1e6,
    apiCpuMs: ((hc1 - hc0) / hits) * 1000,
  };

  printTable(
    `measured on this machine (${os.cpus().length} cores; one process at a time; redis-server without AOF)`,
    [
      ...figures.map((f) => ({
        tier: f.tier,
        questions: f.n,
        'worker concurrency': f.concurrency,
        'q/s per worker process': +f.workerQps.toFixed(1),
        'worker CPU ms/q': +f.workerCpuMs.toFixed(1),
        'API submits/s (1 process)': +f.apiQps.toFixed(1),
        'API CPU ms/q': +f.apiCpuMs.toFixed(1),
        'Redis cmds/q: API': +f.apiCalls.toFixed(1),
        'Redis cmds/q: worker': +f.workerCalls.toFixed(1),
        'Lua scripts/q': +f.scripts.toFixed(1),
        'Redis CPU µs/q': Math.round(f.cpuUs),
      })),
      {
        tier: 'cache hit',
        questions: hits,
        'worker concurrency': 0,
        'q/s per worker process': 0,
        'worker CPU ms/q': 0,
        'API submits/s (1 process)': +hit.apiQps.toFixed(1),
        'API CPU ms/q': +hit.apiCpuMs.toFixed(1),
        'Redis cmds/q: API': +hit.calls.toFixed(1),
        'Redis cmds/q: worker': 0,
        'Lua scripts/q': 0,
        'Redis CPU µs/q': Math.round(hit.cpuUs),
      },
    ],
  );

  // Extrapolation.
  const total = (SHOPS * PER_SHOP_PER_MINUTE) / 60;
  const hitRate = total * ASSUME.cacheHit;
  const missRate = total - hitRate;
  const byTier = Object.fromEntries(figures.map((f) => [f.tier, f])) as Record<Tier, TierFigures>;
  const rate = (t: Tier) => missRate * ASSUME.mix[t];
  const procs = (need: number, perProcess: number) =>
    Math.ceil(need / (perProcess * ASSUME.utilisation));
  const rows = (['kpi', 'llm', 'rag'] as Tier[]).map((t) => {
    const f = byTier[t];
    // Tier 2 and 3 wait on a model in production: each in-flight job holds a slot that long.
    const modelBound =
      t === 'kpi'
        ? 0
        : Math.ceil((rate(t) * ASSUME.modelSeconds) / (f.concurrency * ASSUME.utilisation));
    return {
      'process kind': `worker-${t}`,
      'questions/s': +rate(t).toFixed(1),
      'measured q/s per process': +f.workerQps.toFixed(1),
      'processes (CPU-bound)': procs(rate(t), f.workerQps),
      'processes (model-bound)': t === 'kpi' ? '-' : modelBound,
    };
  });
  const apiSecondsPerQ =
    (1 - ASSUME.cacheHit) *
      (ASSUME.mix.kpi / byTier.kpi.apiQps +
        ASSUME.mix.llm / byTier.llm.apiQps +
        ASSUME.mix.rag / byTier.rag.apiQps) +
    ASSUME.cacheHit / hit.apiQps;
  rows.unshift({
    'process kind': 'web (API)',
    'questions/s': total,
    'measured q/s per process': +(1 / apiSecondsPerQ).toFixed(1),
    'processes (CPU-bound)': Math.ceil((total * apiSecondsPerQ) / ASSUME.utilisation),
    'processes (model-bound)': '-',
  });
  const redisCpuPerSecond =
    hitRate * hit.cpuUs * 1e-6 +
    (['kpi', 'llm', 'rag'] as Tier[]).reduce((sum, t) => sum + rate(t) * byTier[t].cpuUs * 1e-6, 0);
  const cmdsPerSecond =
    hitRate * hit.calls +
    (['kpi', 'llm', 'rag'] as Tier[]).reduce(
      (sum, t) => sum + rate(t) * (byTier[t].apiCalls + byTier[t].workerCalls),
      0,
    );
  // One queue's keys share a hash slot, so all of one queue's work lands on one shard.
  const kpiQueueCpu = rate('kpi') * byTier.kpi.workerCpuUs * 1e-6;
  printTable(
    `extrapolated: ${SHOPS} shops × ${PER_SHOP_PER_MINUTE} questions/min = ${total} questions/s`,
    rows,
  );
  printTable('Redis', [
    {
      'commands/s': Math.round(cmdsPerSecond),
      'Redis CPU s/s': +redisCpuPerSecond.toFixed(2),
      [`shards at ${ASSUME.utilisation * 100}% CPU`]: Math.max(
        1,
        Math.ceil(redisCpuPerSecond / ASSUME.utilisation),
      ),
      // Upper bound: all of the kpi worker's Redis work, though results and cache keys hash elsewhere.
      'kpi worker Redis CPU s/s (≥ kpi queue slot)': +kpiQueueCpu.toFixed(2),
      'kpi q/s one slot carries at 50%': Math.round(
        ASSUME.utilisation / (byTier.kpi.workerCpuUs * 1e-6),
      ),
    },
  ]);
  console.log(
    `\nassumptions: ${ASSUME.cacheHit * 100}% cache hits; of the rest kpi ${ASSUME.mix.kpi * 100}% · llm ${ASSUME.mix.llm * 100}% · rag ${ASSUME.mix.rag * 100}%;` +
      ` a model answer takes ${ASSUME.modelSeconds} s (model-bound column: slots = rate × time / concurrency);` +
      ` processes and shards kept at ${ASSUME.utilisation * 100}% busy; one process ≈ one core of this machine;` +
      ` a Redis shard ≈ one core (Redis runs commands on one thread); demo shop of ${docs.order.length} orders for every shop;` +
      ` background indexing of answers (ingest worker) not counted.`,
  );
} finally {
  await stack.stop();
  await closeQueues(queues);
  client.disconnect();
  await ollama.close();
  await chroma.stop();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}

/**
 * Figures for issue 6: cache-hit latency of POST /api/ask and webhook delivery
 * latency. Production-shaped: a real redis-server, and the API, the kpi worker
 * and the webhook worker as separate processes (their own `main.ts`) over one
 * embedded data dir; the receiver is a real HTTP server on loopback.
 *
 *   npx tsx bench/cache-hit.bench.ts
 *
 * - cache miss: distinct questions, `wait_ms` (HTTP round trip incl. queue and Tier 1);
 * - cache hit: the same question again, sequential, then autocannon for throughput;
 * - webhook: answer stored (finished_at) → receiver has the signed request, and
 *   submit → receiver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Webhook } from 'standardwebhooks';
import { freePort, startRedis } from '../test/support/redis-server.js';
import { WebhookReceiver } from '../test/integration/webhooks/webhook-receiver.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const NORTHWIND = path.join(ROOT, 'test/fixtures/northwind');
const ADMIN = 'bench-admin-key-0123456789abcdef';
const HIT_RUNS = 500;
const WEBHOOK_RUNS = 100;

const redis = await startRedis();
const dataDir = await mkdtemp(path.join(tmpdir(), 'si-bench-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  REDIS_URL: redis.url,
  REDIS_PREFIX: 'bench',
  DATA_DIR: dataDir,
  PORT: String(port),
  ADMIN_API_KEY: ADMIN,
  WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8',
  RATE_LIMIT_PER_MINUTE: '100000000',
  SHOP_MAX_QUEUED: '100000',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
};
const children: ChildProcess[] = [
  'src/api/main.ts',
  'src/workers/kpi/main.ts',
  'src/workers/webhooks/main.ts',
].map((main) =>
  spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  }),
);
const receiver = await new WebhookReceiver().start();

try {
  await waitForApi();
  const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const shop = await call('POST', '/api/shops', admin, { shop_id: 2, name: 'Northwind' });
  const auth = {
    authorization: `Bearer ${shop.api_key as string}`,
    'content-type': 'application/json',
  };
  await call(
    'POST',
    '/api/shops/2/import',
    { ...admin, 'content-type': 'application/x-ndjson' },
    await northwindNdjson(),
  );
  const endpoint = await call('POST', '/api/webhooks', auth, { url: receiver.url });

  // Webhooks (and cache misses): distinct months, so every question runs on the kpi worker.
  const misses: number[] = [];
  const submitted = new Map<string, { at: number; finishedAt: number }>();
  for (let i = 0; i < WEBHOOK_RUNS; i++) {
    const asOf = new Date(Date.UTC(1990 + Math.floor(i / 12), i % 12, 15, 12)).toISOString();
    const t0 = Date.now();
    const p0 = performance.now();
    const res = await call('POST', '/api/ask', auth, {
      question: 'How many orders did we get last month?',
      as_of: asOf,
      wait_ms: 5000,
    });
    misses.push(performance.now() - p0);
    if (res.status !== 'succeeded' || res.cache_hit)
      throw new Error(`expected a fresh answer, got ${JSON.stringify(res).slice(0, 200)}`);
    submitted.set(res.job_id as string, {
      at: t0,
      finishedAt: Date.parse(res.finished_at as string),
    });
  }
  await receiver.waitFor(WEBHOOK_RUNS, 30_000);
  const afterAnswer: number[] = [];
  const afterSubmit: number[] = [];
  const verifier = new Webhook(endpoint.secret as string);
  for (const hook of receiver.received) {
    const payload = verifier.verify(hook.body, hook.headers) as { data: { job_id: string } };
    const job = submitted.get(payload.data.job_id);
    if (!job) continue;
    afterAnswer.push(hook.at - job.finishedAt);
    afterSubmit.push(hook.at - job.at);
  }
  await call('DELETE', `/api/webhooks/${endpoint.id as string}`, auth);

  // Cache hits: the same question again and again.
  const hitBody = {
    question: 'What was our revenue in March 1998?',
    as_of: '1998-05-06T18:00:00Z',
  };
  const first = await call('POST', '/api/ask', auth, { ...hitBody, wait_ms: 5000 });
  if (first.cache_hit) throw new Error('first ask should miss');
  const hits: number[] = [];
  const serverHits: number[] = [];
  for (let i = 0; i < HIT_RUNS; i++) {
    const p0 = performance.now();
    const res = await call('POST', '/api/ask', auth, hitBody);
    hits.push(performance.now() - p0);
    if (!res.cache_hit) throw new Error('expected a cache hit');
    serverHits.push((res.timings_ms as { total: number }).total);
  }
  const load = await autocannon({
    url: `${base}/api/ask`,
    method: 'POST',
    headers: auth,
    body: JSON.stringify(hitBody),
    connections: 16,
    duration: 5,
  });

  console.log(
    `\ncache miss (distinct questions, kpi tier, wait_ms; HTTP round trip), n=${misses.length}: ${summary(misses)}`,
  );
  console.log(`cache hit (HTTP round trip, sequential), n=${hits.length}: ${summary(hits)}`);
  console.log(
    `cache hit (server-side timings_ms.total), n=${serverHits.length}: ${summary(serverHits)}`,
  );
  console.log(
    `cache hit under load (autocannon, 16 connections, 5 s): ${Math.round(load.requests.average)} req/s, ` +
      `p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, non-2xx ${load.non2xx}`,
  );
  console.log(
    `webhook: answer stored → receiver, n=${afterAnswer.length}: ${summary(afterAnswer)}`,
  );
  console.log(`webhook: submit → receiver, n=${afterSubmit.length}: ${summary(afterSubmit)}`);
} finally {
  await receiver.stop();
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  );
  await redis.stop();
  await rm(dataDir, { recursive: true, force: true });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API responses, read field by field
type Json = Record<string, any>;

async function call(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Json> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Json) : {};
}

async function waitForApi(): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('api did not start');
}

async function northwindNdjson(): Promise<string> {
  const lines: string[] = [];
  for (const collection of ['order', 'product', 'customer']) {
    const text = await readFile(path.join(NORTHWIND, `${collection}.ndjson`), 'utf8');
    for (const line of text.split('\n').filter((l) => l.trim()))
      lines.push(JSON.stringify({ collection, ...JSON.parse(line) }));
  }
  return lines.join('\n');
}

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
  return `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${s.at(-1)!.toFixed(1)} ms`;
}

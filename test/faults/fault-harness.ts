import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/shared/config/config.js';
import { EmbeddedStore } from '../../src/shared/data/embedded/embedded-store.js';
import { importShop } from '../../src/shared/data/import/import-shop.js';
import { createLogger } from '../../src/shared/logging/logger.js';
import { closeQueues, createQueues } from '../../src/shared/queues/queues.js';
import { ResultsStore } from '../../src/shared/results/results-store.js';
import type { JobRecord } from '../../src/shared/results/job-record.js';
import { ShopRegistry } from '../../src/shared/shops/shop-registry.js';
import { ProcessStack, type RunningProcess } from '../support/process-stack.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import { startRedis, type RedisServerHandle } from '../support/redis-server.js';
import { createRedis, type RedisClient } from '../../src/shared/redis/redis-connection.js';

export const NORTHWIND = path.resolve(import.meta.dirname, '../fixtures/northwind');
export const AS_OF = '1998-05-06T18:00:00.000Z';
export const QUESTIONS = [
  'How many orders did we get last month?',
  'What was our revenue in March 1998?',
  'Average order value last month',
  'How many customers do we have?',
  'Total sales in 1997',
];

/** Whether this run is against a local Redis Cluster (SI_TEST_REDIS=cluster). */
export const ON_CLUSTER = process.env.SI_TEST_REDIS === 'cluster';

/**
 * The i-th of many different Tier 1 questions: identical questions in flight
 * share one job (and finished ones come from the cache), so a test that counts
 * jobs asks distinct ones.
 */
export function distinctQuestion(i: number): string {
  const days = Math.floor(i / 2) + 1;
  return i % 2 === 0
    ? `How many orders in the last ${days} days?`
    : `Revenue in the last ${days} days`;
}

export interface FaultWorld {
  dir: string;
  redis: RedisServerHandle;
  stack: ProcessStack;
  env: Record<string, string>;
  results: ResultsStore;
  client: RedisClient;
  /** SIGKILL Redis (every node of a cluster). */
  killRedis(): void;
  /** Start Redis again on the same ports and data dirs (AOF brings the data back). */
  restartRedis(): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * A real deployment in miniature: redis-server with AOF `always`, a data dir
 * holding Northwind as shop 2, and the service's processes started by the test.
 */
export async function createFaultWorld(extraEnv: Record<string, string> = {}): Promise<FaultWorld> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-fault-'));
  // SI_TEST_REDIS=cluster: the same world on a local 3-master Redis Cluster.
  const cluster = ON_CLUSTER ? await startRedisCluster({ aof: true }) : null;
  const redis = cluster ? cluster.nodes[0]! : await startRedis({ aof: true, dir });
  const redisUrl = cluster ? cluster.url : redis.url;
  const env = {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: 'fault',
    DATA_DIR: path.join(dir, 'store'),
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    // Fault tests push hundreds of questions for one shop within seconds; the
    // per-shop rate limit and queue cap are not what they test.
    RATE_LIMIT_PER_MINUTE: '100000',
    SHOP_MAX_QUEUED: '100000',
    ...extraEnv,
  };
  const config = parseConfig(env);
  const client = createRedis({ url: redisUrl, role: 'worker' });
  client.on('error', () => undefined);
  const logger = createLogger({ level: 'silent', name: 'fault-test' });
  const queues = createQueues(client, config.REDIS_PREFIX, logger);
  const store = new EmbeddedStore({ dataDir: config.DATA_DIR });
  await importShop(
    { store, shops: new ShopRegistry(client, config.REDIS_PREFIX), queues },
    2,
    NORTHWIND,
  );
  await closeQueues(queues);
  const results = new ResultsStore(client, config.REDIS_PREFIX, 3600);
  const stack = new ProcessStack(env, dir);
  const world: FaultWorld = {
    dir,
    redis,
    stack,
    env,
    results,
    client,
    killRedis() {
      if (cluster) cluster.kill();
      else world.redis.process.kill('SIGKILL');
    },
    async restartRedis() {
      if (cluster) await cluster.restart();
      else world.redis = await startRedis({ aof: true, dir, port: world.redis.port });
    },
    async teardown() {
      await stack.stop();
      client.disconnect();
      if (cluster) await cluster.stop();
      else await world.redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

export async function ask(apiUrl: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${apiUrl}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** Wait until every job is final; returns the records. */
export async function waitForFinal(
  results: ResultsStore,
  jobIds: string[],
  timeoutMs: number,
): Promise<JobRecord[]> {
  const deadline = Date.now() + timeoutMs;
  let records: (JobRecord | null)[] = [];
  while (Date.now() < deadline) {
    records = await Promise.all(jobIds.map((id) => results.get(id)));
    if (records.every((r) => r && (r.status === 'succeeded' || r.status === 'failed')))
      return records as JobRecord[];
    await new Promise((r) => setTimeout(r, 250));
  }
  const pending = records.filter(
    (r) => !r || (r.status !== 'succeeded' && r.status !== 'failed'),
  ).length;
  throw new Error(`${pending} of ${jobIds.length} jobs not final after ${timeoutMs} ms`);
}

/** Stop one process of the stack (SIGTERM, its own graceful shutdown) and wait for it. */
export async function stopProcess(proc: RunningProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 8_000);
  await proc.exited;
  clearTimeout(timer);
}

/** Poll until `check` returns a value (not null/false), or throw after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | null | false>,
  timeoutMs: number,
  what: string,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

import type { TestProject } from 'vitest/node';
import { startRedisCluster } from './redis-cluster.js';
import { startRedis } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * One Redis for the whole run; every test isolates itself by key prefix.
 * SI_TEST_REDIS=cluster runs the suite against a local 3-master Redis Cluster.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis =
    process.env.SI_TEST_REDIS === 'cluster' ? await startRedisCluster() : await startRedis();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
